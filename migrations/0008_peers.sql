-- ILP peers: other connectors we exchange packets with over ILP-over-HTTP, one asset each. A
-- peer's PEER liquidity account in the ledger has the peer's id and outlives the row.
CREATE TABLE peers (
  id uuid PRIMARY KEY,
  asset_id uuid NOT NULL REFERENCES assets (id),
  static_ilp_address text NOT NULL CHECK (char_length(static_ilp_address) <= 1023),
  name text,
  max_packet_amount numeric(20, 0) CHECK (max_packet_amount >= 0),
  liquidity_threshold numeric(20, 0) CHECK (liquidity_threshold >= 0),
  outgoing_token text NOT NULL,
  outgoing_endpoint text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX peers_address_asset ON peers (static_ilp_address, asset_id);
CREATE INDEX peers_created_at_id ON peers (created_at, id);
CREATE INDEX peers_asset_id ON peers (asset_id);

-- The tokens a peer authenticates with. The primary key makes a token unique across peers and
-- the connector's lookup of every ILP-over-HTTP request one index probe.
CREATE TABLE peer_incoming_tokens (
  token text PRIMARY KEY,
  peer_id uuid NOT NULL REFERENCES peers (id) ON DELETE CASCADE
);
CREATE INDEX peer_incoming_tokens_peer_id ON peer_incoming_tokens (peer_id);

-- A peer row with its tokens (sorted), as the repository reads and pages it.
CREATE VIEW peers_with_tokens AS
SELECT p.*,
  array(SELECT t.token FROM peer_incoming_tokens t WHERE t.peer_id = p.id ORDER BY t.token COLLATE "C")
    AS incoming_tokens
FROM peers p;
