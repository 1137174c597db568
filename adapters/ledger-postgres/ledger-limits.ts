// Limits on what one call may ask of the ledger. A batch is capped like one TigerBeetle request
// (8189 events), so a caller cannot rely on a batch the other Ledger refuses.
export const ledgerLimits = {
  transfersPerBatchMax: 8_189,
  accountsPerCallMax: 8_189,
  balancesPerCallMax: 8_189,
  accountTransfersLimitMax: 1_000,
  /** assets.ledger is an integer column. */
  ledgerMax: 2 ** 31 - 1,
  /** TigerBeetle's timeout is a u32 of seconds. */
  timeoutSecondsMax: 2 ** 32 - 1,
} as const
