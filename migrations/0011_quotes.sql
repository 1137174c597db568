-- Quotes (Open Payments). A row never changes once written: an outgoing payment takes its
-- amounts as they are, before expires_at.
CREATE TABLE quotes (
  id uuid PRIMARY KEY,
  wallet_address_id uuid NOT NULL REFERENCES wallet_addresses (id),
  -- The incoming payment URL paid.
  receiver text NOT NULL,
  client text,
  method text NOT NULL CHECK (method IN ('LOCAL', 'ILP')),
  -- The wallet address's asset at creation.
  debit_asset_code text NOT NULL,
  debit_asset_scale smallint NOT NULL CHECK (debit_asset_scale BETWEEN 0 AND 255),
  debit_value numeric(20, 0) NOT NULL CHECK (debit_value > 0),
  debit_value_minus_fees numeric(20, 0) NOT NULL
    CHECK (debit_value_minus_fees >= 0 AND debit_value_minus_fees <= debit_value),
  receive_asset_code text NOT NULL,
  receive_asset_scale smallint NOT NULL CHECK (receive_asset_scale BETWEEN 0 AND 255),
  receive_value numeric(20, 0) NOT NULL CHECK (receive_value > 0),
  estimated_exchange_rate double precision NOT NULL,
  fee_id uuid REFERENCES fees (id),
  -- What an ILP probe learned (Rafiki's ilpQuoteDetails); all null for a LOCAL quote.
  max_packet_amount numeric(20, 0) CHECK (max_packet_amount > 0),
  min_exchange_rate_numerator numeric CHECK (min_exchange_rate_numerator >= 0),
  min_exchange_rate_denominator numeric CHECK (min_exchange_rate_denominator > 0),
  low_estimated_exchange_rate_numerator numeric CHECK (low_estimated_exchange_rate_numerator >= 0),
  low_estimated_exchange_rate_denominator numeric
    CHECK (low_estimated_exchange_rate_denominator > 0),
  high_estimated_exchange_rate_numerator numeric
    CHECK (high_estimated_exchange_rate_numerator > 0),
  high_estimated_exchange_rate_denominator numeric
    CHECK (high_estimated_exchange_rate_denominator > 0),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  CHECK (
    (method = 'ILP') = (max_packet_amount IS NOT NULL)
    AND num_nulls(max_packet_amount, min_exchange_rate_numerator, min_exchange_rate_denominator,
      low_estimated_exchange_rate_numerator, low_estimated_exchange_rate_denominator,
      high_estimated_exchange_rate_numerator, high_estimated_exchange_rate_denominator) IN (0, 7)
  )
);
CREATE INDEX quotes_wallet_address_created_at_id ON quotes (wallet_address_id, created_at, id);
