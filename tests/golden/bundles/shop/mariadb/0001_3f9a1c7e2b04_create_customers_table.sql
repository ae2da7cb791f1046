-- Upgrade step 1 of bundle base:heads for mariadb@10.11 (MariaDB)
-- revision: 3f9a1c7e2b04
-- parents:  <base>
-- message:  create customers table
-- source:   versions/3f9a1c7e2b04_create_customers_table.py (sha256 71fe4381f25abbdf28a84040716b89ae000455769a97e1d65eea804e2d0cb8d3)
-- version:  (none) -> 3f9a1c7e2b04
-- apply:    mariadb --abort-source-on-error "$DATABASE" < 0001_3f9a1c7e2b04_create_customers_table.sql
-- guard:    stops before any change unless the database is at version (none)
-- lock:     CREATE TABLE customers: creates the table

SET NAMES utf8mb4;
CREATE TABLE IF NOT EXISTS alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
SET @sqlbundle_guard = IF(NOT EXISTS (SELECT 1 FROM alembic_version), 'DO 0', CONCAT('sqlbundle guard 0001: expected no version rows, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE customers (
	id INTEGER NOT NULL AUTO_INCREMENT, 
	email VARCHAR(255) NOT NULL, 
	full_name VARCHAR(100) NOT NULL, 
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	CONSTRAINT pk_customers PRIMARY KEY (id), 
	CONSTRAINT uq_customers_email UNIQUE (email)
);
INSERT INTO alembic_version (version_num) VALUES ('3f9a1c7e2b04');
