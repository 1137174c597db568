import { Hono, type Context } from 'hono'
import { visibleAdditionalProperties } from '../../../domain/wallet-addresses/wallet-address.ts'
import type {
  ActiveWalletAddress,
  GetActiveWalletAddress,
} from '../../../application/wallet-addresses/get-active-wallet-address.ts'
import type { GetWalletAddressJwks } from '../../../application/wallet-addresses/get-wallet-address-jwks.ts'
import type { AwaitWalletAddress } from '../../../application/open-payments/await-wallet-address.ts'
import type { Jwk } from '../../../domain/open-payments/jwk.ts'
import type {
  ReceiptRequest,
  StreamCredentials,
} from '../../../application/ports/stream-receiver.ts'

export type WalletAddressRoutesDeps = {
  readonly getActiveWalletAddress: GetActiveWalletAddress
  readonly getWalletAddressJwks: GetWalletAddressJwks
  /** AUTH_SERVER_GRANT_URL, shown as `authServer`. */
  readonly authServerUrl: string
  /** OPEN_PAYMENTS_URL, shown as `resourceServer`. */
  readonly resourceServerUrl: string
  /** TRUST_PROXY: the public host comes from X-Forwarded-Host (as Koa's `proxy` in Rafiki). */
  readonly trustProxy: boolean
  /** Wallet addresses may be http:// (tests and local development); see PublicUrlOptions. */
  readonly allowHttp: boolean
  /** ENABLE_SPSP_PAYMENT_POINTERS: answer `Accept: application/spsp4+json`. */
  readonly spspEnabled: boolean
  /** STREAM credentials paying into the wallet address (its web-monetization account). */
  readonly spspCredentials: (walletAddressId: string, receipt?: ReceiptRequest) => StreamCredentials
  /** WALLET_ADDRESS_REDIRECT_HTML_PAGE: browsers asking for text/html are redirected there. */
  readonly redirectHtmlPage?: string | undefined
  /** Emits wallet_address.not_found and polls for an address the ASE may create just in time. */
  readonly awaitWalletAddress: AwaitWalletAddress
  /** WALLET_ADDRESS_NOT_FOUND_POLLING_ENABLED: the wallet address GET polls too (JWKS always). */
  readonly pollOnGet: boolean
  /** The node's own key (KEY_ID), served at {WALLET_ADDRESS_URL}/jwks.json. */
  readonly instanceJwks: { readonly walletAddressUrl: string; readonly jwk: Jwk }
}

export type PublicUrlOptions = Pick<WalletAddressRoutesDeps, 'trustProxy' | 'allowHttp'>

const jwksSuffix = '/jwks.json'
const spspMediaType = 'application/spsp4+json'

// Every other path of the port is a wallet address lookup too, so its 404 is the app's own.
const notFound = (c: Context) =>
  c.json({ error: { code: 'not_found', description: 'Not found' } }, 404)

/**
 * The public wallet address routes of the Open Payments resource server: GET /{path} and
 * GET /{path}/jwks.json. They match every path, so the app mounts them after its other routes.
 */
export function makeWalletAddressRoutes(deps: WalletAddressRoutesDeps): Hono {
  // One route that branches on the suffix: hono's routers disagree on which of two overlapping
  // regex routes (`/:path{.+}/jwks.json` and `/:path{.+}`) wins.
  return new Hono().get('/:path{.+}', (c) => {
    const path = rawPath(c.req.raw)
    return path.endsWith(jwksSuffix)
      ? getJwks(c, deps, path.slice(0, -jwksSuffix.length))
      : getWalletAddress(c, deps, path)
  })
}

async function getJwks(c: Context, deps: WalletAddressRoutesDeps, path: string) {
  const urls = publicWalletAddressUrls(c.req.raw, path, deps)
  const { instanceJwks } = deps
  if (urls.some((url) => sameUrl(url, instanceJwks.walletAddressUrl))) {
    return c.json({ keys: [instanceJwks.jwk] })
  }
  const [first] = urls
  const found =
    first &&
    (await deps.awaitWalletAddress(first, () => findFirst(urls, deps.getWalletAddressJwks)))
  return found ? c.json({ keys: found.keys }) : notFound(c)
}

// WALLET_ADDRESS_URL as configured may differ from a request's URL in case or a trailing slash.
const sameUrl = (a: string, b: string): boolean =>
  a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase()

async function getWalletAddress(c: Context, deps: WalletAddressRoutesDeps, path: string) {
  const urls = publicWalletAddressUrls(c.req.raw, path, deps)
  const accept = (c.req.header('accept') ?? '').toLowerCase()
  const [first] = urls
  if (deps.redirectHtmlPage !== undefined && first && accept.includes('text/html')) {
    return c.redirect(redirectLocation(deps.redirectHtmlPage, first), 302)
  }
  const find = () => findFirst(urls, deps.getActiveWalletAddress)
  const found =
    first && (deps.pollOnGet ? await deps.awaitWalletAddress(first, find) : await find())
  if (!found) return notFound(c)
  if (deps.spspEnabled && accept.includes(spspMediaType)) return spsp(c, deps, found)
  return c.json(toOpenPaymentsWalletAddress(found, deps))
}

/**
 * SPSP (RFC 0009): STREAM credentials for the wallet address; with Receipt-Nonce (16 bytes) and
 * Receipt-Secret (32 bytes, base64) the receiver signs STREAM receipts for a verifier.
 */
function spsp(c: Context, deps: WalletAddressRoutesDeps, found: ActiveWalletAddress) {
  const nonce = c.req.header('receipt-nonce')
  const secret = c.req.header('receipt-secret')
  let receipt: ReceiptRequest | undefined
  if (nonce !== undefined || secret !== undefined) {
    const nonceBytes = Buffer.from(nonce ?? '', 'base64')
    const secretBytes = Buffer.from(secret ?? '', 'base64')
    if (nonceBytes.length !== 16 || secretBytes.length !== 32) {
      const description = 'Receipt-Nonce must be 16 bytes and Receipt-Secret 32 bytes, in base64'
      return c.json({ error: { code: 'invalid_request', description } }, 400)
    }
    receipt = { nonce: nonceBytes, secret: secretBytes }
  }
  const credentials = deps.spspCredentials(found.walletAddress.id, receipt)
  const body = {
    destination_account: credentials.ilpAddress,
    shared_secret: credentials.sharedSecret.toString('base64'),
    receipts_enabled: credentials.receiptsEnabled,
  }
  return c.body(JSON.stringify(body), 200, { 'content-type': spspMediaType })
}

async function findFirst<T>(
  urls: readonly string[],
  get: (url: string) => Promise<T | undefined>,
): Promise<T | undefined> {
  for (const url of urls) {
    const found = await get(url)
    if (found) return found
  }
  return undefined
}

/** The Open Payments `wallet-address` object; publicName is left out when there is none. */
export function toOpenPaymentsWalletAddress(
  { walletAddress, asset }: ActiveWalletAddress,
  servers: Pick<WalletAddressRoutesDeps, 'authServerUrl' | 'resourceServerUrl'>,
) {
  const additionalProperties = visibleAdditionalProperties(walletAddress.additionalProperties)
  return {
    id: walletAddress.url,
    ...(walletAddress.publicName !== null && { publicName: walletAddress.publicName }),
    assetCode: asset.code,
    assetScale: asset.scale,
    authServer: servers.authServerUrl,
    resourceServer: servers.resourceServerUrl,
    // Rafiki (model.ts toOpenPaymentsType) nests the visible properties under this key.
    ...(additionalProperties && { additionalProperties }),
  }
}

/** The path as sent, still percent-encoded, like the stored canonical URLs. */
const rawPath = (request: Request): string => new URL(request.url).pathname

export const firstValue = (header: string | null): string | undefined =>
  header?.split(',')[0]?.trim() || undefined

/**
 * The URLs a request for `path` may name, most likely first. As in Rafiki the public URL is
 * `https://{host}{path}`, host being Host, or X-Forwarded-Host when TRUST_PROXY is set. With
 * allowHttp the request's own scheme (X-Forwarded-Proto when trusted) is tried first, then
 * https, so Rafiki-style https addresses still resolve behind a plain-http development port.
 */
export function publicWalletAddressUrls(
  request: Request,
  path: string,
  options: PublicUrlOptions,
): string[] {
  const { headers } = request
  const url = new URL(request.url)
  const forwardedHost = options.trustProxy ? firstValue(headers.get('x-forwarded-host')) : undefined
  const host = forwardedHost ?? firstValue(headers.get('host')) ?? url.host
  if (!options.allowHttp) return [`https://${host}${path}`]
  const forwardedProto = options.trustProxy
    ? firstValue(headers.get('x-forwarded-proto'))
    : undefined
  const scheme = forwardedProto ?? url.protocol.replace(/:$/, '')
  return scheme === 'http'
    ? [`http://${host}${path}`, `https://${host}${path}`]
    : [`https://${host}${path}`]
}

/** Rafiki's placeholders: %wa the URL, %wp it without https://, %ewa and %ewp URI-encoded. */
export function redirectLocation(template: string, walletAddressUrl: string): string {
  const withoutScheme = walletAddressUrl.replace(/^https?:\/\//, '')
  return template
    .replaceAll('%ewa', encodeURIComponent(walletAddressUrl))
    .replaceAll('%ewp', encodeURIComponent(withoutScheme))
    .replaceAll('%wa', walletAddressUrl)
    .replaceAll('%wp', withoutScheme)
}
