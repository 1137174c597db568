import { describe, expect, it } from 'vitest'
import { loadConfig, type Config } from './config.ts'

const load = (env: Record<string, string | undefined>): Config => {
  const result = loadConfig(env)
  if (!result.ok) throw new Error(result.message)
  return result.config
}

const failure = (env: Record<string, string | undefined>): string => {
  const result = loadConfig(env)
  if (result.ok) throw new Error('expected a configuration error')
  return result.message
}

describe('loadConfig', () => {
  it("starts on Rafiki's defaults plus local values with an empty environment", () => {
    const config = load({})
    expect(config).toMatchObject({
      ADMIN_PORT: 3001,
      CONNECTOR_PORT: 3002,
      OPEN_PAYMENTS_PORT: 3003,
      AUTO_PEERING_SERVER_PORT: 3005,
      TIGERBEETLE_CLUSTER_ID: 0,
      TIGERBEETLE_REPLICA_ADDRESSES: ['3004'],
      TIGERBEETLE_TWO_PHASE_TIMEOUT_SECONDS: 5,
      ENABLE_MANUAL_MIGRATIONS: false,
      SLIPPAGE: 0.01,
      EXCHANGE_RATES_LIFETIME: 15_000,
      QUOTE_LIFESPAN: 300_000,
      ENABLE_SPSP_PAYMENT_POINTERS: true,
      ENABLE_AUTO_PEERING: false,
      WALLET_ADDRESS_URL: 'http://127.0.0.1:3001/.well-known/pay',
      INCOMING_PAYMENT_EXPIRY_MAX_MS: 2_592_000_000,
      WALLET_ADDRESS_LOOKUP_TIMEOUT_MS: 1500,
      WALLET_ADDRESS_POLLING_FREQUENCY_MS: 100,
      WALLET_ADDRESS_DEACTIVATION_PAYMENT_GRACE_PERIOD_MS: 86_400_000,
      TRUST_PROXY: false,
      MAX_OUTGOING_PAYMENT_RETRY_ATTEMPTS: 5,
      OUTGOING_PAYMENT_WORKERS: 4,
      WEBHOOK_TIMEOUT: 2000,
      WEBHOOK_MAX_RETRY: 10,
      SIGNATURE_VERSION: 1,
      GRAPHQL_IDEMPOTENCY_KEY_TTL_MS: 86_400_000,
      GRAPHQL_IDEMPOTENCY_KEY_LOCK_MS: 2000,
      API_SIGNATURE_VERSION: 1,
      ADMIN_API_SIGNATURE_TTL_SECONDS: 30,
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      embedded: true,
      useTigerbeetle: false,
      database: { kind: 'pglite', dataDir: './data/pglite' },
      ILP_ADDRESS: 'test.node',
      OPEN_PAYMENTS_URL: 'http://localhost:3003',
    })
    expect(config.REDIS_URL).toBeUndefined()
  })

  it('keeps TigerBeetle as the default ledger once a real database is configured', () => {
    const config = load({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test' })
    expect(config.useTigerbeetle).toBe(true)
    expect(config.embedded).toBe(false)
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgresql://postgres@127.0.0.1:5432/test',
    })
    expect(
      load({ DATABASE_URL: 'postgresql://x@h/db', USE_TIGERBEETLE: 'false' }).useTigerbeetle,
    ).toBe(false)
  })

  it('reads pglite:// targets', () => {
    expect(load({ DATABASE_URL: 'pglite://memory' }).database).toEqual({
      kind: 'pglite',
      dataDir: 'memory',
    })
    expect(load({ DATABASE_URL: 'pglite://./var/db' }).database).toEqual({
      kind: 'pglite',
      dataDir: './var/db',
    })
  })

  it('treats only "true" as true and empty strings as unset', () => {
    expect(load({ TRUST_PROXY: 'TRUE' }).TRUST_PROXY).toBe(false)
    expect(load({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(false)
    expect(load({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true)
    expect(load({ ENABLE_SPSP_PAYMENT_POINTERS: '' }).ENABLE_SPSP_PAYMENT_POINTERS).toBe(true)
    expect(load({ ADMIN_PORT: '' }).ADMIN_PORT).toBe(3001)
  })

  it('lists every invalid variable with its value and what was expected', () => {
    const message = failure({
      ADMIN_PORT: 'abc',
      CONNECTOR_PORT: '70000',
      SLIPPAGE: '2',
      LOG_LEVEL: 'loud',
      STREAM_SECRET: 'c2hvcnQ=',
      WEBHOOK_URL: 'not a url',
      DATABASE_URL: 'mysql://x',
    })
    expect(message).toContain('7 variable(s)')
    expect(message).toContain('ADMIN_PORT="abc": expected a whole number from 0 to 65535')
    expect(message).toContain('CONNECTOR_PORT="70000": expected a whole number from 0 to 65535')
    expect(message).toContain('SLIPPAGE="2": expected a decimal number from 0 to 1')
    expect(message).toContain('LOG_LEVEL="loud": expected one of fatal')
    expect(message).toContain('STREAM_SECRET="c2hvcnQ=": expected base64 of exactly 32 bytes')
    expect(message).toContain('WEBHOOK_URL="not a url": expected an http(s) URL')
    expect(message).toContain('DATABASE_URL="mysql://x": expected postgresql://')
  })

  it('requires Rafiki’s required values in production', () => {
    const message = failure({ NODE_ENV: 'production' })
    for (const name of [
      'OPEN_PAYMENTS_URL',
      'ILP_ADDRESS',
      'ILP_CONNECTOR_URL',
      'INSTANCE_NAME',
      'WEBHOOK_URL',
      'KEY_ID',
    ]) {
      expect(message).toContain(`${name}=(unset): expected a value (required)`)
    }
    for (const name of ['AUTH_SERVER_URL', 'COOKIE_KEY', 'IDENTITY_SERVER_SECRET']) {
      expect(message).toContain(`${name}=(unset): expected a value (required by the embedded`)
    }
  })

  it('needs both auth server URLs for an external authorization server in production', () => {
    const message = failure({ NODE_ENV: 'production', AUTH_SERVER_GRANT_URL: 'https://a.example' })
    expect(message).toContain('AUTH_SERVER_INTROSPECTION_URL=(unset): expected a value')
    expect(message).not.toContain('COOKIE_KEY')
  })

  it('embeds the authorization server unless both its URLs point elsewhere', () => {
    const embedded = load({ AUTH_PORT: '4006', INTERACTION_PORT: '4009' })
    expect(embedded.authServer).toEqual({
      embedded: true,
      url: 'http://localhost:4006',
      identityServerUrl: 'http://localhost:4009/consent',
      builtInConsent: true,
    })
    expect(embedded.AUTH_SERVER_GRANT_URL).toBe('http://localhost:4006')
    const publicUrl = load({ AUTH_SERVER_URL: 'https://auth.example/' })
    expect(publicUrl.authServer.url).toBe('https://auth.example')
    expect(publicUrl.AUTH_SERVER_GRANT_URL).toBe('https://auth.example')
    const external = load({
      AUTH_SERVER_GRANT_URL: 'https://as.example',
      AUTH_SERVER_INTROSPECTION_URL: 'https://as.example/introspect',
      IDENTITY_SERVER_URL: 'https://idp.example/login',
    })
    expect(external.authServer.embedded).toBe(false)
    expect(external.authServer.builtInConsent).toBe(false)
    expect(external.authServer.identityServerUrl).toBe('https://idp.example/login')
  })

  it('accepts a complete production environment', () => {
    const config = load({
      NODE_ENV: 'production',
      OPEN_PAYMENTS_URL: 'https://op.example',
      ILP_ADDRESS: 'g.example.node',
      ILP_CONNECTOR_URL: 'https://ilp.example',
      INSTANCE_NAME: 'example',
      AUTH_SERVER_GRANT_URL: 'https://auth.example',
      AUTH_SERVER_INTROSPECTION_URL: 'https://auth.example/introspect',
      WEBHOOK_URL: 'https://ase.example/webhooks',
      KEY_ID: 'key-1',
      STREAM_SECRET: Buffer.alloc(32, 7).toString('base64'),
    })
    expect(config.isProduction).toBe(true)
    expect(config.ILP_ADDRESS).toBe('g.example.node')
  })
})
