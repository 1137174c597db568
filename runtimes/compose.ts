// The one place that wires the object graph. Clients created at boot are registered as values;
// use cases and apps as cached factories. No decorators: tokens are explicit and typed.
import 'reflect-metadata'
import type { Sql } from 'postgres'
import {
  container as rootContainer,
  instanceCachingFactory,
  type DependencyContainer,
} from 'tsyringe'
import { makeRunIdempotent, type RunIdempotent } from '../application/admin/run-idempotent.ts'
import { makeCreateAsset, type CreateAsset } from '../application/assets/create-asset.ts'
import { makeDeleteAsset, type DeleteAsset } from '../application/assets/delete-asset.ts'
import {
  makeGetAssetByCodeAndScale,
  type GetAssetByCodeAndScale,
} from '../application/assets/get-asset-by-code-and-scale.ts'
import { makeGetAsset, type GetAsset } from '../application/assets/get-asset.ts'
import { makeListAssets, type ListAssets } from '../application/assets/list-assets.ts'
import { makeUpdateAsset, type UpdateAsset } from '../application/assets/update-asset.ts'
import type { AssetRepository } from '../application/ports/asset-repository.ts'
import type { Cache } from '../application/ports/cache.ts'
import type { Clock } from '../application/ports/clock.ts'
import type { IdGenerator } from '../application/ports/ids.ts'
import type { Locks } from '../application/ports/lock.ts'
import type { Logger } from '../application/ports/logger.ts'
import { makeAdminGraphql } from '../adapters/graphql/admin-graphql.ts'
import { makeAdminApp } from '../adapters/http/admin-app.ts'
import { makeConnectorApp } from '../adapters/http/connector-app.ts'
import { makeOpenPaymentsApp } from '../adapters/http/open-payments-app.ts'
import { makePostgresAssetRepository } from '../adapters/postgres/asset-repository.ts'
import type { Config } from './config.ts'
import type { FetchHandler } from './serve.ts'

/** A typed tsyringe token: the phantom type ties a symbol to what it resolves to. */
export type Token<T> = symbol & { readonly __resolves?: T }
const token = <T>(name: string): Token<T> => Symbol(name) as Token<T>

export const tokens = {
  config: token<Config>('Config'),
  logger: token<Logger>('Logger'),
  clock: token<Clock>('Clock'),
  ids: token<IdGenerator>('IdGenerator'),
  cache: token<Cache>('Cache'),
  locks: token<Locks>('Locks'),
  sql: token<Sql>('Sql'),
  assetRepository: token<AssetRepository>('AssetRepository'),
  runIdempotent: token<RunIdempotent>('RunIdempotent'),
  createAsset: token<CreateAsset>('CreateAsset'),
  updateAsset: token<UpdateAsset>('UpdateAsset'),
  deleteAsset: token<DeleteAsset>('DeleteAsset'),
  getAsset: token<GetAsset>('GetAsset'),
  getAssetByCodeAndScale: token<GetAssetByCodeAndScale>('GetAssetByCodeAndScale'),
  listAssets: token<ListAssets>('ListAssets'),
  adminApp: token<FetchHandler>('AdminApp'),
  openPaymentsApp: token<FetchHandler>('OpenPaymentsApp'),
  connectorApp: token<FetchHandler>('ConnectorApp'),
} as const

/** Clients opened at boot (database, cache, ...), handed to the graph as values. */
export type Infrastructure = {
  readonly config: Config
  readonly logger: Logger
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly cache: Cache
  readonly locks: Locks
  readonly sql: Sql
}

type Get = <T>(token: Token<T>) => T

export type Graph = { readonly get: Get; readonly container: DependencyContainer }

export function compose(infra: Infrastructure): Graph {
  const container = rootContainer.createChildContainer()
  const value = <T>(key: Token<T>, instance: T) => container.register(key, { useValue: instance })
  const factory = <T>(key: Token<T>, make: (get: Get) => T) =>
    container.register(key, {
      useFactory: instanceCachingFactory((c) => make((t) => c.resolve(t))),
    })
  value(tokens.config, infra.config)
  value(tokens.logger, infra.logger)
  value(tokens.clock, infra.clock)
  value(tokens.ids, infra.ids)
  value(tokens.cache, infra.cache)
  value(tokens.locks, infra.locks)
  value(tokens.sql, infra.sql)
  registerAssets(factory)
  registerApps(factory)
  return { get: (t) => container.resolve(t), container }
}

type Factory = <T>(key: Token<T>, make: (get: Get) => T) => void

function registerAssets(factory: Factory): void {
  factory(tokens.assetRepository, (get) => makePostgresAssetRepository(get(tokens.sql)))
  const assetDeps = (get: Get) => ({
    assets: get(tokens.assetRepository),
    clock: get(tokens.clock),
    ids: get(tokens.ids),
  })
  factory(tokens.createAsset, (get) => makeCreateAsset(assetDeps(get)))
  factory(tokens.updateAsset, (get) => makeUpdateAsset(assetDeps(get)))
  factory(tokens.deleteAsset, (get) => makeDeleteAsset(assetDeps(get)))
  factory(tokens.getAsset, (get) => makeGetAsset(assetDeps(get)))
  factory(tokens.getAssetByCodeAndScale, (get) => makeGetAssetByCodeAndScale(assetDeps(get)))
  factory(tokens.listAssets, (get) => makeListAssets(assetDeps(get)))
}

function registerApps(factory: Factory): void {
  factory(tokens.runIdempotent, (get) =>
    makeRunIdempotent({
      cache: get(tokens.cache),
      locks: get(tokens.locks),
      keyTtlMs: get(tokens.config).GRAPHQL_IDEMPOTENCY_KEY_TTL_MS,
      lockTtlMs: get(tokens.config).GRAPHQL_IDEMPOTENCY_KEY_LOCK_MS,
    }),
  )
  factory(tokens.adminApp, (get) => {
    const config = get(tokens.config)
    const graphql = makeAdminGraphql({
      logger: get(tokens.logger),
      graphiql: !config.isProduction,
      runIdempotent: get(tokens.runIdempotent),
      createAsset: get(tokens.createAsset),
      updateAsset: get(tokens.updateAsset),
      deleteAsset: get(tokens.deleteAsset),
      getAsset: get(tokens.getAsset),
      getAssetByCodeAndScale: get(tokens.getAssetByCodeAndScale),
      listAssets: get(tokens.listAssets),
    })
    return makeAdminApp({
      graphql,
      logger: get(tokens.logger),
      cache: get(tokens.cache),
      clock: get(tokens.clock),
      apiSecret: config.API_SECRET,
      apiSignatureVersion: config.API_SIGNATURE_VERSION,
      signatureTtlSeconds: config.ADMIN_API_SIGNATURE_TTL_SECONDS,
    })
  })
  factory(tokens.openPaymentsApp, (get) => makeOpenPaymentsApp({ logger: get(tokens.logger) }))
  factory(tokens.connectorApp, (get) => makeConnectorApp({ logger: get(tokens.logger) }))
}
