-- Rollback of step 9 of bundle heads:base for oracle@19 (Oracle)
-- revision: 2a7d5c90e3b1
-- parents:  b3187d2f6e45
-- message:  create product reviews
-- source:   versions/2a7d5c90e3b1_create_product_reviews.py (sha256 3bcda4662f52ac0fb62b6106fa12ec3fd989e8b97a8a2eca33237b82f227331a)
-- version:  2a7d5c90e3b1 -> b3187d2f6e45
-- apply:    sqlplus -S -L "$CONNECT" @rollback/9991_2a7d5c90e3b1_create_product_reviews.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1
-- WARNING:  this step loses data: drop table product_reviews

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
    IF NOT (INSTR(',' || found || ',', ',2a7d5c90e3b1,') > 0 AND INSTR(',' || found || ',', ',b3187d2f6e45,') = 0) THEN
        RAISE_APPLICATION_ERROR(-20001, 'sqlbundle guard 9991: expected 2a7d5c90e3b1, found ' || NVL(found, 'no version rows'));
    END IF;
END;
/
DROP TABLE product_reviews;
UPDATE alembic_version SET version_num = 'b3187d2f6e45' WHERE alembic_version.version_num = '2a7d5c90e3b1';
COMMIT;
