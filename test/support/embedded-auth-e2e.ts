// Setup shared by the end-to-end tests of the embedded authorization server: a node with nothing
// auth-related configured (so it serves GNAP, introspection and interaction itself), Open
// Payments clients with registered keys, and the user's side of an interactive grant driven
// either through the identity provider's back channel (as an operator's IdP does) or a browser.
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import {
  isFinalizedGrant,
  isPendingGrant,
  type Grant,
  type GrantContinuation,
  type PendingGrant,
} from '@interledger/open-payments'
import type { Node } from '../../runtimes/boot.ts'
import { gql } from './graphql-client.ts'
import { createWalletAddress, type TestClient } from './open-payments-e2e.ts'

export { newClient, type TestClient } from './open-payments-e2e.ts'
import { freePort, retryOnPortClash } from './test-auth-server.ts'
import { ephemeralPorts, spawnNode } from './spawn-node.ts'
import { bootTestNode } from './test-node.ts'

export const idpSecret = 'test-idp-secret'

export type EmbeddedAuthNode = Node & {
  readonly adminUrl: string
  /** OPEN_PAYMENTS_URL: the resource server and the host of its wallet addresses. */
  readonly opUrl: string
  /** The wallet addresses' authServer (AUTH_SERVER_URL), on the node's AUTH_PORT. */
  readonly authUrl: string
  readonly introspectionUrl: string
  readonly interactionUrl: string
}

/** `env` may be a function of OPEN_PAYMENTS_URL, for variables that name the node's own port. */
export async function bootEmbeddedAuthNode(
  env: Record<string, string> | ((opUrl: string) => Record<string, string>),
): Promise<EmbeddedAuthNode> {
  return retryOnPortClash(async () => {
    const port = await freePort()
    const opUrl = `http://127.0.0.1:${port}`
    const node = await bootTestNode({
      OPEN_PAYMENTS_PORT: String(port),
      OPEN_PAYMENTS_URL: opUrl,
      IDENTITY_SERVER_SECRET: idpSecret,
      WAIT_SECONDS: '1',
      ...(typeof env === 'function' ? env(opUrl) : env),
    })
    const local = (p: number | undefined) => {
      if (p === undefined) throw new Error('the node did not embed its authorization server')
      return `http://localhost:${p}`
    }
    return {
      ...node,
      opUrl,
      authUrl: local(node.ports.auth),
      introspectionUrl: local(node.ports.introspection),
      interactionUrl: local(node.ports.interaction),
    }
  })
}

/** The node's URLs, however it was started. */
export type EmbeddedAuthUrls = Pick<
  EmbeddedAuthNode,
  'adminUrl' | 'opUrl' | 'authUrl' | 'introspectionUrl' | 'interactionUrl'
>

/**
 * The node as `npm start` runs it (the built bundle, its own process) with nothing but `env`
 * configured: no auth variable at all, so it embeds its server and its consent page.
 */
export async function spawnEmbeddedAuthNode(
  env: Record<string, string>,
): Promise<EmbeddedAuthUrls & { stop(): Promise<number | null> }> {
  return retryOnPortClash(async () => {
    const port = await freePort()
    const opUrl = `http://127.0.0.1:${port}`
    const node = await spawnNode('node', {
      ...ephemeralPorts,
      OPEN_PAYMENTS_PORT: String(port),
      OPEN_PAYMENTS_URL: opUrl,
      ...env,
    })
    const { auth, introspection, interaction } = node.ports
    if (auth === undefined || introspection === undefined || interaction === undefined) {
      await node.stop()
      throw new Error(`no embedded authorization server: ${JSON.stringify(node.ports)}`)
    }
    return {
      adminUrl: `http://127.0.0.1:${node.ports.admin}`,
      opUrl,
      authUrl: `http://localhost:${auth}`,
      introspectionUrl: `http://localhost:${introspection}`,
      interactionUrl: `http://localhost:${interaction}`,
      stop: () => node.stop(),
    }
  })
}

/** Where the browser lands after the interaction: the client's finish URI. */
export type FinishReceiver = {
  readonly uri: string
  /** The next request's query, as the auth server redirected the browser to us. */
  next(): Promise<URLSearchParams>
  close(): Promise<void>
}

export async function startFinishReceiver(): Promise<FinishReceiver> {
  const waiting: ((query: URLSearchParams) => void)[] = []
  const arrived: URLSearchParams[] = []
  const server: Server = createServer((request, response) => {
    const query = new URL(request.url ?? '/', 'http://x').searchParams
    const waiter = waiting.shift()
    if (waiter) waiter(query)
    else arrived.push(query)
    response.writeHead(200, { 'content-type': 'text/html' }).end('<p id="done">done</p>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    uri: `http://127.0.0.1:${address.port}/finish`,
    next: () => {
      const query = arrived.shift()
      return query ? Promise.resolve(query) : new Promise((resolve) => waiting.push(resolve))
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

export type InteractiveGrant = {
  readonly pending: PendingGrant
  /** The client's nonce: the first line of the finish hash. */
  readonly clientNonce: string
  /** The client asked to be sent the browser back (else it polls). */
  readonly finishUri: string | undefined
}

const finishes = (grant: InteractiveGrant) => grant.finishUri !== undefined

/**
 * Requests a grant that needs the user, with a redirect finish to `finishUri`; without one the
 * client learns the outcome by polling.
 */
export async function requestInteractiveGrant(
  client: TestClient,
  authUrl: string,
  access: readonly unknown[],
  finishUri: string | undefined,
): Promise<InteractiveGrant> {
  const clientNonce = randomBytes(16).toString('hex')
  const grant = await client.op.grant.request(
    { url: authUrl },
    {
      access_token: { access: access as never },
      interact: {
        start: ['redirect'],
        ...(finishUri !== undefined && {
          finish: { method: 'redirect' as const, uri: finishUri, nonce: clientNonce },
        }),
      },
    },
  )
  if (!isPendingGrant(grant)) throw new Error(`expected a pending grant: ${JSON.stringify(grant)}`)
  return { pending: grant, clientNonce, finishUri }
}

/** The finish hash a client checks (GNAP; Rafiki auth interaction/routes.ts). */
export function expectedFinishHash(
  grant: InteractiveGrant,
  interactRef: string,
  authUrl: string,
): string {
  const input = [grant.clientNonce, grant.pending.interact.finish, interactRef, `${authUrl}/`]
  return createHash('sha256').update(input.join('\n')).digest('base64')
}

const cookieOf = (response: Response): string =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ')

/**
 * The user's side without a browser, as an operator's identity provider does it: the browser
 * opens the interact redirect (a session cookie, then a redirect to the IdP); the IdP reads the
 * grant and posts the decision with `x-idp-secret`; the browser then opens the finish URL and is
 * sent to the client's finish URI. Returns that last redirect's query.
 */
export async function decideThroughIdp(
  node: EmbeddedAuthNode,
  grant: InteractiveGrant,
  decision: 'accept' | 'reject',
): Promise<URLSearchParams> {
  const start = await fetch(grant.pending.interact.redirect, { redirect: 'manual' })
  if (start.status !== 302) throw new Error(`interact start answered ${start.status}`)
  const cookie = cookieOf(start)
  const idp = new URL(start.headers.get('location') ?? '')
  const interactId = idp.searchParams.get('interactId')
  const nonce = idp.searchParams.get('nonce')
  if (interactId === null || nonce === null) throw new Error(`bad IdP redirect ${idp.href}`)
  const headers = { 'x-idp-secret': idpSecret }
  const details = await fetch(`${node.interactionUrl}/grant/${interactId}/${nonce}`, { headers })
  if (details.status !== 200) throw new Error(`grant details answered ${details.status}`)
  const decided = await fetch(`${node.interactionUrl}/grant/${interactId}/${nonce}/${decision}`, {
    method: 'POST',
    headers,
  })
  if (decided.status !== 202) throw new Error(`decision answered ${decided.status}`)
  const finish = await fetch(`${node.authUrl}/interact/${interactId}/${nonce}/finish`, {
    headers: { cookie },
    redirect: 'manual',
  })
  if (!finishes(grant)) {
    if (finish.status !== 202) throw new Error(`finish without a finish URI: ${finish.status}`)
    return new URLSearchParams()
  }
  if (finish.status !== 302) throw new Error(`finish answered ${finish.status}`)
  return new URL(finish.headers.get('location') ?? '').searchParams
}

/** The access token a finalized grant carries; throws for a pending grant or a refusal. */
export function accessTokenOf(grant: Grant | PendingGrant | GrantContinuation) {
  if (!isFinalizedGrant(grant as Grant) || !('access_token' in grant) || !grant.access_token) {
    throw new Error(`no token: ${JSON.stringify(grant)}`)
  }
  return grant.access_token
}

/** A new wallet address of the asset on the node, named `${name}-<uuid>`. */
export async function newWalletAddress(
  node: { readonly adminUrl: string; readonly opUrl: string },
  assetId: string,
  name: string,
): Promise<string> {
  const url = `${node.opUrl}/${name}-${crypto.randomUUID()}`
  await createWalletAddress(node.adminUrl, assetId, url)
  return url
}

export type PaymentOutcome = {
  readonly state: string
  readonly error: string | null
  readonly sentAmount: { readonly value: string; readonly assetCode: string }
}

/** Polls the admin API until the outgoing payment (its URL or id) is COMPLETED or FAILED. */
export async function settledPayment(
  adminUrl: string,
  payment: string,
  timeoutMs = 15_000,
): Promise<PaymentOutcome> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const reply = await gql(
      adminUrl,
      `query ($id: String!) { outgoingPayment(id: $id) {
        state error sentAmount { value assetCode } } }`,
      { id: payment.split('/').pop() },
    )
    const found = reply.data?.['outgoingPayment'] as PaymentOutcome
    if (found.state === 'COMPLETED' || found.state === 'FAILED') return found
    if (Date.now() > deadline) throw new Error(`payment ${payment} still ${found.state}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
