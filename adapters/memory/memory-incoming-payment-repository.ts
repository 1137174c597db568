import {
  isActive,
  isDueForExpiry,
  stateAfterReceiving,
  type IncomingPayment,
} from '../../domain/incoming-payments/incoming-payment.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type {
  ActionError,
  IncomingPaymentRepository,
  UnknownOrWrongState,
} from '../../application/ports/incoming-payment-repository.ts'
import { pageOf } from './memory-page.ts'

/**
 * In-process IncomingPaymentRepository for unit tests; same rules as the SQL one. `all()` lets
 * other memory adapters (the payments list) read its rows, as SQL reads one table from another.
 */
export function makeMemoryIncomingPaymentRepository(): IncomingPaymentRepository & {
  all(): readonly IncomingPayment[]
} {
  const rows = new Map<string, IncomingPayment>()
  // No await between the check and the write: each change is atomic, as the SQL UPDATE is.
  const change = (
    id: string,
    applies: (row: IncomingPayment) => boolean,
    next: (row: IncomingPayment) => IncomingPayment,
  ): Result<IncomingPayment, UnknownOrWrongState> => {
    const row = rows.get(id)
    if (!row) return err('unknown_incoming_payment')
    if (!applies(row)) return err('wrong_state')
    const updated = next(row)
    rows.set(id, updated)
    return ok(updated)
  }
  // approve and cancel: PENDING only; the other action done first wins; repeating is a no-op.
  const act = (
    id: string,
    at: Date,
    field: 'approvedAt' | 'cancelledAt',
  ): Result<IncomingPayment, ActionError> => {
    const row = rows.get(id)
    if (!row) return err('unknown_incoming_payment')
    if (row.state !== 'PENDING') return err('wrong_state')
    const other = field === 'approvedAt' ? row.cancelledAt : row.approvedAt
    if (other !== null) return err('already_actioned')
    if (row[field] !== null) return ok(row)
    const updated = { ...row, [field]: at, updatedAt: at }
    rows.set(id, updated)
    return ok(updated)
  }
  return {
    async create(input) {
      const row: IncomingPayment = {
        id: input.id,
        walletAddressId: input.walletAddressId,
        client: input.client,
        state: 'PENDING',
        incomingAmount: input.incomingAmount,
        receivedAmount: { value: 0n, assetCode: input.assetCode, assetScale: input.assetScale },
        expiresAt: input.expiresAt,
        metadata: input.metadata,
        approvedAt: null,
        cancelledAt: null,
        createdAt: input.createdAt,
        updatedAt: input.createdAt,
      }
      rows.set(row.id, row)
      return row
    },
    async getById(id) {
      return rows.get(id)
    },
    async listByWalletAddress(walletAddressId, request, client) {
      const own = [...rows.values()].filter(
        (row) =>
          row.walletAddressId === walletAddressId &&
          (client === undefined || row.client === client),
      )
      return pageOf(own, request)
    },
    async updateMetadata(id, metadata, at) {
      const row = rows.get(id)
      if (!row) return undefined
      const updated = { ...row, metadata, updatedAt: at }
      rows.set(id, updated)
      return updated
    },
    async addReceived(id, amount, at, options) {
      const live = (row: IncomingPayment) =>
        isActive(row.state) && row.expiresAt.getTime() > at.getTime()
      const row = rows.get(id)
      const over = (payment: IncomingPayment) =>
        payment.incomingAmount !== null &&
        payment.receivedAmount.value + amount > payment.incomingAmount.value
      if (options?.upToIncomingAmount === true && row && live(row) && over(row)) {
        return err('exceeds_incoming_amount')
      }
      const changed = change(id, live, (row) => {
        const value = row.receivedAmount.value + amount
        return {
          ...row,
          receivedAmount: { ...row.receivedAmount, value },
          state: stateAfterReceiving(row.incomingAmount, value),
          updatedAt: at,
        }
      })
      if (!changed.ok) return changed
      return ok({ payment: changed.value, completedNow: changed.value.state === 'COMPLETED' })
    },
    async complete(id, at) {
      return change(
        id,
        (row) => isActive(row.state),
        (row) => ({ ...row, state: 'COMPLETED', updatedAt: at }),
      )
    },
    async approve(id, at) {
      return act(id, at, 'approvedAt')
    },
    async cancel(id, at) {
      return act(id, at, 'cancelledAt')
    },
    async capExpiry(walletAddressId, latest, at) {
      let count = 0
      for (const row of rows.values()) {
        if (row.walletAddressId !== walletAddressId || !isActive(row.state)) continue
        if (row.expiresAt.getTime() <= latest.getTime()) continue
        rows.set(row.id, { ...row, expiresAt: latest, updatedAt: at })
        count += 1
      }
      return count
    },
    async expireDue(now, limit) {
      const due = [...rows.values()]
        .filter((row) => isDueForExpiry(row, now.getTime()))
        .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
        .slice(0, limit)
      return due.map((row) => {
        const expired: IncomingPayment = { ...row, state: 'EXPIRED', updatedAt: now }
        rows.set(row.id, expired)
        return expired
      })
    },
    all: () => [...rows.values()],
  }
}
