import { assert } from '../shared/assert.ts'
import { err, ok, type Result } from '../shared/result.ts'
import { isUInt64, uint64Max } from '../shared/uint64.ts'
import type { ExchangeRate } from './exchange-rate.ts'

/** The part of an asset a conversion needs; any Asset fits. */
export type ConversionAsset = { readonly code: string; readonly scale: number }

export type SourceConversion = {
  readonly sourceAmount: bigint
  readonly sourceAsset: ConversionAsset
  readonly destinationAsset: ConversionAsset
}

export type DestinationConversion = {
  readonly destinationAmount: bigint
  readonly sourceAsset: ConversionAsset
  readonly destinationAsset: ConversionAsset
}

export type ConversionError =
  /** The result is above 2^64 - 1 (for a zero rate and a positive destination amount, infinite). */
  'amount_overflow'

const scaleMax = 255
// Exponents met in practice: a double's decimal exponent (-324..308) plus a scale difference.
const cachedPowerMax = 324 + scaleMax
const powersOfTen: bigint[] = [1n]

function tenTo(exponent: number): bigint {
  let power = powersOfTen[exponent]
  if (power === undefined) {
    power = 10n ** BigInt(exponent)
    if (exponent <= cachedPowerMax) powersOfTen[exponent] = power
  }
  return power
}

const isScale = (scale: number): boolean =>
  Number.isInteger(scale) && scale >= 0 && scale <= scaleMax

function checkInputs(amount: bigint, source: ConversionAsset, destination: ConversionAsset): void {
  assert(isUInt64(amount), 'convert: the amount must be an unsigned 64-bit integer')
  assert(isScale(source.scale) && isScale(destination.scale), 'convert: scales are 0..255')
}

const bounded = (amount: bigint): Result<bigint, ConversionError> =>
  amount <= uint64Max ? ok(amount) : err('amount_overflow')

/**
 * floor(sourceAmount × rate × 10^(destination scale - source scale)): the receiver never gets
 * more than the rate gives (Rafiki rounds source to destination down).
 */
export function convertSource(
  request: SourceConversion,
  rate: ExchangeRate,
): Result<bigint, ConversionError> {
  const { sourceAmount, sourceAsset, destinationAsset } = request
  checkInputs(sourceAmount, sourceAsset, destinationAsset)
  const exponent = rate.exponent + destinationAsset.scale - sourceAsset.scale
  const product = sourceAmount * rate.mantissa
  return bounded(exponent >= 0 ? product * tenTo(exponent) : product / tenTo(-exponent))
}

/**
 * ceil(destinationAmount / (rate × 10^(destination scale - source scale))): what a fixed
 * destination amount costs the sender, rounded up. It is the least source amount whose
 * convertSource reaches destinationAmount.
 */
export function convertDestination(
  request: DestinationConversion,
  rate: ExchangeRate,
): Result<bigint, ConversionError> {
  const { destinationAmount, sourceAsset, destinationAsset } = request
  checkInputs(destinationAmount, sourceAsset, destinationAsset)
  if (destinationAmount === 0n) return ok(0n)
  if (rate.mantissa === 0n) return err('amount_overflow')
  // source = destinationAmount × 10^exponent / mantissa
  const exponent = sourceAsset.scale - destinationAsset.scale - rate.exponent
  const numerator = exponent >= 0 ? destinationAmount * tenTo(exponent) : destinationAmount
  const denominator = exponent >= 0 ? rate.mantissa : rate.mantissa * tenTo(-exponent)
  return bounded(ceilDivide(numerator, denominator))
}

const ceilDivide = (numerator: bigint, denominator: bigint): bigint =>
  numerator / denominator + (numerator % denominator === 0n ? 0n : 1n)
