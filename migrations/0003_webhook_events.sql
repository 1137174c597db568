-- The webhook outbox: rows are written in the transaction of the state change they report and
-- delivered by workers that lease one row at a time (lease_until), see
-- adapters/postgres/webhook-event-repository.ts.
CREATE TABLE webhook_events (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  data jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
  created_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz,
  delivered_at timestamptz,
  failed_at timestamptz,
  last_error text
);
-- Claiming: only events still to deliver, oldest due first; delivered ones drop out of it.
CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at, id)
  WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_events_created_at_id ON webhook_events (created_at, id);
