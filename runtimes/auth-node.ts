// `npm run start:auth`: the authorization server alone, on Node.
import { bootAuthServer } from './auth-boot.ts'
import { serveOnNode } from './node-serve.ts'
import { run } from './run.ts'

await run(serveOnNode, bootAuthServer)
