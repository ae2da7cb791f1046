-- Upgrade step 8 of bundle base:heads for mysql@8.0 (MySQL)
-- revision: b3187d2f6e45
-- parents:  9e05a7b3c2d8
-- message:  add line_total to order lines
-- source:   versions/b3187d2f6e45_add_line_total_to_order_lines.py (sha256 3197c83961d1f1a012991803a785638fd9ab787c072020b28601c0ac8d103f6d)
-- version:  9e05a7b3c2d8 -> b3187d2f6e45
-- apply:    mysql --abort-source-on-error "$DATABASE" < 0008_b3187d2f6e45_add_line_total_to_order_lines.sql
-- guard:    stops before any change unless the database is at version 9e05a7b3c2d8
-- lock:     ALTER TABLE order_lines ADD COLUMN line_total NUMERIC(12, 2): ALGORITHM=INSTANT, LOCK=NONE on order_lines (existing); changes the catalog only
-- lock:     UPDATE order_lines SET line_total = quantity * unit_price: row locks on order_lines (existing); writes rows
-- lock:     ALTER TABLE order_lines MODIFY line_total NUMERIC(12, 2)...: ALGORITHM=INPLACE, LOCK=NONE on order_lines (existing); rebuilds the table in place; writes continue
-- WARNING:  part of this step runs outside a transaction; after a failure, run the file again: the segments already done are skipped

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 0008: expected 9e05a7b3c2d8, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '9e05a7b3c2d8') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'b3187d2f6e45'), 'DO 0', CONCAT('sqlbundle guard 0008: expected 9e05a7b3c2d8, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE IF NOT EXISTS alembic_version_progress (revision VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (revision, segment));
-- segment 1 of 4: ALTER TABLE order_lines ADD COLUMN line_total NUMERIC(12, 2)
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = 'b3187d2f6e45' AND segment = 1), 'DO 0', 'ALTER TABLE order_lines ADD COLUMN line_total NUMERIC(12, 2)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('b3187d2f6e45', 1);
-- segment 2 of 4: UPDATE order_lines SET line_total = quantity * unit_price
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = 'b3187d2f6e45' AND segment = 2), 'DO 0', 'UPDATE order_lines SET line_total = quantity * unit_price');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('b3187d2f6e45', 2);
-- segment 3 of 4: ALTER TABLE order_lines MODIFY line_total NUMERIC(12, 2) NOT NULL
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = 'b3187d2f6e45' AND segment = 3), 'DO 0', 'ALTER TABLE order_lines MODIFY line_total NUMERIC(12, 2) NOT NULL');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('b3187d2f6e45', 3);
-- segment 4 of 4: the version row moves, the step's progress is forgotten
UPDATE alembic_version SET version_num = 'b3187d2f6e45' WHERE alembic_version.version_num = '9e05a7b3c2d8';
DELETE FROM alembic_version_progress WHERE revision = 'b3187d2f6e45';
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress), 'DO 0', 'DROP TABLE alembic_version_progress');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
