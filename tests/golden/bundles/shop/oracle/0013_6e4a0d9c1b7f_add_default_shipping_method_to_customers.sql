-- Upgrade step 13 of bundle base:heads for oracle@19 (Oracle)
-- revision: 6e4a0d9c1b7f
-- parents:  f08c3e6b9a54
-- message:  add default shipping method to customers
-- source:   versions/6e4a0d9c1b7f_add_default_shipping_method_to_customers.py (sha256 4c538a3ae688cbb7961c13da495a6ce7ffa5d72a676ad1d7f1c574c5f57c5f7a)
-- version:  f08c3e6b9a54 -> 6e4a0d9c1b7f
-- apply:    sqlplus -S -L "$CONNECT" @0013_6e4a0d9c1b7f_add_default_shipping_method_to_customers.sql
-- guard:    stops before any change unless the database is at version f08c3e6b9a54

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
    IF NOT (INSTR(',' || found || ',', ',f08c3e6b9a54,') > 0 AND INSTR(',' || found || ',', ',6e4a0d9c1b7f,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 0013: expected f08c3e6b9a54, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
ALTER TABLE customers ADD default_shipping_method_id INTEGER;
ALTER TABLE customers ADD CONSTRAINT fk_customers_shipping_methods FOREIGN KEY(default_shipping_method_id) REFERENCES shipping_methods (id) ON DELETE SET NULL;
UPDATE alembic_version SET version_num = '6e4a0d9c1b7f' WHERE alembic_version.version_num = 'f08c3e6b9a54';
COMMIT;
