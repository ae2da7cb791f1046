-- Rollback of step 6 of bundle heads:base for oracle@19 (Oracle)
-- revision: 71bc6e0f4a9d
-- parents:  e2d84c9a1f60
-- message:  widen product name to 255 characters
-- source:   versions/71bc6e0f4a9d_widen_product_name_to_255_characters.py (sha256 4fd25e51dd964298a2706c71b1ec3a00d38f2af40c534314072256ec1fafcd37)
-- version:  71bc6e0f4a9d -> e2d84c9a1f60
-- apply:    sqlplus -S -L "$CONNECT" @rollback/9994_71bc6e0f4a9d_widen_product_name_to_255_characters.sql
-- guard:    stops before any change unless the database is at version 71bc6e0f4a9d

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
    IF NOT (INSTR(',' || found || ',', ',71bc6e0f4a9d,') > 0 AND INSTR(',' || found || ',', ',e2d84c9a1f60,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 9994: expected 71bc6e0f4a9d, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
ALTER TABLE products MODIFY name VARCHAR2(100 CHAR);
UPDATE alembic_version SET version_num = 'e2d84c9a1f60' WHERE alembic_version.version_num = '71bc6e0f4a9d';
COMMIT;
