// The hot path of a group commit that holds one lone posted transfer: ledger_apply_single
// (migrations/0015_ledger_apply_single.sql), which decides only the plain case. Anything else
// is answered by the general path (apply-batches.ts), which has the exact outcome.
import postgres from 'postgres'
import type { TransferRequest } from '../../domain/ledger/transfer.ts'
import { ok } from '../../domain/shared/result.ts'
import type { Sql } from '../postgres/database.ts'
import type { Batch, BatchOutcome } from './apply-batches.ts'

/** A new transfer (single or pending); only single ones take this path. */
type Single = Extract<TransferRequest, { readonly debitAccountId: string }>

/** The group's transfer when the group is one batch of one single transfer. */
export function loneSingle(batches: readonly Batch[]): Single | undefined {
  if (batches.length !== 1) return undefined
  const [batch] = batches
  if (batch?.length !== 1) return undefined
  const [request] = batch
  return request?.type === 'single' ? request : undefined
}

/**
 * 'created', or undefined when the transfer is no plain case (the database undid everything)
 * and must go through the general path. Throws what is not the database's answer (a lost
 * connection): whether it committed is then unknown, as on the general path.
 */
export async function applySingle(
  sql: Sql,
  request: Single,
  now: Date | undefined,
): Promise<BatchOutcome | undefined> {
  try {
    await sql`select ledger_apply_single(${request.id}::uuid, ${request.debitAccountId}::uuid,
      ${request.creditAccountId}::uuid, ${String(request.amount)}::numeric, ${request.ledger}::int,
      ${now ?? null}::timestamptz)`
    return ok('created')
  } catch (error) {
    if (error instanceof postgres.PostgresError) return undefined
    throw error
  }
}
