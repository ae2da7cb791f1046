-- Upgrade step 10 of bundle base:heads for sqlite@3.40 (SQLite)
-- revision: 4c9e2a71d8f3
-- parents:  b3187d2f6e45
-- message:  create payments table
-- source:   versions/4c9e2a71d8f3_create_payments_table.py (sha256 f845d02bfe7a7d9b4bda5a784f3dd86503d3a4179a3d795ff98e9be12ea2c964)
-- version:  2a7d5c90e3b1 -> 2a7d5c90e3b1, 4c9e2a71d8f3
-- apply:    sqlite3 -bail "$DATABASE_FILE" < 0010_4c9e2a71d8f3_create_payments_table.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1

BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 0010: expected not 4c9e2a71d8f3, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 0010: expected not 4c9e2a71d8f3, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '4c9e2a71d8f3'));
CREATE TABLE payments (
	id INTEGER NOT NULL, 
	order_id INTEGER NOT NULL, 
	provider VARCHAR(30) NOT NULL, 
	provider_ref VARCHAR(64) NOT NULL, 
	amount NUMERIC(12, 2) NOT NULL, 
	currency VARCHAR(3) DEFAULT 'EUR' NOT NULL, 
	captured_at DATETIME, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	CONSTRAINT pk_payments PRIMARY KEY (id), 
	CONSTRAINT fk_payments_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE, 
	CONSTRAINT uq_payments_provider_ref UNIQUE (provider, provider_ref), 
	CONSTRAINT ck_payments_amount_positive CHECK (amount > 0)
);
CREATE INDEX ix_payments_order_id ON payments (order_id);
INSERT INTO alembic_version (version_num) VALUES ('4c9e2a71d8f3');
COMMIT;
