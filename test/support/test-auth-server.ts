import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getKeyId, validateSignature, type JWK } from '@interledger/http-signature-utils'

export type TestAccessItem = {
  readonly type: 'incoming-payment' | 'outgoing-payment' | 'quote'
  readonly actions: readonly string[]
  readonly identifier?: string
  readonly limits?: Record<string, unknown>
}

export type TestGrant = {
  readonly client: string
  readonly access: readonly TestAccessItem[]
  /** False stands for an expired or revoked token. */
  readonly active?: boolean
}

/** A GNAP grant request that reached POST / (the grant URL), as verified. */
export type TestGrantRequest = {
  readonly client: string
  readonly access: readonly TestAccessItem[]
  /** Whether its signature verified with a key of `{client}/jwks.json`. */
  readonly signed: boolean
}

export type TestAuthServerOptions = {
  /** expires_in of tokens issued by GNAP (grant and rotation); none when absent. */
  readonly tokenExpiresInSeconds?: number
}

export type TestAuthServer = {
  /**
   * The grant URL (AUTH_SERVER_GRANT_URL): POST there is a GNAP grant request, answered when it
   * asks for incoming-payment or quote access only (non-interactive) and is signed by its client.
   */
  readonly grantUrl: string
  /** AUTH_SERVER_INTROSPECTION_URL */
  readonly introspectionUrl: string
  /** Issues `accessToken` for `grant`; returns the token. */
  issue(accessToken: string, grant: TestGrant): string
  /** Introspection requests received, in order. */
  readonly introspections: { access_token: string; access?: unknown }[]
  /** GNAP grant requests received, in order (refused ones too). */
  readonly grantRequests: TestGrantRequest[]
  /** Token rotations done (POST /token/{id}): the tokens that were replaced. */
  readonly rotations: string[]
  /** Tokens issued through GNAP (grants and rotations), in order. */
  readonly issuedTokens: string[]
  /** Makes a token inactive, as if revoked: introspection then answers {active: false}. */
  revoke(accessToken: string): void
  /** expires_in of tokens issued from now on (undefined: none). */
  expireTokensIn(seconds: number | undefined): void
  close(): Promise<void>
}

type Reply = { readonly status: number; readonly body: unknown }
type StoredGrant = TestGrant & { readonly id: string; active?: boolean }

/**
 * A test authorization server. Introspection as in COMPAT.md (POST /introspect, and any path
 * other than the GNAP ones): {access_token, access} -> {active: false} or {active: true, grant,
 * client, access}. Tokens are issued by the test (`issue`), or through GNAP: a signed
 * non-interactive grant request at POST / and a rotation at POST /token/{id}.
 */
export async function startTestAuthServer(
  options: TestAuthServerOptions = {},
): Promise<TestAuthServer> {
  const grants = new Map<string, StoredGrant>()
  const introspections: TestAuthServer['introspections'] = []
  const grantRequests: TestGrantRequest[] = []
  const rotations: string[] = []
  const issuedTokens: string[] = []
  let expiresInSeconds = options.tokenExpiresInSeconds
  let baseUrl = ''
  const introspect = (raw: string): Reply => {
    const body = JSON.parse(raw) as { access_token: string; access?: unknown }
    introspections.push(body)
    const grant = grants.get(body.access_token)
    return {
      status: 200,
      body:
        grant === undefined || grant.active === false
          ? { active: false }
          : { active: true, grant: grant.id, client: grant.client, access: grant.access },
    }
  }
  const tokenOf = (value: string, id: string, access: readonly TestAccessItem[]) => ({
    value,
    manage: `${baseUrl}/token/${id}`,
    access,
    ...(expiresInSeconds !== undefined && { expires_in: expiresInSeconds }),
  })
  const requestGrant = async (request: IncomingMessage, raw: string): Promise<Reply> => {
    const body = JSON.parse(raw) as { client: string; access_token: { access: TestAccessItem[] } }
    const { client } = body
    const { access } = body.access_token
    const signed = await verifiedSignature(request, raw, client, baseUrl)
    grantRequests.push({ client, access, signed })
    if (!signed) return gnapError(401, 'invalid_client', 'the request signature does not verify')
    if (access.some((item) => item.type === 'outgoing-payment')) {
      return gnapError(400, 'invalid_request', 'this test server issues no interactive grants')
    }
    const id = crypto.randomUUID()
    const value = `token-${crypto.randomUUID()}`
    grants.set(value, { id, client, access })
    issuedTokens.push(value)
    return {
      status: 200,
      body: {
        access_token: tokenOf(value, id, access),
        continue: { access_token: { value: `continue-${id}` }, uri: `${baseUrl}/continue/${id}` },
      },
    }
  }
  const rotate = (request: IncomingMessage): Reply => {
    const old = (request.headers.authorization ?? '').replace(/^GNAP /, '')
    const grant = grants.get(old)
    const id = request.url?.split('/').at(-1)
    if (!grant || grant.id !== id) return gnapError(401, 'invalid_rotation', 'unknown token')
    grants.delete(old)
    rotations.push(old)
    const value = `token-${crypto.randomUUID()}`
    grants.set(value, { ...grant, active: true })
    issuedTokens.push(value)
    return { status: 200, body: { access_token: tokenOf(value, grant.id, grant.access) } }
  }
  const server: Server = createServer((request, response) => {
    let raw = ''
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()))
    request.on('end', () => {
      const path = request.url ?? '/'
      const handle = async (): Promise<Reply> =>
        path === '/'
          ? requestGrant(request, raw)
          : path.startsWith('/token/')
            ? rotate(request)
            : introspect(raw)
      handle()
        .catch((error: unknown) => gnapError(500, 'invalid_request', String(error)))
        .then(({ status, body }) => {
          response
            .writeHead(status, { 'content-type': 'application/json' })
            .end(JSON.stringify(body))
        })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  baseUrl = `http://127.0.0.1:${port}`
  return {
    grantUrl: `${baseUrl}/`,
    introspectionUrl: `${baseUrl}/introspect`,
    introspections,
    grantRequests,
    rotations,
    issuedTokens,
    expireTokensIn(seconds) {
      expiresInSeconds = seconds
    },
    revoke(accessToken) {
      const grant = grants.get(accessToken)
      if (grant) grant.active = false
    },
    issue(accessToken, grant) {
      grants.set(accessToken, { ...grant, id: crypto.randomUUID() })
      return accessToken
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A port free right now (for URLs that must name the port before the node listens). */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/**
 * Runs `boot` again (up to 5 times) when it fails with EADDRINUSE: a port chosen with freePort
 * before the node listens may be taken by another test process in between.
 */
export async function retryOnPortClash<T>(boot: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await boot()
    } catch (error) {
      if (attempt >= 5 || !String(error).includes('EADDRINUSE')) throw error
    }
  }
}

const gnapError = (status: number, code: string, description: string): Reply => ({
  status,
  body: { error: { code, description } },
})

/** RFC 9421 signature of a GNAP request, checked with a key of `{client}/jwks.json`. */
async function verifiedSignature(
  request: IncomingMessage,
  raw: string,
  client: string,
  baseUrl: string,
): Promise<boolean> {
  const keyId = getKeyId(String(request.headers['signature-input'] ?? ''))
  if (keyId === undefined) return false
  const jwks = await fetch(`${client.replace(/\/+$/, '')}/jwks.json`)
  if (!jwks.ok) return false
  const { keys } = (await jwks.json()) as { keys: JWK[] }
  const key = keys.find((candidate) => candidate.kid === keyId)
  if (!key) return false
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
  )
  const url = `${baseUrl}${request.url ?? '/'}`
  return validateSignature(key, { method: request.method, url, headers, body: raw } as never)
}
