import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url))

export type Runtime = 'node' | 'bun' | 'deno'

// Node runs the bundle that `npm start` builds (npm run build); Bun and Deno run the sources.
const commands: Record<Runtime, readonly string[]> = {
  node: ['node', '.build/node/node.js'],
  bun: ['node_modules/.bin/bun', 'runtimes/bun.ts'],
  deno: ['node_modules/.bin/deno', 'run', '--allow-all', 'runtimes/deno.ts'],
}

export type Spawned<Ports = NodePorts> = {
  readonly child: ChildProcess
  readonly ports: Ports
  readonly bootMs: number
  /** Everything the process printed so far. */
  output(): string
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

type NodePorts = {
  admin: number
  openPayments: number
  connector: number
  /** With the embedded authorization server. */
  auth?: number
  introspection?: number
  interaction?: number
}

/** `npm run start:auth`'s ports (its ready line). */
export type AuthServerPorts = {
  auth: number
  introspection: number
  interaction: number
  admin: number
}

/** Starts the authorization server alone (the bundle `npm run start:auth` runs) on Node. */
export function spawnAuthServer(
  env: Record<string, string>,
  readyTimeoutMs = 60_000,
): Promise<Spawned<AuthServerPorts>> {
  return spawnUntilReady('auth server', 'node', ['.build/node/auth-node.js'], env, readyTimeoutMs)
}

/** Starts the node as a real process and waits for its 'ready' log line. */
export function spawnNode(
  runtime: Runtime,
  env: Record<string, string>,
  readyTimeoutMs = 60_000,
  /** Flags for the runtime itself, before the script (e.g. --cpu-prof). */
  runtimeArgs: readonly string[] = [],
): Promise<Spawned> {
  const [command = '', ...rest] = commands[runtime]
  const args =
    runtime === 'node'
      ? [...runtimeArgs, ...rest]
      : [...rest.slice(0, -1), ...runtimeArgs, ...rest.slice(-1)]
  return spawnUntilReady(runtime, command, args, env, readyTimeoutMs)
}

function spawnUntilReady<Ports>(
  name: string,
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  readyTimeoutMs: number,
): Promise<Spawned<Ports>> {
  const startedAt = performance.now()
  const child = spawn(command, args, {
    cwd: projectRoot,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name} did not become ready in ${readyTimeoutMs} ms:\n${output}`))
    }, readyTimeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      for (const line of output.split('\n')) {
        if (!line.includes('"msg":"ready"')) continue
        clearTimeout(timer)
        const ready = JSON.parse(line) as { ports: Ports }
        resolve({
          child,
          ports: ready.ports,
          bootMs: performance.now() - startedAt,
          output: () => output,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal)
            return exited
          },
        })
        return
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code} before ready:\n${output}`))
    })
  })
}

export const ephemeralPorts = {
  ADMIN_PORT: '0',
  OPEN_PAYMENTS_PORT: '0',
  CONNECTOR_PORT: '0',
  AUTO_PEERING_SERVER_PORT: '0',
  AUTH_PORT: '0',
  INTROSPECTION_PORT: '0',
  INTERACTION_PORT: '0',
  BIND_ADDRESS: '127.0.0.1',
}

/** Builds the Node bundle as `npm start` does. */
export function buildNodeBundle(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: 'inherit' })
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`build exited ${code}`)),
    )
  })
}
