-- The ledger's hot path: one posted transfer on its own (the connector moving what fulfilled
-- packets earned, most payments' single steps). One UPDATE of both accounts and one INSERT, none
-- of ledger_apply_batches' general machinery (jsonb, the lock pass, the lookup of an existing
-- id): about half its database time per call.
--
-- It decides only the plain case. Whenever the transfer cannot simply go through (an account
-- unknown, on another ledger, or short of liquidity, which may call for releasing expired holds;
-- or the id already used) it raises LG002 or the unique violation, which undoes it whole, and
-- the caller sends the transfer through ledger_apply_batches for the exact answer.
CREATE FUNCTION ledger_apply_single(
  p_id uuid, p_debit uuid, p_credit uuid, p_amount numeric, p_ledger integer, p_now timestamptz
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_moved integer;
BEGIN
  IF p_debit = p_credit OR p_amount <= 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'LG002', MESSAGE = 'not a plain transfer';
  END IF;
  -- Both rows in one statement, locked in index (id) order as ledger_apply_batches locks them.
  UPDATE ledger_accounts SET
    debits_posted = debits_posted + CASE WHEN id = p_debit THEN p_amount ELSE 0 END,
    credits_posted = credits_posted + CASE WHEN id = p_credit THEN p_amount ELSE 0 END
  WHERE id IN (p_debit, p_credit) AND ledger = p_ledger
    AND (id <> p_debit OR kind = 'SETTLEMENT'
         OR debits_posted + debits_pending + p_amount <= credits_posted)
    AND (id <> p_credit OR kind <> 'SETTLEMENT'
         OR credits_posted + credits_pending + p_amount <= debits_posted);
  GET DIAGNOSTICS v_moved = ROW_COUNT;
  IF v_moved <> 2 THEN
    RAISE EXCEPTION USING ERRCODE = 'LG002', MESSAGE = 'not a plain transfer';
  END IF;
  INSERT INTO ledger_transfers (id, type, debit_account_id, credit_account_id, amount, ledger,
                                state, created_at)
  VALUES (p_id, 'single', p_debit, p_credit, p_amount, p_ledger, 'POSTED',
          coalesce(p_now, clock_timestamp()));
  RETURN 'created';
END $$;
