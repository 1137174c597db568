// Wiring of the embedded authorization server: its storage (the node's database, or
// AUTH_DATABASE_URL), the GNAP use cases, introspection (in process for our own resource server)
// and the expired-token cleanup. composeAuthServer wires it alone, for `npm run start:auth`.
import 'reflect-metadata'
import type { Sql } from 'postgres'
import { container as rootContainer } from 'tsyringe'
import { makeAuthAdminGraphql } from '../adapters/graphql/auth-admin-graphql.ts'
import { makeAdminApp } from '../adapters/http/admin-app.ts'
import { gnapFinishHash } from '../adapters/auth/gnap-finish-hash.ts'
import { makeHttpClientNames } from '../adapters/auth/http-client-names.ts'
import { makeInProcessTokenIntrospection } from '../adapters/auth/in-process-token-introspection.ts'
import { requestSignatureVerifier } from '../adapters/auth/http-signature.ts'
import { makeGnapApp } from '../adapters/http/auth/gnap-app.ts'
import { makeIdpApp } from '../adapters/http/auth/idp-app.ts'
import { makeIntrospectionApp } from '../adapters/http/auth/introspection-app.ts'
import { makeInteractionRoutes } from '../adapters/http/auth/interaction-routes.ts'
import { makePostgresAuthGrantRepository } from '../adapters/postgres/auth-grant-repository.ts'
import { randomAuthSecrets } from '../adapters/system/random-auth-secrets.ts'
import {
  makeGetGrant,
  makeListGrants,
  makeRevokeGrantByAdmin,
  type GetGrant,
  type ListGrants,
  type RevokeGrantByAdmin,
} from '../application/auth/admin-grants.ts'
import { makeContinueGrant, type ContinueGrant } from '../application/auth/continue-grant.ts'
import {
  deadTokenCleanupIdleMs,
  deadTokenCleanupTopic,
  makeDeleteDeadTokens,
} from '../application/auth/delete-dead-tokens.ts'
import { makeWorkerLoop, type WorkerLoop } from '../application/workers/worker-loop.ts'
import type { WorkSignal } from '../application/ports/work-signal.ts'
import { makeIntrospectToken, type IntrospectToken } from '../application/auth/introspect-token.ts'
import {
  makeRevokeGrantByContinuation,
  type RevokeGrantByContinuation,
} from '../application/auth/revoke-grant.ts'
import { makeRequestGrant, type RequestGrant } from '../application/auth/request-grant.ts'
import { makeRevokeToken, type RevokeToken } from '../application/auth/revoke-token.ts'
import { makeRotateToken, type RotateToken } from '../application/auth/rotate-token.ts'
import {
  makeChooseInteraction,
  type ChooseInteraction,
} from '../application/auth/interaction-decide.ts'
import {
  makeGetInteractionDetails,
  type GetInteractionDetails,
} from '../application/auth/interaction-details.ts'
import {
  makeFinishInteraction,
  type FinishInteraction,
} from '../application/auth/interaction-finish.ts'
import {
  makeStartInteraction,
  type StartInteraction,
} from '../application/auth/interaction-start.ts'
import type { AuthGrantRepository } from '../application/ports/auth-grant-repository.ts'
import type { ClientKeys } from '../application/ports/client-keys.ts'
import type { ClientNames } from '../application/ports/client-names.ts'
import type { AuthSecrets } from '../application/ports/auth-secrets.ts'
import type { Cache } from '../application/ports/cache.ts'
import type { Clock } from '../application/ports/clock.ts'
import type { IdGenerator } from '../application/ports/ids.ts'
import type { Logger } from '../application/ports/logger.ts'
import type { TokenIntrospection } from '../application/ports/token-introspection.ts'
import { makeClientKeys, signatureMaxAgeSeconds } from './client-keys.ts'
import type { Config } from './config.ts'
import type { FetchHandler } from './serve.ts'
import { registrar, token, type Factory, type Get, type Token } from './tokens.ts'

export const authTokens = {
  authSql: token<Sql>('AuthSql'),
  grantRepository: token<AuthGrantRepository>('AuthGrantRepository'),
  secrets: token<AuthSecrets>('AuthSecrets'),
  introspectToken: token<IntrospectToken>('IntrospectToken'),
  inProcessIntrospection: token<TokenIntrospection>('InProcessTokenIntrospection'),
  requestGrant: token<RequestGrant>('RequestGrant'),
  continueGrant: token<ContinueGrant>('ContinueGrant'),
  revokeGrantByContinuation: token<RevokeGrantByContinuation>('RevokeGrantByContinuation'),
  rotateToken: token<RotateToken>('RotateToken'),
  revokeToken: token<RevokeToken>('RevokeToken'),
  listGrants: token<ListGrants>('ListGrants'),
  getGrant: token<GetGrant>('GetGrant'),
  revokeGrantByAdmin: token<RevokeGrantByAdmin>('RevokeGrantByAdmin'),
  /** Deletes tokens dead for ACCESS_TOKEN_DELETION_DAYS; none with an external auth server. */
  workers: token<readonly WorkerLoop[]>('AuthWorkers'),
  clientNames: token<ClientNames>('ClientNames'),
  startInteraction: token<StartInteraction>('StartInteraction'),
  interactionDetails: token<GetInteractionDetails>('GetInteractionDetails'),
  chooseInteraction: token<ChooseInteraction>('ChooseInteraction'),
  finishInteraction: token<FinishInteraction>('FinishInteraction'),
  /** COOKIE_KEY and IDENTITY_SERVER_SECRET, or per-boot random ones outside production. */
  keys: token<AuthKeys>('AuthKeys'),
  /** AUTH_PORT: GNAP and the interaction's front channel. */
  authApp: token<FetchHandler>('AuthApp'),
  introspectionApp: token<FetchHandler>('IntrospectionApp'),
  /** INTERACTION_PORT: the identity provider's back channel and the built-in consent page. */
  interactionApp: token<FetchHandler>('InteractionApp'),
} as const

type AuthKeys = { readonly cookieKey: string; readonly identityServerSecret: string }

const clientNameTimeoutMs = 2_000

export type AuthBaseTokens = {
  readonly config: Token<Config>
  readonly logger: Token<Logger>
  readonly clock: Token<Clock>
  readonly ids: Token<IdGenerator>
  /** Client keys at `{wallet address}/jwks.json`, shared with the resource server. */
  readonly clientKeys: Token<ClientKeys>
  readonly workSignal: Token<WorkSignal>
}

// Tokens deleted per cleanup step (one statement).
const tokenDeletionBatchMax = 1000

/** The clients the authorization server runs on when it runs alone (`npm run start:auth`). */
export type AuthServerInfrastructure = {
  readonly config: Config
  readonly logger: Logger
  readonly clock: Clock
  readonly ids: IdGenerator
  /** Client keys (as the resource server caches them) and admin signature replays. */
  readonly cache: Cache
  readonly authSql: Sql
  readonly workSignal: WorkSignal
}

export const authServerTokens = {
  config: token<Config>('Config'),
  logger: token<Logger>('Logger'),
  clock: token<Clock>('Clock'),
  ids: token<IdGenerator>('IdGenerator'),
  cache: token<Cache>('Cache'),
  workSignal: token<WorkSignal>('WorkSignal'),
  clientKeys: token<ClientKeys>('ClientKeys'),
  /** AUTH_ADMIN_PORT: grants, grant and revokeGrant; signed with ADMIN_API_SECRET when set. */
  adminApp: token<FetchHandler>('AuthAdminApp'),
} as const

/** The authorization server's graph without the rest of the node, in its own container. */
export function composeAuthServer(infra: AuthServerInfrastructure): { readonly get: Get } {
  const container = rootContainer.createChildContainer()
  const { value, factory } = registrar(container)
  const t = authServerTokens
  value(t.config, infra.config)
  value(t.logger, infra.logger)
  value(t.clock, infra.clock)
  value(t.ids, infra.ids)
  value(t.cache, infra.cache)
  value(t.workSignal, infra.workSignal)
  value(authTokens.authSql, infra.authSql)
  factory(t.clientKeys, (get) => makeClientKeys(get(t.cache), get(t.clock)))
  registerAuth(factory, t)
  factory(t.adminApp, (get) => {
    const config = get(t.config)
    const graphql = makeAuthAdminGraphql({
      logger: get(t.logger),
      graphiql: !config.isProduction,
      listGrants: get(authTokens.listGrants),
      getGrant: get(authTokens.getGrant),
      revokeGrantByAdmin: get(authTokens.revokeGrantByAdmin),
    })
    // Rafiki's auth service: ADMIN_API_SECRET, not the backend's API_SECRET.
    return makeAdminApp({
      graphql,
      logger: get(t.logger),
      cache: get(t.cache),
      clock: get(t.clock),
      apiSecret: config.ADMIN_API_SECRET,
      apiSignatureVersion: config.ADMIN_API_SIGNATURE_VERSION,
      signatureTtlSeconds: config.ADMIN_API_SIGNATURE_TTL_SECONDS,
    })
  })
  return { get: (key) => container.resolve(key) }
}

export function registerAuth(factory: Factory, base: AuthBaseTokens): void {
  const t = authTokens
  factory(t.grantRepository, (get) => makePostgresAuthGrantRepository(get(t.authSql)))
  factory(t.secrets, () => randomAuthSecrets)
  const core = (get: Get) => ({ grants: get(t.grantRepository), clock: get(base.clock) })
  factory(t.introspectToken, (get) => makeIntrospectToken(core(get)))
  factory(t.inProcessIntrospection, (get) =>
    makeInProcessTokenIntrospection(get(t.introspectToken)),
  )
  factory(t.requestGrant, (get) => {
    const config = get(base.config)
    return makeRequestGrant({
      ...core(get),
      ids: get(base.ids),
      secrets: get(t.secrets),
      config: {
        authServerUrl: config.authServer.url,
        accessTokenExpirySeconds: config.ACCESS_TOKEN_EXPIRY_SECONDS,
        waitSeconds: config.WAIT_SECONDS,
        interactionExpirySeconds: config.INTERACTION_EXPIRY_SECONDS,
        incomingPaymentInteraction: config.INCOMING_PAYMENT_INTERACTION,
        quoteInteraction: config.QUOTE_INTERACTION,
        listAllAccessInteraction: config.LIST_ALL_ACCESS_INTERACTION,
      },
    })
  })
  factory(t.rotateToken, (get) => {
    const config = get(base.config)
    return makeRotateToken({
      ...core(get),
      ids: get(base.ids),
      secrets: get(t.secrets),
      config: {
        authServerUrl: config.authServer.url,
        accessTokenExpirySeconds: config.ACCESS_TOKEN_EXPIRY_SECONDS,
      },
    })
  })
  factory(t.revokeToken, (get) => makeRevokeToken(core(get)))
  factory(t.continueGrant, (get) => {
    const config = get(base.config)
    return makeContinueGrant({
      ...core(get),
      ids: get(base.ids),
      secrets: get(t.secrets),
      config: {
        authServerUrl: config.authServer.url,
        accessTokenExpirySeconds: config.ACCESS_TOKEN_EXPIRY_SECONDS,
      },
    })
  })
  factory(t.revokeGrantByContinuation, (get) => makeRevokeGrantByContinuation(core(get)))
  factory(t.listGrants, (get) => makeListGrants(core(get)))
  factory(t.getGrant, (get) => makeGetGrant(core(get)))
  factory(t.revokeGrantByAdmin, (get) => makeRevokeGrantByAdmin(core(get)))
  factory(t.workers, (get) => {
    const config = get(base.config)
    if (!config.authServer.embedded) return []
    const cleanup = makeDeleteDeadTokens({
      ...core(get),
      deletionDays: config.ACCESS_TOKEN_DELETION_DAYS,
      deletionBatchMax: tokenDeletionBatchMax,
    })
    return [
      makeWorkerLoop(
        { processNext: cleanup, signal: get(base.workSignal), logger: get(base.logger) },
        {
          name: 'auth_token_cleanup',
          topic: deadTokenCleanupTopic,
          concurrency: 1,
          idleMs: deadTokenCleanupIdleMs,
        },
      ),
    ]
  })
  registerInteraction(factory, base)
  factory(t.authApp, (get) => {
    const config = get(base.config)
    return makeGnapApp({
      logger: get(base.logger),
      authServerUrl: config.authServer.url,
      publicUrl: { trustProxy: config.TRUST_PROXY, allowHttp: !config.isProduction },
      signature: {
        clientKeys: get(base.clientKeys),
        signatures: requestSignatureVerifier,
        clock: get(base.clock),
        signatureMaxAgeSeconds,
      },
      grants: get(t.grantRepository),
      requestGrant: get(t.requestGrant),
      continueGrant: get(t.continueGrant),
      revokeGrantByContinuation: get(t.revokeGrantByContinuation),
      rotateToken: get(t.rotateToken),
      revokeToken: get(t.revokeToken),
      interactionRoutes: makeAuthInteractionRoutes(get, base),
    })
  })
  factory(t.introspectionApp, (get) =>
    makeIntrospectionApp({ logger: get(base.logger), introspectToken: get(t.introspectToken) }),
  )
}

function registerInteraction(factory: Factory, base: AuthBaseTokens): void {
  const t = authTokens
  const core = (get: Get) => ({ grants: get(t.grantRepository), clock: get(base.clock) })
  factory(t.keys, (get) => {
    const config = get(base.config)
    const secrets = get(t.secrets)
    // Production refuses to boot without them (config.ts); elsewhere a restart forgets sessions.
    if (config.COOKIE_KEY === undefined || config.IDENTITY_SERVER_SECRET === undefined) {
      get(base.logger).warn(
        {},
        'COOKIE_KEY or IDENTITY_SERVER_SECRET is unset: a random one is used until restart',
      )
    }
    return {
      cookieKey: config.COOKIE_KEY ?? secrets.secret(),
      identityServerSecret: config.IDENTITY_SERVER_SECRET ?? secrets.secret(),
    }
  })
  factory(t.clientNames, () => makeHttpClientNames({ timeoutMs: clientNameTimeoutMs }))
  factory(t.startInteraction, (get) =>
    makeStartInteraction({
      ...core(get),
      identityServerUrl: get(base.config).authServer.identityServerUrl,
      clientNames: get(t.clientNames),
    }),
  )
  factory(t.interactionDetails, (get) =>
    makeGetInteractionDetails({ ...core(get), clientNames: get(t.clientNames) }),
  )
  factory(t.chooseInteraction, (get) => makeChooseInteraction(core(get)))
  factory(t.finishInteraction, (get) =>
    makeFinishInteraction({
      ...core(get),
      authServerUrl: get(base.config).authServer.url,
      finishHash: gnapFinishHash,
    }),
  )
  factory(t.interactionApp, (get) => {
    const config = get(base.config)
    const keys = get(t.keys)
    return makeIdpApp({
      logger: get(base.logger),
      identityServerSecret: keys.identityServerSecret,
      getInteractionDetails: get(t.interactionDetails),
      chooseInteraction: get(t.chooseInteraction),
      consentPage: {
        enabled: config.authServer.builtInConsent,
        // The page decides for whoever opens it: in production only the operator's users, who
        // know IDENTITY_SERVER_SECRET (HTTP Basic), reach it.
        ...(config.isProduction && { requireSecret: keys.identityServerSecret }),
        authServerUrl: config.authServer.url,
        csrfKey: keys.cookieKey,
      },
    })
  })
}

/** The interaction's front channel, mounted on the AUTH_PORT app. */
function makeAuthInteractionRoutes(get: Get, base: AuthBaseTokens) {
  const config = get(base.config)
  return makeInteractionRoutes({
    startInteraction: get(authTokens.startInteraction),
    finishInteraction: get(authTokens.finishInteraction),
    clock: get(base.clock),
    cookieKey: get(authTokens.keys).cookieKey,
    authServerUrl: config.authServer.url,
    ...(config.INTERACTION_COOKIE_SAME_SITE && { sameSite: config.INTERACTION_COOKIE_SAME_SITE }),
  })
}
