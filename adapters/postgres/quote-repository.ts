import type { ISql } from 'postgres'
import type { IlpQuoteDetails, Quote, QuoteMethod, Ratio } from '../../domain/quotes/quote.ts'
import { assert } from '../../domain/shared/assert.ts'
import type { QuoteRepository } from '../../application/ports/quote-repository.ts'
import { keysetPage } from './keyset-page.ts'

type QuoteRow = {
  id: string
  wallet_address_id: string
  receiver: string
  client: string | null
  method: string
  debit_asset_code: string
  debit_asset_scale: number
  debit_value: string
  debit_value_minus_fees: string
  receive_asset_code: string
  receive_asset_scale: number
  receive_value: string
  estimated_exchange_rate: number
  fee_id: string | null
  max_packet_amount: string | null
  min_exchange_rate_numerator: string | null
  min_exchange_rate_denominator: string | null
  low_estimated_exchange_rate_numerator: string | null
  low_estimated_exchange_rate_denominator: string | null
  high_estimated_exchange_rate_numerator: string | null
  high_estimated_exchange_rate_denominator: string | null
  expires_at: Date
  created_at: Date
}

const isMethod = (value: string): value is QuoteMethod => value === 'LOCAL' || value === 'ILP'

const ratio = (numerator: string | null, denominator: string | null): Ratio => {
  assert(numerator !== null && denominator !== null, 'quotes: ILP ratio missing')
  return { numerator: BigInt(numerator), denominator: BigInt(denominator) }
}

// The table's CHECK keeps the ILP columns all set (ILP) or all null (LOCAL).
function toIlp(row: QuoteRow): IlpQuoteDetails | null {
  if (row.max_packet_amount === null) return null
  return {
    maxPacketAmount: BigInt(row.max_packet_amount),
    minExchangeRate: ratio(row.min_exchange_rate_numerator, row.min_exchange_rate_denominator),
    lowEstimatedExchangeRate: ratio(
      row.low_estimated_exchange_rate_numerator,
      row.low_estimated_exchange_rate_denominator,
    ),
    highEstimatedExchangeRate: ratio(
      row.high_estimated_exchange_rate_numerator,
      row.high_estimated_exchange_rate_denominator,
    ),
  }
}

function toQuote(row: QuoteRow): Quote {
  assert(isMethod(row.method), `quotes ${row.id}: unknown method ${row.method}`)
  return {
    id: row.id,
    walletAddressId: row.wallet_address_id,
    receiver: row.receiver,
    client: row.client,
    method: row.method,
    debitAmount: {
      value: BigInt(row.debit_value),
      assetCode: row.debit_asset_code,
      assetScale: row.debit_asset_scale,
    },
    debitAmountMinusFees: BigInt(row.debit_value_minus_fees),
    receiveAmount: {
      value: BigInt(row.receive_value),
      assetCode: row.receive_asset_code,
      assetScale: row.receive_asset_scale,
    },
    estimatedExchangeRate: row.estimated_exchange_rate,
    feeId: row.fee_id,
    ilp: toIlp(row),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  }
}

const text = (value: bigint | undefined): string | null =>
  value === undefined ? null : value.toString()

/** `sql` may be a transaction (see postgres-unit-of-work.ts). */
export function makePostgresQuoteRepository(sql: ISql): QuoteRepository {
  return {
    async create(quote) {
      const { ilp } = quote
      const [row] = await sql<QuoteRow[]>`
        insert into quotes (
          id, wallet_address_id, receiver, client, method,
          debit_asset_code, debit_asset_scale, debit_value, debit_value_minus_fees,
          receive_asset_code, receive_asset_scale, receive_value,
          estimated_exchange_rate, fee_id, max_packet_amount,
          min_exchange_rate_numerator, min_exchange_rate_denominator,
          low_estimated_exchange_rate_numerator, low_estimated_exchange_rate_denominator,
          high_estimated_exchange_rate_numerator, high_estimated_exchange_rate_denominator,
          expires_at, created_at
        ) values (
          ${quote.id}, ${quote.walletAddressId}, ${quote.receiver}, ${quote.client},
          ${quote.method}, ${quote.debitAmount.assetCode}, ${quote.debitAmount.assetScale},
          ${quote.debitAmount.value.toString()}, ${quote.debitAmountMinusFees.toString()},
          ${quote.receiveAmount.assetCode}, ${quote.receiveAmount.assetScale},
          ${quote.receiveAmount.value.toString()}, ${quote.estimatedExchangeRate},
          ${quote.feeId}, ${text(ilp?.maxPacketAmount)},
          ${text(ilp?.minExchangeRate.numerator)}, ${text(ilp?.minExchangeRate.denominator)},
          ${text(ilp?.lowEstimatedExchangeRate.numerator)},
          ${text(ilp?.lowEstimatedExchangeRate.denominator)},
          ${text(ilp?.highEstimatedExchangeRate.numerator)},
          ${text(ilp?.highEstimatedExchangeRate.denominator)},
          ${quote.expiresAt}, ${quote.createdAt}
        ) returning *`
      assert(row, `insert of quote ${quote.id} returned no row`)
      return toQuote(row)
    },
    async getById(id) {
      const [row] = await sql<QuoteRow[]>`select * from quotes where id = ${id}`
      return row && toQuote(row)
    },
    listByWalletAddress(walletAddressId, request, client) {
      return keysetPage<QuoteRow, Quote>(sql, {
        table: 'quotes',
        where:
          client === undefined
            ? sql`wallet_address_id = ${walletAddressId}`
            : sql`wallet_address_id = ${walletAddressId} and client = ${client}`,
        request,
        map: toQuote,
      })
    },
  }
}
