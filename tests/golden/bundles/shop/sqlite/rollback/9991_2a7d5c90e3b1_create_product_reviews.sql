-- Rollback of step 9 of bundle heads:base for sqlite@3.40 (SQLite)
-- revision: 2a7d5c90e3b1
-- parents:  b3187d2f6e45
-- message:  create product reviews
-- source:   versions/2a7d5c90e3b1_create_product_reviews.py (sha256 3bcda4662f52ac0fb62b6106fa12ec3fd989e8b97a8a2eca33237b82f227331a)
-- version:  2a7d5c90e3b1 -> b3187d2f6e45
-- apply:    sqlite3 -bail "$DATABASE_FILE" < rollback/9991_2a7d5c90e3b1_create_product_reviews.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1
-- WARNING:  this step loses data: drop table product_reviews

BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 9991: expected 2a7d5c90e3b1, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 9991: expected 2a7d5c90e3b1, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '2a7d5c90e3b1') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'b3187d2f6e45'));
DROP TABLE product_reviews;
UPDATE alembic_version SET version_num = 'b3187d2f6e45' WHERE version_num = '2a7d5c90e3b1';
COMMIT;
