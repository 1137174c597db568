// auth_access rows <-> access items; limit amounts are decimal strings in the jsonb, so 64-bit
// values survive JSON.
import {
  accessActions,
  accessTypes,
  type AccessAction,
  type AccessItem,
  type AccessLimits,
  type LimitAmount,
} from '../../domain/open-payments/access.ts'
import { assert } from '../../domain/shared/assert.ts'

type AmountJson = { value: string; assetCode: string; assetScale: number }
export type LimitsJson = {
  receiver?: string
  debitAmount?: AmountJson
  receiveAmount?: AmountJson
  interval?: string
}

export type AccessRow = {
  type: string
  actions: string[]
  identifier: string | null
  limits: LimitsJson | null
}

const amountToJson = (amount: LimitAmount): AmountJson => ({
  value: String(amount.value),
  assetCode: amount.assetCode,
  assetScale: amount.assetScale,
})

const amountFromJson = (amount: AmountJson): LimitAmount => ({
  value: BigInt(amount.value),
  assetCode: amount.assetCode,
  assetScale: amount.assetScale,
})

export function limitsToJson(limits: AccessLimits): LimitsJson {
  return {
    ...(limits.receiver !== undefined && { receiver: limits.receiver }),
    ...(limits.debitAmount && { debitAmount: amountToJson(limits.debitAmount) }),
    ...(limits.receiveAmount && { receiveAmount: amountToJson(limits.receiveAmount) }),
    ...(limits.interval !== undefined && { interval: limits.interval }),
  }
}

function limitsFromJson(json: LimitsJson): AccessLimits {
  return {
    ...(json.receiver !== undefined && { receiver: json.receiver }),
    ...(json.debitAmount && { debitAmount: amountFromJson(json.debitAmount) }),
    ...(json.receiveAmount && { receiveAmount: amountFromJson(json.receiveAmount) }),
    ...(json.interval !== undefined && { interval: json.interval }),
  }
}

export function accessFromRow(row: AccessRow): AccessItem {
  const type = row.type
  assert((accessTypes as readonly string[]).includes(type), `auth_access type ${type}`)
  const actions = row.actions
  assert(
    actions.every((a) => (accessActions as readonly string[]).includes(a)),
    `auth_access actions ${actions.join(',')}`,
  )
  return {
    type: type as AccessItem['type'],
    actions: actions as AccessAction[],
    ...(row.identifier !== null && { identifier: row.identifier }),
    ...(row.limits !== null && { limits: limitsFromJson(row.limits) }),
  }
}
