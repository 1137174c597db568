// The dependency rule (ARCHITECTURE.md section 1) checked without dependencies: dependency-cruiser
// needs Node 22, and a small tokenizer plus a graph walk covers what the rule needs.
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { runtimeGlobalsIn, specifiersIn, tokenize } from './import-specifiers.ts'

export type Violation = { kind: 'layer' | 'cycle'; file: string; detail: string }

type Layer = 'domain' | 'application' | 'adapters' | 'runtimes'

const layers: readonly Layer[] = ['domain', 'application', 'adapters', 'runtimes']

const skippedDirectories = new Set(['node_modules', 'data'])

/** Packages that tie a use case to one technology: application/ reaches them through ports. */
export const applicationDeniedPackages = [
  'postgres',
  'ioredis',
  'tigerbeetle-node',
  'hono',
  '@hono/*',
  'graphql',
  'graphql-yoga',
  'tsyringe',
  'reflect-metadata',
  '@electric-sql/*',
  'pino',
  'ilp-protocol-stream',
  '@interledger/*',
] as const

/** Globals through which domain code would reach a runtime (node:, Bun, Deno) without an import. */
const runtimeGlobals = new Set(['process', 'Buffer', 'Bun', 'Deno'])

const cyclesMax = 100
const cycleSearchStepsMax = 1_000_000

export async function scanImports(root: string): Promise<Violation[]> {
  const absoluteRoot = resolve(root)
  const files = await collectSourceFiles(absoluteRoot)
  const known = new Set(files)
  const graph = new Map<string, string[]>()
  const violations: Violation[] = []
  for (const file of files) {
    const layer = layerOf(file)
    if (layer === undefined) continue
    const tokens = tokenize(await readFile(join(absoluteRoot, file), 'utf8'))
    const edges = new Set<string>()
    for (const specifier of specifiersIn(tokens)) {
      const target = isPath(specifier)
        ? toPosix(relative(absoluteRoot, resolve(absoluteRoot, dirname(file), specifier)))
        : undefined
      const detail = layerRule(layer, specifier, target)
      if (detail !== undefined) violations.push({ kind: 'layer', file, detail })
      const resolved = target === undefined ? undefined : resolveModule(target, known)
      if (resolved !== undefined) edges.add(resolved)
    }
    if (layer === 'domain') {
      for (const name of runtimeGlobalsIn(tokens, runtimeGlobals)) {
        violations.push({ kind: 'layer', file, detail: `domain/ uses the runtime global ${name}` })
      }
    }
    graph.set(file, [...edges])
  }
  violations.push(...cycleViolations(graph))
  return violations.sort(compareViolations)
}

// ---------------------------------------------------------------------------------------------
// Files and layers

async function collectSourceFiles(root: string): Promise<string[]> {
  const files: string[] = []
  for (const layer of layers) await collectInto(root, layer, files)
  return files.sort()
}

// Test files are exempt from every rule: they are leaves that nothing imports.
async function collectInto(root: string, directory: string, files: string[]): Promise<void> {
  const entries = await readdir(join(root, directory), { withFileTypes: true }).catch(
    (error: unknown) => {
      if ((error as { code?: unknown }).code === 'ENOENT') return []
      throw error
    },
  )
  for (const entry of entries) {
    const path = `${directory}/${entry.name}`
    if (entry.isDirectory() && !skippedDirectories.has(entry.name) && !entry.name.startsWith('.')) {
      await collectInto(root, path, files)
    } else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      files.push(path)
    }
  }
}

const toPosix = (path: string): string => path.split(sep).join('/')

const isPath = (specifier: string): boolean =>
  specifier.startsWith('./') ||
  specifier.startsWith('../') ||
  specifier.startsWith('/') ||
  specifier === '.' ||
  specifier === '..'

function layerOf(path: string): Layer | undefined {
  const top = path.split('/')[0]
  return layers.find((layer) => layer === top)
}

// House style writes the `.ts` extension; the other forms resolve too so a slip still counts.
function resolveModule(target: string, known: ReadonlySet<string>): string | undefined {
  const candidates = [target, `${target}.ts`, `${target}/index.ts`]
  if (target.endsWith('.js')) candidates.push(`${target.slice(0, -3)}.ts`)
  return candidates.find((candidate) => known.has(candidate))
}

/** Why importing `specifier` (resolved to `target` when it is a path) from `from` breaks the rule. */
function layerRule(from: Layer, specifier: string, target: string | undefined): string | undefined {
  if (target === undefined || target.split('/').includes('node_modules')) {
    if (from === 'domain') return `domain/ imports '${specifier}': domain/ imports only domain/`
    if (from === 'application' && isDeniedInApplication(specifier)) {
      return `application/ imports '${specifier}': an infrastructure package belongs behind a port`
    }
    return undefined
  }
  const to = layerOf(target)
  if (from === 'domain' && to !== 'domain') {
    return `domain/ imports '${specifier}' (${target}): domain/ imports only domain/`
  }
  if (from === 'application' && (to === 'adapters' || to === 'runtimes')) {
    return `application/ imports '${specifier}' (${target}): application/ never imports ${to}/`
  }
  if (to === 'runtimes' && from !== 'runtimes') {
    return `${from}/ imports '${specifier}' (${target}): nothing imports runtimes/`
  }
  return undefined
}

function isDeniedInApplication(specifier: string): boolean {
  const name = packageName(specifier)
  return applicationDeniedPackages.some((entry) =>
    entry.endsWith('/*') ? name.startsWith(entry.slice(0, -1)) : name === entry,
  )
}

// 'pino/file' -> 'pino', '@hono/node-server/x' -> '@hono/node-server', 'npm:hono@4' -> 'hono'
function packageName(specifier: string): string {
  const bare = specifier.startsWith('npm:') ? specifier.slice(4) : specifier
  const parts = bare.split('/')
  const name = bare.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '')
  const version = name.indexOf('@', 1)
  return version === -1 ? name : name.slice(0, version)
}

// Code-unit order, the same in every locale.
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const compareViolations = (a: Violation, b: Violation): number =>
  compareText(a.kind, b.kind) || compareText(a.file, b.file) || compareText(a.detail, b.detail)

// ---------------------------------------------------------------------------------------------
// Cycles: strongly connected components (Tarjan), then every elementary cycle inside each one,
// listed once from its smallest file.

function cycleViolations(graph: ReadonlyMap<string, readonly string[]>): Violation[] {
  const budget = { steps: cycleSearchStepsMax, cycles: cyclesMax }
  const violations: Violation[] = []
  for (const component of stronglyConnected(graph)) {
    const first = component[0]
    if (first === undefined) continue
    if (component.length === 1 && !(graph.get(first) ?? []).includes(first)) continue
    const cycles = elementaryCycles(component, graph, budget)
    for (const cycle of cycles) {
      violations.push({
        kind: 'cycle',
        file: cycle[0] ?? first,
        detail: [...cycle, cycle[0]].join(' -> '),
      })
    }
    if (budget.steps <= 0 || budget.cycles <= 0) {
      violations.push({
        kind: 'cycle',
        file: first,
        detail: `${component.length} files import each other in cycles; the scan stopped listing them`,
      })
      break
    }
  }
  return violations
}

function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  const visit = (node: string): void => {
    const own = index.size
    index.set(node, own)
    low.set(node, own)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) visit(next)
      if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? own, low.get(next) ?? own))
    }
    if (low.get(node) !== own) return
    const component: string[] = []
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member)
      component.push(member)
      if (member === node) break
    }
    components.push(component.sort())
  }
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node)
  return components.sort((a, b) => compareText(a[0] ?? '', b[0] ?? ''))
}

function elementaryCycles(
  component: readonly string[],
  graph: ReadonlyMap<string, readonly string[]>,
  budget: { steps: number; cycles: number },
): string[][] {
  const rank = new Map(component.map((node, i) => [node, i]))
  const cycles: string[][] = []
  component.forEach((start, startRank) => {
    const path = [start]
    const walk = (node: string): void => {
      for (const next of graph.get(node) ?? []) {
        if (budget.steps <= 0 || budget.cycles <= 0) return
        budget.steps -= 1
        if (next === start) {
          cycles.push([...path])
          budget.cycles -= 1
        } else if ((rank.get(next) ?? -1) > startRank && !path.includes(next)) {
          path.push(next)
          walk(next)
          path.pop()
        }
      }
    }
    walk(start)
  })
  return cycles
}
