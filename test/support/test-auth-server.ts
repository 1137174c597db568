import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

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

export type TestAuthServer = {
  /** The grant URL (AUTH_SERVER_GRANT_URL); nothing is served there. */
  readonly grantUrl: string
  /** AUTH_SERVER_INTROSPECTION_URL */
  readonly introspectionUrl: string
  /** Issues `accessToken` for `grant`; returns the token. */
  issue(accessToken: string, grant: TestGrant): string
  /** Introspection requests received, in order. */
  readonly introspections: { access_token: string; access?: unknown }[]
  close(): Promise<void>
}

/**
 * A test authorization server with only the introspection contract of COMPAT.md: POST
 * {access_token, access} -> {active: false} or {active: true, grant, client, access}. Tokens are
 * issued by the test, not through GNAP.
 */
export async function startTestAuthServer(): Promise<TestAuthServer> {
  const grants = new Map<string, TestGrant & { readonly id: string }>()
  const introspections: TestAuthServer['introspections'] = []
  const server: Server = createServer((request, response) => {
    let raw = ''
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()))
    request.on('end', () => {
      const body = JSON.parse(raw) as { access_token: string; access?: unknown }
      introspections.push(body)
      const grant = grants.get(body.access_token)
      const reply =
        grant === undefined || grant.active === false
          ? { active: false }
          : { active: true, grant: grant.id, client: grant.client, access: grant.access }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    grantUrl: `http://127.0.0.1:${port}/`,
    introspectionUrl: `http://127.0.0.1:${port}/introspect`,
    introspections,
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
