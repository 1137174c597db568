import postgres, { type Sql, type TransactionSql } from 'postgres'
import type { Peer } from '../../domain/peers/peer.ts'
import { err, ok } from '../../domain/shared/result.ts'
import {
  peersChangedTopic,
  type PeerChanges,
  type PeerRepository,
  type PeerWriteError,
} from '../../application/ports/peer-repository.ts'
import { keysetPage } from './keyset-page.ts'
import { workChannel } from './postgres-work-signal.ts'

type PeerRow = {
  id: string
  asset_id: string
  static_ilp_address: string
  name: string | null
  max_packet_amount: string | null
  liquidity_threshold: string | null
  outgoing_token: string
  outgoing_endpoint: string
  created_at: Date
  updated_at: Date
  /** From the peers_with_tokens view, sorted. */
  incoming_tokens: string[]
}

const toBigint = (value: string | null): bigint | null => (value === null ? null : BigInt(value))
const numeric = (value: bigint | null): string | null => (value === null ? null : String(value))

const toPeer = (row: PeerRow): Peer => ({
  id: row.id,
  assetId: row.asset_id,
  staticIlpAddress: row.static_ilp_address,
  name: row.name,
  maxPacketAmount: toBigint(row.max_packet_amount),
  liquidityThreshold: toBigint(row.liquidity_threshold),
  incomingTokens: row.incoming_tokens,
  outgoing: { authToken: row.outgoing_token, endpoint: row.outgoing_endpoint },
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

const channel = workChannel(peersChangedTopic)

// The unique indexes of migrations/0008_peers.sql, and what breaking each one means.
const constraintErrors: Readonly<Record<string, PeerWriteError>> = {
  peers_address_asset: 'duplicate_peer',
  peer_incoming_tokens_pkey: 'duplicate_incoming_token',
}

const writeErrorOf = (error: unknown): PeerWriteError | undefined =>
  error instanceof postgres.PostgresError && error.code === '23505'
    ? constraintErrors[error.constraint_name ?? '']
    : undefined

async function addTokens(tx: TransactionSql, peerId: string, tokens: readonly string[]) {
  if (tokens.length === 0) return
  await tx`insert into peer_incoming_tokens ${tx(tokens.map((token) => ({ token, peer_id: peerId })))}`
}

/** Columns to set: absent changes keep theirs. */
function assignments(changes: PeerChanges, updatedAt: Date): Record<string, unknown> {
  const set: Record<string, unknown> = { updated_at: updatedAt }
  if (changes.staticIlpAddress !== undefined) set['static_ilp_address'] = changes.staticIlpAddress
  if (changes.name !== undefined) set['name'] = changes.name
  if (changes.maxPacketAmount !== undefined) {
    set['max_packet_amount'] = numeric(changes.maxPacketAmount)
  }
  if (changes.liquidityThreshold !== undefined) {
    set['liquidity_threshold'] = numeric(changes.liquidityThreshold)
  }
  if (changes.outgoing !== undefined) {
    set['outgoing_token'] = changes.outgoing.authToken
    set['outgoing_endpoint'] = changes.outgoing.endpoint
  }
  return set
}

/**
 * Peers and their incoming tokens. Writes wake `peersChangedTopic` on every replica at commit
 * (pg_notify), so connectors can reload their in-memory tables.
 */
export function makePostgresPeerRepository(sql: Sql): PeerRepository {
  const byId = async (tx: TransactionSql, id: string): Promise<Peer | undefined> => {
    const [row] = await tx<PeerRow[]>`select * from peers_with_tokens where id = ${id}`
    return row && toPeer(row)
  }
  return {
    async create(input) {
      try {
        const peer = await sql.begin(async (tx) => {
          const inserted = await tx`
            insert into peers (id, asset_id, static_ilp_address, name, max_packet_amount,
                               liquidity_threshold, outgoing_token, outgoing_endpoint,
                               created_at, updated_at)
            values (${input.id}, ${input.assetId}, ${input.staticIlpAddress}, ${input.name},
                    ${numeric(input.maxPacketAmount)}, ${numeric(input.liquidityThreshold)},
                    ${input.outgoing.authToken}, ${input.outgoing.endpoint},
                    ${input.createdAt}, ${input.createdAt})
            on conflict (static_ilp_address, asset_id) do nothing
            returning id`
          if (inserted.length === 0) return undefined
          await addTokens(tx, input.id, input.incomingTokens)
          await tx`select pg_notify(${channel}, ${input.id})`
          return byId(tx, input.id)
        })
        return peer ? ok(peer) : err('duplicate_peer')
      } catch (error) {
        const writeError = writeErrorOf(error)
        if (writeError) return err(writeError)
        throw error
      }
    },
    async update(id, changes, updatedAt) {
      try {
        const peer = await sql.begin(async (tx) => {
          const set = assignments(changes, updatedAt)
          const updated = await tx`update peers set ${tx(set)} where id = ${id} returning id`
          if (updated.length === 0) return undefined
          if (changes.incomingTokens !== undefined) {
            await tx`delete from peer_incoming_tokens where peer_id = ${id}`
            await addTokens(tx, id, changes.incomingTokens)
          }
          await tx`select pg_notify(${channel}, ${id})`
          return byId(tx, id)
        })
        return peer ? ok(peer) : err('unknown_peer')
      } catch (error) {
        const writeError = writeErrorOf(error)
        if (writeError) return err(writeError)
        throw error
      }
    },
    async delete(id) {
      // The tokens go with the row (ON DELETE CASCADE); the ledger account stays.
      const deleted = await sql`
        with deleted as (delete from peers where id = ${id} returning id)
        select pg_notify(${channel}, id::text) from deleted`
      return deleted.length === 1
    },
    async getById(id) {
      const [row] = await sql<PeerRow[]>`select * from peers_with_tokens where id = ${id}`
      return row && toPeer(row)
    },
    async getByIncomingToken(token) {
      const [row] = await sql<PeerRow[]>`
        select p.* from peer_incoming_tokens t join peers_with_tokens p on p.id = t.peer_id
        where t.token = ${token}`
      return row && toPeer(row)
    },
    async getByAddressAndAsset(staticIlpAddress, assetId) {
      const [row] = await sql<PeerRow[]>`
        select * from peers_with_tokens
        where static_ilp_address = ${staticIlpAddress} and asset_id = ${assetId}`
      return row && toPeer(row)
    },
    list(request) {
      return keysetPage<PeerRow, Peer>(sql, {
        table: 'peers_with_tokens',
        where: sql`true`,
        request,
        map: toPeer,
      })
    },
    async listAll() {
      const rows = await sql<PeerRow[]>`select * from peers_with_tokens order by created_at, id`
      return rows.map(toPeer)
    },
    async existsWithAsset(assetId) {
      const [row] = await sql<{ used: boolean }[]>`
        select exists (select 1 from peers where asset_id = ${assetId}) as used`
      return row?.used === true
    },
  }
}
