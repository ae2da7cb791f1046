-- Rollback of step 13 of bundle heads:base for sqlite@3.40 (SQLite)
-- revision: 6e4a0d9c1b7f
-- parents:  f08c3e6b9a54
-- message:  add default shipping method to customers
-- source:   versions/6e4a0d9c1b7f_add_default_shipping_method_to_customers.py (sha256 4c538a3ae688cbb7961c13da495a6ce7ffa5d72a676ad1d7f1c574c5f57c5f7a)
-- version:  6e4a0d9c1b7f -> f08c3e6b9a54
-- apply:    sqlite3 -bail "$DATABASE_FILE" < rollback/9987_6e4a0d9c1b7f_add_default_shipping_method_to_customers.sql
-- guard:    stops before any change unless the database is at version 6e4a0d9c1b7f
-- WARNING:  this step loses data: drop column customers.default_shipping_method_id
-- WARNING:  rebuilds tables by copying them (SQLite)

PRAGMA foreign_keys=OFF;
BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 9987: expected 6e4a0d9c1b7f, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 9987: expected 6e4a0d9c1b7f, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '6e4a0d9c1b7f') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'f08c3e6b9a54'));
CREATE TABLE _sqlbundle_tmp_customers (
	id INTEGER NOT NULL, 
	email VARCHAR(255) NOT NULL, 
	full_name VARCHAR(100) NOT NULL, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	default_shipping_method_id INTEGER, 
	CONSTRAINT pk_customers PRIMARY KEY (id), 
	CONSTRAINT uq_customers_email UNIQUE (email)
);
INSERT INTO _sqlbundle_tmp_customers (id, email, full_name, created_at, default_shipping_method_id) SELECT id, email, full_name, created_at, default_shipping_method_id FROM customers;
DROP TABLE customers;
ALTER TABLE _sqlbundle_tmp_customers RENAME TO customers;
ALTER TABLE customers DROP COLUMN default_shipping_method_id;
UPDATE alembic_version SET version_num = 'f08c3e6b9a54' WHERE version_num = '6e4a0d9c1b7f';
COMMIT;
