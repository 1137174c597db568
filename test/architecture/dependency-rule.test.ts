import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { scanImports } from './import-scan.ts'
import type { Violation } from './import-scan.ts'
import { extractSpecifiers } from './import-specifiers.ts'

const projectRoot = fileURLToPath(new URL('../..', import.meta.url))
const fixtureRoot = fileURLToPath(new URL('../fixtures/architecture', import.meta.url))

const describeAll = (violations: readonly Violation[]): string =>
  violations.map(({ kind, file, detail }) => `  ${kind} ${file}: ${detail}`).join('\n')

describe('the dependency rule', () => {
  it('holds for the project', async () => {
    const violations = await scanImports(projectRoot)
    expect(violations, `dependency rule broken:\n${describeAll(violations)}`).toEqual([])
  })

  it('flags exactly the breaking files of the fixture', async () => {
    const layer = (file: string, detail: string): Violation => ({ kind: 'layer', file, detail })
    const ring = ['ring-1', 'ring-2', 'ring-3', 'ring-1'].map(
      (name) => `adapters/postgres/${name}.ts`,
    )
    expect(await scanImports(fixtureRoot)).toEqual([
      { kind: 'cycle', file: 'adapters/postgres/ring-1.ts', detail: ring.join(' -> ') },
      {
        kind: 'cycle',
        file: 'application/cycle-a.ts',
        detail: 'application/cycle-a.ts -> application/cycle-b.ts -> application/cycle-a.ts',
      },
      layer(
        'adapters/uses-runtime.ts',
        "adapters/ imports '../runtimes/compose.ts' (runtimes/compose.ts): nothing imports runtimes/",
      ),
      layer(
        'application/uses-adapter.ts',
        "application/ imports '../adapters/x.ts' (adapters/x.ts): application/ never imports adapters/",
      ),
      layer(
        'application/uses-hono-types.ts',
        "application/ imports '@hono/node-server': an infrastructure package belongs behind a port",
      ),
      layer(
        'application/uses-postgres.ts',
        "application/ imports 'postgres': an infrastructure package belongs behind a port",
      ),
      layer('domain/bad.ts', "domain/ imports 'node:crypto': domain/ imports only domain/"),
      layer(
        'domain/uses-application.ts',
        "domain/ imports '../application/ports/clock.ts' (application/ports/clock.ts): domain/ imports only domain/",
      ),
      layer('domain/uses-package.ts', "domain/ imports 'valibot': domain/ imports only domain/"),
      layer('domain/uses-runtime-globals.ts', 'domain/ uses the runtime global Deno'),
      layer('domain/uses-runtime-globals.ts', 'domain/ uses the runtime global process'),
    ])
  })
})

describe('extractSpecifiers', () => {
  it('finds every import and re-export form', () => {
    const source = [
      "import a from './a.ts'",
      "import type { B } from './b.ts'",
      "import c, { d as e, type F, 'g h' as g } from './c.ts'",
      "import * as h from './h.ts'",
      "import './side-effect.ts'",
      'import {',
      '  i,',
      '  j,',
      "} from './multi-line.ts';",
      "export * from './star.ts'",
      "export * as k from './star-as.ts'",
      "export { l, m as n } from './named.ts'",
      "export type { O } from './type-named.ts'",
      "const p = await import('./dynamic.ts')",
      'const q = await import(`./template.ts`)',
      "type R = typeof import('./type-query.ts')",
      "import s = require('./require.ts')",
      "import{t}from'./tight.ts'",
    ].join('\n')
    expect(extractSpecifiers(source)).toEqual([
      './a.ts',
      './b.ts',
      './c.ts',
      './h.ts',
      './side-effect.ts',
      './multi-line.ts',
      './star.ts',
      './star-as.ts',
      './named.ts',
      './type-named.ts',
      './dynamic.ts',
      './template.ts',
      './type-query.ts',
      './require.ts',
      './tight.ts',
    ])
  })

  it('ignores comments, strings, templates, regular expressions and look-alikes', () => {
    const source = [
      "// import a from 'a'",
      "/* export * from 'b' */",
      'const c = "import \'c\'"',
      'const d = \'export { d } from "d"\'',
      "const e = `import e from 'e' ${d ? \"import('f')\" : `${c}import 'g'`}`",
      'const h = /import [\'"]h[\'"]/g.test(c) ? c.length / d.length : 0',
      "const i = { import: 'i', export: 'j', from: 'k' }",
      'const l = import.meta.url',
      'export const m = 1',
      'export { c, d }',
      "export default 'from'",
      'class N { import(x: string) { return x } }',
      "const o = i.import + `${i.from}` + 'p'",
      "import q from './after-all-that.ts'",
    ].join('\n')
    expect(extractSpecifiers(source)).toEqual(['./after-all-that.ts'])
  })
})
