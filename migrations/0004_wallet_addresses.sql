-- Wallet addresses (Open Payments accounts) and the public keys their clients sign with.
-- url is canonical (lowercase, no trailing slash; domain/wallet-addresses/wallet-address.ts), so
-- a plain unique index makes lookups and duplicates case-insensitive, as in Rafiki.
CREATE TABLE wallet_addresses (
  id uuid PRIMARY KEY,
  url text NOT NULL CHECK (url = lower(url)),
  asset_id uuid NOT NULL REFERENCES assets (id),
  public_name text,
  status text NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE')),
  -- [{key, value, visibleInOpenPayments}], replaced whole on update.
  additional_properties jsonb NOT NULL DEFAULT '[]'
    CHECK (jsonb_typeof(additional_properties) = 'array'),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  deactivated_at timestamptz,
  CHECK ((status = 'INACTIVE') = (deactivated_at IS NOT NULL))
);
CREATE UNIQUE INDEX wallet_addresses_url ON wallet_addresses (url);
CREATE INDEX wallet_addresses_created_at_id ON wallet_addresses (created_at, id);
CREATE INDEX wallet_addresses_asset_id ON wallet_addresses (asset_id);

-- The jwk's fixed fields (alg EdDSA, kty OKP, crv Ed25519) are not stored, as in Rafiki.
CREATE TABLE wallet_address_keys (
  id uuid PRIMARY KEY,
  wallet_address_id uuid NOT NULL REFERENCES wallet_addresses (id),
  kid text NOT NULL,
  x text NOT NULL,
  revoked boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (wallet_address_id, kid)
);
CREATE INDEX wallet_address_keys_wallet_address_created_at_id
  ON wallet_address_keys (wallet_address_id, created_at, id);
