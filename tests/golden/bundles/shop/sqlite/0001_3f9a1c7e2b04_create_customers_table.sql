-- Upgrade step 1 of bundle base:heads for sqlite@3.40 (SQLite)
-- revision: 3f9a1c7e2b04
-- parents:  <base>
-- message:  create customers table
-- source:   versions/3f9a1c7e2b04_create_customers_table.py (sha256 71fe4381f25abbdf28a84040716b89ae000455769a97e1d65eea804e2d0cb8d3)
-- version:  (none) -> 3f9a1c7e2b04
-- apply:    sqlite3 -bail "$DATABASE_FILE" < 0001_3f9a1c7e2b04_create_customers_table.sql
-- guard:    stops before any change unless the database is at version (none)

BEGIN;
CREATE TABLE IF NOT EXISTS alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
SELECT json_extract('{}', ' sqlbundle guard 0001: expected no version rows, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (NOT EXISTS (SELECT 1 FROM alembic_version));
CREATE TABLE customers (
	id INTEGER NOT NULL, 
	email VARCHAR(255) NOT NULL, 
	full_name VARCHAR(100) NOT NULL, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	CONSTRAINT pk_customers PRIMARY KEY (id), 
	CONSTRAINT uq_customers_email UNIQUE (email)
);
INSERT INTO alembic_version (version_num) VALUES ('3f9a1c7e2b04');
COMMIT;
