// HTTP message signatures (RFC 9421) as Open Payments uses them: every client request carries
//   Signature-Input: sig1=("@method" "@target-uri" "authorization" "content-digest"
//     "content-length" "content-type");keyid="<kid>";created=<unix seconds>
//   Signature: sig1=:<base64 Ed25519 signature>:
//   Content-Digest: sha-512=:<base64>:   (RFC 9530, with a body)
// (@interledger/http-signature-utils createHeaders, which the Open Payments client calls; the
// header components are listed only when the request has them). Verified here with node:crypto.
import { Buffer } from 'node:buffer'
import { createHash, createPublicKey, sign, timingSafeEqual, verify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import type {
  RequestSignatureVerifier,
  SignatureCheckOptions,
  SignatureError,
  SignedRequest,
} from '../../application/ports/request-signature-verifier.ts'
import type { Jwk } from '../../domain/open-payments/jwk.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import {
  parseDictionary,
  serializeBareItem,
  serializeInnerList,
  type InnerList,
  type Item,
} from './structured-fields.ts'

export type VerifySignatureOptions = SignatureCheckOptions & {
  /** How far in the future `created` may be, for clients whose clock runs ahead. */
  readonly clockSkewSeconds?: number
}

/** What one signature in Signature-Input / Signature says. */
export type ParsedSignature = {
  readonly label: string
  readonly components: readonly string[]
  /** The `@signature-params` line's value: the canonical inner list with its parameters. */
  readonly signatureParams: string
  readonly keyId: string
  readonly createdSeconds: number | undefined
  readonly expiresSeconds: number | undefined
  readonly alg: string | undefined
  readonly signature: Uint8Array
}

// Open Payments clients always use this label; another is accepted when it is the only one.
const preferredLabel = 'sig1'
const clockSkewSecondsDefault = 60
const ed25519SignatureBytes = 64
const derivedComponents = new Set([
  '@method',
  '@target-uri',
  '@authority',
  '@scheme',
  '@request-target',
  '@path',
  '@query',
])
const fieldName = /^[a-z0-9!#$%&'*+\-.^_`|~]+$/
// RFC 9530 names; a Map, so that a member named like an Object property ("constructor") is no key.
const digestAlgorithms = new Map([
  ['sha-512', 'sha512'],
  ['sha-256', 'sha256'],
])

/**
 * Checks an Open Payments request signature against the client's keys: the covered components
 * must include @method, @target-uri, `authorization` when the request has one and
 * `content-digest` when it has a body; Content-Digest must match the body; the key is the JWK
 * whose kid is the signature's keyid. Never throws.
 */
export function verifyRequestSignature(
  request: SignedRequest,
  keys: readonly Jwk[],
  options: VerifySignatureOptions,
): Result<{ readonly keyId: string }, SignatureError> {
  const input = request.headers.get('signature-input')
  const signatureHeader = request.headers.get('signature')
  if (input === null || signatureHeader === null) return err('missing_signature')
  const parsed = parseSignatureHeaders(input, signatureHeader)
  if (parsed === undefined || !coversEnough(parsed, request)) return err('malformed_signature')
  const base = signatureBase(request, parsed)
  if (!base.ok) return base
  if (!isFresh(parsed, options)) return err('stale_signature')
  if (parsed.components.includes('content-digest')) {
    const digest = request.headers.get('content-digest')
    if (!digestMatches(digest, request.body ?? '')) return err('bad_digest')
  }
  const key = keys.find((candidate) => candidate.kid === parsed.keyId)
  const publicKey = key && importPublicKey(key)
  if (publicKey === undefined) return err('unknown_key')
  if (parsed.alg !== undefined && parsed.alg !== 'ed25519') return err('bad_signature')
  if (parsed.signature.byteLength !== ed25519SignatureBytes) return err('bad_signature')
  const valid = verify(null, Buffer.from(base.value, 'utf8'), publicKey, parsed.signature)
  return valid ? ok({ keyId: parsed.keyId }) : err('bad_signature')
}

export const requestSignatureVerifier: RequestSignatureVerifier = {
  verify: verifyRequestSignature,
}

/** Reads the one signature to check from the two headers; undefined when they are malformed. */
export function parseSignatureHeaders(
  signatureInput: string,
  signatureHeader: string,
): ParsedSignature | undefined {
  const inputs = parseDictionary(signatureInput)
  const signatures = parseDictionary(signatureHeader)
  if (inputs === undefined || signatures === undefined) return undefined
  const label = inputs.has(preferredLabel) ? preferredLabel : [...inputs.keys()][0]
  const list = label === undefined ? undefined : inputs.get(label)
  const signature = label === undefined ? undefined : signatures.get(label)
  if (label === undefined || list?.kind !== 'inner-list') return undefined
  if (signature?.kind !== 'item' || signature.bare.type !== 'bytes') return undefined
  const components = componentNames(list)
  const keyId = list.params.get('keyid')
  if (components === undefined || keyId?.type !== 'string') return undefined
  const created = integerParam(list, 'created')
  const expires = integerParam(list, 'expires')
  const alg = list.params.get('alg')
  if (created === null || expires === null || (alg !== undefined && alg.type !== 'string')) {
    return undefined
  }
  return {
    label,
    components,
    signatureParams: serializeInnerList(list),
    keyId: keyId.value,
    createdSeconds: created,
    expiresSeconds: expires,
    alg: alg?.value,
    signature: signature.bare.value,
  }
}

// Plain component names only: parameters (;req, ;sf, ;key, ;bs, ;name) are never used by Open
// Payments and change what a component means, so a signature using them is refused.
function componentNames(list: InnerList): readonly string[] | undefined {
  const names: string[] = []
  for (const item of list.items) {
    if (item.bare.type !== 'string' || item.params.size > 0) return undefined
    const name = item.bare.value
    if (!derivedComponents.has(name) && !fieldName.test(name)) return undefined
    if (names.includes(name)) return undefined
    names.push(name)
  }
  return names
}

/** The parameter's integer value, undefined when absent, null when it is not an integer >= 0. */
function integerParam(list: InnerList, name: string): number | undefined | null {
  const value = list.params.get(name)
  if (value === undefined) return undefined
  return value.type === 'integer' && value.value >= 0 ? value.value : null
}

function coversEnough(parsed: ParsedSignature, request: SignedRequest): boolean {
  const covered = (name: string) => parsed.components.includes(name)
  if (!covered('@method') || !covered('@target-uri')) return false
  if (request.headers.get('authorization') !== null && !covered('authorization')) return false
  const hasBody = request.body !== undefined && request.body !== ''
  return !hasBody || covered('content-digest')
}

function isFresh(parsed: ParsedSignature, options: VerifySignatureOptions): boolean {
  const nowSeconds = Math.floor(options.nowMs / 1000)
  const skewSeconds = options.clockSkewSeconds ?? clockSkewSecondsDefault
  const { createdSeconds, expiresSeconds } = parsed
  if (expiresSeconds !== undefined && nowSeconds > expiresSeconds) return false
  if (createdSeconds === undefined) return options.maxAgeSeconds === undefined
  if (createdSeconds > nowSeconds + skewSeconds) return false
  return options.maxAgeSeconds === undefined || nowSeconds - createdSeconds <= options.maxAgeSeconds
}

/**
 * The signature base (RFC 9421 section 2.5): one `"<component>": <value>` line per covered
 * component, then the `"@signature-params"` line. Fails when a covered header is absent.
 */
export function signatureBase(
  request: SignedRequest,
  parsed: Pick<ParsedSignature, 'components' | 'signatureParams'>,
): Result<string, 'malformed_signature'> {
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    return err('malformed_signature')
  }
  const lines: string[] = []
  for (const name of parsed.components) {
    const value = componentValue(name, request, url)
    if (value === undefined || /[\r\n]/.test(value)) return err('malformed_signature')
    lines.push(`${serializeBareItem({ type: 'string', value: name })}: ${value}`)
  }
  lines.push(`"@signature-params": ${parsed.signatureParams}`)
  return ok(lines.join('\n'))
}

function componentValue(name: string, request: SignedRequest, url: URL): string | undefined {
  switch (name) {
    case '@method':
      return request.method
    case '@target-uri':
      return request.url
    case '@authority':
      return url.host
    case '@scheme':
      return url.protocol.slice(0, -1)
    case '@request-target':
      return `${url.pathname}${url.search}`
    case '@path':
      return url.pathname
    case '@query':
      return url.search === '' ? '?' : url.search
  }
  return request.headers.get(name)?.trim()
}

/**
 * True when every supported digest in the Content-Digest header matches the body. Rafiki's
 * resource server and http-signature-utils digest `JSON.stringify(JSON.parse(body))`, so a JSON
 * body sent with other whitespace is also accepted when its compact form matches.
 */
export function digestMatches(header: string | null, body: string): boolean {
  const members = header === null ? undefined : parseDictionary(header)
  if (members === undefined) return false
  const expected: { algorithm: string; digest: Uint8Array }[] = []
  for (const [name, member] of members) {
    const algorithm = digestAlgorithms.get(name)
    if (algorithm === undefined) continue
    if (member.kind !== 'item' || member.bare.type !== 'bytes') return false
    expected.push({ algorithm, digest: member.bare.value })
  }
  if (expected.length === 0) return false
  return bodyForms(body).some((form) =>
    expected.every(({ algorithm, digest }) => sameBytes(hash(algorithm, form), digest)),
  )
}

function bodyForms(body: string): string[] {
  try {
    const compact = JSON.stringify(JSON.parse(body))
    return compact === body || compact === undefined ? [body] : [body, compact]
  } catch {
    return [body]
  }
}

const hash = (algorithm: string, text: string): Buffer =>
  createHash(algorithm).update(text, 'utf8').digest()

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b)
}

function importPublicKey(jwk: Jwk): KeyObject | undefined {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') return undefined
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' })
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Signing, for tests and for our own outgoing Open Payments requests

export type RequestSigningKey = {
  readonly keyId: string
  /** An Ed25519 private key. */
  readonly privateKey: KeyObject
}

export type RequestToSign = {
  readonly method: string
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | undefined
}

/**
 * The headers that sign `request` the way the Open Payments client does: Content-Digest
 * (sha-512), Content-Length and Content-Type (application/json unless given) when there is a
 * body, then Signature-Input and Signature. Add them to the request's own headers.
 */
export function signRequest(
  request: RequestToSign,
  key: RequestSigningKey,
  nowMs: number,
): Record<string, string> {
  assert(key.privateKey.asymmetricKeyType === 'ed25519', 'signRequest: needs an Ed25519 key')
  assert(/^[ -~]*$/.test(key.keyId), 'signRequest: keyId must be printable ASCII')
  const given = new Headers(request.headers)
  const added: Record<string, string> = {}
  const components = ['@method', '@target-uri']
  if (given.has('authorization')) components.push('authorization')
  if (request.body !== undefined && request.body !== '') {
    added['content-digest'] = `sha-512=:${hash('sha512', request.body).toString('base64')}:`
    added['content-length'] = String(Buffer.byteLength(request.body, 'utf8'))
    added['content-type'] = given.get('content-type') ?? 'application/json'
    components.push('content-digest', 'content-length', 'content-type')
  }
  const list: InnerList = {
    kind: 'inner-list',
    items: components.map((name): Item => stringItem(name)),
    params: new Map([
      ['keyid', { type: 'string', value: key.keyId }],
      ['created', { type: 'integer', value: Math.floor(nowMs / 1000) }],
    ]),
  }
  const signatureParams = serializeInnerList(list)
  const headers = new Headers(request.headers)
  for (const [name, value] of Object.entries(added)) headers.set(name, value)
  const signed = { method: request.method, url: request.url, headers, body: request.body }
  const base = signatureBase(signed, { components, signatureParams })
  assert(base.ok, 'signRequest: the request cannot be signed (bad URL or header value)')
  const signature = sign(null, Buffer.from(base.value, 'utf8'), key.privateKey)
  added['signature-input'] = `${preferredLabel}=${signatureParams}`
  added['signature'] = `${preferredLabel}=:${signature.toString('base64')}:`
  return added
}

const stringItem = (value: string): Item => ({
  kind: 'item',
  bare: { type: 'string', value },
  params: new Map(),
})
