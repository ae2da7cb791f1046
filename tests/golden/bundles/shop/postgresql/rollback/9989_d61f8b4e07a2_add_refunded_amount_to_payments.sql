-- Rollback of step 11 of bundle heads:base for postgresql@16 (PostgreSQL)
-- revision: d61f8b4e07a2
-- parents:  4c9e2a71d8f3
-- message:  add refunded_amount to payments
-- source:   versions/d61f8b4e07a2_add_refunded_amount_to_payments.py (sha256 7439b4f67b4e7851002fd0d83201e7c321abada4866f5e47f04dab42ecd0aaa4)
-- version:  2a7d5c90e3b1, d61f8b4e07a2 -> 2a7d5c90e3b1, 4c9e2a71d8f3
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f rollback/9989_d61f8b4e07a2_add_refunded_amount_to_payments.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, d61f8b4e07a2
-- lock:     ALTER TABLE payments DROP CONSTRAINT ck_payments_refund_i...: ACCESS EXCLUSIVE on payments (existing); changes the catalog only
-- lock:     ALTER TABLE payments DROP COLUMN refunded_amount: ACCESS EXCLUSIVE on payments (existing); changes the catalog only
-- WARNING:  this step loses data: drop column payments.refunded_amount

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',d61f8b4e07a2,' in ',' || found || ',') > 0 AND position(',4c9e2a71d8f3,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 9989: expected d61f8b4e07a2, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
ALTER TABLE payments DROP CONSTRAINT ck_payments_refund_in_range;
ALTER TABLE payments DROP COLUMN refunded_amount;
UPDATE alembic_version SET version_num = '4c9e2a71d8f3' WHERE alembic_version.version_num = 'd61f8b4e07a2';
COMMIT;
