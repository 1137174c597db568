// Wiring of the ILP payment method: quotes and payments to receivers on other nodes, as STREAM
// over this node's own connector pipeline (in process, no HTTP hop to ourselves).
import { openStreamSender } from '../adapters/ilp/stream-sender.ts'
import { makeIlpPaymentMethod, makeIlpQuoter } from '../application/payment-methods/ilp.ts'
import type { IlpQuoter, PaymentMethod } from '../application/ports/payment-methods.ts'
import { connectorTokens } from './compose-connector.ts'
import type { Config } from './config.ts'
import { token, type Factory, type Get, type Token } from './tokens.ts'

export const ilpPaymentTokens = {
  quoter: token<IlpQuoter>('IlpQuoter'),
  method: token<PaymentMethod>('IlpPaymentMethod'),
} as const

export function registerIlpPayments(factory: Factory, base: { config: Token<Config> }): void {
  const deps = (get: Get) => ({
    handlePacket: get(connectorTokens.handlePacket),
    openStreamSender,
    slippage: get(base.config).SLIPPAGE,
  })
  factory(ilpPaymentTokens.quoter, (get) => makeIlpQuoter(deps(get)))
  factory(ilpPaymentTokens.method, (get) => makeIlpPaymentMethod(deps(get)))
}
