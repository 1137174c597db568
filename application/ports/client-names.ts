// How a grant's client is named to the user who decides on it (the consent screen's "who").
export interface ClientNames {
  /**
   * The `publicName` the client's wallet address publishes, or undefined when it has none or
   * cannot be read. Never throws; adapters bound their own timeouts.
   */
  publicName(walletAddressUrl: string): Promise<string | undefined>
}
