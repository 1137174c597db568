-- Fees an ASE charges per asset (setFee). Every setFee adds a row and none is changed: the row
-- set last per asset and type is the fee in force, the others are its history (Asset.fees).
-- `seq` orders the rows as they were set; created_at comes from a clock and two rows may share it.
CREATE TABLE fees (
  id uuid PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  asset_id uuid NOT NULL REFERENCES assets (id),
  type text NOT NULL CHECK (type IN ('SENDING', 'RECEIVING')),
  fixed numeric(20, 0) NOT NULL CHECK (fixed >= 0),
  basis_points integer NOT NULL CHECK (basis_points BETWEEN 0 AND 10000),
  created_at timestamptz NOT NULL
);
-- The fee in force: one index probe for the latest row of an asset and type.
CREATE INDEX fees_asset_type_latest ON fees (asset_id, type, seq DESC);
-- An asset's history, both types, paged in the order the rows were set.
CREATE INDEX fees_asset_seq ON fees (asset_id, seq);
