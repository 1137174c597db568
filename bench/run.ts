// `npm run bench`: every benchmark in turn. Each reports rates or ratios, never pass/fail.
import { benchBoot } from './boot.ts'
import { benchLedger } from './ledger.ts'

await benchBoot()
await benchLedger()
