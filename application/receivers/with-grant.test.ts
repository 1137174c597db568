import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryGrantRepository } from '../../adapters/memory/memory-grant-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { Logger } from '../ports/logger.ts'
import type { IssuedToken, RemoteError, RemoteOpenPayments } from '../ports/remote-open-payments.ts'
import { makeWithGrant } from './with-grant.ts'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const authServer = 'https://auth.other.example/'

/** An authorization server that numbers its tokens; only grant and rotation calls are used. */
function fakeAuthServer(expiresInSeconds: number | null) {
  let issued = 0
  const calls: string[] = []
  const token = (): IssuedToken => {
    issued += 1
    return {
      accessToken: `token-${issued}`,
      managementUrl: `https://auth.other.example/token/${issued}`,
      expiresInSeconds,
    }
  }
  const remote = {
    async requestGrant(server, access) {
      calls.push(`grant ${server} ${access.type} ${access.actions.join(',')}`)
      return ok(token())
    },
    async rotateToken(managementUrl, accessToken) {
      calls.push(`rotate ${managementUrl} ${accessToken}`)
      return ok(token())
    },
  } as Pick<RemoteOpenPayments, 'requestGrant' | 'rotateToken'> as RemoteOpenPayments
  return { remote, calls }
}

function setup(expiresInSeconds: number | null) {
  const clock = makeFakeClock()
  const grants = makeMemoryGrantRepository()
  const server = fakeAuthServer(expiresInSeconds)
  const withGrant = makeWithGrant({
    grants,
    remote: server.remote,
    clock,
    ids: randomIds,
    logger: silent,
  })
  const used: string[] = []
  const call =
    (refuse: ReadonlySet<string> = new Set()) =>
    async (accessToken: string): Promise<Result<string, RemoteError>> => {
      used.push(accessToken)
      return refuse.has(accessToken) ? err('unauthorized') : ok(`read with ${accessToken}`)
    }
  return { clock, grants, calls: server.calls, withGrant, used, call }
}

describe('withGrant', () => {
  it('requests an incoming-payment create/read-all grant once and reuses it', async () => {
    const { withGrant, calls, grants, call, used } = setup(600)
    expect(await withGrant(authServer, call())).toEqual(ok('read with token-1'))
    expect(await withGrant(authServer, call())).toEqual(ok('read with token-1'))
    expect(calls).toEqual([`grant ${authServer} incoming-payment create,read-all`])
    expect(used).toEqual(['token-1', 'token-1'])
    expect(grants.all()).toMatchObject([
      {
        authServer,
        accessType: 'incoming-payment',
        actions: ['create', 'read-all'],
        accessToken: 'token-1',
        managementUrl: 'https://auth.other.example/token/1',
      },
    ])
  })

  it('rotates an expired token with its management URL, keeping the grant', async () => {
    const { withGrant, calls, grants, call, clock } = setup(600)
    await withGrant(authServer, call())
    const [first] = grants.all()
    clock.advance(600_000)
    expect(await withGrant(authServer, call())).toEqual(ok('read with token-2'))
    expect(calls.at(-1)).toBe('rotate https://auth.other.example/token/1 token-1')
    expect(calls).toHaveLength(2)
    expect(grants.all()).toMatchObject([{ id: first?.id, accessToken: 'token-2' }])
    expect(grants.all()[0]?.expiresAt?.getTime()).toBe(clock.now() + 600_000)
  })

  it('keeps a token without expiry for good', async () => {
    const { withGrant, calls, call, clock } = setup(null)
    await withGrant(authServer, call())
    clock.advance(365 * 24 * 3600_000)
    await withGrant(authServer, call())
    expect(calls).toHaveLength(1)
  })

  it('requests a new grant once when the resource server refuses the token', async () => {
    const { withGrant, calls, call, used, grants } = setup(600)
    await withGrant(authServer, call())
    expect(await withGrant(authServer, call(new Set(['token-1'])))).toEqual(ok('read with token-2'))
    expect(used).toEqual(['token-1', 'token-1', 'token-2'])
    expect(calls).toHaveLength(2)
    expect(calls[1]).toMatch(/^grant /)
    expect(grants.all()).toMatchObject([{ accessToken: 'token-2' }])
  })

  it('gives up after the second refusal', async () => {
    const { withGrant, calls, call } = setup(600)
    const refused = await withGrant(authServer, call(new Set(['token-1', 'token-2'])))
    expect(refused).toEqual(err('unauthorized'))
    expect(calls).toHaveLength(2)
  })

  it('does not renew the grant for other failures', async () => {
    const { withGrant, calls } = setup(600)
    expect(await withGrant(authServer, async () => err('not_found'))).toEqual(err('not_found'))
    expect(calls).toHaveLength(1)
  })

  it('keeps one grant per authorization server', async () => {
    const { withGrant, calls, call, grants } = setup(600)
    await withGrant(authServer, call())
    await withGrant('https://auth.third.example/', call())
    await withGrant(authServer, call())
    expect(calls).toHaveLength(2)
    expect(grants.all()).toHaveLength(2)
  })
})
