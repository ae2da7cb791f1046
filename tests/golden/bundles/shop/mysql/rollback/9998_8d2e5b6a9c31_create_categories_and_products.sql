-- Rollback of step 2 of bundle heads:base for mysql@8.0 (MySQL)
-- revision: 8d2e5b6a9c31
-- parents:  3f9a1c7e2b04
-- message:  create categories and products
-- source:   versions/8d2e5b6a9c31_create_categories_and_products.py (sha256 a56b8fbb4fb6072274e078a170c9b00a744eb362f1b490fc0a9114ed84419e7a)
-- version:  8d2e5b6a9c31 -> 3f9a1c7e2b04
-- apply:    mysql --abort-source-on-error "$DATABASE" < rollback/9998_8d2e5b6a9c31_create_categories_and_products.sql
-- guard:    stops before any change unless the database is at version 8d2e5b6a9c31
-- lock:     DROP TABLE products: an exclusive metadata lock on products (existing); drops the table and its data
-- lock:     DROP INDEX ix_categories_slug ON categories: ALGORITHM=INPLACE, LOCK=NONE on categories (existing); changes the catalog only
-- lock:     DROP TABLE categories: an exclusive metadata lock on categories (existing); drops the table and its data
-- WARNING:  this step loses data: drop table categories; drop table products

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9998: expected 8d2e5b6a9c31, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '8d2e5b6a9c31') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '3f9a1c7e2b04'), 'DO 0', CONCAT('sqlbundle guard 9998: expected 8d2e5b6a9c31, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
DROP TABLE products;
DROP INDEX ix_categories_slug ON categories;
DROP TABLE categories;
UPDATE alembic_version SET version_num = '3f9a1c7e2b04' WHERE alembic_version.version_num = '8d2e5b6a9c31';
