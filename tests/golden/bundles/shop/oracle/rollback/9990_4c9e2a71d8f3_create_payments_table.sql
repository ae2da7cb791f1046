-- Rollback of step 10 of bundle heads:base for oracle@19 (Oracle)
-- revision: 4c9e2a71d8f3
-- parents:  b3187d2f6e45
-- message:  create payments table
-- source:   versions/4c9e2a71d8f3_create_payments_table.py (sha256 f845d02bfe7a7d9b4bda5a784f3dd86503d3a4179a3d795ff98e9be12ea2c964)
-- version:  2a7d5c90e3b1, 4c9e2a71d8f3 -> 2a7d5c90e3b1
-- apply:    sqlplus -S -L "$CONNECT" @rollback/9990_4c9e2a71d8f3_create_payments_table.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, 4c9e2a71d8f3
-- WARNING:  this step loses data: drop table payments

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
    IF NOT (INSTR(',' || found || ',', ',4c9e2a71d8f3,') > 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 9990: expected 4c9e2a71d8f3, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
DROP TABLE payments;
DELETE FROM alembic_version WHERE alembic_version.version_num = '4c9e2a71d8f3';
COMMIT;
