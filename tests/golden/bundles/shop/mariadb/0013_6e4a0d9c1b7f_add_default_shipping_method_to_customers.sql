-- Upgrade step 13 of bundle base:heads for mariadb@10.11 (MariaDB)
-- revision: 6e4a0d9c1b7f
-- parents:  f08c3e6b9a54
-- message:  add default shipping method to customers
-- source:   versions/6e4a0d9c1b7f_add_default_shipping_method_to_customers.py (sha256 4c538a3ae688cbb7961c13da495a6ce7ffa5d72a676ad1d7f1c574c5f57c5f7a)
-- version:  f08c3e6b9a54 -> 6e4a0d9c1b7f
-- apply:    mariadb --abort-source-on-error "$DATABASE" < 0013_6e4a0d9c1b7f_add_default_shipping_method_to_customers.sql
-- guard:    stops before any change unless the database is at version f08c3e6b9a54
-- lock:     ALTER TABLE customers ADD COLUMN default_shipping_method_...: ALGORITHM=INSTANT, LOCK=NONE on customers (existing); changes the catalog only
-- lock:     ALTER TABLE customers ADD CONSTRAINT fk_customers_shippin...: ALGORITHM=COPY, LOCK=SHARED on customers (existing); copies the table; writes wait until it is done
-- WARNING:  part of this step runs outside a transaction; after a failure, run the file again: the segments already done are skipped

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 0013: expected f08c3e6b9a54, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'f08c3e6b9a54') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '6e4a0d9c1b7f'), 'DO 0', CONCAT('sqlbundle guard 0013: expected f08c3e6b9a54, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE IF NOT EXISTS alembic_version_progress (revision VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (revision, segment));
-- segment 1 of 3: ALTER TABLE customers ADD COLUMN default_shipping_method_id INTEGER
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '6e4a0d9c1b7f' AND segment = 1), 'DO 0', 'ALTER TABLE customers ADD COLUMN default_shipping_method_id INTEGER');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('6e4a0d9c1b7f', 1);
-- segment 2 of 3: ALTER TABLE customers ADD CONSTRAINT fk_customers_shipping_methods FOR
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '6e4a0d9c1b7f' AND segment = 2), 'DO 0', 'ALTER TABLE customers ADD CONSTRAINT fk_customers_shipping_methods FOREIGN KEY(default_shipping_method_id) REFERENCES shipping_methods (id) ON DELETE SET NULL');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('6e4a0d9c1b7f', 2);
-- segment 3 of 3: the version row moves, the step's progress is forgotten
UPDATE alembic_version SET version_num = '6e4a0d9c1b7f' WHERE alembic_version.version_num = 'f08c3e6b9a54';
DELETE FROM alembic_version_progress WHERE revision = '6e4a0d9c1b7f';
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress), 'DO 0', 'DROP TABLE alembic_version_progress');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
