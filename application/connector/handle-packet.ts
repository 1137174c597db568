import { createHash } from 'node:crypto'
import {
  deserializeIlpReply,
  isFulfill,
  serializeIlpPrepare,
  type IlpPrepare,
  type IlpReply,
} from 'ilp-packet'
import type { Result } from '../../domain/shared/result.ts'
import type { Clock } from '../ports/clock.ts'
import type { IlpPeerClient } from '../ports/ilp-peer-client.ts'
import type { Logger } from '../ports/logger.ts'
import type { PeerDirectory } from '../ports/peer-directory.ts'
import type { ConnectorAsset, PeerAccount, PeerEndpoint, SourceAccount } from './accounts.ts'
import { answerIldcp, isIldcpRequest } from './ildcp.ts'
import type { Leg, LiquidityReservations } from './liquidity-reservations.ts'
import type { RateLimiter } from './rate-limiter.ts'
import { amountTooLargeData, reject } from './replies.ts'

/** Runs one Prepare through the pipeline; never throws, always answers Fulfill or Reject. */
export type HandlePacket = (source: SourceAccount, prepare: IlpPrepare) => Promise<IlpReply>

/** Amount in `from` units -> `to` units, rounded down (towards the receiver). */
export type ConvertAmount = (
  amount: bigint,
  from: ConnectorAsset,
  to: ConnectorAsset,
) => Promise<Result<bigint, 'no_rate' | 'too_large'>>

/** Packets addressed to this node (STREAM receiving); absent: they are unreachable. */
export type DeliverLocally = (source: SourceAccount, prepare: IlpPrepare) => Promise<IlpReply>

export type HandlePacketDeps = {
  /** ILP_ADDRESS: triggeredBy of our rejects, and the prefix of local destinations. */
  readonly ilpAddress: string
  readonly peers: PeerDirectory
  readonly client: IlpPeerClient
  /** Liquidity for packets in flight, over the ledger. */
  readonly reservations: LiquidityReservations
  readonly convert: ConvertAmount
  readonly rateLimiter: RateLimiter
  readonly clock: Clock
  readonly logger: Logger
  readonly deliverLocally?: DeliverLocally
  /** Told after a packet debited a peer's liquidity (for `peer.liquidity_low`); must not throw. */
  readonly afterPeerDebit?: (peer: PeerAccount) => void
  /** Taken off the expiry of a forwarded packet, so we learn its outcome before ours expires. */
  readonly expiryWindowMs: number
  /** The longest a forwarded packet may hold liquidity, whatever its own expiry. */
  readonly holdWindowMsMax: number
}

/**
 * The connector's pipeline, in order: IL-DCP (answered for a known peer before routing),
 * expiry, max packet amount, rate limit, routing by the longest address prefix, currency
 * conversion, a pending ledger hold, forwarding, then the hold posted on a valid Fulfill or
 * voided otherwise.
 */
export const makeHandlePacket = (deps: HandlePacketDeps): HandlePacket => {
  const forward = makeForward(deps)
  const own = deps.ilpAddress
  return async (source, prepare) => {
    try {
      if (isIldcpRequest(prepare)) {
        const answer = source.kind === 'peer' ? answerIldcp(source, prepare) : undefined
        return answer ?? reject(own, 'F00', 'invalid IL-DCP request')
      }
      const nowMs = deps.clock.now()
      if (prepare.expiresAt.getTime() <= nowMs) return reject(own, 'R00', 'packet expired')
      const amount = BigInt(prepare.amount)
      if (
        source.kind === 'peer' &&
        source.maxPacketAmount !== null &&
        amount > source.maxPacketAmount
      ) {
        const data = amountTooLargeData(amount, source.maxPacketAmount)
        return reject(own, 'F08', 'packet amount too large', data)
      }
      if (!deps.rateLimiter.admit(source.id, nowMs)) return reject(own, 'T05', 'rate limited')
      const { destination } = prepare
      if (destination === own || destination.startsWith(`${own}.`)) {
        if (!deps.deliverLocally) return reject(own, 'F02', 'unreachable')
        const reply = await deps.deliverLocally(source, prepare)
        if (source.kind === 'peer' && amount > 0n && isFulfill(reply)) deps.afterPeerDebit?.(source)
        return reply
      }
      const peer = await deps.peers.route(destination)
      if (peer === undefined || peer.outgoing === null || peer.id === source.id) {
        return reject(own, 'F02', 'no route to the destination')
      }
      return await forward(source, peer, peer.outgoing, prepare, amount, nowMs)
    } catch (error) {
      deps.logger.error({ err: error }, 'ILP packet pipeline failed')
      return reject(own, 'T00', 'internal error')
    }
  }
}

function makeForward(deps: HandlePacketDeps) {
  const own = deps.ilpAddress
  return async (
    source: SourceAccount,
    peer: PeerAccount,
    endpoint: PeerEndpoint,
    prepare: IlpPrepare,
    amount: bigint,
    nowMs: number,
  ): Promise<IlpReply> => {
    const expiresAtMs = Math.min(
      prepare.expiresAt.getTime() - deps.expiryWindowMs,
      nowMs + deps.holdWindowMsMax,
    )
    if (expiresAtMs - nowMs < deps.expiryWindowMs) {
      return reject(own, 'R02', 'insufficient time before the packet expires')
    }
    const converted = await deps.convert(amount, source.asset, peer.asset)
    if (!converted.ok) {
      return converted.error === 'no_rate'
        ? reject(own, 'F07', 'no exchange rate for the destination asset')
        : reject(own, 'F03', 'converted amount out of range')
    }
    const outgoingAmount = converted.value
    const probe = source.kind === 'local' && source.probe === true
    const legs = probe ? [] : packetLegs(source, peer, amount, outgoingAmount)
    const reservation = await deps.reservations.reserve(legs)
    if (reservation === undefined) return reject(own, 'T04', 'insufficient liquidity')
    const outcome = await sendReserved(prepare, endpoint, outgoingAmount, expiresAtMs, nowMs)
    if (outcome.kind === 'fulfilled' && probe) {
      // Nobody holds a probe's preimage: a Fulfill for one is bogus, and moves nothing.
      return reject(own, 'F05', 'fulfillment does not match the condition')
    }
    if (outcome.kind === 'fulfilled') {
      await deps.reservations.settle(reservation)
      if (source.kind === 'peer' && amount > 0n) deps.afterPeerDebit?.(source)
      return outcome.reply
    }
    deps.reservations.release(reservation)
    return outcome.reply
  }

  /** Sends the packet on; whatever happens, says whether it was fulfilled and what to answer. */
  async function sendReserved(
    prepare: IlpPrepare,
    endpoint: PeerEndpoint,
    outgoingAmount: bigint,
    expiresAtMs: number,
    nowMs: number,
  ): Promise<{ kind: 'fulfilled' | 'failed'; reply: IlpReply }> {
    try {
      const bytes = serializeIlpPrepare({
        ...prepare,
        amount: outgoingAmount.toString(),
        expiresAt: new Date(expiresAtMs),
      })
      const sent = await deps.client.send(endpoint, bytes, expiresAtMs - nowMs)
      if (!sent.ok) {
        const reply =
          sent.error === 'timeout'
            ? reject(own, 'R00', 'peer did not answer in time')
            : reject(own, 'T01', 'peer unreachable')
        return { kind: 'failed', reply }
      }
      const reply = parseReply(sent.value)
      if (reply === undefined)
        return { kind: 'failed', reply: reject(own, 'T01', 'peer unreachable') }
      if (!isFulfill(reply)) return { kind: 'failed', reply }
      if (!fulfills(reply.fulfillment, prepare.executionCondition)) {
        return {
          kind: 'failed',
          reply: reject(own, 'F05', 'fulfillment does not match the condition'),
        }
      }
      return { kind: 'fulfilled', reply }
    } catch (error) {
      deps.logger.error({ err: error }, 'ILP packet forwarding failed')
      return { kind: 'failed', reply: reject(own, 'T00', 'internal error') }
    }
  }
}

/**
 * What a forwarded packet moves: from the source's account to the peer's, through the two
 * assets' liquidity accounts when the assets differ. Nothing moves for a zero amount.
 */
function packetLegs(
  source: SourceAccount,
  peer: PeerAccount,
  amount: bigint,
  outgoingAmount: bigint,
): Leg[] {
  const leg = (debitAccountId: string, creditAccountId: string, value: bigint, ledger: number) => ({
    debitAccountId,
    creditAccountId,
    amount: value,
    ledger,
  })
  if (source.asset.id === peer.asset.id)
    return [leg(source.id, peer.id, amount, source.asset.ledger)]
  return [
    leg(source.id, source.asset.id, amount, source.asset.ledger),
    leg(peer.asset.id, peer.id, outgoingAmount, peer.asset.ledger),
  ]
}

function parseReply(bytes: Uint8Array): IlpReply | undefined {
  try {
    return deserializeIlpReply(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  } catch {
    return undefined
  }
}

const fulfills = (fulfillment: Buffer, condition: Buffer): boolean =>
  fulfillment.length === 32 && createHash('sha256').update(fulfillment).digest().equals(condition)
