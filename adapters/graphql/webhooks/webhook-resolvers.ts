import type { PageArgs } from '../../../domain/pagination/page.ts'
import type { WebhookEvent } from '../../../domain/webhooks/webhook-event.ts'
import type { ListWebhookEvents } from '../../../application/webhooks/list-webhook-events.ts'
import { toConnection } from '../connection.ts'
import { graphqlError, pageErrors } from '../errors.ts'

export type WebhookResolverDeps = { readonly listWebhookEvents: ListWebhookEvents }

type Args = PageArgs & { filter?: { type?: { in: string[] } | null } | null }

export function makeWebhookResolvers(deps: WebhookResolverDeps) {
  return {
    Query: {
      webhookEvents: async (_: unknown, { filter, ...page }: Args) => {
        const result = await deps.listWebhookEvents({ ...page, types: filter?.type?.in ?? null })
        if (!result.ok) throw graphqlError(pageErrors[result.error])
        return toConnection(result.value)
      },
    },
    WebhookEvent: {
      createdAt: (event: WebhookEvent) => event.createdAt.toISOString(),
    },
  }
}
