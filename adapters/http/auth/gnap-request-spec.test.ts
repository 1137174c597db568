// Grant requests are checked with valibot at run time; this holds that check to the auth-server
// OpenAPI document of @interledger/open-payments: every body below is accepted by our POST / (a
// 200) exactly when the spec's request validator accepts it, and refused with a 400 otherwise.
import { getAuthServerOpenAPI } from '@interledger/open-payments'
import { describe, expect, it } from 'vitest'
import {
  clientFinish,
  incomingAccess,
  outgoingAccess,
  setupGnap,
  type Json,
} from './gnap-test-fixtures.ts'

const usd = (value: unknown) => ({ value, assetCode: 'USD', assetScale: 2 })
const interact = { start: ['redirect'], finish: clientFinish }

describe('grant request bodies, as the auth-server OpenAPI document validates them', () => {
  it('accepts and refuses what the spec accepts and refuses', async () => {
    const spec = await getAuthServerOpenAPI()
    const specAccepts = spec.createRequestValidator({ path: '/', method: 'post' as never })
    const t = setupGnap()
    const client = t.newClient()
    const withClient = (body: Json): Json => ({ client: client.url, ...body })
    const bodies: Json[] = [
      { access_token: { access: [incomingAccess] } },
      { access_token: { access: [{ type: 'quote', actions: ['create', 'read'] }] } },
      { access_token: { access: [outgoingAccess] }, interact },
      {
        access_token: {
          access: [
            {
              ...outgoingAccess,
              limits: { receiveAmount: usd('7'), interval: 'R/2026-01-01T00:00:00Z/P1D' },
            },
          ],
        },
        interact,
      },
      { access_token: { access: [{ ...incomingAccess, actions: ['fly'] }] } },
      { access_token: { access: [{ ...incomingAccess, type: 'invoice' }] } },
      { access_token: {} },
      { access_token: { access: [incomingAccess] }, client: 42 },
      {},
      { access_token: { access: [outgoingAccess] }, interact: { start: ['app'] } },
      {
        access_token: { access: [incomingAccess] },
        interact: {
          start: ['redirect'],
          finish: { method: 'push', uri: 'https://c.example', nonce: 'n' },
        },
      },
    ]
    const outcomes: { text: string; spec: boolean; status: number }[] = []
    for (const raw of bodies) {
      const body = withClient(raw)
      let valid = true
      try {
        specAccepts({
          headers: { 'content-type': 'application/json' },
          body,
          query: {},
          params: {},
        } as never)
      } catch {
        valid = false
      }
      const response = await t.call({ method: 'POST', path: '/', body, key: client.key })
      outcomes.push({ text: JSON.stringify(raw), spec: valid, status: response.status })
    }
    for (const { text, spec: valid, status } of outcomes) {
      expect({ text, status }).toEqual({ text, status: valid ? 200 : 400 })
    }
    expect(outcomes.filter((o) => o.status === 200).length).toBeGreaterThanOrEqual(4)
    expect(outcomes.filter((o) => o.status === 400).length).toBeGreaterThanOrEqual(6)
  })

  // Where we are stricter than the document (which lets these through): a grant of nothing, an
  // amount that is a JSON number, and a limit amount without its asset cannot be enforced.
  it('refuses with 400 what the spec lets through but cannot be enforced', async () => {
    const spec = await getAuthServerOpenAPI()
    const specAccepts = spec.createRequestValidator({ path: '/', method: 'post' as never })
    const t = setupGnap()
    const client = t.newClient()
    const stricter: Json[] = [
      { access_token: { access: [] } },
      { access_token: { access: [{ ...outgoingAccess, limits: { debitAmount: usd(500) } }] } },
      {
        access_token: { access: [{ ...outgoingAccess, limits: { debitAmount: { value: '1' } } }] },
      },
    ]
    for (const raw of stricter) {
      const body = { ...raw, client: client.url, interact }
      const request = {
        headers: { 'content-type': 'application/json' },
        body,
        query: {},
        params: {},
      }
      expect(specAccepts(request as never)).toBe(true)
      const response = await t.call({ method: 'POST', path: '/', body, key: client.key })
      expect(response.status).toBe(400)
    }
  })
})
