-- Rollback of step 3 of bundle heads:base for mysql@8.0 (MySQL)
-- revision: c47b0e1d5f82
-- parents:  8d2e5b6a9c31
-- message:  create shipping methods
-- source:   versions/c47b0e1d5f82_create_shipping_methods.py (sha256 332f886ec2308d1b430df95d91401d55035d4dbd89c3746525a16a5315ac6d21)
-- version:  c47b0e1d5f82 -> 8d2e5b6a9c31
-- apply:    mysql --abort-source-on-error "$DATABASE" < rollback/9997_c47b0e1d5f82_create_shipping_methods.sql
-- guard:    stops before any change unless the database is at version c47b0e1d5f82
-- lock:     DROP TABLE shipping_methods: an exclusive metadata lock on shipping_methods (existing); drops the table and its data
-- WARNING:  this step loses data: drop table shipping_methods

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9997: expected c47b0e1d5f82, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'c47b0e1d5f82') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '8d2e5b6a9c31'), 'DO 0', CONCAT('sqlbundle guard 9997: expected c47b0e1d5f82, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
DROP TABLE shipping_methods;
UPDATE alembic_version SET version_num = '8d2e5b6a9c31' WHERE alembic_version.version_num = 'c47b0e1d5f82';
