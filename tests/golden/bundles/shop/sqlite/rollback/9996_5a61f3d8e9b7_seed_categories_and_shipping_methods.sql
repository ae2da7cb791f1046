-- Rollback of step 4 of bundle heads:base for sqlite@3.40 (SQLite)
-- revision: 5a61f3d8e9b7
-- parents:  c47b0e1d5f82
-- message:  seed categories and shipping methods
-- source:   versions/5a61f3d8e9b7_seed_categories_and_shipping_methods.py (sha256 4841f6cf64f459f7d32bf582032a356f036cd5fa91da11eb769fb861d21c3059)
-- version:  5a61f3d8e9b7 -> c47b0e1d5f82
-- apply:    sqlite3 -bail "$DATABASE_FILE" < rollback/9996_5a61f3d8e9b7_seed_categories_and_shipping_methods.sql
-- guard:    stops before any change unless the database is at version 5a61f3d8e9b7

BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 9996: expected 5a61f3d8e9b7, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 9996: expected 5a61f3d8e9b7, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '5a61f3d8e9b7') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'c47b0e1d5f82'));
DELETE FROM shipping_methods WHERE code IN ('standard', 'express', 'pickup');
DELETE FROM categories WHERE slug IN ('books', 'childrens-books', 'kueche-cafe');
UPDATE alembic_version SET version_num = 'c47b0e1d5f82' WHERE version_num = '5a61f3d8e9b7';
COMMIT;
