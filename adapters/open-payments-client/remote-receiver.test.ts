import { describe, expect, it } from 'vitest'
import { err } from '../../domain/shared/result.ts'
import { remoteErrorOf } from './open-payments-client.ts'
import { remoteReceiver } from './remote-receiver.ts'
import { OpenPaymentsClientError } from '@interledger/open-payments'

const secret = Buffer.alloc(32, 7)
const payment = {
  id: 'https://rs.other.example/incoming-payments/5d5b1a3c-5b2c-4a4e-9d8f-0f6e2b7c1a20',
  walletAddress: 'https://rs.other.example/bob',
  completed: false,
  incomingAmount: { value: '1000', assetCode: 'EUR', assetScale: 2 },
  receivedAmount: { value: '250', assetCode: 'EUR', assetScale: 2 },
  expiresAt: '2030-01-01T00:00:00.000Z',
  metadata: { invoice: 'A-1' },
  createdAt: '2029-12-01T00:00:00.000Z',
  updatedAt: '2029-12-02T00:00:00.000Z',
  methods: [
    { type: 'something-else', address: 'x' },
    { type: 'ilp', ilpAddress: 'test.other.abc', sharedSecret: secret.toString('base64url') },
  ],
}

describe('remoteReceiver', () => {
  it('maps an incoming payment with methods to a receiver paid by its ilp method', () => {
    const mapped = remoteReceiver(payment)
    expect(mapped).toEqual({
      ok: true,
      value: {
        id: payment.id,
        walletAddressUrl: 'https://rs.other.example/bob',
        assetCode: 'EUR',
        assetScale: 2,
        incomingAmount: { value: 1000n, assetCode: 'EUR', assetScale: 2 },
        receivedAmount: { value: 250n, assetCode: 'EUR', assetScale: 2 },
        completed: false,
        expiresAt: new Date('2030-01-01T00:00:00.000Z'),
        metadata: { invoice: 'A-1' },
        createdAt: new Date('2029-12-01T00:00:00.000Z'),
        updatedAt: new Date('2029-12-02T00:00:00.000Z'),
        ilp: { ilpAddress: 'test.other.abc', sharedSecret: secret },
        localIncomingPaymentId: null,
      },
    })
  })

  it('has no incomingAmount, expiry or method when the payment has none', () => {
    const { incomingAmount: _a, expiresAt: _e, metadata: _m, updatedAt: _u, ...open } = payment
    const mapped = remoteReceiver({ ...open, methods: [] })
    expect(mapped.ok && mapped.value).toMatchObject({
      incomingAmount: null,
      expiresAt: null,
      metadata: null,
      ilp: null,
      updatedAt: new Date('2029-12-01T00:00:00.000Z'),
    })
  })

  it('offers no method once the payment is completed', () => {
    const mapped = remoteReceiver({ ...payment, completed: true })
    expect(mapped.ok && mapped.value.ilp).toBeNull()
  })

  it.each([
    [
      'an amount that is not a uint64',
      { receivedAmount: { value: '-1', assetCode: 'EUR', assetScale: 2 } },
    ],
    [
      'an amount past 64 bits',
      { receivedAmount: { value: '18446744073709551616', assetCode: 'EUR', assetScale: 2 } },
    ],
    ['amounts in two assets', { incomingAmount: { value: '1', assetCode: 'USD', assetScale: 2 } }],
    ['a bad date', { createdAt: 'yesterday' }],
  ])('refuses %s', (_, change) => {
    expect(remoteReceiver({ ...payment, ...change }).ok).toBe(false)
  })

  it('ignores an ilp method whose secret is not 32 bytes', () => {
    const methods = [{ type: 'ilp', ilpAddress: 'test.other.abc', sharedSecret: 'c2hvcnQ' }]
    const mapped = remoteReceiver({ ...payment, methods })
    expect(mapped.ok && mapped.value.ilp).toBeNull()
  })
})

describe('remoteErrorOf', () => {
  const failure = (status: number | undefined) =>
    new OpenPaymentsClientError('failed', { description: 'failed', ...(status && { status }) })
  it.each([
    [404, 'not_found'],
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [400, 'refused'],
    [500, 'unreachable'],
    [undefined, 'unreachable'],
  ])('maps HTTP %s to %s', (status, expected) => {
    expect(err(remoteErrorOf(failure(status)))).toEqual(err(expected))
  })
  it('maps a network failure to unreachable', () => {
    expect(remoteErrorOf(new TypeError('fetch failed'))).toBe('unreachable')
  })
})
