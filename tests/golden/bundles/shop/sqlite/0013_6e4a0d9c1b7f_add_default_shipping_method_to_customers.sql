-- Upgrade step 13 of bundle base:heads for sqlite@3.40 (SQLite)
-- revision: 6e4a0d9c1b7f
-- parents:  f08c3e6b9a54
-- message:  add default shipping method to customers
-- source:   versions/6e4a0d9c1b7f_add_default_shipping_method_to_customers.py (sha256 4c538a3ae688cbb7961c13da495a6ce7ffa5d72a676ad1d7f1c574c5f57c5f7a)
-- version:  f08c3e6b9a54 -> 6e4a0d9c1b7f
-- apply:    sqlite3 -bail "$DATABASE_FILE" < 0013_6e4a0d9c1b7f_add_default_shipping_method_to_customers.sql
-- guard:    stops before any change unless the database is at version f08c3e6b9a54
-- WARNING:  rebuilds tables by copying them (SQLite)

PRAGMA foreign_keys=OFF;
BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 0013: expected f08c3e6b9a54, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 0013: expected f08c3e6b9a54, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'f08c3e6b9a54') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '6e4a0d9c1b7f'));
ALTER TABLE customers ADD COLUMN default_shipping_method_id INTEGER;
CREATE TABLE _sqlbundle_tmp_customers (
	id INTEGER NOT NULL, 
	email VARCHAR(255) NOT NULL, 
	full_name VARCHAR(100) NOT NULL, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	default_shipping_method_id INTEGER, 
	CONSTRAINT pk_customers PRIMARY KEY (id), 
	CONSTRAINT fk_customers_shipping_methods FOREIGN KEY(default_shipping_method_id) REFERENCES shipping_methods (id) ON DELETE SET NULL, 
	CONSTRAINT uq_customers_email UNIQUE (email)
);
INSERT INTO _sqlbundle_tmp_customers (id, email, full_name, created_at, default_shipping_method_id) SELECT id, email, full_name, created_at, default_shipping_method_id FROM customers;
DROP TABLE customers;
ALTER TABLE _sqlbundle_tmp_customers RENAME TO customers;
UPDATE alembic_version SET version_num = '6e4a0d9c1b7f' WHERE version_num = 'f08c3e6b9a54';
COMMIT;
