-- Rollback of step 7 of bundle heads:base for oracle@19 (Oracle)
-- revision: 9e05a7b3c2d8
-- parents:  71bc6e0f4a9d
-- message:  rename order_items to order_lines
-- source:   versions/9e05a7b3c2d8_rename_order_items_to_order_lines.py (sha256 01d4d7acf646938ea4cdb492c9a041579cb227c43de3d510f40912c1cdec4aaf)
-- version:  9e05a7b3c2d8 -> 71bc6e0f4a9d
-- apply:    sqlplus -S -L "$CONNECT" @rollback/9993_9e05a7b3c2d8_rename_order_items_to_order_lines.sql
-- guard:    stops before any change unless the database is at version 9e05a7b3c2d8

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
    IF NOT (INSTR(',' || found || ',', ',9e05a7b3c2d8,') > 0 AND INSTR(',' || found || ',', ',71bc6e0f4a9d,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 9993: expected 9e05a7b3c2d8, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
ALTER TABLE order_lines RENAME TO order_items;
UPDATE alembic_version SET version_num = '71bc6e0f4a9d' WHERE alembic_version.version_num = '9e05a7b3c2d8';
COMMIT;
