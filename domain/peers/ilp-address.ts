import { err, ok, type Result } from '../shared/result.ts'

/** RFC-0015's limit, as ilp-packet's isValidIlpAddress applies it. */
export const ilpAddressLengthMax = 1023

// RFC-0015: an allocation scheme, then one or more segments of letters, digits, `_`, `~`, `-`.
const ilpAddressPattern = /^(?:g|private|example|peer|self|test[1-3]?|local)(?:\.[a-zA-Z0-9_~-]+)+$/

/** The same rule as ilp-packet's isValidIlpAddress, which Rafiki uses for staticIlpAddress. */
export const isIlpAddress = (value: string): boolean =>
  value.length <= ilpAddressLengthMax && ilpAddressPattern.test(value)

export const validateIlpAddress = (value: string): Result<string, 'invalid_ilp_address'> =>
  isIlpAddress(value) ? ok(value) : err('invalid_ilp_address')
