-- Rollback of step 1 of bundle heads:base for sqlite@3.40 (SQLite)
-- revision: 3f9a1c7e2b04
-- parents:  <base>
-- message:  create customers table
-- source:   versions/3f9a1c7e2b04_create_customers_table.py (sha256 71fe4381f25abbdf28a84040716b89ae000455769a97e1d65eea804e2d0cb8d3)
-- version:  3f9a1c7e2b04 -> (none)
-- apply:    sqlite3 -bail "$DATABASE_FILE" < rollback/9999_3f9a1c7e2b04_create_customers_table.sql
-- guard:    stops before any change unless the database is at version 3f9a1c7e2b04
-- WARNING:  this step loses data: drop table customers

BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 9999: expected 3f9a1c7e2b04, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 9999: expected 3f9a1c7e2b04, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '3f9a1c7e2b04'));
DROP TABLE customers;
DELETE FROM alembic_version WHERE version_num = '3f9a1c7e2b04';
COMMIT;
