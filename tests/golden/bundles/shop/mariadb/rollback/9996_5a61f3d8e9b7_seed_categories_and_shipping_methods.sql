-- Rollback of step 4 of bundle heads:base for mariadb@10.11 (MariaDB)
-- revision: 5a61f3d8e9b7
-- parents:  c47b0e1d5f82
-- message:  seed categories and shipping methods
-- source:   versions/5a61f3d8e9b7_seed_categories_and_shipping_methods.py (sha256 4841f6cf64f459f7d32bf582032a356f036cd5fa91da11eb769fb861d21c3059)
-- version:  5a61f3d8e9b7 -> c47b0e1d5f82
-- apply:    mariadb --abort-source-on-error "$DATABASE" < rollback/9996_5a61f3d8e9b7_seed_categories_and_shipping_methods.sql
-- guard:    stops before any change unless the database is at version 5a61f3d8e9b7
-- lock:     DELETE FROM shipping_methods WHERE code IN ('standard', '...: row locks on shipping_methods (existing); writes rows
-- lock:     DELETE FROM categories WHERE slug IN ('books', 'childrens...: row locks on categories (existing); writes rows
-- WARNING:  part of this step runs outside a transaction; after a failure, run the file again: the segments already done are skipped

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9996: expected 5a61f3d8e9b7, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '5a61f3d8e9b7') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'c47b0e1d5f82'), 'DO 0', CONCAT('sqlbundle guard 9996: expected 5a61f3d8e9b7, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE IF NOT EXISTS alembic_version_progress (revision VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (revision, segment));
-- segment 1 of 3: DELETE FROM shipping_methods WHERE code IN ('standard', 'express', 'pi
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '5a61f3d8e9b7' AND segment = 1), 'DO 0', 'DELETE FROM shipping_methods WHERE code IN (''standard'', ''express'', ''pickup'')');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('5a61f3d8e9b7', 1);
-- segment 2 of 3: DELETE FROM categories WHERE slug IN ('books', 'childrens-books', 'kue
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '5a61f3d8e9b7' AND segment = 2), 'DO 0', 'DELETE FROM categories WHERE slug IN (''books'', ''childrens-books'', ''kueche-cafe'')');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('5a61f3d8e9b7', 2);
-- segment 3 of 3: the version row moves, the step's progress is forgotten
UPDATE alembic_version SET version_num = 'c47b0e1d5f82' WHERE alembic_version.version_num = '5a61f3d8e9b7';
DELETE FROM alembic_version_progress WHERE revision = '5a61f3d8e9b7';
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress), 'DO 0', 'DROP TABLE alembic_version_progress');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
