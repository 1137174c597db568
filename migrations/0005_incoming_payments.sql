-- Incoming payments (Open Payments). received_value is stored and moved by one conditional
-- UPDATE per credit, so concurrent credits complete a payment exactly once.
CREATE TABLE incoming_payments (
  id uuid PRIMARY KEY,
  wallet_address_id uuid NOT NULL REFERENCES wallet_addresses (id),
  state text NOT NULL CHECK (state IN ('PENDING', 'PROCESSING', 'COMPLETED', 'EXPIRED')),
  -- The wallet address's asset at creation; both amounts are in it.
  asset_code text NOT NULL,
  asset_scale smallint NOT NULL CHECK (asset_scale BETWEEN 0 AND 255),
  incoming_value numeric(20, 0) CHECK (incoming_value > 0),
  received_value numeric(39, 0) NOT NULL DEFAULT 0 CHECK (received_value >= 0),
  expires_at timestamptz NOT NULL,
  metadata jsonb CHECK (metadata IS NULL OR jsonb_typeof(metadata) = 'object'),
  approved_at timestamptz,
  cancelled_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX incoming_payments_wallet_address_created_at_id
  ON incoming_payments (wallet_address_id, created_at, id);
-- Lists without a wallet address (the admin `payments` query) page over this.
CREATE INDEX incoming_payments_created_at_id ON incoming_payments (created_at, id);
-- The expiry worker: only active payments, soonest first.
CREATE INDEX incoming_payments_due ON incoming_payments (expires_at)
  WHERE state IN ('PENDING', 'PROCESSING');
