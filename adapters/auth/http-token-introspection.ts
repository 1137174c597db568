import * as v from 'valibot'
import { wireAmountSchema as amountSchema } from '../http/wire-amount.ts'
import type {
  IntrospectionError,
  TokenInfo,
  TokenIntrospection,
} from '../../application/ports/token-introspection.ts'
import { ed25519JwkSchema } from './jwk-schema.ts'
import {
  actionsByType,
  type AccessItem,
  type AccessLimits,
  type LimitAmount,
} from '../../domain/open-payments/access.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { postText } from './node-http-text.ts'

export type HttpTokenIntrospectionOptions = {
  /** AUTH_SERVER_INTROSPECTION_URL */
  readonly url: string
  /** The whole exchange; past it the auth server counts as unreachable. */
  readonly timeoutMs: number
  /** Replies are a few hundred bytes; a longer one than this is invalid. */
  readonly replyBytesMax?: number
}

const replyBytesMaxDefault = 64 * 1024
// The spec allows 3 access items per token; this only bounds the work on a broken reply.
const accessItemsMax = 100

// Rafiki's auth server writes absent optional fields as null, so null counts as absent.

const limitsSchema = v.object({
  receiver: v.nullish(v.string()),
  debitAmount: v.nullish(amountSchema),
  receiveAmount: v.nullish(amountSchema),
  interval: v.nullish(v.string()),
})

const actionsOf = <const T extends readonly string[]>(actions: T) =>
  v.pipe(v.array(v.picklist(actions)), v.nonEmpty())

const itemSchema = v.variant('type', [
  v.object({
    type: v.literal('incoming-payment'),
    actions: actionsOf(actionsByType['incoming-payment']),
    identifier: v.nullish(v.string()),
  }),
  v.object({
    type: v.literal('outgoing-payment'),
    actions: actionsOf(actionsByType['outgoing-payment']),
    // Required by the spec: outgoing-payment access is always bound to one wallet address.
    identifier: v.string(),
    limits: v.nullish(limitsSchema),
  }),
  v.object({
    type: v.literal('quote'),
    actions: actionsOf(actionsByType.quote),
    identifier: v.nullish(v.string()),
  }),
])

const replySchema = v.variant('active', [
  v.object({ active: v.literal(false) }),
  v.object({
    active: v.literal(true),
    grant: v.pipe(v.string(), v.nonEmpty()),
    client: v.pipe(v.string(), v.url()),
    jwk: v.nullish(ed25519JwkSchema),
    access: v.pipe(v.array(itemSchema), v.maxLength(accessItemsMax)),
  }),
])

/** POSTs {access_token, access} to the auth server's introspection endpoint. Never throws. */
export function makeHttpTokenIntrospection(
  options: HttpTokenIntrospectionOptions,
): TokenIntrospection {
  const { url, timeoutMs } = options
  const replyBytesMax = options.replyBytesMax ?? replyBytesMaxDefault
  assert(Number.isSafeInteger(timeoutMs) && timeoutMs > 0, 'token introspection: timeoutMs > 0')
  assert(replyBytesMax > 0, 'token introspection: replyBytesMax > 0')
  return {
    async introspect(request) {
      const body = JSON.stringify({ access_token: request.accessToken, access: request.access })
      // node:http follows no redirect: one would be a misconfigured URL, and must not carry the
      // token elsewhere.
      const reply = await postText(
        url,
        body,
        { 'content-type': 'application/json', accept: 'application/json' },
        { timeoutMs, replyBytesMax },
      )
      if (!reply.ok) return err(reply.error === 'unreachable' ? 'unreachable' : 'invalid_response')
      if (reply.value.status >= 500) return err('unreachable')
      if (reply.value.status !== 200) return err('invalid_response')
      return parseTokenInfo(reply.value.text)
    },
  }
}

/** Validates an introspection reply body. */
export function parseTokenInfo(text: string): Result<TokenInfo, IntrospectionError> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return err('invalid_response')
  }
  const parsed = v.safeParse(replySchema, json)
  if (!parsed.success) return err('invalid_response')
  const reply = parsed.output
  if (!reply.active) return ok({ active: false })
  return ok({
    active: true,
    grant: reply.grant,
    client: reply.client,
    ...(reply.jwk != null && { clientKey: reply.jwk }),
    access: reply.access.map(toAccessItem),
  })
}

type ParsedItem = v.InferOutput<typeof itemSchema>
type ParsedLimits = v.InferOutput<typeof limitsSchema>
type ParsedAmount = v.InferOutput<typeof amountSchema>

function toAccessItem(item: ParsedItem): AccessItem {
  const base = { type: item.type, actions: item.actions }
  const withIdentifier = item.identifier == null ? base : { ...base, identifier: item.identifier }
  if (item.type !== 'outgoing-payment' || item.limits == null) return withIdentifier
  return { ...withIdentifier, limits: toLimits(item.limits) }
}

function toLimits(limits: ParsedLimits): AccessLimits {
  const amount = (a: ParsedAmount): LimitAmount => ({
    value: a.value,
    assetCode: a.assetCode,
    assetScale: a.assetScale,
  })
  return {
    ...(limits.receiver == null ? {} : { receiver: limits.receiver }),
    ...(limits.debitAmount == null ? {} : { debitAmount: amount(limits.debitAmount) }),
    ...(limits.receiveAmount == null ? {} : { receiveAmount: amount(limits.receiveAmount) }),
    ...(limits.interval == null ? {} : { interval: limits.interval }),
  }
}
