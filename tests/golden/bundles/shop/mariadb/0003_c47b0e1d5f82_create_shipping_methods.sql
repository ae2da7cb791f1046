-- Upgrade step 3 of bundle base:heads for mariadb@10.11 (MariaDB)
-- revision: c47b0e1d5f82
-- parents:  8d2e5b6a9c31
-- message:  create shipping methods
-- source:   versions/c47b0e1d5f82_create_shipping_methods.py (sha256 332f886ec2308d1b430df95d91401d55035d4dbd89c3746525a16a5315ac6d21)
-- version:  8d2e5b6a9c31 -> c47b0e1d5f82
-- apply:    mariadb --abort-source-on-error "$DATABASE" < 0003_c47b0e1d5f82_create_shipping_methods.sql
-- guard:    stops before any change unless the database is at version 8d2e5b6a9c31
-- lock:     CREATE TABLE shipping_methods: creates the table

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 0003: expected 8d2e5b6a9c31, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '8d2e5b6a9c31') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'c47b0e1d5f82'), 'DO 0', CONCAT('sqlbundle guard 0003: expected 8d2e5b6a9c31, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE shipping_methods (
	id INTEGER NOT NULL AUTO_INCREMENT, 
	code VARCHAR(20) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	description VARCHAR(255), 
	fee NUMERIC(8, 2) NOT NULL DEFAULT 0, 
	CONSTRAINT pk_shipping_methods PRIMARY KEY (id), 
	CONSTRAINT uq_shipping_methods_code UNIQUE (code), 
	CONSTRAINT ck_shipping_methods_fee_nonneg CHECK (fee >= 0)
);
UPDATE alembic_version SET version_num = 'c47b0e1d5f82' WHERE alembic_version.version_num = '8d2e5b6a9c31';
