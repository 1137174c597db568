import { Hono } from 'hono'
import { deserializeIlpPrepare, serializeIlpReply, type IlpPrepare } from 'ilp-packet'
import type { HandlePacket } from '../../application/connector/handle-packet.ts'
import type { Logger } from '../../application/ports/logger.ts'
import type { PeerDirectory } from '../../application/ports/peer-directory.ts'
import { healthz, withJsonFallbacks } from './json-fallbacks.ts'

export type ConnectorAppDeps = {
  readonly logger: Logger
  readonly peers: PeerDirectory
  readonly handlePacket: HandlePacket
}

// An ILP Prepare is at most 32 KiB of data plus a few hundred bytes of header.
const prepareBytesMax = 33 * 1024
const bearer = /^Bearer ([\x21-\x7e]{1,1024})$/

const octets = { 'content-type': 'application/octet-stream' }

/**
 * ILP-over-HTTP (RFC 0035): POST an OER Prepare with `Authorization: Bearer <incoming token>`,
 * get the Fulfill or Reject back with 200. An unknown token is 401, a body that is no Prepare
 * 400; everything else is an ILP reply.
 */
export function makeConnectorApp(deps: ConnectorAppDeps): Hono {
  const app = healthz(new Hono())
  app.post('*', async (c) => {
    const token = bearer.exec(c.req.header('authorization') ?? '')?.[1]
    const peer = token === undefined ? undefined : await deps.peers.byIncomingToken(token)
    if (peer === undefined) return c.text('Unauthorized', 401)
    const declared = Number(c.req.header('content-length') ?? '0')
    if (declared > prepareBytesMax) return c.text('Payload too large', 413)
    const body = Buffer.from(await c.req.arrayBuffer())
    if (body.byteLength > prepareBytesMax) return c.text('Payload too large', 413)
    const prepare = decodePrepare(body)
    if (prepare === undefined) return c.text('Body is not an ILP Prepare', 400)
    const reply = await deps.handlePacket(peer, prepare)
    return c.body(new Uint8Array(serializeIlpReply(reply)), 200, octets)
  })
  return withJsonFallbacks(app, deps.logger)
}

function decodePrepare(body: Buffer): IlpPrepare | undefined {
  try {
    const prepare = deserializeIlpPrepare(body)
    return Number.isNaN(prepare.expiresAt.getTime()) ? undefined : prepare
  } catch {
    return undefined
  }
}
