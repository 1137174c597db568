import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryWalletAddressKeyRepository } from '../../adapters/memory/memory-wallet-address-key-repository.ts'
import { makeMemoryWalletAddressRepository } from '../../adapters/memory/memory-wallet-address-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { makeCreateWalletAddressKey } from './create-wallet-address-key.ts'
import { makeGetActiveWalletAddress } from './get-active-wallet-address.ts'
import { jwksKeysMax, makeGetWalletAddressJwks } from './get-wallet-address-jwks.ts'
import { makeListWalletAddressKeys } from './list-wallet-address-keys.ts'
import { makeRevokeWalletAddressKey } from './revoke-wallet-address-key.ts'

const newJwk = (kid: string) => {
  const { x } = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' })
  return { kid, x: x ?? '', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' }
}

const setup = async () => {
  const clock = makeFakeClock()
  const deps = {
    walletAddresses: makeMemoryWalletAddressRepository(),
    keys: makeMemoryWalletAddressKeyRepository(),
    assets: makeMemoryAssetRepository(),
    clock,
    ids: randomIds,
  }
  const asset = await deps.assets.create({
    id: randomIds.uuid(),
    code: 'EUR',
    scale: 2,
    withdrawalThreshold: null,
    liquidityThreshold: null,
    createdAt: new Date(clock.now()),
  })
  if (!asset.ok) throw new Error('setup failed')
  const newAddress = async (path: string) => {
    const created = await deps.walletAddresses.create({
      id: randomIds.uuid(),
      url: `https://wallet.example/${path}`,
      assetId: asset.value.id,
      publicName: null,
      additionalProperties: [],
      createdAt: new Date(clock.now()),
    })
    if (!created.ok) throw new Error('setup failed')
    return created.value
  }
  const createKey = makeCreateWalletAddressKey(deps)
  const addKey = async (walletAddressId: string, kid: string) => {
    clock.advance(1)
    const created = await createKey({ walletAddressId, jwk: newJwk(kid) })
    if (!created.ok) throw new Error(`could not add ${kid}`)
    return created.value
  }
  return {
    deps,
    newAddress,
    createKey,
    addKey,
    revokeKey: makeRevokeWalletAddressKey(deps),
    listKeys: makeListWalletAddressKeys(deps),
    getJwks: makeGetWalletAddressJwks(deps),
    getActive: makeGetActiveWalletAddress(deps),
  }
}

describe('wallet address keys', () => {
  it('adds a valid key and refuses invalid, unknown and duplicate ones', async () => {
    const { newAddress, createKey, deps } = await setup()
    const alice = await newAddress('alice')
    const jwk = newJwk('k1')
    const created = await createKey({ walletAddressId: alice.id, jwk })
    expect(created.ok && created.value).toMatchObject({
      walletAddressId: alice.id,
      kid: 'k1',
      jwk,
      revoked: false,
      createdAt: new Date(deps.clock.now()),
    })
    expect(await createKey({ walletAddressId: alice.id, jwk })).toEqual({
      ok: false,
      error: 'duplicate_key',
    })
    expect(await createKey({ walletAddressId: alice.id, jwk: { ...jwk, x: 'x' } })).toEqual({
      ok: false,
      error: 'invalid_jwk',
    })
    for (const walletAddressId of ['nope', randomIds.uuid()]) {
      expect(await createKey({ walletAddressId, jwk: newJwk('k2') })).toEqual({
        ok: false,
        error: 'unknown_wallet_address',
      })
    }
  })

  it('revokes idempotently and reports unknown keys', async () => {
    const { newAddress, addKey, revokeKey } = await setup()
    const key = await addKey((await newAddress('bob')).id, 'k1')
    const revoked = await revokeKey(key.id)
    expect(revoked).toEqual({ ok: true, value: { ...key, revoked: true } })
    expect(await revokeKey(key.id)).toEqual(revoked)
    for (const id of ['nope', randomIds.uuid()]) {
      expect(await revokeKey(id)).toEqual({ ok: false, error: 'unknown_key' })
    }
  })

  it('lists all keys of a wallet address, revoked ones included', async () => {
    const { newAddress, addKey, revokeKey, listKeys } = await setup()
    const carol = await newAddress('carol')
    const a = await addKey(carol.id, 'a')
    await addKey(carol.id, 'b')
    await revokeKey(a.id)
    const page = await listKeys(carol.id, { sortOrder: 'ASC' })
    expect(page.ok && page.value.items.map((key) => [key.kid, key.revoked])).toEqual([
      ['a', true],
      ['b', false],
    ])
    expect(await listKeys(carol.id, { last: 1 })).toEqual({
      ok: false,
      error: 'last_requires_before',
    })
  })
})

describe('the public views', () => {
  it('serve jwks of active keys of an ACTIVE wallet address only, newest kept', async () => {
    const { newAddress, addKey, revokeKey, getJwks, deps } = await setup()
    const dave = await newAddress('dave')
    const old = await addKey(dave.id, 'old')
    const current = await addKey(dave.id, 'current')
    await revokeKey(old.id)
    expect(await getJwks('https://Wallet.Example/Dave/')).toEqual({
      walletAddress: dave,
      keys: [current.jwk],
    })
    expect(await getJwks('https://wallet.example/nobody')).toBeUndefined()
    expect(await getJwks('not a url')).toBeUndefined()
    await deps.walletAddresses.update(dave.id, { status: 'INACTIVE' }, new Date())
    expect(await getJwks('https://wallet.example/dave')).toBeUndefined()
  })

  it(`keep at most ${jwksKeysMax} keys in jwks, the newest`, async () => {
    const { newAddress, addKey, getJwks } = await setup()
    const erin = await newAddress('erin')
    for (let i = 0; i <= jwksKeysMax; i += 1) await addKey(erin.id, `k${i}`)
    const jwks = await getJwks(erin.url)
    expect(jwks?.keys).toHaveLength(jwksKeysMax)
    expect(jwks?.keys[0]?.kid).toBe(`k${jwksKeysMax}`)
    expect(jwks?.keys.map((key) => key.kid)).not.toContain('k0')
  })

  it('show an ACTIVE wallet address with its asset, nothing otherwise', async () => {
    const { newAddress, getActive, deps } = await setup()
    const frank = await newAddress('frank')
    const found = await getActive('https://wallet.example/FRANK')
    expect(found?.walletAddress).toEqual(frank)
    expect(found?.asset).toMatchObject({ id: frank.assetId, code: 'EUR', scale: 2 })
    expect(await getActive('https://wallet.example/grace')).toBeUndefined()
    await deps.walletAddresses.update(frank.id, { status: 'INACTIVE' }, new Date())
    expect(await getActive(frank.url)).toBeUndefined()
    // The asset's identity is cached, the wallet address's status never is.
    await deps.walletAddresses.update(frank.id, { status: 'ACTIVE' }, new Date())
    expect((await getActive(frank.url))?.walletAddress.status).toBe('ACTIVE')
  })
})
