// The HTML of the built-in consent page: plain strings, every value from a grant or a client
// escaped. Elements the user clicks have stable ids (#accept, #reject, #continue) for browser
// tests.
import type { InteractionDetails } from '../../../application/auth/interaction-details.ts'
import type { AccessItem, AccessType, LimitAmount } from '../../../domain/open-payments/access.ts'

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => entities[ch]!)

/** `12345n` at scale 2 in USD -> `123.45 USD`; exact for any scale (no floating point). */
export function formatAmount(amount: LimitAmount): string {
  const { value, assetScale: scale, assetCode } = amount
  if (scale === 0) return `${value} ${assetCode}`
  const digits = value.toString().padStart(scale + 1, '0')
  const cut = digits.length - scale
  return `${digits.slice(0, cut)}.${digits.slice(cut)} ${assetCode}`
}

const typeLabels = {
  'incoming-payment': 'Incoming payments',
  'outgoing-payment': 'Outgoing payments',
  quote: 'Quotes',
} as const satisfies Record<AccessType, string>

function limitRows(item: AccessItem): string {
  const limits = item.limits
  if (!limits) return ''
  const rows: string[] = []
  const row = (name: string, label: string, value: string) =>
    rows.push(`<dt>${label}</dt><dd class="${name}">${escapeHtml(value)}</dd>`)
  if (limits.debitAmount) row('debit-amount', 'Send at most', formatAmount(limits.debitAmount))
  if (limits.receiveAmount) {
    row('receive-amount', 'Receiver gets at most', formatAmount(limits.receiveAmount))
  }
  if (limits.receiver) row('receiver', 'Only to', limits.receiver)
  if (limits.interval) row('interval', 'Per interval', limits.interval)
  return rows.length === 0 ? '' : `<dl>${rows.join('')}</dl>`
}

function accessItemHtml(item: AccessItem): string {
  const on = item.identifier ? ` of <code>${escapeHtml(item.identifier)}</code>` : ''
  const actions = item.actions.map(escapeHtml).join(', ')
  return (
    `<li class="access-item" data-type="${escapeHtml(item.type)}">` +
    `<strong>${typeLabels[item.type]}</strong> (<code>${escapeHtml(item.type)}</code>)${on}: ` +
    `<span class="actions">${actions}</span>` +
    `${limitRows(item)}</li>`
  )
}

const style =
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}' +
  'dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dd{margin:0}' +
  'button,a.button{font-size:1rem;padding:.5rem 1.5rem;margin-right:1rem}'

export function pageHtml(title: string, body: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><style>${style}</style></head>` +
    `<body><main>${body}</main></body></html>`
  )
}

export type ConsentForm = {
  readonly nonce: string
  /** Binds the form to this interaction (consent-page.ts). */
  readonly token: string
  /** Where the browser goes once the interaction is answered. */
  readonly finishUrl: string
}

export function consentHtml(details: InteractionDetails, form: ConsentForm): string {
  const { client } = details
  const uri = client.uri ? `<p id="client-uri"><code>${escapeHtml(client.uri)}</code></p>` : ''
  const head =
    `<h1>Authorize <span id="client-name">${escapeHtml(client.name)}</span>?</h1>${uri}` +
    `<p>This client asks for:</p>` +
    `<ul id="access">${details.access.map(accessItemHtml).join('')}</ul>`
  if (details.state !== 'PENDING') {
    const said = details.state === 'APPROVED' ? 'accepted' : 'rejected'
    return pageHtml(
      'Grant request',
      `${head}<p id="state">You ${said} this request.</p>` +
        `<p><a id="continue" class="button" href="${escapeHtml(form.finishUrl)}">Continue</a></p>`,
    )
  }
  const hidden = (name: string, value: string) =>
    `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`
  return pageHtml(
    'Grant request',
    `${head}<p>Answer before <time id="expires-at">${details.expiresAt.toISOString()}</time>.</p>` +
      `<form id="consent-form" method="post">` +
      hidden('interactId', details.interactionId) +
      hidden('nonce', form.nonce) +
      hidden('token', form.token) +
      '<button type="submit" id="accept" name="decision" value="accept">Accept</button>' +
      '<button type="submit" id="reject" name="decision" value="reject">Reject</button>' +
      '</form>',
  )
}
