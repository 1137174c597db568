import { convertDestination, convertSource } from '../../domain/rates/convert-amount.ts'
import { unitRate, type ExchangeRate } from '../../domain/rates/exchange-rate.ts'
import { rateTo, type RatesTable } from '../../domain/rates/rates-table.ts'
import { ok, type Result } from '../../domain/shared/result.ts'
import type { ConvertError, Rates, RatesError } from '../ports/rates.ts'

/**
 * The Rates port over a source of rate tables (one per base code): the conversions every rates
 * adapter shares. Same code: only the scale changes, and no table is asked for.
 */
export function ratesFromTables(
  getRates: (base: string) => Promise<Result<RatesTable, RatesError>>,
): Rates {
  async function rateBetween(
    sourceCode: string,
    destinationCode: string,
  ): Promise<Result<ExchangeRate, ConvertError>> {
    if (sourceCode === destinationCode) return ok(unitRate)
    const table = await getRates(sourceCode)
    return table.ok ? rateTo(table.value, destinationCode) : table
  }
  return {
    getRates,
    async convertSource(request) {
      const rate = await rateBetween(request.sourceAsset.code, request.destinationAsset.code)
      return rate.ok ? convertSource(request, rate.value) : rate
    },
    async convertDestination(request) {
      const rate = await rateBetween(request.sourceAsset.code, request.destinationAsset.code)
      return rate.ok ? convertDestination(request, rate.value) : rate
    },
  }
}
