import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryLedger } from '../../adapters/memory/memory-ledger.ts'
import { makeMemoryWalletAddressRepository } from '../../adapters/memory/memory-wallet-address-repository.ts'
import { makeMemoryWorkSignal } from '../../adapters/memory/memory-work-signal.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
import {
  paymentTransferId,
  transferPurposes,
  type OutgoingPayment,
  type OutgoingPaymentState,
} from '../../domain/outgoing-payments/outgoing-payment.ts'
import { err, ok } from '../../domain/shared/result.ts'
import { seedWalletAddress } from '../../test/support/seed.ts'
import type { Logger } from '../ports/logger.ts'
import { makeDepositOutgoingPaymentLiquidity } from './deposit-outgoing-payment-liquidity.ts'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/**
 * One FUNDING payment of 500 in a repository that lets the test say what happens to it while
 * its deposit is in the ledger: `meanwhile` is the state another caller gives it then.
 */
async function setup(meanwhile: OutgoingPaymentState | undefined) {
  const clock = makeFakeClock()
  const ledger = makeMemoryLedger(clock)
  const repositories = {
    assets: makeMemoryAssetRepository(),
    walletAddresses: makeMemoryWalletAddressRepository(),
  }
  const { asset, walletAddress } = await seedWalletAddress(repositories, clock)
  const settlement = settlementAccountId(asset.id)
  const amount = { value: 500n, assetCode: asset.code, assetScale: asset.scale }
  let payment: OutgoingPayment = {
    id: randomIds.uuid(),
    walletAddressId: walletAddress.id,
    quoteId: randomIds.uuid(),
    receiver: 'https://wallet.example/incoming-payments/1',
    debitAmount: amount,
    receiveAmount: amount,
    sentAmount: { ...amount, value: 0n },
    state: 'FUNDING',
    error: null,
    stateAttempts: 0,
    grantId: null,
    client: null,
    metadata: null,
    createdAt: new Date(clock.now()),
    updatedAt: new Date(clock.now()),
  }
  await ledger.createAccounts([
    { id: settlement, ledger: asset.ledger, kind: 'SETTLEMENT' },
    { id: payment.id, ledger: asset.ledger, kind: 'OUTGOING' },
  ])
  const outgoingPayments = {
    getById: async (id: string) => (id === payment.id ? payment : undefined),
    markSending: async (id: string) => {
      if (id !== payment.id) return err('unknown_outgoing_payment' as const)
      // The deposit's transfer is in the ledger by now: another caller acts first.
      if (meanwhile !== undefined) payment = { ...payment, state: meanwhile }
      if (payment.state !== 'FUNDING') return err('wrong_state' as const)
      payment = { ...payment, state: 'SENDING' }
      return ok(payment)
    },
  }
  const deposit = makeDepositOutgoingPaymentLiquidity({
    ...repositories,
    outgoingPayments,
    ledger,
    signal: makeMemoryWorkSignal(),
    clock,
    logger: silent,
  })
  const balances = async () => {
    const found = await ledger.getBalances([settlement, payment.id])
    const of = (id: string) => {
      const balance = found.get(id)
      if (balance === undefined) throw new Error(`no account ${id}`)
      return balance
    }
    return {
      settlementOwes: of(settlement).debitsPosted - of(settlement).creditsPosted,
      payment: of(payment.id).creditsPosted - of(payment.id).debitsPosted,
    }
  }
  const depositTransfer = {
    type: 'single',
    id: paymentTransferId(payment.id, transferPurposes.deposit),
    debitAccountId: settlement,
    creditAccountId: payment.id,
    amount: 500n,
    ledger: asset.ledger,
  } as const
  return {
    deposit,
    balances,
    ledger,
    depositTransfer,
    paymentId: payment.id,
    state: () => payment.state,
    setState: (state: OutgoingPaymentState) => (payment = { ...payment, state }),
  }
}

describe('depositOutgoingPaymentLiquidity', () => {
  it('moves the debit amount into the payment and makes it SENDING', async () => {
    const t = await setup(undefined)
    expect(await t.deposit({ outgoingPaymentId: t.paymentId })).toEqual(ok(undefined))
    expect(t.state()).toBe('SENDING')
    expect(await t.balances()).toEqual({ settlementOwes: 500n, payment: 500n })
    // Again: the payment is no longer FUNDING, and nothing moves twice.
    expect(await t.deposit({ outgoingPaymentId: t.paymentId })).toEqual(err('wrong_state'))
    expect(await t.balances()).toEqual({ settlementOwes: 500n, payment: 500n })
  })

  it('gives the deposit back when the payment was cancelled while it was being made', async () => {
    const t = await setup('CANCELLED')
    expect(await t.deposit({ outgoingPaymentId: t.paymentId })).toEqual(err('wrong_state'))
    expect(t.state()).toBe('CANCELLED')
    expect(await t.balances()).toEqual({ settlementOwes: 0n, payment: 0n })
    // A retry finds it cancelled and moves nothing.
    expect(await t.deposit({ outgoingPaymentId: t.paymentId })).toEqual(err('wrong_state'))
    expect(await t.balances()).toEqual({ settlementOwes: 0n, payment: 0n })
  })

  it('gives back, on a retry, a deposit an interrupted call left in a cancelled payment', async () => {
    const t = await setup(undefined)
    // The first call made the deposit and stopped there (a crash); then the ASE cancelled.
    const moved = await t.ledger.transfer([t.depositTransfer])
    expect(moved.ok).toBe(true)
    t.setState('CANCELLED')
    expect(await t.balances()).toEqual({ settlementOwes: 500n, payment: 500n })
    expect(await t.deposit({ outgoingPaymentId: t.paymentId })).toEqual(err('wrong_state'))
    expect(await t.balances()).toEqual({ settlementOwes: 0n, payment: 0n })
    expect(await t.deposit({ outgoingPaymentId: t.paymentId })).toEqual(err('wrong_state'))
    expect(await t.balances()).toEqual({ settlementOwes: 0n, payment: 0n })
  })

  it('keeps the deposit when a concurrent deposit of the same payment made it SENDING', async () => {
    const t = await setup('SENDING')
    expect(await t.deposit({ outgoingPaymentId: t.paymentId })).toEqual(err('wrong_state'))
    expect(t.state()).toBe('SENDING')
    expect(await t.balances()).toEqual({ settlementOwes: 500n, payment: 500n })
  })
})
