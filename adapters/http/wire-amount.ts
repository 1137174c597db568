import * as v from 'valibot'
import { isUInt64 } from '../../domain/shared/uint64.ts'

/**
 * An Open Payments amount as another service sends it: the value a decimal string of an unsigned
 * 64-bit integer (read as a bigint), a non-empty asset code, a scale 0..255.
 */
export const wireAmountSchema = v.object({
  value: v.pipe(
    v.string(),
    v.regex(/^\d{1,20}$/, 'an unsigned integer'),
    v.transform((value: string) => BigInt(value)),
    v.check(isUInt64, 'an unsigned 64-bit integer'),
  ),
  assetCode: v.pipe(v.string(), v.nonEmpty()),
  assetScale: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255)),
})
