import {
  createAuthenticatedClient,
  createUnauthenticatedClient,
  getResourceServerOpenAPI,
  type AuthenticatedClient,
} from '@interledger/open-payments'
import type { OpenAPI } from '@interledger/openapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gql } from '../support/graphql-client.ts'
import {
  bootOpenPaymentsNode,
  createAsset,
  createWalletAddress,
  payload,
  registerClientKey,
  sendRaw,
  type ClientKey,
  type OpenPaymentsNode,
} from '../support/open-payments-e2e.ts'
import { testNodeTargets } from '../support/test-node.ts'
import { startWebhookReceiver } from '../support/webhook-receiver.ts'

const hourMs = 3_600_000
const ipActions = ['create', 'read', 'list', 'complete']

describe.each(testNodeTargets('open-payments-incoming-payments e2e'))(
  'Open Payments incoming payments with the real client ($name)',
  ({ env }) => {
    let node: OpenPaymentsNode
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
    let client: AuthenticatedClient
    let clientKey: ClientKey
    let spec: OpenAPI
    let assetId: string
    let aliceUrl: string
    let aliceId: string
    let clientUrl: string
    const assetCode = `O${crypto.randomUUID().slice(0, 5)}`.toUpperCase()
    const amount = (value: string) => ({ value, assetCode, assetScale: 2 })
    const issue = (
      actions: readonly string[],
      identifier = aliceUrl,
      options: { client?: string; active?: boolean } = {},
    ) =>
      node.auth.issue(`token-${crypto.randomUUID()}`, {
        client: options.client ?? clientUrl,
        access: [{ type: 'incoming-payment', actions, identifier }],
        ...(options.active === false && { active: false }),
      })

    /** The documented responses of `path` validate against the Open Payments spec. */
    const expectSpecValid = async (path: string, method: string, response: Response) => {
      const body: unknown = await response.clone().json()
      const validate = spec.createResponseValidator({ path, method: method as never })
      expect(validate({ status: response.status, body })).toBe(true)
    }

    const paymentCount = async () => {
      const reply = await gql(
        node.adminUrl,
        `query ($id: String!) { walletAddress(id: $id) { incomingPayments(first: 100) { edges { node { id } } } } }`,
        { id: aliceId },
      )
      const wallet = reply.data?.['walletAddress'] as { incomingPayments: { edges: unknown[] } }
      return wallet.incomingPayments.edges.length
    }

    beforeAll(async () => {
      spec = await getResourceServerOpenAPI()
      receiver = await startWebhookReceiver({
        // The test ASE creates a wallet address it is told is missing, if it is a "late-" one.
        onWebhook: async (body) => {
          const url = body.data['walletAddressUrl']
          if (body.type === 'wallet_address.not_found' && typeof url === 'string') {
            if (url.includes('/late-')) await createWalletAddress(node.adminUrl, assetId, url)
          }
        },
      })
      node = await bootOpenPaymentsNode({
        ...env,
        WEBHOOK_URL: receiver.url,
        WALLET_ADDRESS_LOOKUP_TIMEOUT_MS: '5000',
      })
      assetId = await createAsset(node.adminUrl, assetCode)
      aliceUrl = `${node.opUrl}/alice-${crypto.randomUUID()}`
      aliceId = await createWalletAddress(node.adminUrl, assetId, aliceUrl)
      clientUrl = `${node.opUrl}/app-${crypto.randomUUID()}`
      const clientId = await createWalletAddress(node.adminUrl, assetId, clientUrl)
      clientKey = await registerClientKey(node.adminUrl, clientId)
      client = await createAuthenticatedClient({
        walletAddressUrl: clientUrl,
        privateKey: clientKey.privateKey,
        keyId: clientKey.keyId,
        useHttp: true,
        logLevel: 'silent',
      })
    })
    afterAll(async () => {
      await node?.stop()
      await receiver?.close()
    })

    it('gets the wallet address, creates, reads, lists and completes a payment', async () => {
      const walletAddress = await client.walletAddress.get({ url: aliceUrl })
      expect(walletAddress).toMatchObject({
        id: aliceUrl,
        assetCode,
        assetScale: 2,
        authServer: node.auth.grantUrl,
        resourceServer: node.opUrl,
      })
      const accessToken = issue(ipActions)
      const expiresAt = new Date(Date.now() + hourMs).toISOString()
      const created = await client.incomingPayment.create(
        { url: walletAddress.resourceServer, accessToken },
        {
          walletAddress: aliceUrl,
          incomingAmount: amount('500'),
          expiresAt,
          metadata: { description: 'rent' },
        },
      )
      expect(created).toMatchObject({
        walletAddress: aliceUrl,
        completed: false,
        incomingAmount: amount('500'),
        receivedAmount: amount('0'),
        expiresAt,
        metadata: { description: 'rent' },
        methods: [
          {
            type: 'ilp',
            ilpAddress: expect.stringMatching(/^test\.node\./),
            sharedSecret: expect.any(String),
          },
        ],
      })
      expect(created.id).toMatch(new RegExp(`^${node.opUrl}/incoming-payments/[0-9a-f-]{36}$`))

      const read = await client.incomingPayment.get({ url: created.id, accessToken })
      // Each read offers fresh STREAM credentials for the same payment.
      expect({ ...read, methods: [] }).toEqual({ ...created, methods: [] })
      expect(read.methods).toHaveLength(1)
      const listed = await client.incomingPayment.list(
        { url: node.opUrl, walletAddress: aliceUrl, accessToken },
        { first: 10, 'wallet-address': aliceUrl },
      )
      expect(listed.result.map((payment) => payment.id)).toContain(created.id)
      expect(listed.pagination).toMatchObject({ hasPreviousPage: false })

      const anonymous = await createUnauthenticatedClient({ useHttp: true, logLevel: 'silent' })
      expect(await anonymous.incomingPayment.get({ url: created.id })).toEqual({
        receivedAmount: amount('0'),
        authServer: node.auth.grantUrl,
      })

      const completed = await client.incomingPayment.complete({ url: created.id, accessToken })
      expect(completed).toMatchObject({ id: created.id, completed: true })
      const admin = await gql(
        node.adminUrl,
        `query ($id: String!) { incomingPayment(id: $id) { state } }`,
        {
          id: created.id.split('/').at(-1),
        },
      )
      expect(admin.data).toEqual({ incomingPayment: { state: 'COMPLETED' } })
      const again = await sendRaw({
        method: 'POST',
        url: `${created.id}/complete`,
        accessToken,
        key: clientKey,
      })
      expect(again.status).toBe(409)
    })

    it("shows a read/list grant only its own client's payments; read-all/list-all see all", async () => {
      const byAdmin = await gql(
        node.adminUrl,
        `mutation ($input: CreateIncomingPaymentInput!) { createIncomingPayment(input: $input) { payment { id } } }`,
        { input: { walletAddressId: aliceId } },
      )
      const adminPaymentId = payload<{ id: string }>(byAdmin, 'createIncomingPayment', 'payment').id
      const adminPaymentUrl = `${node.opUrl}/incoming-payments/${adminPaymentId}`
      const own = issue(['read', 'list'])
      const all = issue(['read-all', 'list-all'])
      const list = (accessToken: string) =>
        client.incomingPayment.list(
          { url: node.opUrl, walletAddress: aliceUrl, accessToken },
          { first: 100, 'wallet-address': aliceUrl },
        )
      expect((await list(own)).result.map((p) => p.id)).not.toContain(adminPaymentUrl)
      expect((await list(all)).result.map((p) => p.id)).toContain(adminPaymentUrl)
      const hidden = await sendRaw({
        method: 'GET',
        url: adminPaymentUrl,
        accessToken: own,
        key: clientKey,
      })
      expect(hidden.status).toBe(404)
      await expectSpecValid('/incoming-payments/{id}', 'get', hidden)
      const shown = await client.incomingPayment.get({ url: adminPaymentUrl, accessToken: all })
      expect(shown.id).toBe(adminPaymentUrl)
    })

    it('refuses requests without a valid, signed token for the action and wallet address', async () => {
      const body = JSON.stringify({ walletAddress: aliceUrl, incomingAmount: amount('100') })
      const url = `${node.opUrl}/incoming-payments`
      const create = (options: Partial<Parameters<typeof sendRaw>[0]>) =>
        sendRaw({ method: 'POST', url, body, key: clientKey, ...options })
      const otherWallet = `${node.opUrl}/bob-${crypto.randomUUID()}`
      const before = await paymentCount()
      const refusals: [string, Response, number][] = [
        ['no token', await create({}), 401],
        [
          'inactive token',
          await create({ accessToken: issue(ipActions, aliceUrl, { active: false }) }),
          401,
        ],
        ['another action', await create({ accessToken: issue(['read', 'list']) }), 403],
        [
          'another wallet address',
          await create({ accessToken: issue(ipActions, otherWallet) }),
          403,
        ],
        ['unsigned', await create({ accessToken: issue(ipActions), key: undefined }), 401],
        [
          'tampered body',
          await create({
            accessToken: issue(ipActions),
            tamperedBody: JSON.stringify({
              walletAddress: aliceUrl,
              incomingAmount: amount('999'),
            }),
          }),
          401,
        ],
        [
          "another client's key",
          await create({ accessToken: issue(ipActions, aliceUrl, { client: aliceUrl }) }),
          401,
        ],
      ]
      for (const [name, response, status] of refusals) {
        expect({ name, status: response.status }).toEqual({ name, status })
        expect(response.headers.get('www-authenticate')).toBe(`GNAP as_uri=${node.auth.grantUrl}`)
        await expectSpecValid('/incoming-payments', 'post', response)
      }
      expect(await paymentCount()).toBe(before)

      const created = await client.incomingPayment.create(
        { url: node.opUrl, accessToken: issue(ipActions) },
        { walletAddress: aliceUrl },
      )
      const complete = (accessToken: string | undefined, key: ClientKey | null = clientKey) =>
        sendRaw({
          method: 'POST',
          url: `${created.id}/complete`,
          accessToken,
          key: key ?? undefined,
        })
      expect((await complete(undefined)).status).toBe(401)
      expect((await complete(issue(['create', 'read']))).status).toBe(403)
      expect((await complete(issue(ipActions), null)).status).toBe(401)
      const read = await client.incomingPayment.get({
        url: created.id,
        accessToken: issue(['read']),
      })
      expect(read.completed).toBe(false)
      const list = await sendRaw({
        method: 'GET',
        url: `${node.opUrl}/incoming-payments?wallet-address=${encodeURIComponent(aliceUrl)}`,
        accessToken: issue(['create']),
        key: clientKey,
      })
      expect(list.status).toBe(403)
      await expectSpecValid('/incoming-payments', 'get', list)
    })

    it('lets the ASE create a missing wallet address on wallet_address.not_found', async () => {
      const lateUrl = `${node.opUrl}/late-${crypto.randomUUID()}`
      const created = await client.incomingPayment.create(
        { url: node.opUrl, accessToken: issue(ipActions, lateUrl) },
        { walletAddress: lateUrl, incomingAmount: amount('100') },
      )
      expect(created.walletAddress).toBe(lateUrl)
      const notFound = receiver.received.filter(
        (hook) => hook.body.type === 'wallet_address.not_found',
      )
      expect(notFound.map((hook) => hook.body.data)).toContainEqual({ walletAddressUrl: lateUrl })
    })

    it('validates create bodies as the Open Payments spec does', async () => {
      const specAccepts = spec.createRequestValidator({
        path: '/incoming-payments',
        method: 'post' as never,
      })
      const accessToken = issue(ipActions)
      const later = new Date(Date.now() + hourMs).toISOString()
      const bodies: Record<string, unknown>[] = [
        { walletAddress: aliceUrl },
        {
          walletAddress: aliceUrl,
          incomingAmount: amount('1'),
          expiresAt: later,
          metadata: { a: [1] },
        },
        { walletAddress: aliceUrl, extra: true },
        {},
        { walletAddress: 'not a url' },
        { walletAddress: aliceUrl, incomingAmount: { value: '1', assetCode } },
        { walletAddress: aliceUrl, incomingAmount: { ...amount('1'), assetScale: 256 } },
        { walletAddress: aliceUrl, incomingAmount: { ...amount('1'), assetScale: -1 } },
        { walletAddress: aliceUrl, incomingAmount: { ...amount('1'), value: 1 } },
        { walletAddress: aliceUrl, incomingAmount: amount('-1') },
        { walletAddress: aliceUrl, metadata: 'text' },
        { walletAddress: aliceUrl, expiresAt: 'tomorrow' },
      ]
      for (const body of bodies) {
        const text = JSON.stringify(body)
        let valid = true
        try {
          specAccepts({
            headers: { 'content-type': 'application/json', signature: 's', 'signature-input': 's' },
            body,
            query: {},
            params: {},
          })
        } catch {
          valid = false
        }
        const response = await sendRaw({
          method: 'POST',
          url: `${node.opUrl}/incoming-payments`,
          accessToken,
          body: text,
          key: clientKey,
        })
        expect({ text, status: response.status }).toEqual({ text, status: valid ? 201 : 400 })
      }
    })

    it('answers bad input with a clear 400 or 404, never a 500', async () => {
      const accessToken = issue([...ipActions, 'read-all', 'list-all'])
      const post = (body: string) => () =>
        sendRaw({
          method: 'POST',
          url: `${node.opUrl}/incoming-payments`,
          accessToken,
          body,
          key: clientKey,
        })
      const get = (url: string) => () =>
        sendRaw({ method: 'GET', url, accessToken, key: clientKey })
      const valid = { walletAddress: aliceUrl }
      const listUrl = (query: string) =>
        `${node.opUrl}/incoming-payments?wallet-address=${encodeURIComponent(aliceUrl)}&${query}`
      const cases: [string, () => Promise<Response>, number, RegExp][] = [
        [
          'not JSON',
          () =>
            sendRaw({
              method: 'POST',
              url: `${node.opUrl}/incoming-payments`,
              accessToken,
              body: '{"walletAddress":',
            }),
          400,
          /JSON/,
        ],
        ['unknown field', post(JSON.stringify({ ...valid, color: 'red' })), 400, /color/],
        ['no walletAddress', post(JSON.stringify({})), 400, /walletAddress/],
        [
          'amount not a number',
          post(JSON.stringify({ ...valid, incomingAmount: amount('ten') })),
          400,
          /incomingAmount\.value/,
        ],
        [
          'expiresAt in the past',
          post(
            JSON.stringify({ ...valid, expiresAt: new Date(Date.now() - hourMs).toISOString() }),
          ),
          400,
          /expiresAt/,
        ],
        [
          'expiresAt beyond the maximum',
          post(
            JSON.stringify({
              ...valid,
              expiresAt: new Date(Date.now() + 31 * 24 * hourMs).toISOString(),
            }),
          ),
          400,
          /expiresAt/,
        ],
        [
          'amount in another asset',
          post(
            JSON.stringify({
              ...valid,
              incomingAmount: { value: '5', assetCode: 'XYZ', assetScale: 2 },
            }),
          ),
          400,
          new RegExp(`${assetCode}, scale 2`),
        ],
        [
          'unknown id',
          get(`${node.opUrl}/incoming-payments/${crypto.randomUUID()}`),
          404,
          /Unknown incoming payment/,
        ],
        [
          'malformed id',
          get(`${node.opUrl}/incoming-payments/not-an-id`),
          404,
          /Unknown incoming payment/,
        ],
        ['malformed cursor', get(listUrl('cursor=zzz')), 400, /cursor/],
        ['unknown cursor', get(listUrl(`cursor=${crypto.randomUUID()}`)), 400, /cursor/],
        ['page size 0', get(listUrl('first=0')), 400, /first/],
        ['no wallet-address', get(`${node.opUrl}/incoming-payments`), 400, /wallet-address/],
      ]
      for (const [name, send, status, description] of cases) {
        const response = await send()
        const body = (await response.json()) as { error?: { code?: string; description?: string } }
        expect({ name, status: response.status }).toEqual({ name, status })
        expect(body.error?.code).toMatch(/^(invalid_request|not_found)$/)
        expect({ name, description: body.error?.description }).toEqual({
          name,
          description: expect.stringMatching(description),
        })
      }
    })
  },
)
