// Wiring of fees: setFee and the fee in force per asset and type, which quotes will charge.
import type { Sql } from 'postgres'
import { makeCurrentFee, type CurrentFee } from '../application/fees/current-fee.ts'
import { makeListFees, type ListFees } from '../application/fees/list-fees.ts'
import { makeSetFee, type SetFee } from '../application/fees/set-fee.ts'
import type { AssetRepository } from '../application/ports/asset-repository.ts'
import type { Clock } from '../application/ports/clock.ts'
import type { FeeRepository } from '../application/ports/fee-repository.ts'
import type { IdGenerator } from '../application/ports/ids.ts'
import { makePostgresFeeRepository } from '../adapters/postgres/fee-repository.ts'
import { token, type Factory, type Get, type Token } from './tokens.ts'

export const feeTokens = {
  feeRepository: token<FeeRepository>('FeeRepository'),
  setFee: token<SetFee>('SetFee'),
  currentFee: token<CurrentFee>('CurrentFee'),
  listFees: token<ListFees>('ListFees'),
} as const

/** The tokens of the rest of the graph that fees depend on. */
export type FeeBaseTokens = {
  readonly clock: Token<Clock>
  readonly ids: Token<IdGenerator>
  readonly sql: Token<Sql>
  readonly assetRepository: Token<AssetRepository>
}

export function registerFees(factory: Factory, base: FeeBaseTokens): void {
  const t = feeTokens
  factory(t.feeRepository, (get) => makePostgresFeeRepository(get(base.sql)))
  const deps = (get: Get) => ({
    fees: get(t.feeRepository),
    assets: get(base.assetRepository),
    clock: get(base.clock),
    ids: get(base.ids),
  })
  factory(t.setFee, (get) => makeSetFee(deps(get)))
  factory(t.currentFee, (get) => makeCurrentFee(deps(get)))
  factory(t.listFees, (get) => makeListFees(deps(get)))
}
