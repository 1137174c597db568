import postgres from 'postgres'

/** Runs `use` against a new database on the server of `url`, dropped afterwards. */
export async function withFreshDatabaseUrl(
  url: string,
  prefix: string,
  use: (freshUrl: string) => Promise<void>,
): Promise<void> {
  const admin = postgres(url, { max: 1, onnotice: () => {} })
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
