import { assert } from '../../domain/shared/assert.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import type { WebhookEventType } from '../../domain/webhooks/webhook-event.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { WebhookEventRepository } from '../ports/webhook-event-repository.ts'
import type { LiquidityError } from './liquidity-errors.ts'
import { runLiquidityTransfer } from './run-liquidity-transfer.ts'
import { isWithdrawalTimeout, withdrawalTransfer } from './withdrawal-transfer.ts'

export type WithdrawEventLiquidityDeps = {
  readonly webhookEvents: WebhookEventRepository
  readonly assets: AssetRepository
  readonly ledger: Ledger
}

/**
 * Withdraws what the latest of a resource's settling events (`eventTypes`) asks for, by a
 * transfer whose id is the event's: a retry with the same timeout is a success that moves nothing
 * again. `nothing_to_withdraw` when no such event names a withdrawal.
 */
export async function withdrawEventLiquidity(
  deps: WithdrawEventLiquidityDeps,
  resourceId: string,
  eventTypes: readonly WebhookEventType[],
  timeoutSeconds: number,
): Promise<Result<void, LiquidityError | 'nothing_to_withdraw'>> {
  const event = await deps.webhookEvents.latestWithdrawal(resourceId, eventTypes)
  if (!event?.withdrawal) return err('nothing_to_withdraw')
  if (!isWithdrawalTimeout(timeoutSeconds)) return err('invalid_timeout')
  const { accountId, assetId, amount } = event.withdrawal
  const asset = await deps.assets.getById(assetId)
  assert(asset, `webhook event ${event.id}: withdrawal asset ${assetId} missing`)
  const transfer = { id: event.id, accountId, asset, amount, timeoutSeconds }
  return runLiquidityTransfer(deps.ledger, withdrawalTransfer(transfer))
}
