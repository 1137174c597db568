import { err, ok, type Result } from '../../domain/shared/result.ts'

export type FetchTextOptions = {
  /** The whole exchange, reply body included. */
  readonly timeoutMs: number
  /** A longer reply is refused (`too_large`) instead of being held in memory. */
  readonly replyBytesMax: number
}

export type TextReply = { readonly status: number; readonly text: string }

export type FetchTextError =
  /** Network failure or timeout. */
  'unreachable' | 'too_large'

/** fetch with a timeout and a bound on the reply; never throws. */
export async function fetchText(
  url: string,
  init: RequestInit,
  options: FetchTextOptions,
): Promise<Result<TextReply, FetchTextError>> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) })
    const text = await readCapped(response.body, options.replyBytesMax)
    return text === undefined ? err('too_large') : ok({ status: response.status, text })
  } catch {
    // The callers' errors carry no detail, so the reason (refused, reset, timeout) is not kept.
    return err('unreachable')
  }
}

/** The body as text, or undefined when it is longer than bytesMax (the rest is not read). */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  bytesMax: number,
): Promise<string | undefined> {
  if (body === null) return ''
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let bytes = 0
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return text + decoder.decode()
    bytes += value.byteLength
    if (bytes > bytesMax) {
      await reader.cancel()
      return undefined
    }
    text += decoder.decode(value, { stream: true })
  }
}
