// Process lifecycle shared by the runtime entries: boot, then stop cleanly on SIGINT/SIGTERM.
import process from 'node:process'
import { bootNode, ConfigError } from './boot.ts'
import type { Serve } from './serve.ts'

export async function run(serve: Serve): Promise<void> {
  let node
  try {
    node = await bootNode(process.env, serve)
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error)
    process.exit(1)
  }
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    try {
      await node.stop()
      process.exit(0)
    } catch (error) {
      console.error(`failed to stop cleanly after ${signal}`, error)
      process.exit(1)
    }
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}
