import {
  toPageRequest,
  type Page,
  type PageArgs,
  type PageError,
} from '../../domain/pagination/page.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import { isWebhookEventType, type WebhookEvent } from '../../domain/webhooks/webhook-event.ts'
import type { WebhookEventRepository } from '../ports/webhook-event-repository.ts'

export type ListWebhookEventsArgs = PageArgs & {
  /** Rafiki's `filter.type.in`: only these types; unknown names match nothing. */
  readonly types?: readonly string[] | null | undefined
}

export type ListWebhookEvents = (
  args: ListWebhookEventsArgs,
) => Promise<Result<Page<WebhookEvent>, PageError>>

export const makeListWebhookEvents =
  (deps: { readonly events: WebhookEventRepository }): ListWebhookEvents =>
  async (args) => {
    const request = toPageRequest(args)
    if (!request.ok) return request
    const filter = args.types == null ? {} : { types: args.types.filter(isWebhookEventType) }
    const page = await deps.events.list(request.value, filter)
    return page.ok ? page : err('invalid_cursor')
  }
