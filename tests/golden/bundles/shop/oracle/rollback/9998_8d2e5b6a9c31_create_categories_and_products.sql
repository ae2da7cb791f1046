-- Rollback of step 2 of bundle heads:base for oracle@19 (Oracle)
-- revision: 8d2e5b6a9c31
-- parents:  3f9a1c7e2b04
-- message:  create categories and products
-- source:   versions/8d2e5b6a9c31_create_categories_and_products.py (sha256 a56b8fbb4fb6072274e078a170c9b00a744eb362f1b490fc0a9114ed84419e7a)
-- version:  8d2e5b6a9c31 -> 3f9a1c7e2b04
-- apply:    sqlplus -S -L "$CONNECT" @rollback/9998_8d2e5b6a9c31_create_categories_and_products.sql
-- guard:    stops before any change unless the database is at version 8d2e5b6a9c31
-- WARNING:  this step loses data: drop table categories; drop table products

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
    IF NOT (INSTR(',' || found || ',', ',8d2e5b6a9c31,') > 0 AND INSTR(',' || found || ',', ',3f9a1c7e2b04,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 9998: expected 8d2e5b6a9c31, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
DROP TABLE products;
DROP INDEX ix_categories_slug;
DROP TABLE categories;
UPDATE alembic_version SET version_num = '3f9a1c7e2b04' WHERE alembic_version.version_num = '8d2e5b6a9c31';
COMMIT;
