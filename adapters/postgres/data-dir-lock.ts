// PGlite has no postmaster to keep a second process off its files: two processes on one data
// directory would corrupt it. A pid file, created exclusively, stands in for that guard.
import { open, readFile, rm } from 'node:fs/promises'
import process from 'node:process'

export type DataDirLock = { release(): Promise<void> }

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as { code?: string }).code === 'EPERM'
  }
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = `${dataDir}/ilp-node.pid`
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const file = await open(path, 'wx')
      await file.writeFile(String(process.pid))
      await file.close()
      return { release: () => rm(path, { force: true }) }
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim())
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${holder}. Stop it, or set ` +
            'DATABASE_URL to a PostgreSQL server to run several processes on one database.',
          { cause: error },
        )
      }
      // A stale pid file from a process that died: take it over.
      await rm(path, { force: true })
    }
  }
  throw new Error(`Could not lock the embedded database directory ${dataDir}`)
}
