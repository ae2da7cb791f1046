-- Upgrade step 4 of bundle base:heads for mariadb@10.11 (MariaDB)
-- revision: 5a61f3d8e9b7
-- parents:  c47b0e1d5f82
-- message:  seed categories and shipping methods
-- source:   versions/5a61f3d8e9b7_seed_categories_and_shipping_methods.py (sha256 4841f6cf64f459f7d32bf582032a356f036cd5fa91da11eb769fb861d21c3059)
-- version:  c47b0e1d5f82 -> 5a61f3d8e9b7
-- apply:    mariadb --abort-source-on-error "$DATABASE" < 0004_5a61f3d8e9b7_seed_categories_and_shipping_methods.sql
-- guard:    stops before any change unless the database is at version c47b0e1d5f82
-- lock:     INSERT INTO categories (name, slug, description) VALUES (...: row locks on categories (existing); writes rows
-- lock:     INSERT INTO categories (name, slug, description) VALUES (...: row locks on categories (existing); writes rows
-- lock:     INSERT INTO categories (name, slug, description) VALUES (...: row locks on categories (existing); writes rows
-- lock:     INSERT INTO shipping_methods (code, name, description, fe...: row locks on shipping_methods (existing); writes rows
-- lock:     INSERT INTO shipping_methods (code, name, description, fe...: row locks on shipping_methods (existing); writes rows
-- lock:     INSERT INTO shipping_methods (code, name, description, fe...: row locks on shipping_methods (existing); writes rows
-- WARNING:  part of this step runs outside a transaction; after a failure, run the file again: the segments already done are skipped

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 0004: expected c47b0e1d5f82, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'c47b0e1d5f82') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '5a61f3d8e9b7'), 'DO 0', CONCAT('sqlbundle guard 0004: expected c47b0e1d5f82, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE IF NOT EXISTS alembic_version_progress (revision VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (revision, segment));
-- segment 1 of 7: INSERT INTO categories (name, slug, description) VALUES ('Books', 'boo
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '5a61f3d8e9b7' AND segment = 1), 'DO 0', 'INSERT INTO categories (name, slug, description) VALUES (''Books'', ''books'', ''Fiction, non-fiction and reference'')');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('5a61f3d8e9b7', 1);
-- segment 2 of 7: INSERT INTO categories (name, slug, description) VALUES ('Children''s 
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '5a61f3d8e9b7' AND segment = 2), 'DO 0', 'INSERT INTO categories (name, slug, description) VALUES (''Children''''s books'', ''childrens-books'', NULL)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('5a61f3d8e9b7', 2);
-- segment 3 of 7: INSERT INTO categories (name, slug, description) VALUES ('Küche & Café
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '5a61f3d8e9b7' AND segment = 3), 'DO 0', 'INSERT INTO categories (name, slug, description) VALUES (''Küche & Café'', ''kueche-cafe'', ''Kaffeemühlen, Töpfe und Geschirr'')');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('5a61f3d8e9b7', 3);
-- segment 4 of 7: INSERT INTO shipping_methods (code, name, description, fee) VALUES ('s
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '5a61f3d8e9b7' AND segment = 4), 'DO 0', 'INSERT INTO shipping_methods (code, name, description, fee) VALUES (''standard'', ''Standard delivery'', ''3–5 business days'', 4.95)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('5a61f3d8e9b7', 4);
-- segment 5 of 7: INSERT INTO shipping_methods (code, name, description, fee) VALUES ('e
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '5a61f3d8e9b7' AND segment = 5), 'DO 0', 'INSERT INTO shipping_methods (code, name, description, fee) VALUES (''express'', ''Express delivery'', ''Next business day'', 12.50)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('5a61f3d8e9b7', 5);
-- segment 6 of 7: INSERT INTO shipping_methods (code, name, description, fee) VALUES ('p
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '5a61f3d8e9b7' AND segment = 6), 'DO 0', 'INSERT INTO shipping_methods (code, name, description, fee) VALUES (''pickup'', ''Store pickup'', NULL, 0.00)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('5a61f3d8e9b7', 6);
-- segment 7 of 7: the version row moves, the step's progress is forgotten
UPDATE alembic_version SET version_num = '5a61f3d8e9b7' WHERE alembic_version.version_num = 'c47b0e1d5f82';
DELETE FROM alembic_version_progress WHERE revision = '5a61f3d8e9b7';
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress), 'DO 0', 'DROP TABLE alembic_version_progress');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
