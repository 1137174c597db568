import type { PageArgs } from '../../../domain/pagination/page.ts'
import { assert } from '../../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../../domain/shared/result.ts'
import {
  additionalPropertiesMax,
  additionalPropertyKeyLengthMax,
  additionalPropertyValueLengthMax,
  publicNameLengthMax,
  type AdditionalPropertyInput,
  type WalletAddress,
} from '../../../domain/wallet-addresses/wallet-address.ts'
import {
  kidLengthMax,
  type JwkInput,
  type WalletAddressKey,
} from '../../../domain/wallet-addresses/wallet-address-key.ts'
import type { RunIdempotent } from '../../../application/admin/run-idempotent.ts'
import type { GetAsset } from '../../../application/assets/get-asset.ts'
import type { GetLiquidity } from '../../../application/liquidity/get-liquidity.ts'
import type {
  CreateWalletAddress,
  CreateWalletAddressError,
} from '../../../application/wallet-addresses/create-wallet-address.ts'
import type {
  CreateWalletAddressKey,
  CreateWalletAddressKeyError,
} from '../../../application/wallet-addresses/create-wallet-address-key.ts'
import type { GetWalletAddress } from '../../../application/wallet-addresses/get-wallet-address.ts'
import type { GetWalletAddressByUrl } from '../../../application/wallet-addresses/get-wallet-address-by-url.ts'
import type { ListWalletAddressKeys } from '../../../application/wallet-addresses/list-wallet-address-keys.ts'
import type { ListWalletAddresses } from '../../../application/wallet-addresses/list-wallet-addresses.ts'
import type { RevokeWalletAddressKey } from '../../../application/wallet-addresses/revoke-wallet-address-key.ts'
import {
  walletAddressEventsLimitMax,
  type TriggerWalletAddressEvents,
} from '../../../application/wallet-addresses/trigger-wallet-address-events.ts'
import type {
  UpdateWalletAddress,
  UpdateWalletAddressError,
} from '../../../application/wallet-addresses/update-wallet-address.ts'
import { toConnection } from '../connection.ts'
import { graphqlError, pageErrors, type ErrorReply } from '../errors.ts'
import { idempotentMutation } from '../mutation.ts'

export type WalletAddressResolverDeps = {
  readonly runIdempotent: RunIdempotent
  readonly createWalletAddress: CreateWalletAddress
  readonly updateWalletAddress: UpdateWalletAddress
  readonly getWalletAddress: GetWalletAddress
  readonly getWalletAddressByUrl: GetWalletAddressByUrl
  readonly listWalletAddresses: ListWalletAddresses
  readonly createWalletAddressKey: CreateWalletAddressKey
  readonly revokeWalletAddressKey: RevokeWalletAddressKey
  readonly listWalletAddressKeys: ListWalletAddressKeys
  readonly getAsset: GetAsset
  readonly getLiquidity: GetLiquidity
  readonly triggerWalletAddressEvents: TriggerWalletAddressEvents
}

/** Input errors of this adapter: the URL arrives as `url` (v1.x) or `address` (2.x). */
type UrlFieldError = 'url_or_address_required' | 'url_and_address'

const walletAddressErrors = {
  url_or_address_required: ['BAD_USER_INPUT', 'Give the wallet address URL as url or address'],
  url_and_address: ['BAD_USER_INPUT', 'Give the wallet address URL as url or address, not both'],
  invalid_url: [
    'BAD_USER_INPUT',
    'Invalid wallet address URL: https://host/path expected, without query, fragment, empty or ' +
      'dot segments, /incoming-payments, /outgoing-payments or /quotes, nor ending in ' +
      '/jwks.json or /did.json',
  ],
  unknown_asset: ['BAD_USER_INPUT', 'Unknown asset'],
  duplicate_url: ['DUPLICATE', 'Duplicate wallet address found with the same url'],
  unknown_wallet_address: ['NOT_FOUND', 'Unknown wallet address'],
  invalid_status: ['BAD_USER_INPUT', 'Status must be ACTIVE or INACTIVE'],
  invalid_public_name: [
    'BAD_USER_INPUT',
    `publicName must be at most ${publicNameLengthMax} characters`,
  ],
  invalid_additional_properties: [
    'BAD_USER_INPUT',
    `At most ${additionalPropertiesMax} additional properties, with keys of at most ` +
      `${additionalPropertyKeyLengthMax} and values of at most ` +
      `${additionalPropertyValueLengthMax} characters`,
  ],
} as const satisfies Record<
  CreateWalletAddressError | UpdateWalletAddressError | UrlFieldError,
  ErrorReply
>

const keyErrors = {
  invalid_jwk: [
    'BAD_USER_INPUT',
    `Invalid JWK: kid of 1 to ${kidLengthMax} characters and x the base64url (unpadded) ` +
      'encoding of a 32-byte Ed25519 public key expected',
  ],
  unknown_wallet_address: ['NOT_FOUND', 'Unknown wallet address'],
  duplicate_key: ['DUPLICATE', 'Key already exists'],
  unknown_key: ['NOT_FOUND', 'Wallet address key not found'],
} as const satisfies Record<CreateWalletAddressKeyError | 'unknown_key', ErrorReply>

const triggerErrors = {
  invalid_limit: [
    'BAD_USER_INPUT',
    `limit must be a whole number from 0 to ${walletAddressEventsLimitMax}`,
  ],
} as const satisfies Record<'invalid_limit', ErrorReply>

type CreateWalletAddressArgs = {
  assetId: string
  url?: string | null
  address?: string | null
  publicName?: string | null
  additionalProperties?: AdditionalPropertyInput[] | null
}
type UpdateWalletAddressArgs = {
  id: string
  publicName?: string | null
  status?: string | null
  additionalProperties?: AdditionalPropertyInput[] | null
}

function urlOf(args: CreateWalletAddressArgs): Result<string, UrlFieldError> {
  const { url, address } = args
  if (url != null && address != null) return err('url_and_address')
  const given = url ?? address
  return given == null ? err('url_or_address_required') : ok(given)
}

const walletAddressPayload = (
  result: Result<WalletAddress, CreateWalletAddressError | UpdateWalletAddressError>,
) => (result.ok ? ok({ walletAddress: result.value }) : err(walletAddressErrors[result.error]))

const keyPayload = (result: Result<WalletAddressKey, keyof typeof keyErrors>) =>
  result.ok ? ok({ walletAddressKey: result.value }) : err(keyErrors[result.error])

export function makeWalletAddressResolvers(deps: WalletAddressResolverDeps) {
  return {
    Query: makeQueries(deps),
    Mutation: {
      createWalletAddress: idempotentMutation(
        deps.runIdempotent,
        async (input: CreateWalletAddressArgs) => {
          const url = urlOf(input)
          if (!url.ok) return err(walletAddressErrors[url.error])
          const { address: _address, ...rest } = input
          return walletAddressPayload(await deps.createWalletAddress({ ...rest, url: url.value }))
        },
      ),
      updateWalletAddress: idempotentMutation(
        deps.runIdempotent,
        async (input: UpdateWalletAddressArgs) =>
          walletAddressPayload(await deps.updateWalletAddress(input)),
      ),
      createWalletAddressKey: idempotentMutation(
        deps.runIdempotent,
        async (input: { walletAddressId: string; jwk: JwkInput }) =>
          keyPayload(await deps.createWalletAddressKey(input)),
      ),
      revokeWalletAddressKey: idempotentMutation(
        deps.runIdempotent,
        async (input: { id: string }) => keyPayload(await deps.revokeWalletAddressKey(input.id)),
      ),
      triggerWalletAddressEvents: idempotentMutation(
        deps.runIdempotent,
        async (input: { limit: number }) => {
          const count = await deps.triggerWalletAddressEvents(input.limit)
          return count.ok ? ok({ count: count.value }) : err(triggerErrors[count.error])
        },
      ),
    },
    WalletAddress: makeWalletAddressFields(deps),
    WalletAddressKey: {
      createdAt: (key: WalletAddressKey) => key.createdAt.toISOString(),
    },
  }
}

function makeQueries(deps: WalletAddressResolverDeps) {
  return {
    walletAddress: async (_: unknown, args: { id: string }) => {
      const walletAddress = await deps.getWalletAddress(args.id)
      if (!walletAddress) throw graphqlError(walletAddressErrors.unknown_wallet_address)
      return walletAddress
    },
    walletAddressByUrl: async (_: unknown, args: { url: string }) =>
      (await deps.getWalletAddressByUrl(args.url)) ?? null,
    walletAddresses: async (_: unknown, args: PageArgs) => {
      const page = await deps.listWalletAddresses(args)
      if (!page.ok) throw graphqlError(pageErrors[page.error])
      return toConnection(page.value)
    },
  }
}

function makeWalletAddressFields(deps: WalletAddressResolverDeps) {
  return {
    address: (walletAddress: WalletAddress) => walletAddress.url,
    asset: async (walletAddress: WalletAddress) => {
      const asset = await deps.getAsset(walletAddress.assetId)
      // Assets in use are never deleted; a missing one is a broken invariant, not user input.
      assert(asset, `asset ${walletAddress.assetId} of wallet address ${walletAddress.id} is gone`)
      return asset
    },
    liquidity: async (walletAddress: WalletAddress) =>
      (await deps.getLiquidity(walletAddress.id)) ?? null,
    walletAddressKeys: async (walletAddress: WalletAddress, args: PageArgs) => {
      const page = await deps.listWalletAddressKeys(walletAddress.id, args)
      if (!page.ok) throw graphqlError(pageErrors[page.error])
      return toConnection(page.value)
    },
    createdAt: (walletAddress: WalletAddress) => walletAddress.createdAt.toISOString(),
  }
}
