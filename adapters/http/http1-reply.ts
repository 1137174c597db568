// Reading an HTTP/1.1 response from the bytes received so far (RFC 9112): the status, the body
// (Content-Length, chunked, or up to the connection's close), and whether the connection can
// carry the next request. Pure: called again with more bytes until it is done.

export type ReplyLimits = {
  /** Status line and headers, at most. */
  readonly headBytesMax: number
  /** Body, at most (decoded, for chunked replies). */
  readonly bodyBytesMax: number
}

export type ParsedReply =
  | { readonly kind: 'more' }
  /** The body runs until the server closes the connection: everything after `bodyStart`. */
  | { readonly kind: 'until-close'; readonly status: number; readonly bodyStart: number }
  | {
      readonly kind: 'done'
      readonly status: number
      readonly body: Buffer
      /** The connection may carry another request: keep-alive, and nothing left over. */
      readonly reusable: boolean
    }
  | { readonly kind: 'bad'; readonly reason: string }

const crlf = Buffer.from('\r\n')
const headEnd = Buffer.from('\r\n\r\n')
const statusLine = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: |$)/
const digits = /^\d{1,15}$/
const chunkSize = /^([0-9a-fA-F]{1,8})[ \t]*(?:;.*)?$/
const chunkLineMax = 1024

const more = { kind: 'more' } as const
const bad = (reason: string): ParsedReply => ({ kind: 'bad', reason })

type Head = {
  readonly status: number
  readonly bodyStart: number
  readonly length: number | undefined
  readonly chunked: boolean
  readonly keepAlive: boolean
}

/** The reply in `bytes`, which hold everything the connection received since the request. */
export function parseReply(bytes: Buffer, limits: ReplyLimits): ParsedReply {
  let start = 0
  // Interim (1xx) replies come before the final one and carry no body.
  for (;;) {
    const head = parseHead(bytes, start, limits)
    if (head === undefined) return more
    if ('kind' in head) return head
    if (head.status >= 200) return parseBody(bytes, head, limits)
    if (head.status === 101) return bad('protocol switch not asked for')
    start = head.bodyStart
  }
}

function parseHead(
  bytes: Buffer,
  start: number,
  limits: ReplyLimits,
): Head | ParsedReply | undefined {
  const end = blockEnd(bytes, start, limits.headBytesMax)
  if (end === 'more') return undefined
  if (end === 'too long') return bad('reply head too long')
  const lines = bytes.toString('latin1', start, end).split('\r\n')
  const status = statusLine.exec(lines[0] ?? '')
  if (status === null) return bad('no HTTP/1.x status line')
  let length: number | undefined
  let chunked = false
  let close = false
  let keepAliveAsked = false
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon <= 0) return bad('malformed header line')
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (name === 'content-length') {
      if (!digits.test(value)) return bad('bad Content-Length')
      const declared = Number(value)
      if (length !== undefined && length !== declared) return bad('conflicting Content-Length')
      length = declared
    } else if (name === 'transfer-encoding') {
      const codings = value
        .toLowerCase()
        .split(',')
        .map((coding) => coding.trim())
      if (codings.at(-1) !== 'chunked' || codings.length > 1) return bad('unsupported coding')
      chunked = true
    } else if (name === 'connection') {
      const options = value
        .toLowerCase()
        .split(',')
        .map((option) => option.trim())
      close ||= options.includes('close')
      keepAliveAsked ||= options.includes('keep-alive')
    }
  }
  const http11 = status[1] === '1'
  return {
    status: Number(status[2]),
    bodyStart: end + headEnd.length,
    length,
    chunked,
    // A reply with both framings is read as chunked, and its connection not reused (RFC 9112 6.3).
    keepAlive: !close && (http11 || keepAliveAsked) && !(chunked && length !== undefined),
  }
}

/** Where the header block starting at `start` ends (its blank line), within `max` bytes. */
function blockEnd(bytes: Buffer, start: number, max: number): number | 'more' | 'too long' {
  const end = bytes.indexOf(headEnd, start)
  if (end >= 0) return end - start > max ? 'too long' : end
  // Up to three bytes of the blank line may have come after a block of the longest length.
  return bytes.length - start > max + headEnd.length - 1 ? 'too long' : 'more'
}

function parseBody(bytes: Buffer, head: Head, limits: ReplyLimits): ParsedReply {
  const { status, bodyStart } = head
  if (status === 204 || status === 304) return done(bytes, head, bodyStart, Buffer.alloc(0))
  if (head.chunked) return parseChunked(bytes, head, limits)
  if (head.length === undefined) return { kind: 'until-close', status, bodyStart }
  if (head.length > limits.bodyBytesMax) return bad('reply body too long')
  const end = bodyStart + head.length
  if (bytes.length < end) return more
  return done(bytes, head, end, bytes.subarray(bodyStart, end))
}

function parseChunked(bytes: Buffer, head: Head, limits: ReplyLimits): ParsedReply {
  const parts: Buffer[] = []
  let total = 0
  let at = head.bodyStart
  for (;;) {
    const lineEnd = bytes.indexOf(crlf, at)
    if (lineEnd < 0)
      return bytes.length - at > chunkLineMax ? bad('chunk size line too long') : more
    const size = chunkSize.exec(bytes.toString('latin1', at, lineEnd))
    if (size === null) return bad('bad chunk size')
    const length = parseInt(size[1] ?? '', 16)
    at = lineEnd + crlf.length
    if (length === 0) {
      // Trailer fields, if any, then an empty line.
      if (bytes.length < at + crlf.length) return more
      if (bytes[at] === 13 && bytes[at + 1] === 10) {
        return done(bytes, head, at + crlf.length, Buffer.concat(parts, total))
      }
      const trailersEnd = blockEnd(bytes, at, limits.headBytesMax)
      if (trailersEnd === 'more') return more
      if (trailersEnd === 'too long') return bad('trailers too long')
      return done(bytes, head, trailersEnd + headEnd.length, Buffer.concat(parts, total))
    }
    total += length
    if (total > limits.bodyBytesMax) return bad('reply body too long')
    if (bytes.length < at + length + crlf.length) return more
    if (bytes[at + length] !== 13 || bytes[at + length + 1] !== 10) return bad('chunk not ended')
    parts.push(bytes.subarray(at, at + length))
    at += length + crlf.length
  }
}

function done(bytes: Buffer, head: Head, end: number, body: Buffer): ParsedReply {
  return {
    kind: 'done',
    status: head.status,
    body,
    reusable: head.keepAlive && end === bytes.length,
  }
}
