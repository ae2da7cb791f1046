-- Upgrade step 7 of bundle base:heads for sqlite@3.40 (SQLite)
-- revision: 9e05a7b3c2d8
-- parents:  71bc6e0f4a9d
-- message:  rename order_items to order_lines
-- source:   versions/9e05a7b3c2d8_rename_order_items_to_order_lines.py (sha256 01d4d7acf646938ea4cdb492c9a041579cb227c43de3d510f40912c1cdec4aaf)
-- version:  71bc6e0f4a9d -> 9e05a7b3c2d8
-- apply:    sqlite3 -bail "$DATABASE_FILE" < 0007_9e05a7b3c2d8_rename_order_items_to_order_lines.sql
-- guard:    stops before any change unless the database is at version 71bc6e0f4a9d

BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 0007: expected 71bc6e0f4a9d, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 0007: expected 71bc6e0f4a9d, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '71bc6e0f4a9d') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '9e05a7b3c2d8'));
ALTER TABLE order_items RENAME TO order_lines;
UPDATE alembic_version SET version_num = '9e05a7b3c2d8' WHERE version_num = '71bc6e0f4a9d';
COMMIT;
