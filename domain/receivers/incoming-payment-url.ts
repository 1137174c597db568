// Incoming payment URLs: `{resource server or wallet address URL}/incoming-payments/{uuid}`.
import { isUuid } from '../shared/uuid.ts'

export type IncomingPaymentUrl = {
  /** What precedes `/incoming-payments/`: a resource server URL or a wallet address URL. */
  readonly prefix: string
  readonly id: string
}

const pattern = /^(https?:\/\/.+)\/incoming-payments\/([^/?#]+)$/i

/** The parts of an incoming payment URL; undefined for anything else. */
export function parseIncomingPaymentUrl(url: string): IncomingPaymentUrl | undefined {
  const match = pattern.exec(url)
  const prefix = match?.[1]
  const id = match?.[2]
  if (prefix === undefined || id === undefined || !isUuid(id)) return undefined
  return { prefix, id: id.toLowerCase() }
}

/** URLs compared as configured values are written: case and trailing slashes do not count. */
export const sameBaseUrl = (a: string, b: string): boolean =>
  a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase()
