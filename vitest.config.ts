import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  // Node loads graphql's CommonJS build for everyone; vite would give our code the ESM one, and
  // two copies of graphql break `instanceof GraphQLError`.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['{domain,application,adapters,runtimes,test}/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/fixtures/**'],
    globalSetup: ['./test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker per core but one: a single worker on a 2-core machine. The
    // suite mostly waits on PostgreSQL, sockets and child processes, so three keep both cores busy.
    maxWorkers: 3,
  },
})
