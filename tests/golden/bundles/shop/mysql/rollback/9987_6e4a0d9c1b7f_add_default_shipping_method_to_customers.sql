-- Rollback of step 13 of bundle heads:base for mysql@8.0 (MySQL)
-- revision: 6e4a0d9c1b7f
-- parents:  f08c3e6b9a54
-- message:  add default shipping method to customers
-- source:   versions/6e4a0d9c1b7f_add_default_shipping_method_to_customers.py (sha256 4c538a3ae688cbb7961c13da495a6ce7ffa5d72a676ad1d7f1c574c5f57c5f7a)
-- version:  6e4a0d9c1b7f -> f08c3e6b9a54
-- apply:    mysql --abort-source-on-error "$DATABASE" < rollback/9987_6e4a0d9c1b7f_add_default_shipping_method_to_customers.sql
-- guard:    stops before any change unless the database is at version 6e4a0d9c1b7f
-- lock:     ALTER TABLE customers DROP FOREIGN KEY fk_customers_shipp...: not described for MySQL; review what it locks by hand
-- lock:     ALTER TABLE customers DROP COLUMN default_shipping_method_id: ALGORITHM=INSTANT, LOCK=NONE on customers (existing); changes the catalog only
-- WARNING:  this step loses data: drop column customers.default_shipping_method_id
-- WARNING:  part of this step runs outside a transaction; after a failure, run the file again: the segments already done are skipped

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9987: expected 6e4a0d9c1b7f, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '6e4a0d9c1b7f') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'f08c3e6b9a54'), 'DO 0', CONCAT('sqlbundle guard 9987: expected 6e4a0d9c1b7f, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE IF NOT EXISTS alembic_version_progress (revision VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (revision, segment));
-- segment 1 of 3: ALTER TABLE customers DROP FOREIGN KEY fk_customers_shipping_methods
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '6e4a0d9c1b7f' AND segment = 1), 'DO 0', 'ALTER TABLE customers DROP FOREIGN KEY fk_customers_shipping_methods');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('6e4a0d9c1b7f', 1);
-- segment 2 of 3: ALTER TABLE customers DROP COLUMN default_shipping_method_id
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '6e4a0d9c1b7f' AND segment = 2), 'DO 0', 'ALTER TABLE customers DROP COLUMN default_shipping_method_id');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('6e4a0d9c1b7f', 2);
-- segment 3 of 3: the version row moves, the step's progress is forgotten
UPDATE alembic_version SET version_num = 'f08c3e6b9a54' WHERE alembic_version.version_num = '6e4a0d9c1b7f';
DELETE FROM alembic_version_progress WHERE revision = '6e4a0d9c1b7f';
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress), 'DO 0', 'DROP TABLE alembic_version_progress');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
