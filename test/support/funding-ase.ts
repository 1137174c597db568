// A test ASE as Rafiki's ASEs behave: it answers `outgoing_payment.created` by funding the
// payment with depositOutgoingPaymentLiquidity, and records every webhook it receives.
import { gql } from './graphql-client.ts'
import { startWebhookReceiver, type ReceivedWebhook } from './webhook-receiver.ts'

export type FundingAse = Awaited<ReturnType<typeof startWebhookReceiver>> & {
  /** Called with each webhook as it arrives (after funding, before the 200 answer). */
  onEvent?: (body: ReceivedWebhook['body']) => void
}

/**
 * `adminUrl()` is read on every webhook, so the node may move to other ports (a restart). A
 * redelivered `created` event funds nothing twice: the idempotency key is the event's id, and a
 * payment that is no longer FUNDING counts as funded.
 */
export async function startFundingAse(adminUrl: () => string): Promise<FundingAse> {
  // Webhooks only arrive once the receiver is listening, so `ase` is set by then.
  const ase: FundingAse = await startWebhookReceiver({
    async onWebhook(body) {
      const id = body.data['id']
      if (body.type === 'outgoing_payment.created' && typeof id === 'string') {
        await fund(adminUrl(), id, body.id)
      }
      ase.onEvent?.(body)
    },
  })
  return ase
}

async function fund(adminUrl: string, paymentId: string, eventId: string): Promise<void> {
  const reply = await gql(
    adminUrl,
    `mutation ($input: DepositOutgoingPaymentLiquidityInput!) {
      depositOutgoingPaymentLiquidity(input: $input) { success } }`,
    { input: { outgoingPaymentId: paymentId, idempotencyKey: `fund-${eventId}` } },
  )
  if (!reply.errors) return
  const state = await gql(adminUrl, `query ($id: String!) { outgoingPayment(id: $id) { state } }`, {
    id: paymentId,
  })
  const payment = state.data?.['outgoingPayment'] as { state: string } | null | undefined
  if (payment && payment.state !== 'FUNDING') return
  throw new Error(JSON.stringify(reply.errors))
}
