-- Rollback of step 12 of bundle heads:base for sqlite@3.40 (SQLite)
-- revision: f08c3e6b9a54
-- parents:  d61f8b4e07a2, 2a7d5c90e3b1
-- message:  merge payments and reviews
-- source:   versions/f08c3e6b9a54_merge_payments_and_reviews.py (sha256 fc1f8c1720f56891598a43259906d24a76c4839373938701338091323ff056d4)
-- version:  f08c3e6b9a54 -> 2a7d5c90e3b1, d61f8b4e07a2
-- apply:    sqlite3 -bail "$DATABASE_FILE" < rollback/9988_f08c3e6b9a54_merge_payments_and_reviews.sql
-- guard:    stops before any change unless the database is at version f08c3e6b9a54

BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 9988: expected f08c3e6b9a54, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 9988: expected f08c3e6b9a54, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'f08c3e6b9a54') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '2a7d5c90e3b1') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'd61f8b4e07a2'));
UPDATE alembic_version SET version_num = 'd61f8b4e07a2' WHERE version_num = 'f08c3e6b9a54';
INSERT INTO alembic_version (version_num) VALUES ('2a7d5c90e3b1');
COMMIT;
