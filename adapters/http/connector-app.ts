import { Hono } from 'hono'
import { deserializeIlpPrepare, serializeIlpReply, type IlpPrepare } from 'ilp-packet'
import type { HandlePacket } from '../../application/connector/handle-packet.ts'
import type { Logger } from '../../application/ports/logger.ts'
import type { PeerDirectory } from '../../application/ports/peer-directory.ts'
import { healthz, internalErrorBody, withJsonFallbacks } from './json-fallbacks.ts'

export type ConnectorAppDeps = {
  readonly logger: Logger
  readonly peers: PeerDirectory
  readonly handlePacket: HandlePacket
}

/** A POST reduced to what ILP-over-HTTP reads of it. */
export type OctetPost = {
  readonly authorization: string | undefined
  /** Content-Length; when over `bodyBytesMax` the body need not be read (pass it empty). */
  readonly declaredLength: number
  readonly body: Uint8Array
}

/** The answer to an OctetPost: an ILP reply (200), or a refusal in plain text. */
export type OctetReply = {
  readonly status: 200 | 400 | 401 | 413 | 500
  readonly contentType:
    'application/octet-stream' | 'text/plain; charset=UTF-8' | 'application/json'
  readonly body: Uint8Array
}

/**
 * ILP-over-HTTP without the web Request/Response objects, for a server that can hand it a POST
 * directly (the Node runtime's connector port): the same answers as the app's POST route.
 */
export type OctetPostHandler = {
  /** Bodies declared or found longer than this are refused with 413 before they are read on. */
  readonly bodyBytesMax: number
  handle(post: OctetPost): Promise<OctetReply>
}

// An ILP Prepare is at most 32 KiB of data plus a few hundred bytes of header.
const prepareBytesMax = 33 * 1024
const bearer = /^Bearer ([\x21-\x7e]{1,1024})$/
const encoder = new TextEncoder()
const internalError = encoder.encode(JSON.stringify(internalErrorBody))

const text = (status: OctetReply['status'], message: string): OctetReply => ({
  status,
  contentType: 'text/plain; charset=UTF-8',
  body: encoder.encode(message),
})

/**
 * ILP-over-HTTP (RFC 0035): POST an OER Prepare with `Authorization: Bearer <incoming token>`,
 * get the Fulfill or Reject back with 200. An unknown token is 401, a body that is no Prepare
 * 400; everything else is an ILP reply.
 */
export function makeOctetPostHandler(deps: ConnectorAppDeps): OctetPostHandler {
  return {
    bodyBytesMax: prepareBytesMax,
    async handle(post) {
      try {
        return await answer(post)
      } catch (error) {
        deps.logger.error({ err: error }, 'unhandled error in the ILP-over-HTTP handler')
        return { status: 500, contentType: 'application/json', body: internalError }
      }
    },
  }

  async function answer({ authorization, declaredLength, body }: OctetPost): Promise<OctetReply> {
    const token = bearer.exec(authorization ?? '')?.[1]
    const peer = token === undefined ? undefined : await deps.peers.byIncomingToken(token)
    if (peer === undefined) return text(401, 'Unauthorized')
    const length = Math.max(declaredLength, body.byteLength)
    if (length > prepareBytesMax) return text(413, 'Payload too large')
    const prepare = decodePrepare(body)
    if (prepare === undefined) return text(400, 'Body is not an ILP Prepare')
    const reply = await deps.handlePacket(peer, prepare)
    return { status: 200, contentType: 'application/octet-stream', body: serializeIlpReply(reply) }
  }
}

/** The connector port's app; `octetPost` serves its POSTs without the web objects. */
export function makeConnectorApp(deps: ConnectorAppDeps): Hono & {
  readonly octetPost: OctetPostHandler
} {
  const octetPost = makeOctetPostHandler(deps)
  const app = healthz(new Hono())
  app.post('*', async (c) => {
    const declaredLength = Number(c.req.header('content-length') ?? '0') || 0
    const body =
      declaredLength > prepareBytesMax
        ? new Uint8Array(0)
        : new Uint8Array(await c.req.arrayBuffer())
    const authorization = c.req.header('authorization')
    const reply = await octetPost.handle({ authorization, declaredLength, body })
    return c.body(new Uint8Array(reply.body), reply.status, { 'content-type': reply.contentType })
  })
  return Object.assign(withJsonFallbacks(app, deps.logger), { octetPost })
}

function decodePrepare(body: Uint8Array): IlpPrepare | undefined {
  try {
    const prepare = deserializeIlpPrepare(
      Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    )
    return Number.isNaN(prepare.expiresAt.getTime()) ? undefined : prepare
  } catch {
    return undefined
  }
}
