import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql'
import { uint64Max } from '../../domain/shared/uint64.ts'

const badInput = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } })

function toUInt64(value: unknown): bigint {
  let parsed: bigint | undefined
  if (typeof value === 'bigint') parsed = value
  else if (typeof value === 'number' && Number.isSafeInteger(value)) parsed = BigInt(value)
  else if (typeof value === 'string' && /^\d+$/.test(value)) parsed = BigInt(value)
  if (parsed === undefined || parsed < 0n || parsed > uint64Max) {
    throw badInput(`UInt64 must be a whole number from 0 to ${uint64Max}, got ${String(value)}`)
  }
  return parsed
}

const literal = (node: ValueNode): unknown =>
  node.kind === Kind.INT || node.kind === Kind.STRING ? node.value : undefined

/** Unsigned 64-bit amounts: input as int or string, output as a JSON string (Rafiki's wire form). */
export const UInt64 = new GraphQLScalarType({
  name: 'UInt64',
  description: 'An unsigned 64-bit integer, output as a string',
  serialize: (value) => toUInt64(value).toString(),
  parseValue: toUInt64,
  parseLiteral: (node) => toUInt64(node.kind === Kind.INT ? node.value : literal(node)),
})

function toUInt8(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 255) {
    return value
  }
  throw badInput(`UInt8 must be a whole number from 0 to 255, got ${String(value)}`)
}

export const UInt8 = new GraphQLScalarType({
  name: 'UInt8',
  description: 'An unsigned 8-bit integer',
  serialize: toUInt8,
  parseValue: toUInt8,
  parseLiteral: (node) => toUInt8(node.kind === Kind.INT ? Number(node.value) : undefined),
})

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export const JSONObject = new GraphQLScalarType({
  name: 'JSONObject',
  description: 'A JSON object',
  serialize: (value) => value,
  parseValue: (value) => {
    if (!isPlainObject(value)) throw badInput('JSONObject must be a JSON object')
    return value
  },
  parseLiteral: () => {
    throw badInput('JSONObject must be passed as a variable')
  },
})
