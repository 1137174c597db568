import { describe, expect, it } from 'vitest'
import { escapeHtml, formatAmount } from './consent-page-html.ts'

describe('formatAmount', () => {
  it('places the decimal point by the scale, exactly', () => {
    const usd = (value: bigint, assetScale: number) =>
      formatAmount({ value, assetCode: 'USD', assetScale })
    expect(usd(12345n, 2)).toBe('123.45 USD')
    expect(usd(5n, 3)).toBe('0.005 USD')
    expect(usd(0n, 2)).toBe('0.00 USD')
    expect(usd(42n, 0)).toBe('42 USD')
    expect(usd(18446744073709551615n, 9)).toBe('18446744073.709551615 USD')
  })
})

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    )
  })
})
