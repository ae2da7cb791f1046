-- Upgrade step 12 of bundle base:heads for oracle@19 (Oracle)
-- revision: f08c3e6b9a54
-- parents:  d61f8b4e07a2, 2a7d5c90e3b1
-- message:  merge payments and reviews
-- source:   versions/f08c3e6b9a54_merge_payments_and_reviews.py (sha256 fc1f8c1720f56891598a43259906d24a76c4839373938701338091323ff056d4)
-- version:  2a7d5c90e3b1, d61f8b4e07a2 -> f08c3e6b9a54
-- apply:    sqlplus -S -L "$CONNECT" @0012_f08c3e6b9a54_merge_payments_and_reviews.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, d61f8b4e07a2

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
    IF NOT (INSTR(',' || found || ',', ',2a7d5c90e3b1,') > 0 AND INSTR(',' || found || ',', ',d61f8b4e07a2,') > 0 AND INSTR(',' || found || ',', ',f08c3e6b9a54,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 0012: expected 2a7d5c90e3b1,d61f8b4e07a2, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
DELETE FROM alembic_version WHERE alembic_version.version_num = '2a7d5c90e3b1';
UPDATE alembic_version SET version_num = 'f08c3e6b9a54' WHERE alembic_version.version_num = 'd61f8b4e07a2';
COMMIT;
