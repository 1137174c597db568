// `npm run bench`: every benchmark in turn. Each reports rates or ratios, never pass/fail.
import { benchBoot } from './boot.ts'
import { benchLedger } from './ledger.ts'
import { benchOpenPayments } from './open-payments.ts'
import { benchConnector } from './connector.ts'
import { benchPayments } from './payments.ts'
import { benchAuth } from './auth.ts'

await benchBoot()
await benchLedger()
await benchOpenPayments()
await benchConnector()
await benchPayments()
await benchAuth()
