import { generateKeyPairSync } from 'node:crypto'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../memory/memory-asset-repository.ts'
import { makeMemoryWalletAddressKeyRepository } from '../../memory/memory-wallet-address-key-repository.ts'
import { makeMemoryWalletAddressRepository } from '../../memory/memory-wallet-address-repository.ts'
import { makeMemoryWebhookEventRepository } from '../../memory/memory-webhook-event-repository.ts'
import { makeMemoryWorkSignal } from '../../memory/memory-work-signal.ts'
import { randomIds } from '../../system/random-ids.ts'
import { makeAwaitWalletAddress } from '../../../application/open-payments/await-wallet-address.ts'
import { makeEmitWebhookEvent } from '../../../application/webhooks/emit-webhook-event.ts'
import { makeCreateWalletAddress } from '../../../application/wallet-addresses/create-wallet-address.ts'
import { makeCreateWalletAddressKey } from '../../../application/wallet-addresses/create-wallet-address-key.ts'
import { makeGetActiveWalletAddress } from '../../../application/wallet-addresses/get-active-wallet-address.ts'
import { makeGetWalletAddressJwks } from '../../../application/wallet-addresses/get-wallet-address-jwks.ts'
import { makeRevokeWalletAddressKey } from '../../../application/wallet-addresses/revoke-wallet-address-key.ts'
import { makeUpdateWalletAddress } from '../../../application/wallet-addresses/update-wallet-address.ts'
import {
  makeWalletAddressRoutes,
  publicWalletAddressUrls,
  redirectLocation,
  type WalletAddressRoutesDeps,
} from './wallet-address-routes.ts'

const servers = {
  authServerUrl: 'https://auth.wallet.example',
  resourceServerUrl: 'https://op.wallet.example',
}

const newJwk = (kid: string) => {
  const { x } = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' })
  return { kid, x: x ?? '', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' } as const
}

async function setup(options: Partial<WalletAddressRoutesDeps> = {}) {
  const clock = makeFakeClock()
  const repositories = {
    walletAddresses: makeMemoryWalletAddressRepository(),
    keys: makeMemoryWalletAddressKeyRepository(),
    assets: makeMemoryAssetRepository(),
  }
  const deps = { ...repositories, clock, ids: randomIds, allowHttp: options.allowHttp ?? false }
  const asset = await deps.assets.create({
    id: randomIds.uuid(),
    code: 'USD',
    scale: 2,
    withdrawalThreshold: null,
    liquidityThreshold: null,
    createdAt: new Date(clock.now()),
  })
  if (!asset.ok) throw new Error('setup failed')
  const createWalletAddress = makeCreateWalletAddress(deps)
  const events = makeMemoryWebhookEventRepository()
  // Run while the lookup polls: stands for an ASE answering wallet_address.not_found.
  let duringPoll: (() => Promise<void>) | undefined
  const awaitWalletAddress = makeAwaitWalletAddress({
    emitWebhookEvent: makeEmitWebhookEvent({
      clock,
      ids: randomIds,
      events,
      signal: makeMemoryWorkSignal(),
    }),
    clock,
    sleep: async (ms) => {
      clock.advance(ms)
      await duringPoll?.()
    },
    pollingFrequencyMs: 100,
    lookupTimeoutMs: 1000,
  })
  const notFoundUrls = async () => {
    const page = await events.list(
      { limit: 100, cursor: undefined, direction: 'forward', sortOrder: 'ASC' },
      {},
    )
    return page.ok ? page.value.items.map((event) => event.data['walletAddressUrl']) : []
  }
  const create = async (url: string, extra: { publicName?: string } = {}) => {
    const created = await createWalletAddress({ url, assetId: asset.value.id, ...extra })
    if (!created.ok) throw new Error(`could not create ${url}: ${created.error}`)
    return created.value
  }
  const app = makeWalletAddressRoutes({
    getActiveWalletAddress: makeGetActiveWalletAddress(deps),
    getWalletAddressJwks: makeGetWalletAddressJwks(deps),
    ...servers,
    trustProxy: false,
    allowHttp: false,
    spspEnabled: true,
    // Stands for the STREAM receiver: the address names the wallet address it pays.
    spspCredentials: (walletAddressId: string, receipt?: unknown) => ({
      ilpAddress: `test.node.${walletAddressId}`,
      sharedSecret: Buffer.alloc(32, 1),
      receiptsEnabled: receipt !== undefined,
    }),
    awaitWalletAddress,
    pollOnGet: false,
    instanceJwks,
    ...options,
  })
  return {
    app,
    notFoundUrls,
    onPoll: (run: () => Promise<void>) => {
      duringPoll = run
    },
    deps,
    create,
    createWalletAddress,
    createKey: makeCreateWalletAddressKey(deps),
    revokeKey: makeRevokeWalletAddressKey(deps),
    updateWalletAddress: makeUpdateWalletAddress(deps),
  }
}

const get = (app: Hono, path: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { host: 'wallet.example', ...headers } })

const instanceJwks = {
  walletAddressUrl: 'https://wallet.example/.well-known/pay',
  jwk: newJwk('instance-key'),
}

const notFoundBody = { error: { code: 'not_found', description: 'Not found' } }

describe('GET /{wallet address path}', () => {
  it('shows the Open Payments view with visible additional properties only', async () => {
    const { app, createWalletAddress, deps } = await setup()
    const asset = await deps.assets.getByCodeAndScale('USD', 2)
    await createWalletAddress({
      url: 'https://wallet.example/accounts/alice',
      assetId: asset?.id ?? '',
      publicName: 'Alice',
      additionalProperties: [
        { key: 'nickname', value: 'Al', visibleInOpenPayments: true },
        { key: 'iban', value: 'NL91', visibleInOpenPayments: false },
      ],
    })
    const response = await get(app, '/accounts/alice')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual({
      id: 'https://wallet.example/accounts/alice',
      publicName: 'Alice',
      assetCode: 'USD',
      assetScale: 2,
      authServer: servers.authServerUrl,
      resourceServer: servers.resourceServerUrl,
      additionalProperties: { nickname: 'Al' },
    })
  })

  it('leaves out a missing public name and absent properties', async () => {
    const { app, create } = await setup()
    await create('https://wallet.example/bob')
    expect(await (await get(app, '/bob')).json()).toEqual({
      id: 'https://wallet.example/bob',
      assetCode: 'USD',
      assetScale: 2,
      authServer: servers.authServerUrl,
      resourceServer: servers.resourceServerUrl,
    })
  })

  it('finds the address whatever the case of host and path, or a trailing slash', async () => {
    const { app, create } = await setup()
    await create('https://wallet.example/carol')
    for (const [path, host] of [
      ['/Carol', 'Wallet.Example'],
      ['/carol/', 'wallet.example'],
    ] as const) {
      const response = await get(app, path, { host })
      expect(response.status, path).toBe(200)
      expect(((await response.json()) as { id: string }).id).toBe('https://wallet.example/carol')
    }
  })

  it('answers 404 JSON for unknown, inactive and invalid paths', async () => {
    const { app, create, updateWalletAddress } = await setup()
    const dave = await create('https://wallet.example/dave')
    await updateWalletAddress({ id: dave.id, status: 'INACTIVE' })
    for (const path of ['/nobody', '/dave', '/quotes', '/a//b', '/jwks.json']) {
      const response = await get(app, path)
      expect(response.status, path).toBe(404)
      expect(await response.json()).toEqual(notFoundBody)
    }
    expect((await get(app, '/dave', { host: 'other.example' })).status).toBe(404)
  })

  it('answers SPSP requests with STREAM credentials, unless SPSP is disabled', async () => {
    const spsp = { accept: 'application/spsp4+json' }
    const enabled = await setup()
    const erin = await enabled.create('https://wallet.example/erin')
    const response = await get(enabled.app, '/erin', spsp)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/spsp4+json')
    expect(await response.json()).toEqual({
      destination_account: `test.node.${erin.id}`,
      shared_secret: Buffer.alloc(32, 1).toString('base64'),
      receipts_enabled: false,
    })
    const nonce = Buffer.alloc(16, 2).toString('base64')
    const secret = Buffer.alloc(32, 3).toString('base64')
    const withReceipts = await get(enabled.app, '/erin', {
      ...spsp,
      'receipt-nonce': nonce,
      'receipt-secret': secret,
    })
    expect(await withReceipts.json()).toMatchObject({ receipts_enabled: true })
    const badReceipt = await get(enabled.app, '/erin', { ...spsp, 'receipt-nonce': nonce })
    expect(badReceipt.status).toBe(400)
    expect((await get(enabled.app, '/nobody', spsp)).status).toBe(404)
    const disabled = await setup({ spspEnabled: false })
    await disabled.create('https://wallet.example/erin')
    expect((await get(disabled.app, '/erin', spsp)).status).toBe(200)
  })

  it('redirects browsers to WALLET_ADDRESS_REDIRECT_HTML_PAGE when set', async () => {
    const page = 'https://pages.example/show?wa=%ewa&wp=%wp'
    const { app } = await setup({ redirectHtmlPage: page })
    const response = await get(app, '/frank', { accept: 'text/html,application/xhtml+xml' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(
      'https://pages.example/show?wa=https%3A%2F%2Fwallet.example%2Ffrank&wp=wallet.example/frank',
    )
    const plain = await setup()
    expect((await get(plain.app, '/frank', { accept: 'text/html' })).status).toBe(404)
  })
})

describe('GET /{wallet address path}/jwks.json', () => {
  it('lists the active keys of an ACTIVE wallet address', async () => {
    const { app, create, createKey, revokeKey } = await setup()
    const grace = await create('https://wallet.example/accounts/grace')
    const kept = newJwk('kept')
    await createKey({ walletAddressId: grace.id, jwk: kept })
    const gone = await createKey({ walletAddressId: grace.id, jwk: newJwk('gone') })
    if (!gone.ok) throw new Error('setup failed')
    await revokeKey(gone.value.id)
    const response = await get(app, '/accounts/grace/jwks.json')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ keys: [kept] })
  })

  it('gives an empty set to an address without keys and 404 to unknown or inactive ones', async () => {
    const { app, create, updateWalletAddress } = await setup()
    const heidi = await create('https://wallet.example/heidi')
    expect(await (await get(app, '/heidi/jwks.json')).json()).toEqual({ keys: [] })
    await updateWalletAddress({ id: heidi.id, status: 'INACTIVE' })
    for (const path of ['/heidi/jwks.json', '/nobody/jwks.json']) {
      const response = await get(app, path)
      expect(response.status, path).toBe(404)
      expect(await response.json()).toEqual(notFoundBody)
    }
  })
})

describe('the public URL of a request', () => {
  const request = (url: string, headers: Record<string, string>) => new Request(url, { headers })
  const forwarded = {
    host: 'internal:3003',
    'x-forwarded-host': 'wallet.example, proxy.internal',
    'x-forwarded-proto': 'http',
  }

  it('is https://{Host}{path} as in Rafiki, X-Forwarded-* ignored unless trusted', () => {
    const options = { trustProxy: false, allowHttp: false }
    expect(
      publicWalletAddressUrls(request('http://internal:3003/a', forwarded), '/a', options),
    ).toEqual(['https://internal:3003/a'])
  })

  it('takes the first X-Forwarded-Host with TRUST_PROXY', () => {
    const options = { trustProxy: true, allowHttp: false }
    expect(
      publicWalletAddressUrls(request('http://internal:3003/a', forwarded), '/a', options),
    ).toEqual(['https://wallet.example/a'])
  })

  it('with allowHttp, tries the request scheme (trusted X-Forwarded-Proto) then https', () => {
    const http = request('http://wallet.example/a', { host: 'wallet.example' })
    expect(publicWalletAddressUrls(http, '/a', { trustProxy: false, allowHttp: true })).toEqual([
      'http://wallet.example/a',
      'https://wallet.example/a',
    ])
    const proxied = request('http://internal/a', { ...forwarded, 'x-forwarded-proto': 'https' })
    expect(publicWalletAddressUrls(proxied, '/a', { trustProxy: true, allowHttp: true })).toEqual([
      'https://wallet.example/a',
    ])
  })

  it('serves http wallet addresses when allowed, and https ones over plain http', async () => {
    const { app, create } = await setup({ allowHttp: true })
    await create('http://wallet.example/ivan')
    await create('https://wallet.example/judy')
    for (const path of ['/ivan', '/judy']) {
      expect((await get(app, path)).status, path).toBe(200)
    }
  })

  it('fills every redirect placeholder', () => {
    expect(redirectLocation('%wa|%ewa|%wp|%ewp|%wa', 'https://w.example/a b')).toBe(
      'https://w.example/a b|https%3A%2F%2Fw.example%2Fa%20b|w.example/a b|w.example%2Fa%20b|' +
        'https://w.example/a b',
    )
  })
})

describe('mounted on the Open Payments app', () => {
  it('leaves earlier routes alone and the root to the app', async () => {
    const { app: routes, create } = await setup()
    await create('https://wallet.example/kim')
    const app = new Hono()
    app.get('/healthz', (c) => c.text('OK'))
    app.get('/incoming-payments/:id', (c) => c.text('incoming payment'))
    app.route('/', routes)
    app.notFound((c) => c.json({ error: { code: 'not_found', description: 'Not found' } }, 404))
    expect(await (await get(app, '/healthz')).text()).toBe('OK')
    expect(await (await get(app, '/incoming-payments/1')).text()).toBe('incoming payment')
    expect((await get(app, '/kim')).status).toBe(200)
    expect((await get(app, '/kim/jwks.json')).status).toBe(200)
    expect(await (await get(app, '/')).json()).toMatchObject({ error: { code: 'not_found' } })
  })
})

describe('wallet address lookup with wallet_address.not_found', () => {
  it("serves the node's own key at WALLET_ADDRESS_URL/jwks.json", async () => {
    const { app, notFoundUrls } = await setup()
    const response = await get(app, '/.well-known/pay/jwks.json')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ keys: [instanceJwks.jwk] })
    expect(await notFoundUrls()).toEqual([])
  })

  it('emits wallet_address.not_found for JWKS and finds an address created in time', async () => {
    const { app, create, createKey, notFoundUrls, onPoll } = await setup()
    const key = newJwk('late-key')
    onPoll(async () => {
      onPoll(async () => {})
      const created = await create('https://wallet.example/late')
      await createKey({ walletAddressId: created.id, jwk: key })
    })
    const response = await get(app, '/late/jwks.json')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ keys: [key] })
    expect(await notFoundUrls()).toEqual(['https://wallet.example/late'])
  })

  it('answers 404 for JWKS after the lookup timeout', async () => {
    const { app, notFoundUrls } = await setup()
    const response = await get(app, '/never/jwks.json')
    expect(response.status).toBe(404)
    expect(await notFoundUrls()).toEqual(['https://wallet.example/never'])
  })

  it('polls on the wallet address GET only when enabled', async () => {
    const disabled = await setup()
    expect((await get(disabled.app, '/missing')).status).toBe(404)
    expect(await disabled.notFoundUrls()).toEqual([])

    const enabled = await setup({ pollOnGet: true })
    enabled.onPoll(async () => {
      enabled.onPoll(async () => {})
      await enabled.create('https://wallet.example/just-in-time')
    })
    const response = await get(enabled.app, '/just-in-time')
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ id: 'https://wallet.example/just-in-time' })
    expect(await enabled.notFoundUrls()).toEqual(['https://wallet.example/just-in-time'])
  })
})
