-- Rollback of step 2 of bundle heads:base for sqlite@3.40 (SQLite)
-- revision: 8d2e5b6a9c31
-- parents:  3f9a1c7e2b04
-- message:  create categories and products
-- source:   versions/8d2e5b6a9c31_create_categories_and_products.py (sha256 a56b8fbb4fb6072274e078a170c9b00a744eb362f1b490fc0a9114ed84419e7a)
-- version:  8d2e5b6a9c31 -> 3f9a1c7e2b04
-- apply:    sqlite3 -bail "$DATABASE_FILE" < rollback/9998_8d2e5b6a9c31_create_categories_and_products.sql
-- guard:    stops before any change unless the database is at version 8d2e5b6a9c31
-- WARNING:  this step loses data: drop table categories; drop table products

BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 9998: expected 8d2e5b6a9c31, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 9998: expected 8d2e5b6a9c31, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '8d2e5b6a9c31') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '3f9a1c7e2b04'));
DROP TABLE products;
DROP INDEX ix_categories_slug;
DROP TABLE categories;
UPDATE alembic_version SET version_num = '3f9a1c7e2b04' WHERE version_num = '8d2e5b6a9c31';
COMMIT;
