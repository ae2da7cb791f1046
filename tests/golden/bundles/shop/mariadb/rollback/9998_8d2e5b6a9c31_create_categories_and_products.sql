-- Rollback of step 2 of bundle heads:base for mariadb@10.11 (MariaDB)
-- revision: 8d2e5b6a9c31
-- parents:  3f9a1c7e2b04
-- message:  create categories and products
-- source:   versions/8d2e5b6a9c31_create_categories_and_products.py (sha256 a56b8fbb4fb6072274e078a170c9b00a744eb362f1b490fc0a9114ed84419e7a)
-- version:  8d2e5b6a9c31 -> 3f9a1c7e2b04
-- apply:    mariadb --abort-source-on-error "$DATABASE" < rollback/9998_8d2e5b6a9c31_create_categories_and_products.sql
-- guard:    stops before any change unless the database is at version 8d2e5b6a9c31
-- lock:     DROP TABLE products: an exclusive metadata lock on products (existing); drops the table and its data
-- lock:     DROP INDEX ix_categories_slug ON categories: ALGORITHM=NOCOPY, LOCK=NONE on categories (existing); changes the catalog only
-- lock:     DROP TABLE categories: an exclusive metadata lock on categories (existing); drops the table and its data
-- WARNING:  this step loses data: drop table categories; drop table products
-- WARNING:  part of this step runs outside a transaction; after a failure, run the file again: the segments already done are skipped

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9998: expected 8d2e5b6a9c31, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '8d2e5b6a9c31') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '3f9a1c7e2b04'), 'DO 0', CONCAT('sqlbundle guard 9998: expected 8d2e5b6a9c31, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE IF NOT EXISTS alembic_version_progress (revision VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (revision, segment));
-- segment 1 of 4: DROP TABLE products
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '8d2e5b6a9c31' AND segment = 1), 'DO 0', 'DROP TABLE products');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('8d2e5b6a9c31', 1);
-- segment 2 of 4: DROP INDEX ix_categories_slug ON categories
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '8d2e5b6a9c31' AND segment = 2), 'DO 0', 'DROP INDEX ix_categories_slug ON categories');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('8d2e5b6a9c31', 2);
-- segment 3 of 4: DROP TABLE categories
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '8d2e5b6a9c31' AND segment = 3), 'DO 0', 'DROP TABLE categories');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('8d2e5b6a9c31', 3);
-- segment 4 of 4: the version row moves, the step's progress is forgotten
UPDATE alembic_version SET version_num = '3f9a1c7e2b04' WHERE alembic_version.version_num = '8d2e5b6a9c31';
DELETE FROM alembic_version_progress WHERE revision = '8d2e5b6a9c31';
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress), 'DO 0', 'DROP TABLE alembic_version_progress');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
