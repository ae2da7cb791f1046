-- Rollback of step 8 of bundle heads:base for oracle@19 (Oracle)
-- revision: b3187d2f6e45
-- parents:  9e05a7b3c2d8
-- message:  add line_total to order lines
-- source:   versions/b3187d2f6e45_add_line_total_to_order_lines.py (sha256 3197c83961d1f1a012991803a785638fd9ab787c072020b28601c0ac8d103f6d)
-- version:  b3187d2f6e45 -> 9e05a7b3c2d8
-- apply:    sqlplus -S -L "$CONNECT" @rollback/9992_b3187d2f6e45_add_line_total_to_order_lines.sql
-- guard:    stops before any change unless the database is at version b3187d2f6e45
-- WARNING:  this step loses data: drop column order_lines.line_total

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
    IF NOT (INSTR(',' || found || ',', ',b3187d2f6e45,') > 0 AND INSTR(',' || found || ',', ',9e05a7b3c2d8,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 9992: expected b3187d2f6e45, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
ALTER TABLE order_lines DROP COLUMN line_total;
UPDATE alembic_version SET version_num = '9e05a7b3c2d8' WHERE alembic_version.version_num = 'b3187d2f6e45';
COMMIT;
