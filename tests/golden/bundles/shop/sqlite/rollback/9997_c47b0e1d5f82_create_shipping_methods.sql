-- Rollback of step 3 of bundle heads:base for sqlite@3.40 (SQLite)
-- revision: c47b0e1d5f82
-- parents:  8d2e5b6a9c31
-- message:  create shipping methods
-- source:   versions/c47b0e1d5f82_create_shipping_methods.py (sha256 332f886ec2308d1b430df95d91401d55035d4dbd89c3746525a16a5315ac6d21)
-- version:  c47b0e1d5f82 -> 8d2e5b6a9c31
-- apply:    sqlite3 -bail "$DATABASE_FILE" < rollback/9997_c47b0e1d5f82_create_shipping_methods.sql
-- guard:    stops before any change unless the database is at version c47b0e1d5f82
-- WARNING:  this step loses data: drop table shipping_methods

BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 9997: expected c47b0e1d5f82, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 9997: expected c47b0e1d5f82, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'c47b0e1d5f82') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '8d2e5b6a9c31'));
DROP TABLE shipping_methods;
UPDATE alembic_version SET version_num = '8d2e5b6a9c31' WHERE version_num = 'c47b0e1d5f82';
COMMIT;
