-- Outgoing-payment grants that payments were created under (Rafiki's outgoingPaymentGrants). A
-- payment under a grant with amount limits locks the grant's row for the rest of its
-- transaction, so concurrent payments under one grant check and insert one after another and
-- can never together exceed the limits.
CREATE TABLE outgoing_payment_grants (
  id text PRIMARY KEY
);
-- The grant's payments in creation order: what it spent, in an interval or in total.
CREATE INDEX outgoing_payments_grant_id_created_at
  ON outgoing_payments (grant_id, created_at) WHERE grant_id IS NOT NULL;
