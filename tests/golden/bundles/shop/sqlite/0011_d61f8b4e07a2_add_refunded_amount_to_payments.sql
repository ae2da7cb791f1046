-- Upgrade step 11 of bundle base:heads for sqlite@3.40 (SQLite)
-- revision: d61f8b4e07a2
-- parents:  4c9e2a71d8f3
-- message:  add refunded_amount to payments
-- source:   versions/d61f8b4e07a2_add_refunded_amount_to_payments.py (sha256 7439b4f67b4e7851002fd0d83201e7c321abada4866f5e47f04dab42ecd0aaa4)
-- version:  2a7d5c90e3b1, 4c9e2a71d8f3 -> 2a7d5c90e3b1, d61f8b4e07a2
-- apply:    sqlite3 -bail "$DATABASE_FILE" < 0011_d61f8b4e07a2_add_refunded_amount_to_payments.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, 4c9e2a71d8f3
-- WARNING:  rebuilds tables by copying them (SQLite)

PRAGMA foreign_keys=OFF;
BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 0011: expected 4c9e2a71d8f3, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 0011: expected 4c9e2a71d8f3, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '4c9e2a71d8f3') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'd61f8b4e07a2'));
ALTER TABLE payments ADD COLUMN refunded_amount NUMERIC(12, 2) DEFAULT 0 NOT NULL;
CREATE TABLE _sqlbundle_tmp_payments (
	id INTEGER NOT NULL, 
	order_id INTEGER NOT NULL, 
	provider VARCHAR(30) NOT NULL, 
	provider_ref VARCHAR(64) NOT NULL, 
	amount NUMERIC(12, 2) NOT NULL, 
	currency VARCHAR(3) DEFAULT 'EUR' NOT NULL, 
	captured_at DATETIME, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	refunded_amount NUMERIC(12, 2) DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_payments PRIMARY KEY (id), 
	CONSTRAINT fk_payments_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE, 
	CONSTRAINT uq_payments_provider_ref UNIQUE (provider, provider_ref), 
	CONSTRAINT ck_payments_amount_positive CHECK (amount > 0), 
	CONSTRAINT ck_payments_refund_in_range CHECK (refunded_amount >= 0 AND refunded_amount <= amount)
);
INSERT INTO _sqlbundle_tmp_payments (id, order_id, provider, provider_ref, amount, currency, captured_at, created_at, refunded_amount) SELECT id, order_id, provider, provider_ref, amount, currency, captured_at, created_at, refunded_amount FROM payments;
DROP TABLE payments;
ALTER TABLE _sqlbundle_tmp_payments RENAME TO payments;
CREATE INDEX ix_payments_order_id ON payments (order_id);
UPDATE alembic_version SET version_num = 'd61f8b4e07a2' WHERE version_num = '4c9e2a71d8f3';
COMMIT;
