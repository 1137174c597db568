-- What an event asks the ASE to withdraw (Rafiki's webhookEvents.withdrawal* columns): the
-- ledger account, its asset and the amount. createIncomingPaymentWithdrawal finds the event of a
-- completed or expired payment by its account and withdraws with the event id as transfer id.
ALTER TABLE webhook_events
  ADD COLUMN withdrawal_account_id uuid,
  ADD COLUMN withdrawal_asset_id uuid,
  ADD COLUMN withdrawal_amount numeric(39, 0) CHECK (withdrawal_amount > 0),
  ADD CONSTRAINT webhook_events_withdrawal_whole CHECK (
    (withdrawal_account_id IS NULL) = (withdrawal_asset_id IS NULL)
    AND (withdrawal_account_id IS NULL) = (withdrawal_amount IS NULL)
  );
CREATE INDEX webhook_events_withdrawal_account
  ON webhook_events (withdrawal_account_id, created_at, id)
  WHERE withdrawal_account_id IS NOT NULL;

-- Events written before this migration: an incoming payment's completed/expired event asks to
-- withdraw what it received (the payment's INCOMING account has the payment's id).
UPDATE webhook_events e
SET withdrawal_account_id = p.id,
  withdrawal_asset_id = w.asset_id,
  withdrawal_amount = p.received_value
FROM incoming_payments p
JOIN wallet_addresses w ON w.id = p.wallet_address_id
WHERE e.type IN ('incoming_payment.completed', 'incoming_payment.expired')
  AND e.data ->> 'id' = p.id::text
  AND p.received_value > 0;

-- Web monetization: process_at is when the wallet address's received money is next reported
-- (`wallet_address.web_monetization`); total_events_amount is what events reported so far;
-- schedule_version counts the requests to report, so a report that read the balance before a
-- new request does not clear it (see adapters/postgres/wallet-address-repository.ts).
ALTER TABLE wallet_addresses
  ADD COLUMN process_at timestamptz,
  ADD COLUMN total_events_amount numeric(39, 0) NOT NULL DEFAULT 0
    CHECK (total_events_amount >= 0),
  ADD COLUMN schedule_version bigint NOT NULL DEFAULT 0;
CREATE INDEX wallet_addresses_process_at ON wallet_addresses (process_at)
  WHERE process_at IS NOT NULL;

-- The admin `payments` query pages over this view by (created_at, id). Outgoing payments join it
-- with a UNION ALL when they exist; each branch keeps its own (created_at, id) index.
CREATE VIEW payments AS
SELECT id, 'INCOMING'::text AS type, wallet_address_id, client, state, metadata, created_at
FROM incoming_payments;
