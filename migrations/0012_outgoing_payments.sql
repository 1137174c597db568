-- Outgoing payments. The id is the quote's (a quote pays once) and the OUTGOING ledger account's.
-- Amounts are copied from the quote. The worker claims a due SENDING payment (process_at <= now)
-- whose lease has run out with FOR UPDATE SKIP LOCKED, sets lease_until and sends outside the
-- transaction; the ledger, not sent_value, is the truth about what left the OUTGOING account.
CREATE TABLE outgoing_payments (
  id uuid PRIMARY KEY REFERENCES quotes (id),
  wallet_address_id uuid NOT NULL REFERENCES wallet_addresses (id),
  state text NOT NULL CHECK (state IN ('FUNDING', 'SENDING', 'COMPLETED', 'FAILED', 'CANCELLED')),
  receiver text NOT NULL,
  debit_asset_code text NOT NULL,
  debit_asset_scale smallint NOT NULL CHECK (debit_asset_scale BETWEEN 0 AND 255),
  debit_value numeric(20, 0) NOT NULL CHECK (debit_value > 0),
  receive_asset_code text NOT NULL,
  receive_asset_scale smallint NOT NULL CHECK (receive_asset_scale BETWEEN 0 AND 255),
  receive_value numeric(20, 0) NOT NULL CHECK (receive_value > 0),
  sent_value numeric(20, 0) NOT NULL DEFAULT 0 CHECK (sent_value >= 0 AND sent_value <= debit_value),
  error text,
  state_attempts integer NOT NULL DEFAULT 0 CHECK (state_attempts >= 0),
  -- SENDING: when the next attempt is due (back-off after a retryable failure).
  process_at timestamptz,
  -- Held by a worker until then; a crashed worker's payment is claimed again after it.
  lease_until timestamptz,
  -- Set in the transaction that credits a LOCAL receiver's incoming payment: at most once.
  local_credited boolean NOT NULL DEFAULT false,
  grant_id text,
  client text,
  metadata jsonb CHECK (metadata IS NULL OR jsonb_typeof(metadata) = 'object'),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((state = 'SENDING') = (process_at IS NOT NULL))
);
CREATE INDEX outgoing_payments_wallet_address_created_at_id
  ON outgoing_payments (wallet_address_id, created_at, id);
CREATE INDEX outgoing_payments_created_at_id ON outgoing_payments (created_at, id);
CREATE INDEX outgoing_payments_due ON outgoing_payments (process_at) WHERE state = 'SENDING';

-- The admin `payments` list: outgoing payments join incoming ones.
CREATE OR REPLACE VIEW payments AS
SELECT id, 'INCOMING'::text AS type, wallet_address_id, client, state, metadata, created_at
FROM incoming_payments
UNION ALL
SELECT id, 'OUTGOING'::text AS type, wallet_address_id, client, state, metadata, created_at
FROM outgoing_payments;
