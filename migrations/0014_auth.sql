-- The embedded GNAP authorization server (Rafiki's separate auth service). Prefixed auth_ because
-- AUTH_DATABASE_URL may name the backend's own database (the embedded default).
CREATE TABLE auth_grants (
  id uuid PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('PENDING', 'PROCESSING', 'APPROVED', 'FINALIZED')),
  finalization_reason text CHECK (finalization_reason IN ('ISSUED', 'REJECTED', 'REVOKED')),
  -- Exactly one: a wallet address URL, or a directed-identity public key (Rafiki 2.x).
  client_wallet_address text,
  client_jwk jsonb,
  continue_id text NOT NULL UNIQUE,
  continue_token text NOT NULL,
  wait_seconds integer NOT NULL CHECK (wait_seconds >= 0),
  start_methods text[],
  finish_method text CHECK (finish_method = 'redirect'),
  finish_uri text,
  client_nonce text,
  last_continued_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((client_wallet_address IS NULL) <> (client_jwk IS NULL)),
  CHECK ((state = 'FINALIZED') = (finalization_reason IS NOT NULL)),
  CHECK ((finish_method IS NULL) = (finish_uri IS NULL) AND (finish_uri IS NULL) = (client_nonce IS NULL))
);
-- Admin listing by identifier goes through auth_access; by client here.
CREATE INDEX auth_grants_client_wallet_address ON auth_grants (client_wallet_address);

CREATE TABLE auth_access (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  grant_id uuid NOT NULL REFERENCES auth_grants (id) ON DELETE CASCADE,
  -- The item's position in the request, so it is read back in the order it was asked for.
  position integer NOT NULL,
  type text NOT NULL CHECK (type IN ('incoming-payment', 'outgoing-payment', 'quote')),
  actions text[] NOT NULL,
  identifier text,
  -- {receiver?, debitAmount?|receiveAmount? {value (decimal string), assetCode, assetScale}, interval?}
  limits jsonb,
  UNIQUE (grant_id, position)
);
CREATE INDEX auth_access_identifier ON auth_access (identifier) WHERE identifier IS NOT NULL;

CREATE TABLE auth_access_tokens (
  id uuid PRIMARY KEY,
  grant_id uuid NOT NULL REFERENCES auth_grants (id) ON DELETE CASCADE,
  -- Introspection looks tokens up by value; rotation and revocation by management id.
  value text NOT NULL UNIQUE,
  management_id text NOT NULL UNIQUE,
  expires_in_seconds integer NOT NULL CHECK (expires_in_seconds > 0),
  created_at timestamptz NOT NULL,
  -- created_at + expires_in_seconds, stored so the cleanup can use an index.
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX auth_access_tokens_grant_id ON auth_access_tokens (grant_id);
CREATE INDEX auth_access_tokens_expires_at ON auth_access_tokens (expires_at);
CREATE INDEX auth_access_tokens_revoked_at ON auth_access_tokens (revoked_at)
  WHERE revoked_at IS NOT NULL;

CREATE TABLE auth_interactions (
  id uuid PRIMARY KEY,
  grant_id uuid NOT NULL REFERENCES auth_grants (id) ON DELETE CASCADE,
  nonce text NOT NULL UNIQUE,
  ref text NOT NULL UNIQUE,
  state text NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'DENIED')),
  expires_in_seconds integer NOT NULL CHECK (expires_in_seconds > 0),
  created_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX auth_interactions_grant_id ON auth_interactions (grant_id);
