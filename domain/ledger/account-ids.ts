import { assert } from '../shared/assert.ts'
import { isUuid } from '../shared/uuid.ts'

// Our own ids are random UUIDs of version 4. An asset's settlement account takes the asset's id
// with the version digit set to 8 (RFC 9562's "custom" version): deterministic, so it needs no
// column, and it can never collide with a version-4 id.
const versionIndex = 14

export function settlementAccountId(assetId: string): string {
  assert(isUuid(assetId) && assetId[versionIndex] === '4', `not a v4 asset id: ${assetId}`)
  return `${assetId.slice(0, versionIndex)}8${assetId.slice(versionIndex + 1)}`.toLowerCase()
}

export const isSettlementAccountId = (id: string): boolean => isUuid(id) && id[versionIndex] === '8'
