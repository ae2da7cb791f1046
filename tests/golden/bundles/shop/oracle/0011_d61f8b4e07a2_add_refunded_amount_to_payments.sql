-- Upgrade step 11 of bundle base:heads for oracle@19 (Oracle)
-- revision: d61f8b4e07a2
-- parents:  4c9e2a71d8f3
-- message:  add refunded_amount to payments
-- source:   versions/d61f8b4e07a2_add_refunded_amount_to_payments.py (sha256 7439b4f67b4e7851002fd0d83201e7c321abada4866f5e47f04dab42ecd0aaa4)
-- version:  2a7d5c90e3b1, 4c9e2a71d8f3 -> 2a7d5c90e3b1, d61f8b4e07a2
-- apply:    sqlplus -S -L "$CONNECT" @0011_d61f8b4e07a2_add_refunded_amount_to_payments.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, 4c9e2a71d8f3

WHENEVER SQLERROR EXIT SQL.SQLCODE ROLLBACK
WHENEVER OSERROR EXIT FAILURE ROLLBACK
SET DEFINE OFF
DECLARE
    found VARCHAR2(4000);
    tables_found NUMBER;
BEGIN
    SELECT COUNT(*) INTO tables_found FROM all_tables WHERE owner = USER AND table_name = 'ALEMBIC_VERSION';
    IF tables_found > 0 THEN
        EXECUTE IMMEDIATE 'SELECT LISTAGG(version_num, '','') WITHIN GROUP (ORDER BY version_num) FROM alembic_version' INTO found;
    END IF;
    IF NOT (INSTR(',' || found || ',', ',4c9e2a71d8f3,') > 0 AND INSTR(',' || found || ',', ',d61f8b4e07a2,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 0011: expected 4c9e2a71d8f3, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
ALTER TABLE payments ADD refunded_amount NUMERIC(12, 2) DEFAULT 0 NOT NULL;
ALTER TABLE payments ADD CONSTRAINT ck_payments_refund_in_range CHECK (refunded_amount >= 0 AND refunded_amount <= amount);
UPDATE alembic_version SET version_num = 'd61f8b4e07a2' WHERE alembic_version.version_num = '4c9e2a71d8f3';
COMMIT;
