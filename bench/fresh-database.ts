import postgres from 'postgres'
import { unixSocket } from '../adapters/postgres/database.ts'

/** postgres.js for a bench's own queries, reading `?host=/socket/dir` as the node does. */
export function benchSql(url: string): postgres.Sql {
  const { url: plain, path } = unixSocket(url)
  return postgres(plain, { max: 1, onnotice: () => {}, ...(path === undefined ? {} : { path }) })
}

/** Runs `use` against a new database on the server of `url`, dropped afterwards. */
export async function withFreshDatabaseUrl(
  url: string,
  prefix: string,
  use: (freshUrl: string) => Promise<void>,
): Promise<void> {
  const admin = benchSql(url)
  const name = `${prefix}_${crypto.randomUUID().slice(0, 8)}`
  try {
    await admin`create database ${admin(name)}`
    const target = new URL(url)
    target.pathname = `/${name}`
    await use(target.href)
  } finally {
    await admin`drop database if exists ${admin(name)} with (force)`
    await admin.end({ timeout: 5 })
  }
}
