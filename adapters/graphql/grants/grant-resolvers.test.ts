import { createSchema, createYoga } from 'graphql-yoga'
import { afterEach, describe, expect, it } from 'vitest'
import {
  makeGetGrant,
  makeListGrants,
  makeRevokeGrantByAdmin,
} from '../../../application/auth/admin-grants.ts'
import {
  alice,
  bob,
  fakeIds,
  fakeSecrets,
  storeIssuedGrant,
} from '../../../application/auth/auth-test-fixtures.ts'
import type { Grant } from '../../../domain/auth/grant.ts'
import type { AccessItem } from '../../../domain/open-payments/access.ts'
import { makeFakeClock } from '../../memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../memory/memory-auth-grant-repository.ts'
import { makePostgresAuthGrantRepository } from '../../postgres/auth-grant-repository.ts'
import type { Database } from '../../postgres/database.ts'
import type { AuthGrantRepository } from '../../../application/ports/auth-grant-repository.ts'
import {
  openTestPglite,
  openTestPostgres,
  realPostgresSkipMessage,
  testDatabaseUrl,
} from '../../../test/support/databases.ts'
import { baseTypeDefs } from '../base-schema.ts'
import { JSONObject, UInt64, UInt8 } from '../scalars.ts'
import { makeGrantResolvers } from './grant-resolvers.ts'
import { filterStringTypeDefs, grantTypeDefs } from './grant-schema.ts'

const incoming: AccessItem = { type: 'incoming-payment', actions: ['create', 'read'] }
const outgoing: AccessItem = {
  type: 'outgoing-payment',
  actions: ['create', 'read'],
  identifier: alice,
  limits: {
    receiver: `${bob}/incoming-payments/abc`,
    debitAmount: { value: 18_446_744_073_709_551_615n, assetCode: 'USD', assetScale: 2 },
    interval: 'R12/2025-01-01T00:00:00Z/P1M',
  },
}
const quote: AccessItem = { type: 'quote', actions: ['create'], identifier: bob }

type Storage = { readonly grants: AuthGrantRepository; close(): Promise<void> }

const onDatabase = (database: Database): Storage => ({
  grants: makePostgresAuthGrantRepository(database.sql),
  close: () => database.close(),
})

// The resolvers over each repository: memory, PGlite and real PostgreSQL (TEST_DATABASE_URL).
const storages: readonly (readonly [string, boolean, () => Promise<Storage>])[] = [
  [
    'memory',
    false,
    async () => ({ grants: makeMemoryAuthGrantRepository(), close: async () => {} }),
  ],
  ['pglite', false, async () => onDatabase(await openTestPglite())],
  [
    testDatabaseUrl === undefined ? `postgres skipped: ${realPostgresSkipMessage}` : 'postgres',
    testDatabaseUrl === undefined,
    async () => {
      const database = await openTestPostgres()
      if (!database) throw new Error(realPostgresSkipMessage)
      return onDatabase(database)
    },
  ],
]

const opened: Storage[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((storage) => storage.close()))
})

async function setup(open: () => Promise<Storage>) {
  const clock = makeFakeClock()
  const storage = await open()
  opened.push(storage)
  const { grants } = storage
  const at = (offsetMs: number) => new Date(clock.now() + offsetMs)
  const first = await storeIssuedGrant(grants, at(1), [incoming, outgoing])
  const second = await storeIssuedGrant(grants, at(2), [quote])
  const rejected: Grant = {
    ...second.grant,
    id: fakeIds.uuid(),
    continueId: fakeIds.uuid(),
    continueToken: fakeSecrets.secret(),
    finalizationReason: 'REJECTED',
    createdAt: at(3),
  }
  await grants.create({ grant: rejected, access: [quote] })
  const resolvers = makeGrantResolvers({
    listGrants: makeListGrants({ grants }),
    getGrant: makeGetGrant({ grants }),
    revokeGrantByAdmin: makeRevokeGrantByAdmin({ grants, clock }),
  })
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: [baseTypeDefs, grantTypeDefs, filterStringTypeDefs],
      resolvers: [{ UInt8, UInt64, JSONObject }, resolvers],
    }),
    logging: false,
  })
  const call = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await yoga.fetch('http://admin/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    })
    return (await response.json()) as {
      data?: Record<string, unknown> | null
      errors?: { message: string; extensions?: Record<string, unknown> }[]
    }
  }
  const ids = { first: first.grant.id, second: second.grant.id, rejected: rejected.id }
  return { call, grants, clock, ids, firstToken: first.token, secondToken: second.token }
}

const list = `query ($filter: GrantFilter, $first: Int, $after: String, $sortOrder: SortOrder) {
  grants(filter: $filter, first: $first, after: $after, sortOrder: $sortOrder) {
    edges { cursor node { id } }
    pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }`
const read = `query ($id: ID!) { grant(id: $id) {
  id client state finalizationReason createdAt
  access { id identifier type actions createdAt
    limits { receiver interval debitAmount { value assetCode assetScale }
      receiveAmount { value assetCode assetScale } } } } }`
const revoke = `mutation ($input: RevokeGrantInput!) { revokeGrant(input: $input) { id } }`

type Connection = {
  edges: { cursor: string; node: { id: string } }[]
  pageInfo: { endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean }
}
const grantsOf = (reply: Awaited<ReturnType<Awaited<ReturnType<typeof setup>>['call']>>) =>
  reply.data?.['grants'] as Connection

for (const [name, skip, open] of storages)
  describe.skipIf(skip)(`grants admin GraphQL (${name})`, () => {
    it('reads a grant with its access items and limits', async () => {
      const { call, ids, clock } = await setup(open)
      const reply = await call(read, { id: ids.first })
      const createdAt = new Date(clock.now() + 1).toISOString()
      expect(reply).toEqual({
        data: {
          grant: {
            id: ids.first,
            client: alice,
            state: 'FINALIZED',
            finalizationReason: 'ISSUED',
            createdAt,
            access: [
              {
                id: `${ids.first}:0`,
                identifier: null,
                type: 'incoming-payment',
                actions: ['create', 'read'],
                createdAt,
                limits: null,
              },
              {
                id: `${ids.first}:1`,
                identifier: alice,
                type: 'outgoing-payment',
                actions: ['create', 'read'],
                createdAt,
                limits: {
                  receiver: `${bob}/incoming-payments/abc`,
                  interval: 'R12/2025-01-01T00:00:00Z/P1M',
                  debitAmount: { value: '18446744073709551615', assetCode: 'USD', assetScale: 2 },
                  receiveAmount: null,
                },
              },
            ],
          },
        },
      })
    })

    it('answers an unknown or malformed grant id with NOT_FOUND', async () => {
      const { call } = await setup(open)
      for (const id of [fakeIds.uuid(), 'nope']) {
        const reply = await call(read, { id })
        expect(reply.data).toBeNull()
        expect(reply.errors?.[0]).toMatchObject({
          message: 'No grant',
          extensions: { code: 'NOT_FOUND' },
        })
      }
    })

    it('lists grants page by page, newest first by default', async () => {
      const { call, ids } = await setup(open)
      const page1 = grantsOf(await call(list, { first: 2 }))
      expect(page1.edges.map((edge) => edge.node.id)).toEqual([ids.rejected, ids.second])
      expect(page1.edges[0]?.cursor).toBe(ids.rejected)
      expect(page1.pageInfo).toMatchObject({ endCursor: ids.second, hasNextPage: true })
      const page2 = grantsOf(await call(list, { first: 2, after: page1.pageInfo.endCursor }))
      expect(page2.edges.map((edge) => edge.node.id)).toEqual([ids.first])
      expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true })
      const ascending = grantsOf(await call(list, { sortOrder: 'ASC' }))
      expect(ascending.edges.map((edge) => edge.node.id)).toEqual([
        ids.first,
        ids.second,
        ids.rejected,
      ])
    })

    it('filters by identifier, state and finalization reason', async () => {
      const { call, ids } = await setup(open)
      const listed = async (filter: Record<string, unknown>) =>
        grantsOf(await call(list, { filter, sortOrder: 'ASC' })).edges.map((edge) => edge.node.id)
      expect(await listed({ identifier: { in: [alice] } })).toEqual([ids.first])
      expect(await listed({ identifier: { in: [bob] } })).toEqual([ids.second, ids.rejected])
      expect(await listed({ finalizationReason: { in: ['REJECTED'] } })).toEqual([ids.rejected])
      expect(await listed({ finalizationReason: { notIn: ['REJECTED'] } })).toEqual([
        ids.first,
        ids.second,
      ])
      expect(await listed({ state: { notIn: ['FINALIZED'] } })).toEqual([])
      expect(await listed({ state: { in: ['FINALIZED'] }, identifier: { in: [bob] } })).toEqual([
        ids.second,
        ids.rejected,
      ])
      // Empty lists and nulls filter nothing, as in Rafiki.
      expect(await listed({ state: { in: [] }, finalizationReason: null })).toHaveLength(3)
    })

    it('refuses bad page arguments and unknown enum values', async () => {
      const { call } = await setup(open)
      const big = await call(list, { first: 101 })
      expect(big.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT')
      const cursor = await call(list, { after: fakeIds.uuid() })
      expect(cursor.errors?.[0]).toMatchObject({
        message: 'Pagination cursor is malformed or unknown',
        extensions: { code: 'BAD_USER_INPUT' },
      })
      const state = await call(list, { filter: { state: { in: ['GRANTED'] } } })
      expect(state.errors?.[0]?.message).toContain('GRANTED')
    })

    it('revokes a grant: FINALIZED (REVOKED) and its tokens revoked; again is a no-op', async () => {
      const { call, grants, ids, firstToken, secondToken, clock } = await setup(open)
      clock.advance(5_000)
      const reply = await call(revoke, { input: { grantId: ids.first } })
      expect(reply).toEqual({ data: { revokeGrant: { id: ids.first } } })
      const after = await call(read, { id: ids.first })
      expect(after.data?.['grant']).toMatchObject({
        state: 'FINALIZED',
        finalizationReason: 'REVOKED',
      })
      const token = await grants.findTokenByValue(firstToken.value)
      expect(token?.token.revokedAt).toEqual(new Date(clock.now()))
      // Other grants' tokens are untouched.
      expect((await grants.findTokenByValue(secondToken.value))?.token.revokedAt).toBeUndefined()
      const again = await call(revoke, { input: { grantId: ids.first } })
      expect(again).toEqual({ data: { revokeGrant: { id: ids.first } } })
    })

    it("maps revocation failures to Rafiki's codes", async () => {
      const { call, ids } = await setup(open)
      const unknown = await call(revoke, { input: { grantId: fakeIds.uuid() } })
      expect(unknown.errors?.[0]).toMatchObject({
        message: 'Revoke grant was not successful',
        extensions: { code: 'NOT_FOUND' },
      })
      const empty = await call(revoke, { input: { grantId: '' } })
      expect(empty.errors?.[0]).toMatchObject({
        message: 'Grant id is not provided',
        extensions: { code: 'FORBIDDEN' },
      })
      const rejected = await call(revoke, { input: { grantId: ids.rejected } })
      expect(rejected.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT')
      const still = await call(read, { id: ids.rejected })
      expect(still.data?.['grant']).toMatchObject({ finalizationReason: 'REJECTED' })
    })
  })
