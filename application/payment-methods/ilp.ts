// The ILP payment method: quotes by probing the path to a remote receiver with unfulfillable
// STREAM packets through this node's own connector pipeline, and pays by sending STREAM packets
// that must each deliver at least the quote's minimum rate (Rafiki does both with
// @interledger/pay; this is the same protocol, run in process).
import type { Ratio } from '../../domain/quotes/quote.ts'
import {
  deliveredAt,
  lessSlippage,
  minDeliveryFor,
  reduce,
  sendAmountFor,
} from '../../domain/quotes/ilp-delivery.ts'
import { err, ok } from '../../domain/shared/result.ts'
import type { LocalAccount } from '../connector/accounts.ts'
import type { HandlePacket } from '../connector/handle-packet.ts'
import type { IlpQuoter, PayError, PaymentMethod, PayProgress } from '../ports/payment-methods.ts'
import type { OpenStreamSender, SentPacket, StreamSender } from '../ports/stream-sender.ts'

export type IlpPaymentMethodDeps = {
  readonly handlePacket: HandlePacket
  readonly openStreamSender: OpenStreamSender
  /** SLIPPAGE: how far below the probed rate a packet may still deliver. */
  readonly slippage: number
  /** Pause after a temporary reject (T.., R..) before the next packet; doubles each time. */
  readonly retryDelayMs?: number
}

const u64Max = 2n ** 64n - 1n
// The amounts ilp-protocol-stream probes with; F08 answers narrow them down.
const probeAmounts = [1n, 1_000n, 1_000_000n, 1_000_000_000n, 1_000_000_000_000n]
const probeRoundsMax = 4
// A rate known from a delivery with fewer digits than this is too coarse: probe bigger.
const probeDigitsMin = 3
const temporaryFailuresMax = 5
const lowRateRejectsMax = 3

export function makeIlpQuoter(deps: IlpPaymentMethodDeps): IlpQuoter {
  return {
    async quote(input) {
      const method = input.receiver.ilp
      if (method === null) return err('receiver_unreachable')
      // Probes can never be fulfilled: nothing is reserved for them.
      const source: LocalAccount = {
        kind: 'local',
        id: input.source.id,
        asset: input.source,
        probe: true,
      }
      const sender = await deps.openStreamSender({
        destination: method.ilpAddress,
        sharedSecret: method.sharedSecret,
        path: (prepare) => deps.handlePacket(source, prepare),
      })
      const probed = await probe(sender)
      if (probed === undefined || probed.maxPacketAmount === 0n) return err('receiver_unreachable')
      const { sent, delivered, maxPacketAmount } = probed
      if (delivered === 0n) return err('non_positive_receive_amount')
      const low = reduce({ numerator: delivered, denominator: sent })
      const high = reduce({ numerator: delivered + 1n, denominator: sent })
      const minimum = lessSlippage(low, deps.slippage)
      const details = {
        maxPacketAmount,
        minExchangeRate: minimum,
        lowEstimatedExchangeRate: low,
        highEstimatedExchangeRate: high,
      }
      if (input.receiveAmount !== undefined) {
        const sendAmount = sendAmountFor(input.receiveAmount, maxPacketAmount, minimum)
        if (sendAmount === undefined) return err('non_positive_receive_amount')
        return ok({ sendAmount, receiveAmount: input.receiveAmount, details })
      }
      const sendAmount = input.sendAmount ?? 0n
      const receiveAmount = minDeliveryFor(sendAmount, maxPacketAmount, minimum)
      if (receiveAmount === 0n) return err('non_positive_receive_amount')
      return ok({ sendAmount, receiveAmount, details })
    },
  }
}

type Probed = { sent: bigint; delivered: bigint; maxPacketAmount: bigint }

/**
 * Volleys of probes: the rate from the biggest probe the receiver answered, the path's maximum
 * packet amount from F08 rejects. undefined: the receiver never answered.
 */
async function probe(sender: StreamSender): Promise<Probed | undefined> {
  let amounts = probeAmounts
  let maxPacketAmount = u64Max
  let best: { sent: bigint; delivered: bigint } | undefined
  for (let round = 0; round < probeRoundsMax && amounts.length > 0; round += 1) {
    const replies = await Promise.all(
      amounts.map(async (amount) => ({
        amount,
        reply: await sender.send(amount, 0n, { probe: true }),
      })),
    )
    const next = new Set<bigint>()
    for (const { amount, reply } of replies) {
      if (reply.kind !== 'rejected') continue
      if (reply.code === 'F08' && reply.maxPacketAmount !== undefined) {
        if (reply.maxPacketAmount < maxPacketAmount) maxPacketAmount = reply.maxPacketAmount
        if (reply.maxPacketAmount > 0n) next.add(reply.maxPacketAmount)
      } else if (reply.code.startsWith('T') && amount > 1n) {
        // Someone on the path lacks the liquidity for this much: try a smaller probe.
        next.add(amount - amount / 3n)
      } else if (reply.delivered !== undefined && (best === undefined || amount > best.sent)) {
        best = { sent: amount, delivered: reply.delivered }
      }
    }
    if (best !== undefined && best.delivered.toString().length >= probeDigitsMin) break
    amounts = [...next].filter((amount) => best === undefined || amount > best.sent)
  }
  return best && { ...best, maxPacketAmount }
}

export function makeIlpPaymentMethod(deps: IlpPaymentMethodDeps): PaymentMethod {
  const retryDelayMs = deps.retryDelayMs ?? 50
  return {
    async pay(input) {
      let debited = 0n
      let delivered = 0n
      const fail = (error: PayError, retryable: boolean) =>
        err({ error, retryable, debited, delivered })
      const method = input.receiver.ilp
      const details = input.quote.ilp
      if (method === null) return fail('receiver_completed_or_expired', false)
      if (details === null) return fail('internal', false)
      const sender = await deps.openStreamSender({
        destination: method.ilpAddress,
        sharedSecret: method.sharedSecret,
        path: (prepare) => deps.handlePacket(input.source, prepare),
      })
      const rate = details.minExchangeRate
      const target = input.receiveAmount.value
      // A receiver with an incoming amount takes exactly that: stop once it is delivered.
      // Otherwise (fixed-send to an open-ended receiver) the whole debit goes.
      const stopAtDelivery = input.receiver.incomingAmount !== null
      let maxPacketAmount = details.maxPacketAmount
      let temporary = 0
      let lowRate = 0
      while (debited < input.maxDebit && !(stopAtDelivery && delivered >= target)) {
        const amount = nextAmount(
          input.maxDebit - debited,
          maxPacketAmount,
          details.lowEstimatedExchangeRate,
          stopAtDelivery ? target - delivered : undefined,
        )
        const minDelivery = deliveredAt(amount, rate)
        if (stopAtDelivery && minDelivery === 0n) break
        const reply: SentPacket = await sender.send(amount, minDelivery)
        if (reply.kind === 'fulfilled') {
          debited += amount
          delivered += reply.delivered
          temporary = 0
          continue
        }
        if (reply.code === 'F08' && reply.maxPacketAmount !== undefined) {
          if (reply.maxPacketAmount === 0n) return fail('receiver_unreachable', false)
          maxPacketAmount = reply.maxPacketAmount < amount ? reply.maxPacketAmount : amount - 1n
          continue
        }
        if (reply.closed) return fail('receiver_completed_or_expired', false)
        if (
          reply.code === 'F99' &&
          reply.delivered !== undefined &&
          reply.delivered < minDelivery
        ) {
          // The path's rate fell below the quote's minimum since it was quoted.
          lowRate += 1
          if (lowRate >= lowRateRejectsMax) return fail('rate_too_low', false)
          continue
        }
        if (reply.code === 'T04') return fail('insufficient_liquidity', true)
        if (reply.code.startsWith('T') || reply.code.startsWith('R')) {
          temporary += 1
          if (temporary > temporaryFailuresMax) return fail('receiver_unreachable', true)
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (temporary - 1)))
          continue
        }
        return fail('receiver_unreachable', false)
      }
      const progress: PayProgress = { debited, delivered }
      return ok(progress)
    },
  }
}

/**
 * The next packet: as big as the path takes and the debit allows, and, when a delivery target
 * remains, no bigger than what reaches it at the probed rate (the minimum rate only guards each
 * packet: sized by it, the last packet would overpay by the slippage).
 */
function nextAmount(
  debitLeft: bigint,
  maxPacketAmount: bigint,
  rate: Ratio,
  deliveryLeft: bigint | undefined,
): bigint {
  let amount = debitLeft < maxPacketAmount ? debitLeft : maxPacketAmount
  if (deliveryLeft !== undefined && rate.numerator > 0n) {
    const enough = (deliveryLeft * rate.denominator + rate.numerator - 1n) / rate.numerator
    if (enough < amount) amount = enough
  }
  return amount
}
