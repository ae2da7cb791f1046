-- Upgrade step 4 of bundle base:heads for oracle@19 (Oracle)
-- revision: 5a61f3d8e9b7
-- parents:  c47b0e1d5f82
-- message:  seed categories and shipping methods
-- source:   versions/5a61f3d8e9b7_seed_categories_and_shipping_methods.py (sha256 4841f6cf64f459f7d32bf582032a356f036cd5fa91da11eb769fb861d21c3059)
-- version:  c47b0e1d5f82 -> 5a61f3d8e9b7
-- apply:    sqlplus -S -L "$CONNECT" @0004_5a61f3d8e9b7_seed_categories_and_shipping_methods.sql
-- guard:    stops before any change unless the database is at version c47b0e1d5f82

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
    IF NOT (INSTR(',' || found || ',', ',c47b0e1d5f82,') > 0 AND INSTR(',' || found || ',', ',5a61f3d8e9b7,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 0004: expected c47b0e1d5f82, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
INSERT INTO categories (name, slug, description) VALUES ('Books', 'books', 'Fiction, non-fiction and reference');
INSERT INTO categories (name, slug, description) VALUES ('Children''s books', 'childrens-books', NULL);
INSERT INTO categories (name, slug, description) VALUES ('Küche ' || CHR(38) || ' Café', 'kueche-cafe', 'Kaffeemühlen, Töpfe und Geschirr');
INSERT INTO shipping_methods (code, name, description, fee) VALUES ('standard', 'Standard delivery', '3–5 business days', 4.95);
INSERT INTO shipping_methods (code, name, description, fee) VALUES ('express', 'Express delivery', 'Next business day', 12.50);
INSERT INTO shipping_methods (code, name, description, fee) VALUES ('pickup', 'Store pickup', NULL, 0.00);
UPDATE alembic_version SET version_num = '5a61f3d8e9b7' WHERE alembic_version.version_num = 'c47b0e1d5f82';
COMMIT;
