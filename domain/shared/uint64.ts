export const uint64Max = 2n ** 64n - 1n

export const isUInt64 = (value: bigint): boolean => value >= 0n && value <= uint64Max
