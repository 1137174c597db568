import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryWalletAddressRepository } from '../../adapters/memory/memory-wallet-address-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import type { WalletAddress } from '../../domain/wallet-addresses/wallet-address.ts'
import { makeCreateWalletAddress } from './create-wallet-address.ts'
import { makeGetWalletAddress } from './get-wallet-address.ts'
import { makeGetWalletAddressByUrl } from './get-wallet-address-by-url.ts'
import { makeListWalletAddresses } from './list-wallet-addresses.ts'
import { makeUpdateWalletAddress } from './update-wallet-address.ts'

const setup = async (options: { allowHttp?: boolean } = {}) => {
  const clock = makeFakeClock()
  const deactivated: WalletAddress[] = []
  const deps = {
    walletAddresses: makeMemoryWalletAddressRepository(),
    assets: makeMemoryAssetRepository(),
    clock,
    ids: randomIds,
    allowHttp: options.allowHttp ?? false,
    onDeactivated: async (walletAddress: WalletAddress) => {
      deactivated.push(walletAddress)
    },
  }
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
  const create = async (url: string) => {
    const created = await createWalletAddress({ url, assetId: asset.value.id })
    if (!created.ok) throw new Error(`could not create ${url}`)
    return created.value
  }
  return {
    deps,
    assetId: asset.value.id,
    deactivated,
    create,
    createWalletAddress,
    updateWalletAddress: makeUpdateWalletAddress(deps),
    getWalletAddress: makeGetWalletAddress(deps),
    getWalletAddressByUrl: makeGetWalletAddressByUrl(deps),
    listWalletAddresses: makeListWalletAddresses(deps),
  }
}

describe('creating wallet addresses', () => {
  it('stores the canonical url, cleaned properties and the clock time, ACTIVE', async () => {
    const { createWalletAddress, assetId, deps } = await setup()
    const created = await createWalletAddress({
      url: 'https://Wallet.Example/Alice/',
      assetId,
      publicName: 'Alice',
      additionalProperties: [
        { key: ' iban ', value: 'NL91', visibleInOpenPayments: false },
        { key: '', value: 'dropped', visibleInOpenPayments: true },
      ],
    })
    expect(created.ok && created.value).toMatchObject({
      url: 'https://wallet.example/alice',
      assetId,
      publicName: 'Alice',
      status: 'ACTIVE',
      additionalProperties: [{ key: 'iban', value: 'NL91', visibleInOpenPayments: false }],
      createdAt: new Date(deps.clock.now()),
      deactivatedAt: null,
    })
  })

  it.each([
    [{ url: 'https://wallet.example/incoming-payments' }, 'invalid_url'],
    [{ url: 'http://wallet.example/alice' }, 'invalid_url'],
    [{ url: 'https://wallet.example/alice', assetId: 'nope' }, 'unknown_asset'],
    [{ url: 'https://wallet.example/alice', assetId: randomIds.uuid() }, 'unknown_asset'],
    [{ url: 'https://wallet.example/alice', publicName: 'x'.repeat(256) }, 'invalid_public_name'],
    [
      {
        url: 'https://wallet.example/alice',
        additionalProperties: [{ key: 'k'.repeat(256), value: 'v', visibleInOpenPayments: true }],
      },
      'invalid_additional_properties',
    ],
  ])('refuses %j with %s', async (input, error) => {
    const { createWalletAddress, assetId } = await setup()
    expect(await createWalletAddress({ assetId, ...input })).toEqual({ ok: false, error })
  })

  it('refuses a deleted asset', async () => {
    const { createWalletAddress, assetId, deps } = await setup()
    await deps.assets.softDelete(assetId, new Date(deps.clock.now()))
    expect(await createWalletAddress({ url: 'https://wallet.example/a', assetId })).toEqual({
      ok: false,
      error: 'unknown_asset',
    })
  })

  it('refuses another spelling of an existing url', async () => {
    const { createWalletAddress, create, assetId } = await setup()
    await create('https://wallet.example/bob')
    expect(await createWalletAddress({ url: 'https://WALLET.example/Bob/', assetId })).toEqual({
      ok: false,
      error: 'duplicate_url',
    })
  })

  it('accepts http when the node allows it', async () => {
    const { create } = await setup({ allowHttp: true })
    expect((await create('http://localhost:3003/carol')).url).toBe('http://localhost:3003/carol')
  })
})

describe('updating wallet addresses', () => {
  it('changes only what is given; null clears the public name', async () => {
    const { create, updateWalletAddress, deps } = await setup()
    const created = await create('https://wallet.example/dave')
    deps.clock.advance(1000)
    const named = await updateWalletAddress({ id: created.id, publicName: 'Dave' })
    expect(named.ok && named.value).toMatchObject({
      publicName: 'Dave',
      status: 'ACTIVE',
      updatedAt: new Date(deps.clock.now()),
    })
    const properties = [{ key: 'k', value: 'v', visibleInOpenPayments: true }]
    const replaced = await updateWalletAddress({ id: created.id, additionalProperties: properties })
    expect(replaced.ok && replaced.value).toMatchObject({
      publicName: 'Dave',
      additionalProperties: properties,
    })
    const cleared = await updateWalletAddress({
      id: created.id,
      publicName: null,
      status: null,
      additionalProperties: null,
    })
    expect(cleared.ok && cleared.value).toMatchObject({
      publicName: null,
      status: 'ACTIVE',
      additionalProperties: properties,
    })
  })

  it('deactivates at the clock time and calls onDeactivated on that transition only', async () => {
    const { create, updateWalletAddress, deactivated, deps } = await setup()
    const created = await create('https://wallet.example/erin')
    deps.clock.advance(5000)
    const off = await updateWalletAddress({ id: created.id, status: 'INACTIVE' })
    expect(off.ok && off.value).toMatchObject({
      status: 'INACTIVE',
      deactivatedAt: new Date(deps.clock.now()),
    })
    expect(deactivated.map((walletAddress) => walletAddress.id)).toEqual([created.id])
    await updateWalletAddress({ id: created.id, status: 'INACTIVE' })
    await updateWalletAddress({ id: created.id, publicName: 'E' })
    expect(deactivated).toHaveLength(1)
    const on = await updateWalletAddress({ id: created.id, status: 'ACTIVE' })
    expect(on.ok && on.value).toMatchObject({ status: 'ACTIVE', deactivatedAt: null })
    await updateWalletAddress({ id: created.id, status: 'INACTIVE' })
    expect(deactivated).toHaveLength(2)
  })

  it.each([
    [{ id: 'nope' }, 'unknown_wallet_address'],
    [{ id: randomIds.uuid() }, 'unknown_wallet_address'],
    [{ status: 'PAUSED' }, 'invalid_status'],
    [{ publicName: 'x'.repeat(256) }, 'invalid_public_name'],
  ])('refuses %j with %s', async (change, error) => {
    const { create, updateWalletAddress } = await setup()
    const created = await create('https://wallet.example/frank')
    expect(await updateWalletAddress({ id: created.id, ...change })).toEqual({ ok: false, error })
  })
})

describe('reading wallet addresses', () => {
  it('finds by id, and by any spelling of the url', async () => {
    const { create, getWalletAddress, getWalletAddressByUrl } = await setup()
    const created = await create('https://wallet.example/grace')
    expect(await getWalletAddress(created.id)).toEqual(created)
    expect(await getWalletAddress('not-a-uuid')).toBeUndefined()
    expect(await getWalletAddressByUrl('HTTPS://wallet.example:443/Grace/')).toEqual(created)
    expect(await getWalletAddressByUrl('https://wallet.example/heidi')).toBeUndefined()
    expect(await getWalletAddressByUrl('not a url')).toBeUndefined()
  })

  it('pages and refuses bad page arguments', async () => {
    const { create, listWalletAddresses, deps } = await setup()
    const urls = ['a', 'b', 'c'].map((path) => `https://wallet.example/${path}`)
    for (const url of urls) {
      deps.clock.advance(1)
      await create(url)
    }
    const page = await listWalletAddresses({ first: 2, sortOrder: 'ASC' })
    expect(page.ok && page.value.items.map((item) => item.url)).toEqual(urls.slice(0, 2))
    expect(await listWalletAddresses({ first: 101 })).toEqual({
      ok: false,
      error: 'invalid_page_size',
    })
    expect(await listWalletAddresses({ after: randomIds.uuid() })).toEqual({
      ok: false,
      error: 'invalid_cursor',
    })
  })
})
