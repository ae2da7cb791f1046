-- Rollback of step 8 of bundle heads:base for mysql@8.0 (MySQL)
-- revision: b3187d2f6e45
-- parents:  9e05a7b3c2d8
-- message:  add line_total to order lines
-- source:   versions/b3187d2f6e45_add_line_total_to_order_lines.py (sha256 3197c83961d1f1a012991803a785638fd9ab787c072020b28601c0ac8d103f6d)
-- version:  b3187d2f6e45 -> 9e05a7b3c2d8
-- apply:    mysql --abort-source-on-error "$DATABASE" < rollback/9992_b3187d2f6e45_add_line_total_to_order_lines.sql
-- guard:    stops before any change unless the database is at version b3187d2f6e45
-- lock:     ALTER TABLE order_lines DROP COLUMN line_total: ALGORITHM=INSTANT, LOCK=NONE on order_lines (existing); changes the catalog only
-- WARNING:  this step loses data: drop column order_lines.line_total

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9992: expected b3187d2f6e45, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'b3187d2f6e45') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '9e05a7b3c2d8'), 'DO 0', CONCAT('sqlbundle guard 9992: expected b3187d2f6e45, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
ALTER TABLE order_lines DROP COLUMN line_total;
UPDATE alembic_version SET version_num = '9e05a7b3c2d8' WHERE alembic_version.version_num = 'b3187d2f6e45';
