import {
  expiryOf,
  isGrantExpired,
  receiverGrantAccess,
  type Grant,
} from '../../domain/receivers/grant.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { Clock } from '../ports/clock.ts'
import type { GrantRepository } from '../ports/grant-repository.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Logger } from '../ports/logger.ts'
import type { IssuedToken, RemoteError, RemoteOpenPayments } from '../ports/remote-open-payments.ts'

/**
 * Runs `call` with an access token of `authServer` for receivers (incoming-payment create and
 * read-all). A stored unexpired grant is reused; an expired one is rotated (or, when rotation
 * fails, replaced); when the resource server refuses the token (401/403) the grant is dropped, a
 * new one requested and the call made once more.
 */
export type WithGrant = <T>(
  authServer: string,
  call: (accessToken: string) => Promise<Result<T, RemoteError>>,
) => Promise<Result<T, RemoteError>>

export type WithGrantDeps = {
  readonly grants: GrantRepository
  readonly remote: RemoteOpenPayments
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly logger: Logger
}

export const makeWithGrant = (deps: WithGrantDeps): WithGrant => {
  const { type, actions } = receiverGrantAccess
  const store = async (id: string, authServer: string, token: IssuedToken): Promise<Grant> => {
    const grant: Grant = {
      id,
      authServer,
      accessType: type,
      actions,
      accessToken: token.accessToken,
      managementUrl: token.managementUrl,
      expiresAt: expiryOf(token.expiresInSeconds, deps.clock.now()),
    }
    await deps.grants.save(grant)
    return grant
  }
  const requestNew = async (authServer: string): Promise<Result<Grant, RemoteError>> => {
    const issued = await deps.remote.requestGrant(authServer, { type, actions })
    if (!issued.ok) {
      deps.logger.warn({ authServer, error: issued.error }, 'grant request refused or failed')
      return issued
    }
    return ok(await store(deps.ids.uuid(), authServer, issued.value))
  }
  const current = async (authServer: string): Promise<Result<Grant, RemoteError>> => {
    const stored = await deps.grants.find(authServer, type)
    if (stored && !isGrantExpired(stored, deps.clock.now())) return ok(stored)
    if (stored) {
      const rotated = await deps.remote.rotateToken(stored.managementUrl, stored.accessToken)
      if (rotated.ok) return ok(await store(stored.id, authServer, rotated.value))
      deps.logger.info({ authServer, error: rotated.error }, 'token rotation failed: new grant')
      await deps.grants.delete(stored.id)
    }
    return requestNew(authServer)
  }
  return async (authServer, call) => {
    const grant = await current(authServer)
    if (!grant.ok) return err(grant.error)
    const first = await call(grant.value.accessToken)
    if (first.ok || first.error !== 'unauthorized') return first
    deps.logger.info({ authServer }, 'access token refused: requesting a new grant')
    await deps.grants.delete(grant.value.id)
    const renewed = await requestNew(authServer)
    if (!renewed.ok) return err(renewed.error)
    return call(renewed.value.accessToken)
  }
}
