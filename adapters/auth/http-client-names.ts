// A grant client's display name for the consent screen: the `publicName` its wallet address
// publishes (GET {walletAddress} with Accept: application/json), bounded in time and size.
import type { ClientNames } from '../../application/ports/client-names.ts'
import { fetchText } from './fetch-text.ts'

const replyBytesMax = 64 * 1024

export function makeHttpClientNames(options: { readonly timeoutMs: number }): ClientNames {
  return {
    async publicName(walletAddressUrl) {
      if (!/^https?:\/\//.test(walletAddressUrl)) return undefined
      const reply = await fetchText(
        walletAddressUrl,
        { headers: { accept: 'application/json' } },
        { timeoutMs: options.timeoutMs, replyBytesMax },
      )
      if (!reply.ok || reply.value.status !== 200) return undefined
      try {
        const body: unknown = JSON.parse(reply.value.text)
        const name = (body as { publicName?: unknown } | null)?.publicName
        return typeof name === 'string' && name.length > 0 ? name : undefined
      } catch {
        return undefined
      }
    },
  }
}
