-- Upgrade step 13 of bundle base:heads for mysql@8.0 (MySQL)
-- revision: 6e4a0d9c1b7f
-- parents:  f08c3e6b9a54
-- message:  add default shipping method to customers
-- source:   versions/6e4a0d9c1b7f_add_default_shipping_method_to_customers.py (sha256 4c538a3ae688cbb7961c13da495a6ce7ffa5d72a676ad1d7f1c574c5f57c5f7a)
-- version:  f08c3e6b9a54 -> 6e4a0d9c1b7f
-- apply:    mysql --abort-source-on-error "$DATABASE" < 0013_6e4a0d9c1b7f_add_default_shipping_method_to_customers.sql
-- guard:    stops before any change unless the database is at version f08c3e6b9a54
-- lock:     ALTER TABLE customers ADD COLUMN default_shipping_method_...: ALGORITHM=INSTANT, LOCK=NONE on customers (existing); changes the catalog only
-- lock:     ALTER TABLE customers ADD CONSTRAINT fk_customers_shippin...: ALGORITHM=COPY, LOCK=SHARED on customers (existing); copies the table; writes wait until it is done

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 0013: expected f08c3e6b9a54, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'f08c3e6b9a54') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '6e4a0d9c1b7f'), 'DO 0', CONCAT('sqlbundle guard 0013: expected f08c3e6b9a54, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
ALTER TABLE customers ADD COLUMN default_shipping_method_id INTEGER;
ALTER TABLE customers ADD CONSTRAINT fk_customers_shipping_methods FOREIGN KEY(default_shipping_method_id) REFERENCES shipping_methods (id) ON DELETE SET NULL;
UPDATE alembic_version SET version_num = '6e4a0d9c1b7f' WHERE alembic_version.version_num = 'f08c3e6b9a54';
