import { describe, expect, it } from 'vitest'
import type { IncomingPayment } from '../incoming-payments/incoming-payment.ts'
import { parseIncomingPaymentUrl } from './incoming-payment-url.ts'
import { localReceiver } from './local-receiver.ts'

const id = '0b8e2f4c-9a51-4d7e-8c3f-2a6b9d1e4f70'
const usd = (value: bigint) => ({ value, assetCode: 'USD', assetScale: 2 })
const payment: IncomingPayment = {
  id,
  walletAddressId: 'wallet-1',
  client: null,
  state: 'PROCESSING',
  incomingAmount: usd(500n),
  receivedAmount: usd(200n),
  expiresAt: new Date('2030-01-01T00:00:00Z'),
  metadata: { note: 'x' },
  approvedAt: null,
  cancelledAt: null,
  createdAt: new Date('2029-01-01T00:00:00Z'),
  updatedAt: new Date('2029-01-02T00:00:00Z'),
}
const ilp = { ilpAddress: 'test.node.token', sharedSecret: Buffer.alloc(32, 1) }
const context = {
  resourceServerUrl: 'https://op.example/',
  walletAddressUrl: 'https://op.example/alice',
  ilp: () => ilp,
}

describe('localReceiver', () => {
  it('is the payment under the resource server URL, paid by its STREAM credentials', () => {
    expect(localReceiver(payment, context)).toEqual({
      id: `https://op.example/incoming-payments/${id}`,
      walletAddressUrl: 'https://op.example/alice',
      assetCode: 'USD',
      assetScale: 2,
      incomingAmount: usd(500n),
      receivedAmount: usd(200n),
      completed: false,
      expiresAt: payment.expiresAt,
      metadata: { note: 'x' },
      createdAt: payment.createdAt,
      updatedAt: payment.updatedAt,
      ilp,
      localIncomingPaymentId: id,
    })
  })

  it.each(['COMPLETED', 'EXPIRED'] as const)('offers no method once %s', (state) => {
    const receiver = localReceiver({ ...payment, state }, context)
    expect(receiver.ilp).toBeNull()
    expect(receiver.completed).toBe(state === 'COMPLETED')
  })
})

describe('parseIncomingPaymentUrl', () => {
  it('splits the prefix from the payment id', () => {
    expect(parseIncomingPaymentUrl(`https://op.example/alice/incoming-payments/${id}`)).toEqual({
      prefix: 'https://op.example/alice',
      id,
    })
  })
  it.each([
    'https://op.example/incoming-payments/not-a-uuid',
    `https://op.example/outgoing-payments/${id}`,
    `ftp://op.example/incoming-payments/${id}`,
    `https://op.example/incoming-payments/${id}/complete`,
    'not a url',
  ])('refuses %s', (url) => {
    expect(parseIncomingPaymentUrl(url)).toBeUndefined()
  })
})
