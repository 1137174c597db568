// What the request-rate benches share: `concurrency` loops each doing one request after another
// (a warm-up, then the measured run), and the table of figures per storage.
import { withFreshDatabaseUrl } from './fresh-database.ts'

export type RateOptions = {
  readonly concurrency: number
  readonly warmupMs: number
  readonly measureMs: number
}

/** Calls/s of `concurrency` loops running `once`, which throws on a wrong answer. */
export async function ratePerSecond(
  options: RateOptions,
  once: () => Promise<void>,
): Promise<number> {
  const loop = async (untilMs: number) => {
    let count = 0
    while (performance.now() < untilMs) {
      await once()
      count += 1
    }
    return count
  }
  const run = async (durationMs: number) => {
    const started = performance.now()
    const until = started + durationMs
    const loops = Array.from({ length: options.concurrency }, () => loop(until))
    const counts = await Promise.all(loops)
    return counts.reduce((a, b) => a + b, 0) / ((performance.now() - started) / 1000)
  }
  await run(options.warmupMs)
  return run(options.measureMs)
}

export type Figures = Record<string, number>

/**
 * `measure` on real PostgreSQL + Redis (BENCH_DATABASE_URL / BENCH_REDIS_URL, or the TEST_ ones;
 * a fresh database named after `prefix`) when they are set, and on embedded PGlite; then the
 * table under `title`, figures rounded.
 */
export async function measureOnEachStorage(
  prefix: string,
  title: string,
  measure: (env: Record<string, string>) => Promise<Figures>,
): Promise<void> {
  const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL']
  const redisUrl = process.env['BENCH_REDIS_URL'] ?? process.env['TEST_REDIS_URL']
  const rows: [string, Figures][] = []
  if (databaseUrl && redisUrl) {
    await withFreshDatabaseUrl(databaseUrl, prefix, async (url) => {
      rows.push([
        'PostgreSQL + Redis',
        await measure({ DATABASE_URL: url, REDIS_URL: redisUrl, USE_TIGERBEETLE: 'false' }),
      ])
    })
  } else {
    console.info('Set BENCH_DATABASE_URL and BENCH_REDIS_URL (or TEST_*) for the real-services row')
  }
  rows.push(['PGlite (embedded)', await measure({ DATABASE_URL: 'pglite://memory' })])
  console.info(`\n${title}`)
  console.table(
    Object.fromEntries(
      rows.map(([name, figures]) => [
        name,
        Object.fromEntries(Object.entries(figures).map(([k, r]) => [k, Math.round(r)])),
      ]),
    ),
  )
}
