import { err, ok, type Result } from '../shared/result.ts'

export const walletAddressStatuses = ['ACTIVE', 'INACTIVE'] as const

export type WalletAddressStatus = (typeof walletAddressStatuses)[number]

/** A key/value the ASE attaches; the visible ones are shown by the Open Payments GET. */
export type AdditionalProperty = {
  readonly key: string
  readonly value: string
  readonly visibleInOpenPayments: boolean
}

export type WalletAddress = {
  readonly id: string
  /** Canonical form (validateWalletAddressUrl): lowercase, no trailing slash. */
  readonly url: string
  readonly assetId: string
  readonly publicName: string | null
  readonly status: WalletAddressStatus
  readonly additionalProperties: readonly AdditionalProperty[]
  readonly createdAt: Date
  readonly updatedAt: Date
  /** Set when the status turns INACTIVE, cleared when it turns ACTIVE again. */
  readonly deactivatedAt: Date | null
}

export type WalletAddressError =
  | 'invalid_url'
  | 'unknown_asset'
  | 'duplicate_url'
  | 'unknown_wallet_address'
  | 'invalid_status'
  | 'invalid_public_name'
  | 'invalid_additional_properties'

export const walletAddressUrlLengthMax = 2048
// Rafiki stores these in varchar(255) columns; longer values failed there with a 500.
export const publicNameLengthMax = 255
export const additionalPropertyKeyLengthMax = 255
export const additionalPropertyValueLengthMax = 255
export const additionalPropertiesMax = 100

/**
 * Rafiki's FORBIDDEN_PATHS (open_payments/wallet_address/service.ts): a wallet address path may
 * not contain the Open Payments resource collections anywhere, since the resource server routes
 * them on the same host.
 */
export const forbiddenPathParts = ['/incoming-payments', '/outgoing-payments', '/quotes'] as const

/**
 * Ours, beyond Rafiki: the wallet address server's own sub-resources (Open Payments
 * wallet-address-server.yaml) cannot be a wallet address's last segment, or GET
 * /alice/jwks.json would be ambiguous between Alice's keys and a wallet address "jwks.json".
 */
export const reservedLastSegments = ['jwks.json', 'did.json'] as const

export type WalletAddressUrlOptions = {
  /**
   * Accept http:// as well as https://. Rafiki requires https; this is for tests and local
   * development only, where no TLS terminates in front of the node.
   */
  readonly allowHttp?: boolean | undefined
}

// Whitespace, control characters and backslashes: the URL parser would silently strip, encode
// or turn them into slashes.
const hasUnsafeCharacter = (input: string): boolean =>
  /[\s\\]/.test(input) || [...input].some((character) => character < ' ' || character === '\u007f')
const schemePrefix = /^https?:\/\//
const dotSegment = /(^|\/)\.{1,2}(\/|$)/

/**
 * Validates a wallet address URL and returns its canonical form: `scheme://host/path`, lowercase
 * (Rafiki treats wallet addresses as case-insensitive), without a trailing slash, default port
 * dropped. Refused: other schemes, credentials, query or fragment, a bare host, empty or dot
 * path segments, Rafiki's forbidden paths and our reserved last segments.
 */
export function validateWalletAddressUrl(
  input: string,
  options: WalletAddressUrlOptions = {},
): Result<string, 'invalid_url'> {
  if (input.length === 0 || input.length > walletAddressUrlLengthMax) return err('invalid_url')
  if (hasUnsafeCharacter(input) || input.includes('?') || input.includes('#')) {
    return err('invalid_url')
  }
  const lower = input.toLowerCase()
  if (!schemePrefix.test(lower) || !URL.canParse(lower)) return err('invalid_url')
  const url = new URL(lower)
  const schemes = options.allowHttp === true ? ['https:', 'http:'] : ['https:']
  if (!schemes.includes(url.protocol)) return err('invalid_url')
  if (url.username !== '' || url.password !== '' || url.hostname === '') return err('invalid_url')
  // The raw path, before the parser resolves `.` and `..` segments away.
  const rawPath = lower.replace(schemePrefix, '').replace(/^[^/]*/, '')
  if (dotSegment.test(decodeDots(rawPath))) return err('invalid_url')
  const path = url.pathname.replace(/\/+$/, '')
  if (!isValidPath(path)) return err('invalid_url')
  // Lowercase again: the parser percent-encodes non-ASCII characters with uppercase hex.
  return ok(`${url.protocol}//${url.host}${path}`.toLowerCase())
}

function isValidPath(path: string): boolean {
  if (path === '') return false
  const segments = path.slice(1).split('/')
  if (segments.some((segment) => segment === '')) return false
  if (forbiddenPathParts.some((part) => path.includes(part))) return false
  const last = segments[segments.length - 1] ?? ''
  return !(reservedLastSegments as readonly string[]).includes(last)
}

// The parser also reads `%2e` as a dot in `.` and `..` segments.
const decodeDots = (path: string): string => path.replace(/%2e/g, '.')

export type AdditionalPropertyInput = AdditionalProperty

/**
 * Trims keys and values and drops pairs left blank, as Rafiki does; refuses more than
 * additionalPropertiesMax pairs or over-long keys and values. Duplicate keys are kept (Rafiki
 * keeps them; the Open Payments view shows the last visible one).
 */
export function cleanAdditionalProperties(
  input: readonly AdditionalPropertyInput[],
): Result<readonly AdditionalProperty[], 'invalid_additional_properties'> {
  const cleaned = input
    .map((property) => ({
      key: property.key.trim(),
      value: property.value.trim(),
      visibleInOpenPayments: property.visibleInOpenPayments,
    }))
    .filter((property) => property.key.length > 0 && property.value.length > 0)
  const tooLong = cleaned.some(
    (property) =>
      property.key.length > additionalPropertyKeyLengthMax ||
      property.value.length > additionalPropertyValueLengthMax,
  )
  return tooLong || cleaned.length > additionalPropertiesMax
    ? err('invalid_additional_properties')
    : ok(cleaned)
}

export const validatePublicName = (
  publicName: string | null,
): Result<string | null, 'invalid_public_name'> =>
  publicName === null || publicName.length <= publicNameLengthMax
    ? ok(publicName)
    : err('invalid_public_name')

const statuses: ReadonlySet<string> = new Set(walletAddressStatuses)

export const isWalletAddressStatus = (value: string): value is WalletAddressStatus =>
  statuses.has(value)

/**
 * deactivatedAt after a status change at `now`: set when an ACTIVE address turns INACTIVE,
 * cleared when it turns ACTIVE, kept otherwise. Repositories apply this in the same write.
 */
export function deactivatedAtAfter(
  current: Pick<WalletAddress, 'status' | 'deactivatedAt'>,
  next: WalletAddressStatus,
  now: Date,
): Date | null {
  if (next === current.status) return current.deactivatedAt
  return next === 'INACTIVE' ? now : null
}

/** The Open Payments view's extra fields: visible properties only, the last of a key wins. */
export function visibleAdditionalProperties(
  properties: readonly AdditionalProperty[],
): Record<string, string> | undefined {
  const visible = properties.filter((property) => property.visibleInOpenPayments)
  if (visible.length === 0) return undefined
  const out: Record<string, string> = {}
  for (const property of visible) out[property.key] = property.value
  return out
}
