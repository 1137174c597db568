// Access tokens issued under a grant, their lifetime, and the introspection rule: a token is
// active while unexpired, unrevoked and its grant live, and then only for access its grant holds.
import {
  actionsByType,
  findAccess,
  type AccessAction,
  type AccessItem,
  type AccessType,
} from '../open-payments/access.ts'
import { isGrantLive, type Grant } from './grant.ts'

/** Token values carry at least this much randomness (the issue asks for >= 160 bits). */
export const tokenEntropyBitsMin = 160

export type AccessToken = {
  readonly id: string
  readonly grantId: string
  /** The bearer value; unique. */
  readonly value: string
  /** Path segment of the token's management URI (POST/DELETE /token/{managementId}); unique. */
  readonly managementId: string
  /** ACCESS_TOKEN_EXPIRY_SECONDS at issue. */
  readonly expiresInSeconds: number
  readonly createdAt: Date
  readonly revokedAt?: Date
}

export const tokenExpiresAtMs = (token: AccessToken): number =>
  token.createdAt.getTime() + token.expiresInSeconds * 1000

export const isTokenExpired = (token: AccessToken, nowMs: number): boolean =>
  nowMs >= tokenExpiresAtMs(token)

/** Tokens that expired or were revoked before this are deleted (ACCESS_TOKEN_DELETION_DAYS). */
export const tokenDeletionCutoff = (nowMs: number, deletionDays: number): Date =>
  new Date(nowMs - deletionDays * 86_400_000)

export function isTokenActive(token: AccessToken, grant: Grant, nowMs: number): boolean {
  return token.revokedAt === undefined && !isTokenExpired(token, nowMs) && isGrantLive(grant)
}

/** One item the resource server asks about in an introspection request. */
export type RequestedAccess = {
  readonly type: AccessType
  readonly actions: readonly AccessAction[]
  readonly identifier?: string
}

/**
 * True when `items` cover every action of every requested item: read-all covers read, list-all
 * covers list, and an item bound to a wallet address covers only that one. A request for
 * read-all or list-all needs exactly that action.
 */
export function coversRequestedAccess(
  items: readonly AccessItem[],
  requested: readonly RequestedAccess[],
): boolean {
  return requested.every((want) =>
    want.actions.every((action) => {
      if (!(actionsByType[want.type] as readonly AccessAction[]).includes(action)) return false
      if (action === 'read-all' || action === 'list-all') {
        return items.some(
          (item) =>
            item.type === want.type &&
            item.actions.includes(action) &&
            (item.identifier === undefined || item.identifier === want.identifier),
        )
      }
      const match = findAccess(items, {
        type: want.type,
        action,
        ...(want.identifier !== undefined && { identifier: want.identifier }),
      })
      return match !== undefined
    }),
  )
}
