import { describe, expect, it } from 'vitest'
import { type ParsedReply, parseReply, type ReplyLimits } from './http1-reply.ts'

const limits: ReplyLimits = { headBytesMax: 1024, bodyBytesMax: 1024 }
const bytes = (text: string) => Buffer.from(text, 'latin1')
const parse = (text: string, given: ReplyLimits = limits) => parseReply(bytes(text), given)

/** The reply as a plain object, the body as text, so that toEqual compares everything. */
const plain = (reply: ParsedReply) =>
  reply.kind === 'done' ? { ...reply, body: reply.body.toString('latin1') } : reply

const done = (status: number, body: string, reusable: boolean) => ({
  kind: 'done',
  status,
  body,
  reusable,
})

/** Every proper prefix must be 'more'; the whole reply gives `expected`. */
function expectSplitAnywhere(text: string, expected: unknown, given: ReplyLimits = limits) {
  const whole = bytes(text)
  for (let end = 0; end < whole.length; end += 1) {
    const reply = parseReply(whole.subarray(0, end), given)
    expect({ end, reply }).toEqual({ end, reply: { kind: 'more' } })
  }
  expect(plain(parseReply(whole, given))).toEqual(expected)
}

describe('parseReply', () => {
  describe('Content-Length', () => {
    it('reads a complete body', () => {
      const reply = parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello')
      expect(plain(reply)).toEqual(done(200, 'hello', true))
    })

    it('asks for more until the body is complete', () => {
      expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhell')).toEqual({ kind: 'more' })
      expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n')).toEqual({ kind: 'more' })
      expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r')).toEqual({ kind: 'more' })
      expect(parse('')).toEqual({ kind: 'more' })
    })

    it('returns "more" for every prefix of the reply, split at any byte', () => {
      expectSplitAnywhere(
        'HTTP/1.1 201 Created\r\nContent-Type: application/octet-stream\r\nContent-Length: 11\r\n\r\nhello world',
        done(201, 'hello world', true),
      )
    })

    it('reads an empty body with Content-Length: 0', () => {
      expect(plain(parse('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'))).toEqual(
        done(200, '', true),
      )
    })

    it('keeps binary bodies byte for byte', () => {
      const body = Buffer.from([0, 13, 10, 13, 10, 255, 128, 1])
      const head = bytes(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`)
      const reply = parseReply(Buffer.concat([head, body]), limits)
      expect(reply.kind).toBe('done')
      if (reply.kind === 'done') expect(reply.body.equals(body)).toBe(true)
    })

    it('accepts a repeated, equal Content-Length', () => {
      expect(
        plain(parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok')),
      ).toEqual(done(200, 'ok', true))
    })

    it('reads status codes other than 200, with or without a reason phrase', () => {
      expect(plain(parse('HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nx'))).toEqual(
        done(404, 'x', true),
      )
      expect(plain(parse('HTTP/1.1 503\r\nContent-Length: 0\r\n\r\n'))).toEqual(done(503, '', true))
    })
  })

  describe('chunked', () => {
    const reply =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '5\r\nhello\r\n1;name=value\r\n \r\nA\r\n0123456789\r\n0\r\n\r\n'

    it('joins several chunks, ignoring chunk extensions', () => {
      expect(plain(parse(reply))).toEqual(done(200, 'hello 0123456789', true))
    })

    it('reads hex sizes in either case', () => {
      const body = 'x'.repeat(26)
      const text = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\n${body}\r\n0\r\n\r\n`
      expect(plain(parse(text))).toEqual(done(200, body, true))
      expect(plain(parse(text.replace('1a', '1A')))).toEqual(done(200, body, true))
    })

    it('returns "more" for every prefix, split at any byte', () => {
      expectSplitAnywhere(reply, done(200, 'hello 0123456789', true))
    })

    it('reads and skips trailers', () => {
      const text =
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '3\r\nabc\r\n0\r\nX-Checksum: 1\r\nX-Other: 2\r\n\r\n'
      expect(plain(parse(text))).toEqual(done(200, 'abc', true))
      expectSplitAnywhere(text, done(200, 'abc', true))
    })

    it('is case-insensitive about the coding and the header name', () => {
      const text = 'HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'
      expect(plain(parse(text))).toEqual(done(200, 'ok', true))
    })

    it('reads an empty chunked body', () => {
      const text = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
      expect(plain(parse(text))).toEqual(done(200, '', true))
    })
  })

  describe('replies without a body', () => {
    it.each([204, 304])('%i has no body, whatever its headers say', (status) => {
      expect(plain(parse(`HTTP/1.1 ${status} X\r\n\r\n`))).toEqual(done(status, '', true))
      expect(plain(parse(`HTTP/1.1 ${status} X\r\nContent-Length: 10\r\n\r\n`))).toEqual(
        done(status, '', true),
      )
    })

    it('204 followed by more bytes is not reusable', () => {
      expect(plain(parse('HTTP/1.1 204 No Content\r\n\r\nextra'))).toEqual(done(204, '', false))
    })
  })

  describe('interim replies', () => {
    it('skips a 1xx reply before the final one', () => {
      const text =
        'HTTP/1.1 100 Continue\r\n\r\n' +
        'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes'
      expect(plain(parse(text))).toEqual(done(200, 'yes', true))
      expectSplitAnywhere(text, done(200, 'yes', true))
    })

    it('asks for more after an interim reply alone', () => {
      expect(parse('HTTP/1.1 100 Continue\r\n\r\n')).toEqual({ kind: 'more' })
    })

    it('refuses 101 Switching Protocols', () => {
      expect(parse('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n').kind).toBe('bad')
      expect(parse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 101 Switching\r\n\r\n').kind).toBe('bad')
    })
  })

  describe('connection reuse', () => {
    it('HTTP/1.0 without keep-alive is not reusable', () => {
      expect(plain(parse('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok'))).toEqual(
        done(200, 'ok', false),
      )
    })

    it('HTTP/1.0 with Connection: keep-alive is reusable', () => {
      expect(
        plain(parse('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok')),
      ).toEqual(done(200, 'ok', true))
    })

    it('Connection: close is not reusable, in any case or list position', () => {
      expect(
        plain(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok')),
      ).toEqual(done(200, 'ok', false))
      expect(
        plain(
          parse('HTTP/1.1 200 OK\r\nconnection: Upgrade, CLOSE\r\nContent-Length: 2\r\n\r\nok'),
        ),
      ).toEqual(done(200, 'ok', false))
      expect(
        plain(
          parse('HTTP/1.0 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 2\r\n\r\nok'),
        ),
      ).toEqual(done(200, 'ok', false))
    })

    it('extra bytes after the reply make it not reusable', () => {
      expect(plain(parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokX'))).toEqual(
        done(200, 'ok', false),
      )
      const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'
      expect(plain(parse(`${chunked}HTTP/1.1 200 OK\r\n`))).toEqual(done(200, 'ok', false))
    })

    it('a reply with both Transfer-Encoding: chunked and Content-Length is read as chunked, not reusable', () => {
      const text =
        'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '3\r\nabc\r\n0\r\n\r\n'
      expect(plain(parse(text))).toEqual(done(200, 'abc', false))
    })
  })

  describe('no framing', () => {
    it('reads until close, from the right body start', () => {
      const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n'
      expect(parse(head)).toEqual({ kind: 'until-close', status: 200, bodyStart: head.length })
      expect(parse(`${head}some body`)).toEqual({
        kind: 'until-close',
        status: 200,
        bodyStart: head.length,
      })
    })

    it('counts the interim replies before the body start', () => {
      const interim = 'HTTP/1.1 100 Continue\r\n\r\n'
      const head = 'HTTP/1.0 202 Accepted\r\n\r\n'
      expect(parse(`${interim}${head}abc`)).toEqual({
        kind: 'until-close',
        status: 202,
        bodyStart: interim.length + head.length,
      })
    })
  })

  describe('limits', () => {
    const small: ReplyLimits = { headBytesMax: 64, bodyBytesMax: 8 }

    it('refuses a head longer than headBytesMax, complete or not', () => {
      const long = `HTTP/1.1 200 OK\r\nX-Long: ${'a'.repeat(100)}\r\n\r\n`
      expect(parse(long, small)).toMatchObject({ kind: 'bad' })
      expect(parse(long.slice(0, 80), small)).toMatchObject({ kind: 'bad' })
    })

    it('accepts a head of exactly headBytesMax bytes, however it is split', () => {
      const start = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: '
      const head = start + 'a'.repeat(64 - start.length)
      expect(head.length).toBe(64)
      expectSplitAnywhere(`${head}\r\n\r\n`, done(200, '', true), small)
      expect(parse(`${head}a\r\n\r\n`, small)).toMatchObject({ kind: 'bad' })
    })

    it('holds trailers to headBytesMax, the same whether they arrive whole or in pieces', () => {
      const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n'
      const trailer = `T: ${'t'.repeat(61)}`
      expect(trailer.length).toBe(64)
      expectSplitAnywhere(`${head}${trailer}\r\n\r\n`, done(200, 'x', true), small)
      expect(parse(`${head}${trailer}t\r\n\r\n`, small)).toMatchObject({ kind: 'bad' })
      expect(parse(`${head}${trailer}tttt`, small)).toMatchObject({ kind: 'bad' })
    })

    it('refuses a Content-Length over bodyBytesMax before the body comes', () => {
      expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n', small)).toMatchObject({
        kind: 'bad',
      })
      expect(plain(parse('HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n12345678', small))).toEqual(
        done(200, '12345678', true),
      )
    })

    it('refuses a chunked body whose total goes over bodyBytesMax', () => {
      const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
      expect(parse(`${head}5\r\nabcde\r\n4\r\n`, small)).toMatchObject({ kind: 'bad' })
      expect(plain(parse(`${head}5\r\nabcde\r\n3\r\nfgh\r\n0\r\n\r\n`, small))).toEqual(
        done(200, 'abcdefgh', true),
      )
    })
  })

  describe('bad replies', () => {
    it.each([
      ['garbage status line', 'garbage\r\n\r\n'],
      ['HTTP/2 status line', 'HTTP/2 200 OK\r\n\r\n'],
      ['status code too short', 'HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n'],
      ['status code starting with 0', 'HTTP/1.1 099 OK\r\nContent-Length: 0\r\n\r\n'],
      ['header line without a colon', 'HTTP/1.1 200 OK\r\nNoColon\r\n\r\n'],
      ['header line with an empty name', 'HTTP/1.1 200 OK\r\n: x\r\n\r\n'],
      ['Content-Length not a number', 'HTTP/1.1 200 OK\r\nContent-Length: five\r\n\r\nfive!'],
      ['negative Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'],
      ['Content-Length list', 'HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok'],
      ['empty Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n'],
      [
        'conflicting Content-Length',
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nokk',
      ],
      ['gzip coding', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx'],
      [
        'gzip, chunked coding',
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
      ],
      [
        'chunked, then another coding',
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n',
      ],
      ['bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n'],
      ['negative chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n'],
      ['empty chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n'],
      [
        'chunk size too large',
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n123456789\r\n',
      ],
      [
        'chunk not followed by CRLF',
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n',
      ],
      ['101 Switching Protocols', 'HTTP/1.1 101 Switching Protocols\r\n\r\n'],
    ])('%s', (_name, text) => {
      const reply = parse(text)
      expect(reply.kind).toBe('bad')
      if (reply.kind === 'bad') expect(reply.reason).toMatch(/\w/)
    })

    it('refuses a chunk size line that never ends', () => {
      const text = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;${'x'.repeat(2000)}`
      expect(parse(text)).toMatchObject({ kind: 'bad' })
    })

    it('refuses a garbage status line before the head is complete', () => {
      expect(parse('SSH-2.0-OpenSSH_9.6\r\n').kind).not.toBe('done')
      expect(parse('SSH-2.0-OpenSSH_9.6\r\n\r\n').kind).toBe('bad')
    })
  })
})
