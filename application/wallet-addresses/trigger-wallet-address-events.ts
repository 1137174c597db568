import type { Asset } from '../../domain/assets/asset.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { webMonetizationEventData } from '../../domain/wallet-addresses/web-monetization.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { UnitOfWork } from '../ports/unit-of-work.ts'
import type {
  DueWalletAddress,
  WalletAddressRepository,
} from '../ports/wallet-address-repository.ts'
import type { WorkSignal } from '../ports/work-signal.ts'
import { makeStageWebhookEvent, wakeWebhookWorkers } from '../webhooks/emit-webhook-event.ts'

/** How many wallet addresses one call may process. */
export const walletAddressEventsLimitMax = 10_000

/**
 * Rafiki's triggerWalletAddressEvents: reports the web-monetization money of up to `limit`
 * wallet addresses whose report is due, and returns how many it processed (those with nothing
 * new to report are processed too: their schedule is cleared without an event).
 */
export type TriggerWalletAddressEvents = (limit: number) => Promise<Result<number, 'invalid_limit'>>

export type TriggerWalletAddressEventsDeps = {
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  readonly ledger: Ledger
  readonly unitOfWork: UnitOfWork
  readonly signal: WorkSignal
  readonly clock: Clock
  readonly ids: IdGenerator
  /** Wallet addresses per transaction. */
  readonly batchMax: number
}

type BatchOutcome = { readonly due: number; readonly processed: number; readonly staged: number }

export const makeTriggerWalletAddressEvents = (
  deps: TriggerWalletAddressEventsDeps,
): TriggerWalletAddressEvents => {
  assert(Number.isSafeInteger(deps.batchMax) && deps.batchMax >= 1, 'batchMax >= 1')
  const reportBatch = makeReportBatch(deps)
  return async (limit) => {
    if (!Number.isSafeInteger(limit) || limit < 0 || limit > walletAddressEventsLimitMax) {
      return err('invalid_limit')
    }
    let processed = 0
    let staged = 0
    while (processed < limit) {
      const size = Math.min(deps.batchMax, limit - processed)
      const batch = await reportBatch(size)
      processed += batch.processed
      staged += batch.staged
      // Nothing more is due, or every due one changed under us (another reporter's turn).
      if (batch.due < size || batch.processed === 0) break
    }
    if (staged > 0) wakeWebhookWorkers(deps.signal)
    return ok(processed)
  }
}

/**
 * One batch. The ledger is read before the transaction (it may be a network call, and the
 * transaction never waits on one); markEventsReported then applies only where nothing changed
 * since, so concurrent callers never report the same money twice.
 */
function makeReportBatch(deps: TriggerWalletAddressEventsDeps) {
  const stage = makeStageWebhookEvent(deps)
  return async (size: number): Promise<BatchOutcome> => {
    const due = await deps.walletAddresses.listDueForEvents(new Date(deps.clock.now()), size)
    if (due.length === 0) return { due: 0, processed: 0, staged: 0 }
    const balances = await deps.ledger.getBalances(due.map((d) => d.walletAddress.id))
    const assets = await assetsOf(deps.assets, due)
    return deps.unitOfWork.run(async ({ walletAddresses, webhookEvents }) => {
      let processed = 0
      let staged = 0
      for (const seen of due) {
        const { walletAddress } = seen
        const received = balances.get(walletAddress.id)?.creditsPosted ?? 0n
        const amount = received - seen.totalEventsAmount
        const total = amount > 0n ? received : seen.totalEventsAmount
        if (!(await walletAddresses.markEventsReported(seen, total))) continue
        processed += 1
        if (amount <= 0n) continue
        const asset = assets.get(walletAddress.assetId)
        assert(asset, `wallet address ${walletAddress.id}: asset missing`)
        await stage(webhookEvents, {
          type: 'wallet_address.web_monetization',
          data: webMonetizationEventData(walletAddress, asset, amount),
          withdrawal: { accountId: walletAddress.id, assetId: asset.id, amount },
        })
        staged += 1
      }
      return { due: due.length, processed, staged }
    })
  }
}

async function assetsOf(
  assets: AssetRepository,
  due: readonly DueWalletAddress[],
): Promise<ReadonlyMap<string, Asset>> {
  const found = new Map<string, Asset>()
  for (const assetId of new Set(due.map((d) => d.walletAddress.assetId))) {
    const asset = await assets.getById(assetId)
    if (asset) found.set(assetId, asset)
  }
  return found
}
