import { serveOnNode } from './node-serve.ts'
import { run } from './run.ts'

await run(serveOnNode)
