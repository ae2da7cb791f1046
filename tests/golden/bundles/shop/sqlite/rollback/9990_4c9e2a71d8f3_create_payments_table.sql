-- Rollback of step 10 of bundle heads:base for sqlite@3.40 (SQLite)
-- revision: 4c9e2a71d8f3
-- parents:  b3187d2f6e45
-- message:  create payments table
-- source:   versions/4c9e2a71d8f3_create_payments_table.py (sha256 f845d02bfe7a7d9b4bda5a784f3dd86503d3a4179a3d795ff98e9be12ea2c964)
-- version:  2a7d5c90e3b1, 4c9e2a71d8f3 -> 2a7d5c90e3b1
-- apply:    sqlite3 -bail "$DATABASE_FILE" < rollback/9990_4c9e2a71d8f3_create_payments_table.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, 4c9e2a71d8f3
-- WARNING:  this step loses data: drop table payments

BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 9990: expected 4c9e2a71d8f3, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 9990: expected 4c9e2a71d8f3, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '4c9e2a71d8f3'));
DROP TABLE payments;
DELETE FROM alembic_version WHERE version_num = '4c9e2a71d8f3';
COMMIT;
