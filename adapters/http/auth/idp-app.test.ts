import { describe, expect, it } from 'vitest'
import { setupInteractionApps, testIdpSecret } from './interaction-routes-fixtures.ts'

type ErrorBody = { error: { code: string; description: string } }

async function setup() {
  const apps = await setupInteractionApps({ clientName: 'Alice Wallet' })
  const { id, nonce } = apps.interaction
  const details = (headers: Record<string, string> = { 'x-idp-secret': testIdpSecret }) =>
    apps.idpApp.request(`/grant/${id}/${nonce}`, { headers })
  const choose = (
    choice: string,
    headers: Record<string, string> = { 'x-idp-secret': testIdpSecret },
    path = `/grant/${id}/${nonce}`,
  ) => apps.idpApp.request(`${path}/${choice}`, { method: 'POST', headers })
  return { ...apps, details, choose }
}

const stateOf = async (apps: Awaited<ReturnType<typeof setup>>) =>
  (await apps.grants.findById(apps.interaction.grantId))?.state

describe('GET /grant/:id/:nonce', () => {
  it('answers the access with amounts as strings, the state and the client', async () => {
    const { details, clock } = await setup()
    const response = await details()
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      access: [
        {
          type: 'outgoing-payment',
          actions: ['create', 'read'],
          identifier: 'https://wallet.example/alice',
          limits: {
            receiver: 'https://wallet.example/bob/incoming-payments/1',
            debitAmount: { value: '12345', assetCode: 'USD', assetScale: 2 },
            interval: 'R12/2025-01-01T00:00:00Z/P1M',
          },
        },
      ],
      state: 'PENDING',
      client: { name: 'Alice Wallet', uri: 'https://wallet.example/alice' },
      expiresAt: new Date(clock.now() + 600_000).toISOString(),
    })
  })

  it('refuses a wrong or missing x-idp-secret with 401', async () => {
    const { details } = await setup()
    for (const headers of [{}, { 'x-idp-secret': `${testIdpSecret}x` }, { 'x-idp-secret': '' }]) {
      const response = await details(headers)
      expect(response.status).toBe(401)
      expect(((await response.json()) as ErrorBody).error.code).toBe('invalid_request')
    }
  })

  it('answers 404 unknown_interaction for a wrong nonce', async () => {
    const { idpApp, interaction } = await setup()
    const response = await idpApp.request(`/grant/${interaction.id}/nope`, {
      headers: { 'x-idp-secret': testIdpSecret },
    })
    expect(response.status).toBe(404)
    expect(((await response.json()) as ErrorBody).error.code).toBe('unknown_interaction')
  })
})

describe('POST /grant/:id/:nonce/accept|reject', () => {
  it('accept answers 202 and approves; a second answer is refused with 400', async () => {
    const apps = await setup()
    expect((await apps.choose('accept')).status).toBe(202)
    expect(await stateOf(apps)).toBe('APPROVED')
    const again = await apps.choose('reject')
    expect(again.status).toBe(400)
    expect(((await again.json()) as ErrorBody).error.code).toBe('invalid_interaction')
    expect(await stateOf(apps)).toBe('APPROVED')
  })

  it('reject finalizes; answering again says 401 user_denied', async () => {
    const apps = await setup()
    expect((await apps.choose('reject')).status).toBe(202)
    expect(await stateOf(apps)).toBe('FINALIZED')
    const again = await apps.choose('accept')
    expect(again.status).toBe(401)
    expect(((await again.json()) as ErrorBody).error.code).toBe('user_denied')
  })

  it('refuses a wrong or missing x-idp-secret and decides nothing', async () => {
    const apps = await setup()
    for (const choice of ['accept', 'reject']) {
      for (const headers of [{}, { 'x-idp-secret': 'idp-secret-0123456788' }]) {
        const response = await apps.choose(choice, headers)
        expect(response.status).toBe(401)
        expect(((await response.json()) as ErrorBody).error.code).toBe('invalid_interaction')
      }
    }
    expect(await stateOf(apps)).toBe('PENDING')
    const details = await apps.details()
    expect(((await details.json()) as { state: string }).state).toBe('PENDING')
  })

  it('refuses an expired interaction (400) and an unknown one (404)', async () => {
    const apps = await setup()
    const unknown = await apps.choose('accept', undefined, `/grant/${apps.interaction.id}/nope`)
    expect(unknown.status).toBe(404)
    apps.clock.advance(600_000)
    const expired = await apps.choose('accept')
    expect(expired.status).toBe(400)
    expect(await stateOf(apps)).toBe('PENDING')
  })

  it('knows no other choice', async () => {
    const apps = await setup()
    expect((await apps.choose('maybe')).status).toBe(404)
    expect(await stateOf(apps)).toBe('PENDING')
  })
})
