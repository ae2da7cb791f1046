-- Rollback of step 5 of bundle heads:base for sqlite@3.40 (SQLite)
-- revision: e2d84c9a1f60
-- parents:  5a61f3d8e9b7
-- message:  create orders and order items
-- source:   versions/e2d84c9a1f60_create_orders_and_order_items.py (sha256 88b894813c856900f8e38283b188b672ac1d1d89a440254efe5c3a3b5791533f)
-- version:  e2d84c9a1f60 -> 5a61f3d8e9b7
-- apply:    sqlite3 -bail "$DATABASE_FILE" < rollback/9995_e2d84c9a1f60_create_orders_and_order_items.sql
-- guard:    stops before any change unless the database is at version e2d84c9a1f60
-- WARNING:  this step loses data: drop table order_items; drop table orders

BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 9995: expected e2d84c9a1f60, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 9995: expected e2d84c9a1f60, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'e2d84c9a1f60') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '5a61f3d8e9b7'));
DROP TABLE order_items;
DROP TABLE orders;
UPDATE alembic_version SET version_num = '5a61f3d8e9b7' WHERE version_num = 'e2d84c9a1f60';
COMMIT;
