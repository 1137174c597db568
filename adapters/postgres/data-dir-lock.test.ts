import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { lockDataDir } from './data-dir-lock.ts'

describe('lockDataDir', () => {
  let dir = ''
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('lets one holder in at a time and frees the directory on release', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lock-'))
    const lock = await lockDataDir(dir)
    expect(await readFile(join(dir, 'ilp-node.pid'), 'utf8')).toBe(String(process.pid))
    await expect(lockDataDir(dir)).rejects.toThrow(/in use by process \d+.*DATABASE_URL/)
    await lock.release()
    const again = await lockDataDir(dir)
    await again.release()
  })

  it('takes over the pid file of a process that is gone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lock-'))
    await writeFile(join(dir, 'ilp-node.pid'), '999999999')
    const lock = await lockDataDir(dir)
    expect(await readFile(join(dir, 'ilp-node.pid'), 'utf8')).toBe(String(process.pid))
    await lock.release()
  })
})
