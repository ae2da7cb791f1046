-- Upgrade step 12 of bundle base:heads for sqlite@3.40 (SQLite)
-- revision: f08c3e6b9a54
-- parents:  d61f8b4e07a2, 2a7d5c90e3b1
-- message:  merge payments and reviews
-- source:   versions/f08c3e6b9a54_merge_payments_and_reviews.py (sha256 fc1f8c1720f56891598a43259906d24a76c4839373938701338091323ff056d4)
-- version:  2a7d5c90e3b1, d61f8b4e07a2 -> f08c3e6b9a54
-- apply:    sqlite3 -bail "$DATABASE_FILE" < 0012_f08c3e6b9a54_merge_payments_and_reviews.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, d61f8b4e07a2

BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 0012: expected 2a7d5c90e3b1,d61f8b4e07a2, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 0012: expected 2a7d5c90e3b1,d61f8b4e07a2, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '2a7d5c90e3b1') AND EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'd61f8b4e07a2') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'f08c3e6b9a54'));
DELETE FROM alembic_version WHERE version_num = '2a7d5c90e3b1';
UPDATE alembic_version SET version_num = 'f08c3e6b9a54' WHERE version_num = 'd61f8b4e07a2';
COMMIT;
