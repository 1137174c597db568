// ILP-over-HTTP helpers for end-to-end tests and benchmarks: peers through the admin API, a
// sink peer that fulfills or rejects, and a sender speaking ILP-over-HTTP to a node.
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  deserializeIlpPrepare,
  deserializeIlpReply,
  serializeIlpFulfill,
  serializeIlpPrepare,
  serializeIlpReject,
  type IlpPrepare,
  type IlpReply,
} from 'ilp-packet'
import { gql } from './graphql-client.ts'
import { httpCall } from './keep-alive-http.ts'
import { payload } from './open-payments-e2e.ts'

export type PeerInput = {
  readonly assetId: string
  readonly staticIlpAddress: string
  readonly incomingToken: string
  readonly outgoing: { readonly endpoint: string; readonly authToken: string }
  readonly maxPacketAmount?: string
  readonly initialLiquidity?: string
}

export async function createPeer(adminUrl: string, input: PeerInput): Promise<string> {
  const reply = await gql(
    adminUrl,
    `mutation ($input: CreatePeerInput!) { createPeer(input: $input) { peer { id } } }`,
    {
      input: {
        assetId: input.assetId,
        staticIlpAddress: input.staticIlpAddress,
        http: { incoming: { authTokens: [input.incomingToken] }, outgoing: input.outgoing },
        ...(input.maxPacketAmount !== undefined && { maxPacketAmount: input.maxPacketAmount }),
        ...(input.initialLiquidity !== undefined && { initialLiquidity: input.initialLiquidity }),
      },
    },
  )
  return payload<{ id: string }>(reply, 'createPeer', 'peer').id
}

export async function peerLiquidity(adminUrl: string, id: string): Promise<bigint> {
  const reply = await gql(adminUrl, `query ($id: String!) { peer(id: $id) { liquidity } }`, { id })
  const peer = reply.data?.['peer'] as { liquidity: string } | undefined
  if (!peer) throw new Error(JSON.stringify(reply))
  return BigInt(peer.liquidity)
}

/** A fixed fulfillment and its condition: packets with this condition can be fulfilled. */
export const fulfillment = createHash('sha256').update('ilp-e2e').digest()
export const condition = createHash('sha256').update(fulfillment).digest()

/** What a sink peer answers: Fulfill for `condition`, F99 Reject for any other. */
export const sinkReplies = {
  fulfill: serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) }),
  reject: serializeIlpReject({
    code: 'F99',
    triggeredBy: 'test.sink',
    message: 'no',
    data: Buffer.alloc(0),
  }),
}

export const sinkReplyTo = (prepare: IlpPrepare): Buffer =>
  prepare.executionCondition.equals(condition) ? sinkReplies.fulfill : sinkReplies.reject

export type SinkPeer = {
  readonly url: string
  readonly token: string
  /** Prepares it received, in order. */
  readonly received: IlpPrepare[]
  close(): Promise<void>
}

/**
 * A peer that fulfills every Prepare carrying `condition` and rejects the others (F99), after
 * checking our node's bearer token.
 */
export async function startSinkPeer(
  options: { readonly record?: boolean } = {},
): Promise<SinkPeer> {
  const token = `sink-${randomBytes(8).toString('hex')}`
  const received: IlpPrepare[] = []
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (request.headers.authorization !== `Bearer ${token}`) {
        response.writeHead(401).end()
        return
      }
      const prepare = deserializeIlpPrepare(Buffer.concat(chunks))
      if (options.record !== false) received.push(prepare)
      response
        .writeHead(200, { 'content-type': 'application/octet-stream' })
        .end(sinkReplyTo(prepare))
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/ilp`,
    token,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** POSTs raw bytes as ILP-over-HTTP; the reply is decoded when the status is 200. */
export async function sendIlp(
  connectorUrl: string,
  token: string,
  body: Uint8Array,
): Promise<{ readonly status: number; readonly reply?: IlpReply }> {
  const response = await fetch(connectorUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: body as Uint8Array<ArrayBuffer>,
  })
  const bytes = Buffer.from(await response.arrayBuffer())
  if (response.status !== 200) return { status: response.status }
  return { status: 200, reply: deserializeIlpReply(bytes) }
}

export const prepareBytes = (prepare: Partial<IlpPrepare> & { destination: string }): Buffer =>
  serializeIlpPrepare({
    amount: '10',
    expiresAt: new Date(Date.now() + 10_000),
    executionCondition: condition,
    data: Buffer.alloc(0),
    ...prepare,
  })

/** An ilp-protocol-stream plugin that sends every packet to a node over ILP-over-HTTP. */
export function httpPlugin(connectorUrl: string, token: string) {
  return {
    connect: async () => {},
    disconnect: async () => {},
    isConnected: () => true,
    registerDataHandler: () => {},
    deregisterDataHandler: () => {},
    async sendData(data: Buffer): Promise<Buffer> {
      const response = await httpCall(
        'POST',
        connectorUrl,
        { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
        data,
      )
      if (response.status !== 200) throw new Error(`ILP-over-HTTP answered ${response.status}`)
      return response.body
    },
  }
}
