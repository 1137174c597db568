import type { Receivers } from '../ports/receivers.ts'
import { makeCreateReceiver, type CreateReceiverDeps } from './create-receiver.ts'
import { makeGetReceiver, type GetReceiverDeps } from './get-receiver.ts'

/** The Receivers port, local or remote alike, for the admin API, quotes and payments. */
export const makeReceivers = (deps: GetReceiverDeps & CreateReceiverDeps): Receivers => ({
  get: makeGetReceiver(deps),
  create: makeCreateReceiver(deps),
})
