export interface IdGenerator {
  /** A new random UUID (v4), lowercase. */
  uuid(): string
  /**
   * A new time-ordered UUID (v7, RFC 9562), lowercase, each greater than the one before it in
   * this process. For ledger transfers: their key index (a Postgres B-tree, TigerBeetle's LSM
   * tree) then grows at one edge, so a ledger holding millions of transfers takes a new one as
   * cheaply as an empty ledger (random keys land on any page of the index, each dirtied, logged
   * whole after every checkpoint, and read back from disk once the index outgrows memory).
   */
  orderedUuid(): string
}
