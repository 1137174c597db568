import type { TransferRequest } from '../../domain/ledger/transfer.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { CreditIncomingPayment } from '../incoming-payments/credit-incoming-payment.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { IncomingPaymentRepository } from '../ports/incoming-payment-repository.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { Logger } from '../ports/logger.ts'
import type { PaymentTag, StreamCreditError, StreamReceiver } from '../ports/stream-receiver.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'
import type { ConnectorAsset, SourceAccount } from './accounts.ts'
import type { ConvertAmount, DeliverLocally } from './handle-packet.ts'
import { reject } from './replies.ts'

export type DeliverLocallyDeps = {
  readonly ilpAddress: string
  readonly stream: StreamReceiver
  readonly ledger: Ledger
  readonly convert: ConvertAmount
  readonly incomingPayments: IncomingPaymentRepository
  readonly creditIncomingPayment: CreditIncomingPayment
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly logger: Logger
  /** WITHDRAWAL_THROTTLE_DELAY: web monetization is reported this long after money arrives. */
  readonly withdrawalThrottleDelayMs: number
}

// Payment tags whose target is kept; past it the map starts over.
const targetsMax = 100_000

/** The account a STREAM address pays into. */
type Target = {
  readonly tag: PaymentTag
  /** INCOMING account (id = payment id) or WEB_MONETIZATION account (id = wallet address id). */
  readonly accountId: string
  readonly walletAddressId: string
  readonly asset: ConnectorAsset
}

/**
 * Packets addressed to our STREAM addresses: the payment tag in the address says which incoming
 * payment or wallet address receives; the STREAM receiver decides whether the packet can be
 * fulfilled and calls back to move the money before it fulfills.
 */
export const makeDeliverLocally = (deps: DeliverLocallyDeps): DeliverLocally => {
  const own = deps.ilpAddress
  const assetOf = makeAssetIdentities(deps)
  // Which account and asset a tag pays never changes (a payment keeps its wallet address, an
  // address its asset), so each tag is looked up once, not on every STREAM packet.
  const targets = new Map<string, Target>()
  const resolve = async (tag: PaymentTag): Promise<Target | undefined> => {
    const key = `${tag.kind}:${tag.id}`
    const known = targets.get(key)
    if (known) return known
    const walletAddressId =
      tag.kind === 'wallet-address'
        ? tag.id
        : (await deps.incomingPayments.getById(tag.id))?.walletAddressId
    const walletAddress =
      walletAddressId === undefined
        ? undefined
        : await deps.walletAddresses.getById(walletAddressId)
    const asset = walletAddress && (await assetOf(walletAddress.assetId))
    if (!walletAddress || !asset) return undefined
    const target = { tag, accountId: tag.id, walletAddressId: walletAddress.id, asset }
    if (targets.size >= targetsMax) targets.clear()
    targets.set(key, target)
    return target
  }
  return async (source, prepare) => {
    const tag = deps.stream.tagOf(prepare.destination)
    const target = tag && (await resolve(tag))
    if (!target) return reject(own, 'F02', 'unreachable')
    const amount = BigInt(prepare.amount)
    const converted = await deps.convert(amount, source.asset, target.asset)
    if (!converted.ok) {
      return converted.error === 'no_rate'
        ? reject(own, 'F07', 'no exchange rate for the destination asset')
        : reject(own, 'F03', 'converted amount out of range')
    }
    return deps.stream.receive({
      prepare,
      asset: target.asset,
      receivedAmount: converted.value,
      credit: (received) => credit(deps, source, target, amount, received),
    })
  }
}

/**
 * Moves the money into the target's account (posted at once: we are the final receiver), then
 * records it on the incoming payment. A payment that can no longer receive gets the money back.
 */
async function credit(
  deps: DeliverLocallyDeps,
  source: SourceAccount,
  target: Target,
  sent: bigint,
  received: bigint,
): Promise<Result<void, StreamCreditError>> {
  const transfers = creditTransfers(deps, source, target, sent, received)
  const moved = await transferCreatingWebMonetization(deps, target, transfers)
  if (!moved.ok) return moved
  // Sent but rounded to nothing received: the sender paid the conversion, nothing arrived.
  if (received === 0n) return ok(undefined)
  if (target.tag.kind === 'wallet-address') {
    const at = new Date(deps.clock.now() + deps.withdrawalThrottleDelayMs)
    await deps.walletAddresses.scheduleEvents(target.walletAddressId, at)
    return ok(undefined)
  }
  const recorded = await deps.creditIncomingPayment(target.accountId, received)
  if (recorded.ok) return ok(undefined)
  const back = await deps.ledger.transfer(transfers.map((t) => reversed(deps, t)).reverse())
  if (!back.ok) {
    deps.logger.error(
      { error: back.error, incomingPaymentId: target.accountId },
      'could not return money refused by an incoming payment',
    )
  }
  if (recorded.error !== 'exceeds_incoming_amount') return err('closed')
  // More than the payment still takes: the sender is told how much does fit.
  const payment = await deps.incomingPayments.getById(target.accountId)
  const incoming = payment?.incomingAmount?.value
  const left = incoming === undefined ? 0n : incoming - (payment?.receivedAmount.value ?? 0n)
  return left > 0n ? err({ upTo: left }) : err('closed')
}

type SingleTransfer = TransferRequest & { readonly type: 'single' }

function creditTransfers(
  deps: DeliverLocallyDeps,
  source: SourceAccount,
  target: Target,
  sent: bigint,
  received: bigint,
): SingleTransfer[] {
  const single = (
    debit: string,
    creditTo: string,
    value: bigint,
    ledger: number,
  ): SingleTransfer => ({
    type: 'single',
    id: deps.ids.orderedUuid(),
    debitAccountId: debit,
    creditAccountId: creditTo,
    amount: value,
    ledger,
  })
  if (source.asset.id === target.asset.id) {
    return received > 0n ? [single(source.id, target.accountId, received, target.asset.ledger)] : []
  }
  return [
    ...(sent > 0n ? [single(source.id, source.asset.id, sent, source.asset.ledger)] : []),
    ...(received > 0n
      ? [single(target.asset.id, target.accountId, received, target.asset.ledger)]
      : []),
  ]
}

const reversed = (deps: DeliverLocallyDeps, transfer: SingleTransfer): SingleTransfer => ({
  ...transfer,
  id: deps.ids.orderedUuid(),
  debitAccountId: transfer.creditAccountId,
  creditAccountId: transfer.debitAccountId,
})

/** A wallet address's web-monetization account is made on its first money. */
async function transferCreatingWebMonetization(
  deps: DeliverLocallyDeps,
  target: Target,
  transfers: readonly SingleTransfer[],
): Promise<Result<void, StreamCreditError>> {
  if (transfers.length === 0) return ok(undefined)
  let result = await deps.ledger.transfer(transfers)
  if (
    !result.ok &&
    result.error.error === 'unknown_account' &&
    target.tag.kind === 'wallet-address'
  ) {
    await deps.ledger.createAccounts([
      { id: target.accountId, ledger: target.asset.ledger, kind: 'WEB_MONETIZATION' },
    ])
    result = await deps.ledger.transfer(transfers)
  }
  if (result.ok) return ok(undefined)
  if (result.error.error === 'insufficient_balance') return err('insufficient_liquidity')
  deps.logger.error({ error: result.error }, 'ledger refused a STREAM credit')
  return err('internal')
}

/** Asset code, scale and ledger by id: they never change, so each is read once. */
function makeAssetIdentities(deps: Pick<DeliverLocallyDeps, 'assets'>) {
  const known = new Map<string, ConnectorAsset>()
  return async (id: string): Promise<ConnectorAsset | undefined> => {
    const cached = known.get(id)
    if (cached) return cached
    const asset = await deps.assets.getById(id)
    if (!asset) return undefined
    const identity = { id: asset.id, code: asset.code, scale: asset.scale, ledger: asset.ledger }
    if (known.size >= 10_000) known.clear()
    known.set(id, identity)
    return identity
  }
}
