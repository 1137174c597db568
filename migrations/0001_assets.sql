CREATE TABLE assets (
  id uuid PRIMARY KEY,
  code text NOT NULL,
  scale smallint NOT NULL CHECK (scale BETWEEN 0 AND 255),
  ledger integer GENERATED ALWAYS AS IDENTITY UNIQUE,
  withdrawal_threshold numeric(20, 0) CHECK (withdrawal_threshold >= 0),
  liquidity_threshold numeric(20, 0) CHECK (liquidity_threshold >= 0),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  deleted_at timestamptz
);
CREATE UNIQUE INDEX assets_code_scale_live ON assets (code, scale) WHERE deleted_at IS NULL;
CREATE INDEX assets_created_at_id ON assets (created_at, id);
