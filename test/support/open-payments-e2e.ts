// Setup shared by the Open Payments end-to-end tests and the Open Payments benchmark: a node
// whose OPEN_PAYMENTS_URL names its real port, a test authorization server, and admin helpers.
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { createHeaders } from '@interledger/http-signature-utils'
import { createAuthenticatedClient, type AuthenticatedClient } from '@interledger/open-payments'
import type { Node } from '../../runtimes/boot.ts'
import { gql, type GraphqlReply } from './graphql-client.ts'
import {
  freePort,
  retryOnPortClash,
  startTestAuthServer,
  type TestAuthServer,
  type TestAuthServerOptions,
} from './test-auth-server.ts'
import { bootTestNode } from './test-node.ts'

export type OpenPaymentsNode = Node & {
  readonly adminUrl: string
  /** OPEN_PAYMENTS_URL: the resource server, also the host of its wallet addresses. */
  readonly opUrl: string
  readonly auth: TestAuthServer
}

export const payload = <T>(reply: GraphqlReply, field: string, key: string): T => {
  const value = (reply.data?.[field] as Record<string, unknown> | null | undefined)?.[key]
  if (value === undefined || value === null) throw new Error(JSON.stringify(reply))
  return value as T
}

/** `env` may be a function of OPEN_PAYMENTS_URL, for variables that name the node's own port. */
export async function bootOpenPaymentsNode(
  env: Record<string, string> | ((opUrl: string) => Record<string, string>),
  authOptions: TestAuthServerOptions = {},
): Promise<OpenPaymentsNode> {
  const auth = await startTestAuthServer(authOptions)
  try {
    return await retryOnPortClash(async () => {
      const port = await freePort()
      const opUrl = `http://127.0.0.1:${port}`
      const node = await bootTestNode({
        OPEN_PAYMENTS_PORT: String(port),
        OPEN_PAYMENTS_URL: opUrl,
        AUTH_SERVER_GRANT_URL: auth.grantUrl,
        AUTH_SERVER_INTROSPECTION_URL: auth.introspectionUrl,
        ...(typeof env === 'function' ? env(opUrl) : env),
      })
      return {
        ...node,
        opUrl,
        auth,
        async stop() {
          await node.stop()
          await auth.close()
        },
      }
    })
  } catch (error) {
    await auth.close()
    throw error
  }
}

export async function createAsset(adminUrl: string, code: string, scale = 2): Promise<string> {
  const reply = await gql(
    adminUrl,
    `mutation ($input: CreateAssetInput!) { createAsset(input: $input) { asset { id } } }`,
    { input: { code, scale } },
  )
  return payload<{ id: string }>(reply, 'createAsset', 'asset').id
}

export async function createWalletAddress(
  adminUrl: string,
  assetId: string,
  url: string,
): Promise<string> {
  const reply = await gql(
    adminUrl,
    `mutation ($input: CreateWalletAddressInput!) {
      createWalletAddress(input: $input) { walletAddress { id } } }`,
    { input: { assetId, url, publicName: 'Test' } },
  )
  return payload<{ id: string }>(reply, 'createWalletAddress', 'walletAddress').id
}

export type ClientKey = { readonly keyId: string; readonly privateKey: KeyObject }

/** A new Ed25519 key registered on the wallet address through createWalletAddressKey. */
export async function registerClientKey(
  adminUrl: string,
  walletAddressId: string,
): Promise<ClientKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const { x } = publicKey.export({ format: 'jwk' })
  const keyId = `key-${crypto.randomUUID()}`
  const reply = await gql(
    adminUrl,
    `mutation ($input: CreateWalletAddressKeyInput!) {
      createWalletAddressKey(input: $input) { walletAddressKey { id } } }`,
    {
      input: { walletAddressId, jwk: { kid: keyId, x, alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' } },
    },
  )
  payload(reply, 'createWalletAddressKey', 'walletAddressKey')
  return { keyId, privateKey }
}

export type TestClient = {
  readonly url: string
  readonly walletAddressId: string
  readonly key: ClientKey
  readonly op: AuthenticatedClient
}

/** A new wallet address with a registered key, and the real Open Payments client signing as it. */
export async function newClient(
  node: { readonly adminUrl: string; readonly opUrl: string },
  assetId: string,
  name = 'app',
): Promise<TestClient> {
  const url = `${node.opUrl}/${name}-${crypto.randomUUID()}`
  const walletAddressId = await createWalletAddress(node.adminUrl, assetId, url)
  const key = await registerClientKey(node.adminUrl, walletAddressId)
  const op = await createAuthenticatedClient({
    walletAddressUrl: url,
    privateKey: key.privateKey,
    keyId: key.keyId,
    useHttp: true,
    logLevel: 'silent',
  })
  return { url, walletAddressId, key, op }
}

export type RawRequest = {
  readonly method: 'GET' | 'POST'
  readonly url: string
  readonly accessToken?: string | undefined
  /** Sent as is; signed unless `tamperedBody` replaces it after signing. */
  readonly body?: string
  readonly key?: ClientKey | undefined
  readonly tamperedBody?: string
}

/** One request made by hand, signed the way the Open Payments client signs. */
export async function sendRaw(request: RawRequest): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (request.accessToken !== undefined) headers['authorization'] = `GNAP ${request.accessToken}`
  if (request.key) {
    const signed = await createHeaders({
      request: { method: request.method, url: request.url, headers, body: request.body } as never,
      privateKey: request.key.privateKey,
      keyId: request.key.keyId,
    })
    Object.assign(headers, signed)
  }
  // createHeaders sets Content-Type (capitalized) on a signed body; two spellings would be sent
  // as one joined value and break the signature.
  if (request.body !== undefined && !('Content-Type' in headers)) {
    headers['content-type'] = 'application/json'
  }
  return fetch(request.url, {
    method: request.method,
    headers,
    body: request.tamperedBody ?? request.body ?? null,
  })
}

/** Deposits `amount` into the asset's liquidity account (depositAssetLiquidity). */
export async function depositAssetLiquidity(adminUrl: string, assetId: string, amount: bigint) {
  const reply = await gql(
    adminUrl,
    `mutation ($input: DepositAssetLiquidityInput!) {
      depositAssetLiquidity(input: $input) { success } }`,
    {
      input: {
        assetId,
        amount: amount.toString(),
        id: crypto.randomUUID(),
        idempotencyKey: crypto.randomUUID(),
      },
    },
  )
  if (payload(reply, 'depositAssetLiquidity', 'success') !== true) {
    throw new Error(JSON.stringify(reply))
  }
}
