/* global URL, console, process */
// Run by `npm install` / `npm ci` (postinstall): mends the connection queues of postgres.js 3.4.x.
//
// Its Queue takes from the front lazily (a hole, then an index past it) and forgets the holes only
// once the queue is empty. The pool's queue of idle connections is rarely empty: whenever the
// pool holds two idle connections or more, every query leaves one more hole, and every query's
// remove() scans them all with indexOf. Measured here with 4 pooled connections and 2 callers:
// 16,366 queries/s in the first 5 s, 5,387/s after 40 s, one core busy scanning; a node up for
// days would crawl. The mend drops the holes before each remove(): the array stays as long as
// the queue. Pure JavaScript, as it runs before anything is built.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const original = `    remove: (x) => {
      const index = xs.indexOf(x)
      return index === -1
        ? null
        : (xs.splice(index, 1), x)
    },`
const mended = `    remove: (x) => {
      // Mended by runtimes/patch-postgres-queue.mjs: the holes shift() left go first.
      if (index > 0) (xs = xs.slice(index), index = 0)
      const at = xs.indexOf(x)
      return at === -1
        ? null
        : (xs.splice(at, 1), x)
    },`

const root = fileURLToPath(new URL('../node_modules/postgres/', import.meta.url))
const files = ['src/queue.js', 'cjs/src/queue.js', 'cf/src/queue.js']

for (const file of files) {
  const path = root + file
  const text = readFileSync(path, 'utf8')
  if (text.includes(mended)) continue
  if (!text.includes(original)) {
    console.error(`patch-postgres-queue: ${path} is not the expected postgres.js 3.4.x queue`)
    process.exit(1)
  }
  writeFileSync(path, text.replace(original, mended))
}
