import type { IlpReject } from 'ilp-packet'

/** The ILP error codes the pipeline answers with (COMPAT.md). */
export type RejectCode =
  | 'F00'
  | 'F01'
  | 'F02'
  | 'F03'
  | 'F05'
  | 'F07'
  | 'F08'
  | 'T00'
  | 'T01'
  | 'T04'
  | 'T05'
  | 'R00'
  | 'R02'

const empty = Buffer.alloc(0)

/** A reject triggered by us: the message says what, never how (no internals). */
export const reject = (
  triggeredBy: string,
  code: RejectCode,
  message: string,
  data: Buffer = empty,
): IlpReject => ({ code, triggeredBy, message, data })

/** F08's data (RFC 0027): received and maximum amounts, each an unsigned 64-bit big-endian. */
export function amountTooLargeData(received: bigint, maximum: bigint): Buffer {
  const data = Buffer.alloc(16)
  data.writeBigUInt64BE(received, 0)
  data.writeBigUInt64BE(maximum, 8)
  return data
}
