-- Grants this node holds at other nodes' authorization servers (as Open Payments client
-- WALLET_ADDRESS_URL): the access token it presents to read and create their incoming payments.
-- One per authorization server and access type; a new grant or a rotated token replaces the row.
CREATE TABLE grants (
  id uuid PRIMARY KEY,
  auth_server text NOT NULL,
  access_type text NOT NULL CHECK (access_type IN ('incoming-payment', 'outgoing-payment', 'quote')),
  access_actions text[] NOT NULL,
  access_token text NOT NULL,
  management_url text NOT NULL,
  expires_at timestamptz,
  UNIQUE (auth_server, access_type)
);
