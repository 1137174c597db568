// Process lifecycle shared by the runtime entries: boot, then stop cleanly on SIGINT/SIGTERM.
import process from 'node:process'
import { ConfigError } from './lifecycle.ts'
import type { Serve } from './serve.ts'

/** What run() boots: the node (bootNode) or the authorization server alone (bootAuthServer). */
export type Boot = (
  env: Record<string, string | undefined>,
  serve: Serve,
) => Promise<{ stop(): Promise<void> }>

export async function run(serve: Serve, boot: Boot): Promise<void> {
  let stopSignal: string | undefined
  let node: { stop(): Promise<void> } | undefined
  const stop = async (signal: string) => {
    if (stopSignal !== undefined) return
    stopSignal = signal
    // A signal during boot is honoured once boot has finished (see below).
    if (node === undefined) return
    try {
      await node.stop()
      process.exit(0)
    } catch (error) {
      console.error(`failed to stop cleanly after ${signal}`, error)
      process.exit(1)
    }
  }
  // Listen before booting: a signal that arrives right after 'ready' must not kill us mid-way.
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
  try {
    node = await boot(process.env, serve)
  } catch (error) {
    console.error(describeBootFailure(error, process.env['LOG_LEVEL']))
    process.exit(1)
  }
  if (stopSignal !== undefined) {
    const signal = stopSignal
    stopSignal = undefined
    await stop(signal)
  }
}

/** Operators get the message (which names the variable to fix); stacks only when debugging. */
function describeBootFailure(error: unknown, logLevel: string | undefined): unknown {
  if (error instanceof ConfigError) return error.message
  if (logLevel === 'debug' || logLevel === 'trace' || !(error instanceof Error)) return error
  return `Boot failed: ${error.message}`
}
