import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Jwk } from '../../domain/open-payments/jwk.ts'

/** The node's own Ed25519 key: it signs our Open Payments requests as client WALLET_ADDRESS_URL. */
export type InstanceKey = {
  readonly keyId: string
  readonly privateKey: KeyObject
  /** Published at {WALLET_ADDRESS_URL}/jwks.json. */
  readonly jwk: Jwk
  /** Where it came from, for the boot log. */
  readonly source: 'file' | 'generated-file' | 'generated-ephemeral'
}

export type InstanceKeyOptions = {
  /** KEY_ID */
  readonly keyId: string
  /** PRIVATE_KEY_FILE: an Ed25519 private key in PEM; created with a new key when absent. */
  readonly privateKeyFile: string | undefined
}

/**
 * Loads PRIVATE_KEY_FILE, or generates a key (written to that path when one is given, so it
 * survives restarts; kept in memory otherwise). A file that holds anything but an Ed25519
 * private key stops boot with a message naming the variable.
 */
export async function loadInstanceKey(options: InstanceKeyOptions): Promise<InstanceKey> {
  const { keyId, privateKeyFile } = options
  if (privateKeyFile === undefined) {
    return withJwk(keyId, generateKeyPairSync('ed25519').privateKey, 'generated-ephemeral')
  }
  const pem = await readFile(privateKeyFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw new Error(`PRIVATE_KEY_FILE=${privateKeyFile} cannot be read: ${error.message}`)
  })
  if (pem === undefined) {
    const { privateKey } = generateKeyPairSync('ed25519')
    await mkdir(dirname(privateKeyFile), { recursive: true })
    const text = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    await writeFile(privateKeyFile, text, { mode: 0o600, flag: 'wx' })
    return withJwk(keyId, privateKey, 'generated-file')
  }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(pem)
  } catch {
    throw new Error(`PRIVATE_KEY_FILE=${privateKeyFile} does not hold a PEM private key`)
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `PRIVATE_KEY_FILE=${privateKeyFile} holds a ${privateKey.asymmetricKeyType ?? 'unknown'} key; an Ed25519 key is expected`,
    )
  }
  return withJwk(keyId, privateKey, 'file')
}

function withJwk(keyId: string, privateKey: KeyObject, source: InstanceKey['source']): InstanceKey {
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' })
  if (typeof x !== 'string') throw new Error('Ed25519 public key without x')
  return {
    keyId,
    privateKey,
    source,
    jwk: { kid: keyId, alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519', x },
  }
}
