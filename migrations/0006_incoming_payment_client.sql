-- The Open Payments client (its wallet address URL) that created an incoming payment: a grant
-- with `read`/`list` (not `read-all`/`list-all`) sees only its own client's payments. Null for
-- payments created through the admin API.
ALTER TABLE incoming_payments ADD COLUMN client text;
CREATE INDEX incoming_payments_wallet_address_client_created_at_id
  ON incoming_payments (wallet_address_id, client, created_at, id);
