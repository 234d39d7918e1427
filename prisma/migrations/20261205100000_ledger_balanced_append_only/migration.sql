-- Hand-written (issue 10): the ledger's promises kept by the database, whoever writes, not only by the writers.
-- Every function body is an E'' string with each semicolon written as \073, and no comment holds a semicolon:
-- the offline migration path (@prisma/adapter-pg executeScript) splits scripts at every semicolon.

-- 1. Double entry. At commit, the postings of every ledger transaction sum to zero in each currency, and a
-- transaction has postings. Deferred, so a writer may insert a transaction and its postings in any order and
-- in several statements, and checked per posting row too, so a posting added later (in another statement or
-- another database transaction) to a balanced transaction is refused as well.
CREATE FUNCTION "ledger_transaction_balanced"() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  transaction_id uuid\073
  imbalance text\073
BEGIN
  IF TG_TABLE_NAME = ''LedgerPosting'' THEN
    transaction_id := NEW."transactionId"\073
  ELSE
    transaction_id := NEW."id"\073
    IF NOT EXISTS (SELECT 1 FROM "LedgerPosting" WHERE "transactionId" = transaction_id) THEN
      RAISE EXCEPTION ''ledger transaction % has no postings'', transaction_id
        USING ERRCODE = ''check_violation'', CONSTRAINT = ''LedgerTransaction_balanced''\073
    END IF\073
  END IF\073
  SELECT string_agg("currency" || '' '' || total::text, '', '' ORDER BY "currency") INTO imbalance
  FROM (SELECT "currency", sum("amountMinor") AS total FROM "LedgerPosting" WHERE "transactionId" = transaction_id
        GROUP BY "currency" HAVING sum("amountMinor") <> 0) AS unbalanced\073
  IF imbalance IS NOT NULL THEN
    RAISE EXCEPTION ''ledger transaction % does not balance: postings sum to % (double entry needs zero per currency)'', transaction_id, imbalance
      USING ERRCODE = ''check_violation'', CONSTRAINT = ''LedgerTransaction_balanced''\073
  END IF\073
  RETURN NULL\073
END\073';

CREATE CONSTRAINT TRIGGER "LedgerTransaction_balanced" AFTER INSERT ON "LedgerTransaction"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_transaction_balanced"();
CREATE CONSTRAINT TRIGGER "LedgerPosting_balanced" AFTER INSERT ON "LedgerPosting"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_transaction_balanced"();

-- 2. Append-only beyond the ledger: the audit trail and the commission reversals (each reversal stores the
-- progress the next one starts from) are never edited either. The function is the ledger's (commissions
-- migration), worded for any table: DELETE stays allowed when it cascades from deleting the shop
-- (pg_trigger_depth() > 1: fired by a foreign key's own trigger), which shop/redact needs.
CREATE OR REPLACE FUNCTION "ledger_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' AND pg_trigger_depth() > 1 THEN
    RETURN OLD\073
  END IF\073
  RAISE EXCEPTION ''"%" is append-only (like the ledger): % refused'', TG_TABLE_NAME, TG_OP USING ERRCODE = ''restrict_violation''\073
END\073';

CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();
CREATE TRIGGER "CommissionReversal_append_only" BEFORE UPDATE OR DELETE ON "CommissionReversal"
  FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();

-- 3. TRUNCATE skips row triggers, so the append-only tables refuse it outright (a shop's rows go with the shop).
CREATE FUNCTION "append_only_no_truncate"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  RAISE EXCEPTION ''"%" is append-only (like the ledger): TRUNCATE refused'', TG_TABLE_NAME USING ERRCODE = ''restrict_violation''\073
END\073';

CREATE TRIGGER "LedgerTransaction_no_truncate" BEFORE TRUNCATE ON "LedgerTransaction"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only_no_truncate"();
CREATE TRIGGER "LedgerPosting_no_truncate" BEFORE TRUNCATE ON "LedgerPosting"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only_no_truncate"();
CREATE TRIGGER "PeriodCommission_no_truncate" BEFORE TRUNCATE ON "PeriodCommission"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only_no_truncate"();
CREATE TRIGGER "PeriodCloseRun_no_truncate" BEFORE TRUNCATE ON "PeriodCloseRun"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only_no_truncate"();
CREATE TRIGGER "AuditLog_no_truncate" BEFORE TRUNCATE ON "AuditLog"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only_no_truncate"();
CREATE TRIGGER "CommissionReversal_no_truncate" BEFORE TRUNCATE ON "CommissionReversal"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only_no_truncate"();

-- 4. Checks the writers already honour: ISO 4217 codes as normalizeCurrency makes them, whole non-negative
-- quantities, and no zero postings or zero period commissions (the builders drop them: a zero leg says nothing).
ALTER TABLE "Order" ADD CONSTRAINT "Order_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$');
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$');
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_quantity_check" CHECK ("quantity" >= 0);
ALTER TABLE "Commission" ADD CONSTRAINT "Commission_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$');
ALTER TABLE "LedgerPosting"
  ADD CONSTRAINT "LedgerPosting_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$'),
  ADD CONSTRAINT "LedgerPosting_amount_check" CHECK ("amountMinor" <> 0);
ALTER TABLE "PeriodCommission"
  ADD CONSTRAINT "PeriodCommission_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$'),
  ADD CONSTRAINT "PeriodCommission_amount_check" CHECK ("amountMinor" <> 0);
ALTER TABLE "CommissionPeriod" ADD CONSTRAINT "CommissionPeriod_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$');
