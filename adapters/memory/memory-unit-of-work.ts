import type { TransactionRepositories, UnitOfWork } from '../../application/ports/unit-of-work.ts'

/**
 * For unit tests: runs `work` against the given in-memory repositories. It cannot roll back;
 * each repository call is atomic on its own, which is what the use cases rely on.
 */
export function makeMemoryUnitOfWork(repositories: TransactionRepositories): UnitOfWork {
  return { run: (work) => work(repositories) }
}
