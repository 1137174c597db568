import { serveOnNode } from './node-serve.ts'
import { bootNode } from './boot.ts'
import { run } from './run.ts'

await run(serveOnNode, bootNode)
