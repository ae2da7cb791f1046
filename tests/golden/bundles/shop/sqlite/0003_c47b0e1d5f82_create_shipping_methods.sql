-- Upgrade step 3 of bundle base:heads for sqlite@3.40 (SQLite)
-- revision: c47b0e1d5f82
-- parents:  8d2e5b6a9c31
-- message:  create shipping methods
-- source:   versions/c47b0e1d5f82_create_shipping_methods.py (sha256 332f886ec2308d1b430df95d91401d55035d4dbd89c3746525a16a5315ac6d21)
-- version:  8d2e5b6a9c31 -> c47b0e1d5f82
-- apply:    sqlite3 -bail "$DATABASE_FILE" < 0003_c47b0e1d5f82_create_shipping_methods.sql
-- guard:    stops before any change unless the database is at version 8d2e5b6a9c31

BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 0003: expected 8d2e5b6a9c31, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 0003: expected 8d2e5b6a9c31, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '8d2e5b6a9c31') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'c47b0e1d5f82'));
CREATE TABLE shipping_methods (
	id INTEGER NOT NULL, 
	code VARCHAR(20) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	description VARCHAR(255), 
	fee NUMERIC(8, 2) DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_shipping_methods PRIMARY KEY (id), 
	CONSTRAINT uq_shipping_methods_code UNIQUE (code), 
	CONSTRAINT ck_shipping_methods_fee_nonneg CHECK (fee >= 0)
);
UPDATE alembic_version SET version_num = 'c47b0e1d5f82' WHERE version_num = '8d2e5b6a9c31';
COMMIT;
