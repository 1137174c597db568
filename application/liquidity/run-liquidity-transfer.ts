import type { TransferRequest } from '../../domain/ledger/transfer.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { Ledger } from '../ports/ledger.ts'
import { liquidityErrorOf, type LiquidityError } from './liquidity-errors.ts'

/** Runs one operator transfer; a retry with the same id and fields is a success, not an error. */
export async function runLiquidityTransfer(
  ledger: Ledger,
  request: TransferRequest,
): Promise<Result<void, LiquidityError>> {
  const result = await ledger.transfer([request])
  if (result.ok) return ok(undefined)
  const error = liquidityErrorOf[result.error.error]
  assert(error !== undefined, `ledger refused our own transfer: ${result.error.error}`)
  return err(error)
}
