-- Rollback of step 3 of bundle heads:base for oracle@19 (Oracle)
-- revision: c47b0e1d5f82
-- parents:  8d2e5b6a9c31
-- message:  create shipping methods
-- source:   versions/c47b0e1d5f82_create_shipping_methods.py (sha256 332f886ec2308d1b430df95d91401d55035d4dbd89c3746525a16a5315ac6d21)
-- version:  c47b0e1d5f82 -> 8d2e5b6a9c31
-- apply:    sqlplus -S -L "$CONNECT" @rollback/9997_c47b0e1d5f82_create_shipping_methods.sql
-- guard:    stops before any change unless the database is at version c47b0e1d5f82
-- WARNING:  this step loses data: drop table shipping_methods

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
    IF NOT (INSTR(',' || found || ',', ',c47b0e1d5f82,') > 0 AND INSTR(',' || found || ',', ',8d2e5b6a9c31,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 9997: expected c47b0e1d5f82, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
DROP TABLE shipping_methods;
UPDATE alembic_version SET version_num = '8d2e5b6a9c31' WHERE alembic_version.version_num = 'c47b0e1d5f82';
COMMIT;
