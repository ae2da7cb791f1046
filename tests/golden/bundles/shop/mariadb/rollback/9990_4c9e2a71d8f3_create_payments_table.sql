-- Rollback of step 10 of bundle heads:base for mariadb@10.11 (MariaDB)
-- revision: 4c9e2a71d8f3
-- parents:  b3187d2f6e45
-- message:  create payments table
-- source:   versions/4c9e2a71d8f3_create_payments_table.py (sha256 f845d02bfe7a7d9b4bda5a784f3dd86503d3a4179a3d795ff98e9be12ea2c964)
-- version:  2a7d5c90e3b1, 4c9e2a71d8f3 -> 2a7d5c90e3b1
-- apply:    mariadb --abort-source-on-error "$DATABASE" < rollback/9990_4c9e2a71d8f3_create_payments_table.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, 4c9e2a71d8f3
-- lock:     DROP TABLE payments: an exclusive metadata lock on payments (existing); drops the table and its data
-- WARNING:  this step loses data: drop table payments

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9990: expected 4c9e2a71d8f3, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '4c9e2a71d8f3'), 'DO 0', CONCAT('sqlbundle guard 9990: expected 4c9e2a71d8f3, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
DROP TABLE payments;
DELETE FROM alembic_version WHERE alembic_version.version_num = '4c9e2a71d8f3';
