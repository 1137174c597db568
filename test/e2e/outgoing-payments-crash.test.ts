// SIGKILL while outgoing payments are SENDING: the `npm start` bundle runs as its own process on
// a fresh PostgreSQL database and Redis; a test ASE funds each payment on
// outgoing_payment.created. 100 LOCAL payments (50 EUR->EUR, 50 USD->EUR at 0.91) are created at
// once, the process is killed while some are still FUNDING or SENDING, then started again on the
// same database. Every payment must end, none may send more than its debit, every incoming
// payment gets exactly what was delivered to it, the ledgers balance and no webhook is lost.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestPostgres, type TestPostgres } from '../support/databases.ts'
import { startFundingAse, type FundingAse } from '../support/funding-ase.ts'
import { gql } from '../support/graphql-client.ts'
import { auditAsset, type AuditedAccount } from '../support/ledger-audit.ts'
import {
  createAsset,
  createWalletAddress,
  depositAssetLiquidity,
  payload,
} from '../support/open-payments-e2e.ts'
import { startRatesServer, type RatesServer } from '../support/rates-server.ts'
import { buildNodeBundle, ephemeralPorts, spawnNode, type Spawned } from '../support/spawn-node.ts'

const testDatabaseUrl = process.env['TEST_DATABASE_URL'] || undefined
const testRedisUrl = process.env['TEST_REDIS_URL'] || undefined
const skip = !testDatabaseUrl || !testRedisUrl
const title = skip
  ? 'outgoing payments across a SIGKILL (skipped: set TEST_DATABASE_URL and TEST_REDIS_URL)'
  : 'outgoing payments across a SIGKILL (PostgreSQL + Redis, node process)'

const opUrl = 'https://op.example'
const paymentCount = 100
const killAtSending = 40
// Claimed payments stay leased for the worker's send lease (120 s) after the kill.
const settleTimeoutMs = 200_000

type Planned = {
  readonly payerAssetId: string
  readonly incomingId: string
  readonly receive: bigint
  readonly quoteId: string
  readonly debit: bigint
  paymentId?: string
}
type Transfer = { amount: string; state: string }
type Transfers = { debits: Transfer[]; credits: Transfer[] }

const posted = (transfers: readonly Transfer[]) =>
  transfers.filter((t) => t.state === 'POSTED').reduce((sum, t) => sum + BigInt(t.amount), 0n)

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T
      await work(item)
    }
  }
  await Promise.all(Array.from({ length: width }, lane))
}

describe.skipIf(skip)(title, () => {
  let database: TestPostgres
  let rates: RatesServer
  let ase: FundingAse
  let node: Spawned | undefined
  let env: Record<string, string>
  const adminUrl = () => `http://127.0.0.1:${node?.ports.admin ?? 9}`
  const admin = (query: string, variables: Record<string, unknown> = {}) =>
    gql(adminUrl(), query, variables)

  beforeAll(async () => {
    await buildNodeBundle()
    database = (await openTestPostgres({ migrate: false, poolMax: 2 })) as TestPostgres
    rates = await startRatesServer({ USD: { EUR: 0.91 } })
    ase = await startFundingAse(adminUrl)
    env = {
      ...ephemeralPorts,
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl ?? '',
      USE_TIGERBEETLE: 'false',
      ILP_ADDRESS: 'test.crash',
      STREAM_SECRET: randomBytes(32).toString('base64'),
      OPEN_PAYMENTS_URL: opUrl,
      EXCHANGE_RATES_URL: rates.url,
      WEBHOOK_URL: ase.url,
      OUTGOING_PAYMENT_WORKERS: '1',
      WEBHOOK_WORKERS: '8',
      LOG_LEVEL: 'info',
    }
    node = await spawnNode('node', env)
  }, 120_000)
  afterAll(async () => {
    await node?.stop('SIGTERM')
    await database?.close()
    await ase?.close()
    await rates?.close()
  })

  const stateCounts = async (): Promise<Record<string, number>> => {
    const rows = await database.sql<{ state: string; n: number }[]>`
      select state, count(*)::int as n from outgoing_payments group by state`
    return Object.fromEntries(rows.map((row) => [row.state, row.n]))
  }

  /** An incoming payment at `payee` for `receive`, and a quote to it from `payer`. */
  const plan = async (payer: string, payerAssetId: string, payee: string, receive: bigint) => {
    const incoming = await admin(
      `mutation ($input: CreateIncomingPaymentInput!) {
        createIncomingPayment(input: $input) { payment { id } } }`,
      {
        input: {
          walletAddressId: payee,
          incomingAmount: { value: String(receive), assetCode: 'EUR', assetScale: 2 },
        },
      },
    )
    const incomingId = payload<{ id: string }>(incoming, 'createIncomingPayment', 'payment').id
    const quote = await admin(
      `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) {
        quote { id debitAmount { value } } } }`,
      {
        input: {
          walletAddressId: payer,
          receiver: `${opUrl}/incoming-payments/${incomingId}`,
          receiveAmount: { value: String(receive), assetCode: 'EUR', assetScale: 2 },
        },
      },
    )
    const q = payload<{ id: string; debitAmount: { value: string } }>(quote, 'createQuote', 'quote')
    return {
      payer,
      payerAssetId,
      incomingId,
      receive,
      quoteId: q.id,
      debit: BigInt(q.debitAmount.value),
    }
  }

  it('ends every payment after a SIGKILL, within its debit, balanced, every webhook delivered', async () => {
    const usd = await createAsset(adminUrl(), 'USD')
    const eur = await createAsset(adminUrl(), 'EUR')
    await depositAssetLiquidity(adminUrl(), eur, 100_000_000n)
    const alice = await createWalletAddress(adminUrl(), usd, `${opUrl}/alice`)
    const eve = await createWalletAddress(adminUrl(), eur, `${opUrl}/eve`)
    const bob = await createWalletAddress(adminUrl(), eur, `${opUrl}/bob`)
    const indexes = Array.from({ length: paymentCount }, (_, i) => i)
    const planned: (Planned & { payer: string })[] = []
    await inParallel(indexes, 8, async (i) => {
      const [payer, assetId] = i % 2 === 0 ? [eve, eur] : [alice, usd]
      planned.push(await plan(payer, assetId, bob, BigInt(100 + i)))
    })

    // All at once, so that the ASE and the workers are still busy when the process dies.
    await Promise.all(
      planned.map(async (p) => {
        const reply = await admin(
          `mutation ($input: CreateOutgoingPaymentInput!) {
            createOutgoingPayment(input: $input) { payment { id } } }`,
          { input: { walletAddressId: p.payer, quoteId: p.quoteId } },
        )
        p.paymentId = payload<{ id: string }>(reply, 'createOutgoingPayment', 'payment').id
      }),
    )
    // The ASE funds faster (8 webhook workers) than one sending worker pays: SENDING piles up.
    for (;;) {
      const counts = await stateCounts()
      const [funding, sending] = [counts['FUNDING'] ?? 0, counts['SENDING'] ?? 0]
      if (sending >= killAtSending || (funding === 0 && sending > 0) || funding + sending === 0) {
        break
      }
    }
    await node?.stop('SIGKILL')
    const atKill = await stateCounts()
    const [leased] = await database.sql<{ n: number }[]>`
      select count(*)::int as n from outgoing_payments where lease_until > now()`
    console.info(
      `crash test: at SIGKILL ${JSON.stringify(atKill)}, ${leased?.n} claimed by a worker`,
    )
    expect((atKill['SENDING'] ?? 0) + (atKill['FUNDING'] ?? 0)).toBeGreaterThan(0)

    const restartedAt = Date.now()
    node = await spawnNode('node', env)
    for (;;) {
      const counts = await stateCounts()
      const ended = (counts['COMPLETED'] ?? 0) + (counts['FAILED'] ?? 0)
      if (ended === paymentCount) break
      if (Date.now() - restartedAt > settleTimeoutMs) {
        throw new Error(`payments not ended: ${JSON.stringify(counts)}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    console.info(
      `crash test: every payment ended ${Math.round((Date.now() - restartedAt) / 1000)} s after the restart: ${JSON.stringify(await stateCounts())}`,
    )

    for (const p of planned) {
      const reply = await admin(
        `query ($id: String!, $in: String!) {
          outgoingPayment(id: $id) { state error sentAmount { value } debitAmount { value } }
          incomingPayment(id: $in) { state receivedAmount { value } } }`,
        { id: p.paymentId, in: p.incomingId },
      )
      const out = reply.data?.['outgoingPayment'] as {
        state: string
        error: string | null
        sentAmount: { value: string }
        debitAmount: { value: string }
      }
      const inc = reply.data?.['incomingPayment'] as {
        state: string
        receivedAmount: { value: string }
      }
      const sent = BigInt(out.sentAmount.value)
      expect(out.state, `${p.paymentId} ${out.error}`).toBe('COMPLETED')
      expect(BigInt(out.debitAmount.value)).toBe(p.debit)
      expect(sent).toBeLessThanOrEqual(p.debit)
      const outgoing = await transfersOf(p.paymentId ?? '')
      expect(posted(outgoing.debits)).toBe(sent)
      // The incoming payment got the quote's receive amount once.
      expect(inc).toEqual({ state: 'COMPLETED', receivedAmount: { value: String(p.receive) } })
      const incoming = await transfersOf(p.incomingId)
      expect(incoming.credits.filter((t) => t.state === 'POSTED').length).toBe(1)
      expect(posted(incoming.credits)).toBe(p.receive)
    }

    const accounts = (assetId: string): AuditedAccount[] => [
      ...planned
        .filter((p) => p.payerAssetId === assetId)
        .map((p) => ({ kind: 'outgoingPayment' as const, id: p.paymentId ?? '' })),
      ...(assetId === eur
        ? planned.map((p) => ({ kind: 'incomingPayment' as const, id: p.incomingId }))
        : []),
    ]
    for (const assetId of [usd, eur]) {
      const audit = await auditAsset(adminUrl(), assetId, accounts(assetId))
      expect(audit.pending).toBe(0)
      expect(audit.liquidity).toBe(audit.deposited)
    }

    // The outbox: one created and one completed event per payment, each delivered at least once.
    const events = await allWebhookEvents()
    for (const p of planned) {
      const types = events.filter((e) => e.data['id'] === p.paymentId).map((e) => e.type)
      expect(types.sort()).toEqual(['outgoing_payment.completed', 'outgoing_payment.created'])
    }
    const deadline = Date.now() + 60_000
    const missing = () => {
      const received = new Set(ase.received.map((w) => w.body.id))
      return events.filter((e) => !received.has(e.id))
    }
    while (missing().length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect(missing().map((e) => `${e.type} ${e.id}`)).toEqual([])
    const duplicates = ase.received.length - new Set(ase.received.map((w) => w.body.id)).size
    console.info(`crash test: ${events.length} webhook events, all delivered, ${duplicates} twice`)
  }, 400_000)

  async function transfersOf(id: string): Promise<Transfers> {
    const reply = await admin(
      `query ($id: String!) { accountingTransfers(id: $id, limit: 100) {
        debits { amount state } credits { amount state } } }`,
      { id },
    )
    return reply.data?.['accountingTransfers'] as Transfers
  }

  type Event = { id: string; type: string; data: Record<string, unknown> }
  async function allWebhookEvents(): Promise<Event[]> {
    const events: Event[] = []
    let after: string | null = null
    for (;;) {
      const reply = await admin(
        `query ($after: String) { webhookEvents(first: 100, after: $after) {
          pageInfo { hasNextPage endCursor } edges { node { id type data } } } }`,
        { after },
      )
      const page = reply.data?.['webhookEvents'] as {
        pageInfo: { hasNextPage: boolean; endCursor: string | null }
        edges: { node: Event }[]
      }
      events.push(...page.edges.map((edge) => edge.node))
      if (!page.pageInfo.hasNextPage) return events
      after = page.pageInfo.endCursor
    }
  }
})
