-- The PostgreSQL Ledger (adapters/ledger-postgres). Balances are stored, never summed from
-- history, so a transfer costs the same however long the ledger grows. An amount is a u64
-- (numeric(20,0)); a balance is a sum of them (numeric(39,0), room for 2^64 of the largest).

CREATE TABLE ledger_accounts (
  id uuid PRIMARY KEY,
  ledger integer NOT NULL CHECK (ledger > 0),
  kind text NOT NULL CHECK (
    kind IN ('SETTLEMENT', 'ASSET', 'PEER', 'INCOMING', 'OUTGOING', 'WEB_MONETIZATION')
  ),
  debits_pending numeric(39, 0) NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  debits_posted numeric(39, 0) NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_pending numeric(39, 0) NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  credits_posted numeric(39, 0) NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The last line of defence: the functions below refuse such a transfer before it gets here.
  CONSTRAINT ledger_accounts_debits_within_credits
    CHECK (kind = 'SETTLEMENT' OR debits_posted + debits_pending <= credits_posted),
  CONSTRAINT ledger_accounts_credits_within_debits
    CHECK (kind <> 'SETTLEMENT' OR credits_posted + credits_pending <= debits_posted)
-- Hot accounts are updated all the time and no index covers a balance: room on the page keeps
-- those updates HOT (no index writes, pruned in place).
) WITH (fillfactor = 50);

-- History and idempotency. Rows are written once, except a pending transfer's state.
-- seq orders history (newest first) without relying on clocks.
CREATE TABLE ledger_transfers (
  id uuid PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  type text NOT NULL CHECK (type IN ('single', 'pending', 'post', 'void')),
  debit_account_id uuid NOT NULL,
  credit_account_id uuid NOT NULL,
  amount numeric(20, 0) NOT NULL CHECK (amount > 0),
  ledger integer NOT NULL,
  -- EXPIRED: a pending transfer whose hold was released at its timeout (shown as VOIDED).
  state text NOT NULL CHECK (state IN ('PENDING', 'POSTED', 'VOIDED', 'EXPIRED')),
  pending_id uuid,
  timeout_seconds bigint,
  expires_at timestamptz,
  created_at timestamptz NOT NULL,
  CHECK ((type = 'pending') = (expires_at IS NOT NULL)),
  CHECK ((type IN ('post', 'void')) = (pending_id IS NOT NULL))
);
-- No foreign keys to ledger_accounts: the functions below find both accounts under a row lock
-- before writing, and a key check would look them up again for every row.
CREATE INDEX ledger_transfers_debit_history ON ledger_transfers (debit_account_id, seq);
CREATE INDEX ledger_transfers_credit_history ON ledger_transfers (credit_account_id, seq);
-- Only live holds: stays as small as the number of open pending transfers.
CREATE INDEX ledger_transfers_pending_expiry ON ledger_transfers (expires_at)
  WHERE state = 'PENDING';

-- Releases one hold: the pending amounts go back and the transfer takes p_state.
CREATE FUNCTION ledger_release_hold(p_transfer ledger_transfers, p_state text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ledger_accounts SET debits_pending = debits_pending - p_transfer.amount
  WHERE id = p_transfer.debit_account_id;
  UPDATE ledger_accounts SET credits_pending = credits_pending - p_transfer.amount
  WHERE id = p_transfer.credit_account_id;
  UPDATE ledger_transfers SET state = p_state WHERE id = p_transfer.id;
END $$;

-- Releases the expired holds touching an account whose balance check failed because of them.
-- The account is locked by the caller; the other side is taken only if free (SKIP LOCKED), since
-- waiting for it here would break the lock order. The sweeper releases whatever is skipped.
CREATE FUNCTION ledger_release_expired_of(p_account uuid, p_now timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_transfer ledger_transfers;
  v_other uuid;
  v_released integer := 0;
BEGIN
  FOR v_transfer IN
    SELECT * FROM ledger_transfers
    WHERE state = 'PENDING' AND expires_at <= p_now
      AND p_account IN (debit_account_id, credit_account_id)
    ORDER BY expires_at LIMIT 1000
    FOR UPDATE SKIP LOCKED
  LOOP
    v_other := CASE WHEN v_transfer.debit_account_id = p_account
      THEN v_transfer.credit_account_id ELSE v_transfer.debit_account_id END;
    PERFORM 1 FROM ledger_accounts WHERE id = v_other FOR UPDATE SKIP LOCKED;
    CONTINUE WHEN NOT FOUND;
    PERFORM ledger_release_hold(v_transfer, 'EXPIRED');
    v_released := v_released + 1;
  END LOOP;
  RETURN v_released;
END $$;

-- Adds a single or pending transfer's amount to one side of an account, if the account is on
-- p_ledger and its limit allows it. One conditional UPDATE: the check and the write are atomic.
CREATE FUNCTION ledger_add(
  p_account uuid, p_debit boolean, p_amount numeric, p_pending boolean, p_ledger integer,
  p_now timestamptz
) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  v_pending numeric := CASE WHEN p_pending THEN p_amount ELSE 0 END;
  v_posted numeric := CASE WHEN p_pending THEN 0 ELSE p_amount END;
BEGIN
  FOR v_attempt IN 1 .. 2 LOOP
    IF p_debit THEN
      UPDATE ledger_accounts SET debits_pending = debits_pending + v_pending,
                                 debits_posted = debits_posted + v_posted
      WHERE id = p_account AND ledger = p_ledger
        AND (kind = 'SETTLEMENT' OR debits_posted + debits_pending + p_amount <= credits_posted);
    ELSE
      UPDATE ledger_accounts SET credits_pending = credits_pending + v_pending,
                                 credits_posted = credits_posted + v_posted
      WHERE id = p_account AND ledger = p_ledger
        AND (kind <> 'SETTLEMENT' OR credits_posted + credits_pending + p_amount <= debits_posted);
    END IF;
    IF FOUND THEN RETURN true; END IF;
    -- Expired holds still count until released: release them, then try once more.
    EXIT WHEN ledger_release_expired_of(p_account, p_now) = 0;
  END LOOP;
  RETURN false;
END $$;

-- Why a new transfer was refused, in the order TigerBeetle reports it.
CREATE FUNCTION ledger_refusal(p_debit uuid, p_credit uuid, p_ledger integer) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN count(*) < 2 THEN 'unknown_account'
    WHEN bool_or(ledger <> p_ledger) THEN 'different_ledgers'
    ELSE 'insufficient_balance'
  END
  FROM ledger_accounts WHERE id IN (p_debit, p_credit)
$$;

-- A single or pending transfer. Writes nothing when refused (an undone debit aside), so a
-- one-transfer batch needs no sub-transaction.
CREATE FUNCTION ledger_apply_new(p_transfer jsonb, p_now timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_pending boolean := p_transfer ->> 'type' = 'pending';
  v_debit uuid := (p_transfer ->> 'debit')::uuid;
  v_credit uuid := (p_transfer ->> 'credit')::uuid;
  v_amount numeric := (p_transfer ->> 'amount')::numeric;
  v_ledger integer := (p_transfer ->> 'ledger')::integer;
  v_timeout bigint := (p_transfer ->> 'timeout')::bigint;
BEGIN
  IF NOT ledger_add(v_debit, true, v_amount, v_pending, v_ledger, p_now) THEN
    RETURN ledger_refusal(v_debit, v_credit, v_ledger);
  END IF;
  IF NOT ledger_add(v_credit, false, v_amount, v_pending, v_ledger, p_now) THEN
    UPDATE ledger_accounts SET
      debits_pending = debits_pending - CASE WHEN v_pending THEN v_amount ELSE 0 END,
      debits_posted = debits_posted - CASE WHEN v_pending THEN 0 ELSE v_amount END
    WHERE id = v_debit;
    RETURN ledger_refusal(v_debit, v_credit, v_ledger);
  END IF;
  INSERT INTO ledger_transfers (id, type, debit_account_id, credit_account_id, amount, ledger,
                                state, timeout_seconds, expires_at, created_at)
  VALUES ((p_transfer ->> 'id')::uuid, p_transfer ->> 'type', v_debit, v_credit, v_amount,
          v_ledger, CASE WHEN v_pending THEN 'PENDING' ELSE 'POSTED' END, v_timeout,
          CASE WHEN v_pending THEN p_now + make_interval(secs => v_timeout) END, p_now);
  RETURN 'created';
END $$;

-- A post or void of a pending transfer: the full held amount moves to posted, or goes back.
CREATE FUNCTION ledger_apply_resolution(p_transfer jsonb, p_now timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_post boolean := p_transfer ->> 'type' = 'post';
  v_held ledger_transfers;
  v_expired boolean;
BEGIN
  SELECT * INTO v_held FROM ledger_transfers
  WHERE id = (p_transfer ->> 'pending')::uuid AND type = 'pending' FOR UPDATE;
  IF NOT FOUND THEN RETURN 'unknown_pending_transfer'; END IF;
  IF v_held.state = 'POSTED' THEN RETURN 'already_posted'; END IF;
  IF v_held.state = 'VOIDED' THEN RETURN 'already_voided'; END IF;
  v_expired := v_held.state = 'EXPIRED' OR v_held.expires_at <= p_now;
  IF v_held.state = 'PENDING' AND (v_expired OR NOT v_post) THEN
    PERFORM ledger_release_hold(v_held, CASE WHEN v_expired THEN 'EXPIRED' ELSE 'VOIDED' END);
  END IF;
  IF v_post AND v_expired THEN RETURN 'expired'; END IF;
  IF v_post THEN
    UPDATE ledger_accounts SET debits_pending = debits_pending - v_held.amount,
                               debits_posted = debits_posted + v_held.amount
    WHERE id = v_held.debit_account_id;
    UPDATE ledger_accounts SET credits_pending = credits_pending - v_held.amount,
                               credits_posted = credits_posted + v_held.amount
    WHERE id = v_held.credit_account_id;
  END IF;
  UPDATE ledger_transfers SET state = CASE WHEN v_post THEN 'POSTED' ELSE 'VOIDED' END
  WHERE id = v_held.id;
  INSERT INTO ledger_transfers (id, type, debit_account_id, credit_account_id, amount, ledger,
                                state, pending_id, created_at)
  VALUES ((p_transfer ->> 'id')::uuid, p_transfer ->> 'type', v_held.debit_account_id,
          v_held.credit_account_id, v_held.amount, v_held.ledger,
          CASE WHEN v_post THEN 'POSTED' ELSE 'VOIDED' END, v_held.id, p_now);
  RETURN 'created';
END $$;

-- One transfer: 'created', 'exists' (same id, same fields: nothing happens again) or an error.
CREATE FUNCTION ledger_apply_transfer(p_transfer jsonb, p_now timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_existing ledger_transfers;
  v_type text := p_transfer ->> 'type';
  v_same boolean;
BEGIN
  SELECT * INTO v_existing FROM ledger_transfers WHERE id = (p_transfer ->> 'id')::uuid;
  IF NOT FOUND THEN
    IF v_type IN ('single', 'pending') THEN RETURN ledger_apply_new(p_transfer, p_now); END IF;
    RETURN ledger_apply_resolution(p_transfer, p_now);
  END IF;
  -- An assignment, not an IF: PL/pgSQL would end an IF condition at the CASE's first THEN.
  v_same := v_existing.type = v_type AND CASE WHEN v_type IN ('post', 'void')
    THEN v_existing.pending_id = (p_transfer ->> 'pending')::uuid
    ELSE v_existing.debit_account_id = (p_transfer ->> 'debit')::uuid
      AND v_existing.credit_account_id = (p_transfer ->> 'credit')::uuid
      AND v_existing.amount = (p_transfer ->> 'amount')::numeric
      AND v_existing.ledger = (p_transfer ->> 'ledger')::integer
      AND v_existing.timeout_seconds IS NOT DISTINCT FROM (p_transfer ->> 'timeout')::bigint
    END;
  IF v_same THEN RETURN 'exists'; END IF;
  RETURN 'exists_with_different_fields';
END $$;

-- One linked batch: 'created', 'exists', or '<index>:<error>' with nothing of it applied.
CREATE FUNCTION ledger_apply_batch(p_batch jsonb, p_now timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_outcome text;
  v_created boolean := false;
BEGIN
  IF jsonb_array_length(p_batch) = 1 THEN
    v_outcome := ledger_apply_transfer(p_batch -> 0, p_now);
    RETURN CASE WHEN v_outcome IN ('created', 'exists') THEN v_outcome ELSE '0:' || v_outcome END;
  END IF;
  -- A sub-transaction: a refusal undoes this batch's earlier transfers and nothing else.
  BEGIN
    FOR v_index IN 0 .. jsonb_array_length(p_batch) - 1 LOOP
      v_outcome := ledger_apply_transfer(p_batch -> v_index, p_now);
      IF v_outcome = 'created' THEN
        v_created := true;
      ELSIF v_outcome <> 'exists' THEN
        RAISE EXCEPTION USING ERRCODE = 'LG001', MESSAGE = v_index || ':' || v_outcome;
      END IF;
    END LOOP;
  EXCEPTION WHEN SQLSTATE 'LG001' THEN
    RETURN SQLERRM;
  END;
  RETURN CASE WHEN v_created THEN 'created' ELSE 'exists' END;
END $$;

-- A group commit: many callers' linked batches in one transaction and one round trip. Every
-- account the group touches is locked first, in id order, so concurrent groups (from any
-- number of replicas) and the sweeper wait for each other but never deadlock: p_accounts are
-- those the new transfers name, and the accounts of the pending transfers in p_pending_ids are
-- added here. (A missing one would only cost a deadlock retry, never a wrong balance.) p_now is
-- null to use the database clock, which all replicas share; tests pass their own.
CREATE FUNCTION ledger_apply_batches(
  p_batches jsonb, p_accounts uuid[], p_pending_ids uuid[], p_now timestamptz
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_accounts uuid[] := p_accounts;
  v_now timestamptz;
  v_batch jsonb;
  v_outcomes text[] := '{}';
BEGIN
  IF cardinality(p_pending_ids) > 0 THEN
    v_accounts := v_accounts || ARRAY(
      SELECT unnest(ARRAY[debit_account_id, credit_account_id]) FROM ledger_transfers
      WHERE id = ANY (p_pending_ids)
    );
  END IF;
  PERFORM 1 FROM ledger_accounts WHERE id = ANY (v_accounts) ORDER BY id FOR UPDATE;
  -- Read after the locks: expiry is judged when the transfers are decided.
  v_now := coalesce(p_now, clock_timestamp());
  FOR v_batch IN SELECT value FROM jsonb_array_elements(p_batches) LOOP
    v_outcomes := v_outcomes || ledger_apply_batch(v_batch, v_now);
  END LOOP;
  RETURN to_jsonb(v_outcomes);
END $$;

-- Releases up to p_limit expired holds, oldest first; returns how many it released.
CREATE FUNCTION ledger_sweep_expired(p_now timestamptz, p_limit integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := coalesce(p_now, clock_timestamp());
  v_transfers uuid[];
  v_accounts uuid[];
  v_transfer ledger_transfers;
  v_released integer := 0;
BEGIN
  SELECT array_agg(id), array_agg(debit_account_id) || array_agg(credit_account_id)
  INTO v_transfers, v_accounts
  FROM (
    SELECT id, debit_account_id, credit_account_id FROM ledger_transfers
    WHERE state = 'PENDING' AND expires_at <= v_now ORDER BY expires_at LIMIT p_limit
  ) expired;
  IF v_transfers IS NULL THEN RETURN 0; END IF;
  -- Accounts first and in id order, as a group commit takes them.
  PERFORM 1 FROM ledger_accounts WHERE id = ANY (v_accounts) ORDER BY id FOR UPDATE;
  FOR v_transfer IN
    SELECT * FROM ledger_transfers WHERE id = ANY (v_transfers) AND state = 'PENDING' FOR UPDATE
  LOOP
    PERFORM ledger_release_hold(v_transfer, 'EXPIRED');
    v_released := v_released + 1;
  END LOOP;
  RETURN v_released;
END $$;
