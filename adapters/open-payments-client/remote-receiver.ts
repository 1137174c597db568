// Another node's Open Payments `incoming-payment-with-methods` as a receiver, validated at the
// edge: amounts must be unsigned 64-bit integers, the ilp method's secret 32 bytes.
import * as v from 'valibot'
import { wireAmountSchema as amountSchema } from '../http/wire-amount.ts'
import type { Receiver } from '../../domain/receivers/receiver.ts'
import type { JsonObject } from '../../domain/webhooks/webhook-event.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'

const dateSchema = v.pipe(
  v.string(),
  v.transform((text: string) => new Date(text)),
  v.check((date: Date) => !Number.isNaN(date.getTime()), 'a date-time'),
)

const ilpMethodSchema = v.object({
  type: v.literal('ilp'),
  ilpAddress: v.pipe(
    v.string(),
    v.regex(/^(g|private|example|peer|self|test[1-3]?|local)([.][a-zA-Z0-9_~-]+)+$/),
  ),
  sharedSecret: v.pipe(
    v.string(),
    v.regex(/^[A-Za-z0-9_-]+={0,2}$/, 'base64url'),
    v.transform((text: string): Buffer => Buffer.from(text, 'base64url')),
    v.check((secret: Buffer) => secret.length === 32, '32 bytes'),
  ),
})

const incomingPaymentSchema = v.object({
  id: v.pipe(v.string(), v.url()),
  walletAddress: v.pipe(v.string(), v.url()),
  completed: v.boolean(),
  incomingAmount: v.optional(amountSchema),
  receivedAmount: amountSchema,
  expiresAt: v.optional(dateSchema),
  metadata: v.optional(v.record(v.string(), v.unknown())),
  createdAt: dateSchema,
  updatedAt: v.optional(dateSchema),
  methods: v.optional(v.array(v.unknown()), []),
})

/** The receiver, or why the reply is unusable (for the log). */
export function remoteReceiver(json: unknown): Result<Receiver, string> {
  const parsed = v.safeParse(incomingPaymentSchema, json)
  if (!parsed.success) {
    const [issue] = parsed.issues
    return err(`${issue ? (v.getDotPath(issue) ?? '') : ''}: ${issue?.message ?? 'invalid'}`)
  }
  const payment = parsed.output
  const { receivedAmount, incomingAmount } = payment
  if (
    incomingAmount &&
    (incomingAmount.assetCode !== receivedAmount.assetCode ||
      incomingAmount.assetScale !== receivedAmount.assetScale)
  ) {
    return err('incomingAmount and receivedAmount are in different assets')
  }
  // The first valid ilp method; other method types are not ours to use.
  const ilp = payment.methods
    .map((method) => v.safeParse(ilpMethodSchema, method))
    .find((method) => method.success)?.output
  return ok({
    id: payment.id,
    walletAddressUrl: payment.walletAddress,
    assetCode: receivedAmount.assetCode,
    assetScale: receivedAmount.assetScale,
    incomingAmount: incomingAmount ?? null,
    receivedAmount,
    completed: payment.completed,
    expiresAt: payment.expiresAt ?? null,
    metadata: (payment.metadata as JsonObject | undefined) ?? null,
    createdAt: payment.createdAt,
    // The spec's incoming payment has no updatedAt; Rafiki's receiver falls back the same way.
    updatedAt: payment.updatedAt ?? payment.createdAt,
    ilp:
      ilp && !payment.completed
        ? { ilpAddress: ilp.ilpAddress, sharedSecret: ilp.sharedSecret }
        : null,
    localIncomingPaymentId: null,
  })
}
