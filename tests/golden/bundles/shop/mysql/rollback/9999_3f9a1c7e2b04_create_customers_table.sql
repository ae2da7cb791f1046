-- Rollback of step 1 of bundle heads:base for mysql@8.0 (MySQL)
-- revision: 3f9a1c7e2b04
-- parents:  <base>
-- message:  create customers table
-- source:   versions/3f9a1c7e2b04_create_customers_table.py (sha256 71fe4381f25abbdf28a84040716b89ae000455769a97e1d65eea804e2d0cb8d3)
-- version:  3f9a1c7e2b04 -> (none)
-- apply:    mysql --abort-source-on-error "$DATABASE" < rollback/9999_3f9a1c7e2b04_create_customers_table.sql
-- guard:    stops before any change unless the database is at version 3f9a1c7e2b04
-- lock:     DROP TABLE customers: an exclusive metadata lock on customers (existing); drops the table and its data
-- WARNING:  this step loses data: drop table customers

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9999: expected 3f9a1c7e2b04, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '3f9a1c7e2b04'), 'DO 0', CONCAT('sqlbundle guard 9999: expected 3f9a1c7e2b04, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
DROP TABLE customers;
DELETE FROM alembic_version WHERE alembic_version.version_num = '3f9a1c7e2b04';
