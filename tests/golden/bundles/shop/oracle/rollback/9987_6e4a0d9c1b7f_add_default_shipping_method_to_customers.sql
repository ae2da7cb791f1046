-- Rollback of step 13 of bundle heads:base for oracle@19 (Oracle)
-- revision: 6e4a0d9c1b7f
-- parents:  f08c3e6b9a54
-- message:  add default shipping method to customers
-- source:   versions/6e4a0d9c1b7f_add_default_shipping_method_to_customers.py (sha256 4c538a3ae688cbb7961c13da495a6ce7ffa5d72a676ad1d7f1c574c5f57c5f7a)
-- version:  6e4a0d9c1b7f -> f08c3e6b9a54
-- apply:    sqlplus -S -L "$CONNECT" @rollback/9987_6e4a0d9c1b7f_add_default_shipping_method_to_customers.sql
-- guard:    stops before any change unless the database is at version 6e4a0d9c1b7f
-- WARNING:  this step loses data: drop column customers.default_shipping_method_id

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
    IF NOT (INSTR(',' || found || ',', ',6e4a0d9c1b7f,') > 0 AND INSTR(',' || found || ',', ',f08c3e6b9a54,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 9987: expected 6e4a0d9c1b7f, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
ALTER TABLE customers DROP CONSTRAINT fk_customers_shipping_methods;
ALTER TABLE customers DROP COLUMN default_shipping_method_id;
UPDATE alembic_version SET version_num = 'f08c3e6b9a54' WHERE alembic_version.version_num = '6e4a0d9c1b7f';
COMMIT;
