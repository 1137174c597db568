import type { ISql } from 'postgres'
import { err, ok } from '../../domain/shared/result.ts'
import type { WalletAddressKey } from '../../domain/wallet-addresses/wallet-address-key.ts'
import type { WalletAddressKeyRepository } from '../../application/ports/wallet-address-key-repository.ts'
import { keysetPage } from './keyset-page.ts'

type WalletAddressKeyRow = {
  id: string
  wallet_address_id: string
  kid: string
  x: string
  revoked: boolean
  created_at: Date
  updated_at: Date
}

// Only kid and x are stored; the other JWK fields are fixed for Ed25519 keys (as in Rafiki).
const toKey = (row: WalletAddressKeyRow): WalletAddressKey => ({
  id: row.id,
  walletAddressId: row.wallet_address_id,
  kid: row.kid,
  jwk: { kid: row.kid, x: row.x, alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' },
  revoked: row.revoked,
  createdAt: row.created_at,
})

export function makePostgresWalletAddressKeyRepository(sql: ISql): WalletAddressKeyRepository {
  return {
    async create(input) {
      const [row] = await sql<WalletAddressKeyRow[]>`
        insert into wallet_address_keys (id, wallet_address_id, kid, x, created_at, updated_at)
        values (${input.id}, ${input.walletAddressId}, ${input.jwk.kid}, ${input.jwk.x},
                ${input.createdAt}, ${input.createdAt})
        on conflict (wallet_address_id, kid) do nothing
        returning *`
      return row ? ok(toKey(row)) : err('duplicate_key')
    },
    async revoke(id, revokedAt) {
      // One statement: the revoked row, or the row as it is when it was revoked already.
      const [row] = await sql<WalletAddressKeyRow[]>`
        with revoked as (
          update wallet_address_keys set revoked = true, updated_at = ${revokedAt}
          where id = ${id} and not revoked
          returning *
        )
        select * from revoked
        union all
        select * from wallet_address_keys
        where id = ${id} and not exists (select 1 from revoked)`
      return row && toKey(row)
    },
    async getById(id) {
      const [row] = await sql<WalletAddressKeyRow[]>`
        select * from wallet_address_keys where id = ${id}`
      return row && toKey(row)
    },
    async listActive(walletAddressId, limit) {
      const rows = await sql<WalletAddressKeyRow[]>`
        select * from wallet_address_keys
        where wallet_address_id = ${walletAddressId} and not revoked
        order by created_at desc, id desc
        limit ${limit}`
      return rows.map(toKey)
    },
    list(walletAddressId, request) {
      return keysetPage<WalletAddressKeyRow, WalletAddressKey>(sql, {
        table: 'wallet_address_keys',
        where: sql`wallet_address_id = ${walletAddressId}`,
        request,
        map: toKey,
      })
    },
  }
}
