-- Rollback of step 4 of bundle heads:base for oracle@19 (Oracle)
-- revision: 5a61f3d8e9b7
-- parents:  c47b0e1d5f82
-- message:  seed categories and shipping methods
-- source:   versions/5a61f3d8e9b7_seed_categories_and_shipping_methods.py (sha256 4841f6cf64f459f7d32bf582032a356f036cd5fa91da11eb769fb861d21c3059)
-- version:  5a61f3d8e9b7 -> c47b0e1d5f82
-- apply:    sqlplus -S -L "$CONNECT" @rollback/9996_5a61f3d8e9b7_seed_categories_and_shipping_methods.sql
-- guard:    stops before any change unless the database is at version 5a61f3d8e9b7

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
    IF NOT (INSTR(',' || found || ',', ',5a61f3d8e9b7,') > 0 AND INSTR(',' || found || ',', ',c47b0e1d5f82,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 9996: expected 5a61f3d8e9b7, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
DELETE FROM shipping_methods WHERE code IN ('standard', 'express', 'pickup');
DELETE FROM categories WHERE slug IN ('books', 'childrens-books', 'kueche-cafe');
UPDATE alembic_version SET version_num = 'c47b0e1d5f82' WHERE alembic_version.version_num = '5a61f3d8e9b7';
COMMIT;
