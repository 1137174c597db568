import type { DestinationConversion, SourceConversion } from '../../domain/rates/convert-amount.ts'
import type { RatesTable } from '../../domain/rates/rates-table.ts'
import type { Result } from '../../domain/shared/result.ts'

export type RatesError =
  /** No EXCHANGE_RATES_URL, a network failure, a timeout, or a status other than 200. */
  | 'rates_unavailable'
  /** A reply that is not {base: the asked code, rates: {CODE: finite number >= 0}}. */
  | 'invalid_rates'

export type ConvertError =
  | RatesError
  /** The table has no rate (or a zero rate) for the destination code: ILP F07. */
  | 'missing_rate'
  /** The converted amount is above 2^64 - 1. */
  | 'amount_overflow'

// Rafiki's rates service: GET EXCHANGE_RATES_URL?base=CODE, cached for EXCHANGE_RATES_LIFETIME.
// Amounts must be unsigned 64-bit and scales 0..255: anything else is a bug and is asserted.
export interface Rates {
  /** What one unit of baseAssetCode is worth in other codes. Never throws. */
  getRates(baseAssetCode: string): Promise<Result<RatesTable, RatesError>>
  /**
   * floor(sourceAmount × rate × 10^(destination scale - source scale)), towards the receiver.
   * One code needs no rates: only the scale changes. Never throws.
   */
  convertSource(request: SourceConversion): Promise<Result<bigint, ConvertError>>
  /**
   * What destinationAmount costs in the source asset, rounded up (towards the sender): the
   * least source amount that convertSource turns into at least destinationAmount. Never throws.
   */
  convertDestination(request: DestinationConversion): Promise<Result<bigint, ConvertError>>
}
