-- Rollback of step 1 of bundle heads:base for oracle@19 (Oracle)
-- revision: 3f9a1c7e2b04
-- parents:  <base>
-- message:  create customers table
-- source:   versions/3f9a1c7e2b04_create_customers_table.py (sha256 71fe4381f25abbdf28a84040716b89ae000455769a97e1d65eea804e2d0cb8d3)
-- version:  3f9a1c7e2b04 -> (none)
-- apply:    sqlplus -S -L "$CONNECT" @rollback/9999_3f9a1c7e2b04_create_customers_table.sql
-- guard:    stops before any change unless the database is at version 3f9a1c7e2b04
-- WARNING:  this step loses data: drop table customers

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
    IF NOT (INSTR(',' || found || ',', ',3f9a1c7e2b04,') > 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 9999: expected 3f9a1c7e2b04, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
DROP TABLE customers;
DELETE FROM alembic_version WHERE alembic_version.version_num = '3f9a1c7e2b04';
COMMIT;
