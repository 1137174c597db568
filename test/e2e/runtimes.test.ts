import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gql } from '../support/graphql-client.ts'
import { createPeer, prepareBytes, sendIlp, startSinkPeer } from '../support/ilp-e2e.ts'
import { buildNodeBundle, ephemeralPorts, spawnNode, type Runtime } from '../support/spawn-node.ts'

const createAsset = `mutation ($input: CreateAssetInput!) { createAsset(input: $input) { asset { id code scale } } }`
const readAsset = `query ($id: String!) { asset(id: $id) { id code scale } }`

const dirs: string[] = []
beforeAll(buildNodeBundle, 60_000)
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

async function createAndRead(adminPort: number, code: string): Promise<string> {
  const url = `http://127.0.0.1:${adminPort}`
  const created = await gql(url, createAsset, { input: { code, scale: 2 } })
  const asset = (created.data?.['createAsset'] as { asset: { id: string } } | undefined)?.asset
  expect(asset, JSON.stringify(created)).toMatchObject({ code, scale: 2 })
  const read = await gql(url, readAsset, { id: asset?.id })
  expect(read.data?.['asset']).toEqual(asset)
  return asset?.id ?? ''
}

/** The connector port and the peer client on this runtime: one packet to a sink and back. */
async function forwardsOnePacket(adminPort: number, connectorPort: number, assetId: string) {
  const adminUrl = `http://127.0.0.1:${adminPort}`
  const connectorUrl = `http://127.0.0.1:${connectorPort}/`
  const sink = await startSinkPeer()
  try {
    const token = `sender-${crypto.randomUUID()}`
    const outgoing = { endpoint: 'http://127.0.0.1:9/unused', authToken: 'unused' }
    await createPeer(adminUrl, {
      assetId,
      staticIlpAddress: 'test.sender',
      incomingToken: token,
      outgoing,
      initialLiquidity: '1000',
    })
    await createPeer(adminUrl, {
      assetId,
      staticIlpAddress: 'test.sink',
      incomingToken: `sink-${crypto.randomUUID()}`,
      outgoing: { endpoint: sink.url, authToken: sink.token },
    })
    const packet = prepareBytes({ destination: 'test.sink.bob', amount: '7' })
    const fulfilled = await sendIlp(connectorUrl, token, packet)
    expect(fulfilled.reply).toMatchObject({ fulfillment: expect.any(Buffer) })
    expect(sink.received.map((prepare) => [prepare.destination, prepare.amount])).toEqual([
      ['test.sink.bob', '7'],
    ])
    expect((await sendIlp(connectorUrl, 'wrong-token', packet)).status).toBe(401)
  } finally {
    await sink.close()
  }
}

describe.each<Runtime>(['node', 'bun', 'deno'])('runtime smoke test on %s', (runtime) => {
  it('boots on embedded storage, serves an asset, forwards an ILP packet, stops with exit 0 and keeps data', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), `ilp-node-${runtime}-`))
    dirs.push(dataDir)
    const env = { ...ephemeralPorts, DATABASE_URL: `pglite://${dataDir}`, LOG_LEVEL: 'info' }
    const first = await spawnNode(runtime, env)
    const id = await createAndRead(first.ports.admin, `${runtime.toUpperCase()}X`)
    await forwardsOnePacket(first.ports.admin, first.ports.connector, id)
    expect(await first.stop('SIGINT'), first.output()).toBe(0)
    const second = await spawnNode(runtime, env)
    const read = await gql(`http://127.0.0.1:${second.ports.admin}`, readAsset, { id })
    expect(read.data?.['asset']).toMatchObject({ id, code: `${runtime.toUpperCase()}X` })
    expect(await second.stop('SIGTERM'), second.output()).toBe(0)
    console.info(
      `${runtime}: boot to ready ${Math.round(first.bootMs)} ms (new data dir), ${Math.round(second.bootMs)} ms (existing)`,
    )
  }, 120_000)
})

describe('boot errors', () => {
  it('stops with one message listing every invalid variable and exit code 1', async () => {
    const failure = spawnNode('node', { ...ephemeralPorts, ADMIN_PORT: 'x', SLIPPAGE: '7' }, 30_000)
    await expect(failure).rejects.toThrow(
      /exited with 1 before ready[\s\S]*ADMIN_PORT="x"[\s\S]*SLIPPAGE="7"/,
    )
  }, 60_000)
})
