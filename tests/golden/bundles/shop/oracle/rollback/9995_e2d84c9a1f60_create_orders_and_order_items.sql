-- Rollback of step 5 of bundle heads:base for oracle@19 (Oracle)
-- revision: e2d84c9a1f60
-- parents:  5a61f3d8e9b7
-- message:  create orders and order items
-- source:   versions/e2d84c9a1f60_create_orders_and_order_items.py (sha256 88b894813c856900f8e38283b188b672ac1d1d89a440254efe5c3a3b5791533f)
-- version:  e2d84c9a1f60 -> 5a61f3d8e9b7
-- apply:    sqlplus -S -L "$CONNECT" @rollback/9995_e2d84c9a1f60_create_orders_and_order_items.sql
-- guard:    stops before any change unless the database is at version e2d84c9a1f60
-- WARNING:  this step loses data: drop table order_items; drop table orders

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
    IF NOT (INSTR(',' || found || ',', ',e2d84c9a1f60,') > 0 AND INSTR(',' || found || ',', ',5a61f3d8e9b7,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 9995: expected e2d84c9a1f60, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
DROP TABLE order_items;
DROP TABLE orders;
UPDATE alembic_version SET version_num = '5a61f3d8e9b7' WHERE alembic_version.version_num = 'e2d84c9a1f60';
COMMIT;
