-- Upgrade step 11 of bundle base:heads for postgresql@16 (PostgreSQL)
-- revision: d61f8b4e07a2
-- parents:  4c9e2a71d8f3
-- message:  add refunded_amount to payments
-- source:   versions/d61f8b4e07a2_add_refunded_amount_to_payments.py (sha256 7439b4f67b4e7851002fd0d83201e7c321abada4866f5e47f04dab42ecd0aaa4)
-- version:  2a7d5c90e3b1, 4c9e2a71d8f3 -> 2a7d5c90e3b1, d61f8b4e07a2
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 0011_d61f8b4e07a2_add_refunded_amount_to_payments.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, 4c9e2a71d8f3
-- lock:     ALTER TABLE payments ADD COLUMN refunded_amount NUMERIC(1...: ACCESS EXCLUSIVE on payments (existing); changes the catalog only
-- lock:     ALTER TABLE payments ADD CONSTRAINT ck_payments_refund_in...: ACCESS EXCLUSIVE on payments (existing); reads every row to check it

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',4c9e2a71d8f3,' in ',' || found || ',') > 0 AND position(',d61f8b4e07a2,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 0011: expected 4c9e2a71d8f3, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
ALTER TABLE payments ADD COLUMN refunded_amount NUMERIC(12, 2) DEFAULT 0 NOT NULL;
ALTER TABLE payments ADD CONSTRAINT ck_payments_refund_in_range CHECK (refunded_amount >= 0 AND refunded_amount <= amount);
UPDATE alembic_version SET version_num = 'd61f8b4e07a2' WHERE alembic_version.version_num = '4c9e2a71d8f3';
COMMIT;
