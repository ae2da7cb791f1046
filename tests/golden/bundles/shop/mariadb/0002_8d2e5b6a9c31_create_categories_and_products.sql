-- Upgrade step 2 of bundle base:heads for mariadb@10.11 (MariaDB)
-- revision: 8d2e5b6a9c31
-- parents:  3f9a1c7e2b04
-- message:  create categories and products
-- source:   versions/8d2e5b6a9c31_create_categories_and_products.py (sha256 a56b8fbb4fb6072274e078a170c9b00a744eb362f1b490fc0a9114ed84419e7a)
-- version:  3f9a1c7e2b04 -> 8d2e5b6a9c31
-- apply:    mariadb --abort-source-on-error "$DATABASE" < 0002_8d2e5b6a9c31_create_categories_and_products.sql
-- guard:    stops before any change unless the database is at version 3f9a1c7e2b04
-- lock:     CREATE TABLE categories: creates the table
-- lock:     CREATE UNIQUE INDEX ix_categories_slug ON categories (slug): categories new in this step, nothing waits
-- lock:     CREATE TABLE products: creates the table
-- lock:     CREATE INDEX ix_products_category_id ON products (categor...: products new in this step, nothing waits
-- WARNING:  part of this step runs outside a transaction; after a failure, run the file again: the segments already done are skipped

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 0002: expected 3f9a1c7e2b04, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '3f9a1c7e2b04') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '8d2e5b6a9c31'), 'DO 0', CONCAT('sqlbundle guard 0002: expected 3f9a1c7e2b04, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE IF NOT EXISTS alembic_version_progress (revision VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (revision, segment));
-- segment 1 of 5: CREATE TABLE categories ( id INTEGER NOT NULL AUTO_INCREMENT, name VAR
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '8d2e5b6a9c31' AND segment = 1), 'DO 0', 'CREATE TABLE categories (
	id INTEGER NOT NULL AUTO_INCREMENT, 
	name VARCHAR(100) NOT NULL, 
	slug VARCHAR(100) NOT NULL, 
	description VARCHAR(255), 
	CONSTRAINT pk_categories PRIMARY KEY (id)
)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('8d2e5b6a9c31', 1);
-- segment 2 of 5: CREATE UNIQUE INDEX ix_categories_slug ON categories (slug)
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '8d2e5b6a9c31' AND segment = 2), 'DO 0', 'CREATE UNIQUE INDEX ix_categories_slug ON categories (slug)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('8d2e5b6a9c31', 2);
-- segment 3 of 5: CREATE TABLE products ( id INTEGER NOT NULL AUTO_INCREMENT, category_i
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '8d2e5b6a9c31' AND segment = 3), 'DO 0', 'CREATE TABLE products (
	id INTEGER NOT NULL AUTO_INCREMENT, 
	category_id INTEGER, 
	sku VARCHAR(32) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	price NUMERIC(10, 2) NOT NULL, 
	stock INTEGER NOT NULL DEFAULT 0, 
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	CONSTRAINT pk_products PRIMARY KEY (id), 
	CONSTRAINT fk_products_categories FOREIGN KEY(category_id) REFERENCES categories (id) ON DELETE SET NULL, 
	CONSTRAINT uq_products_sku UNIQUE (sku), 
	CONSTRAINT ck_products_price_positive CHECK (price > 0), 
	CONSTRAINT ck_products_stock_nonnegative CHECK (stock >= 0)
)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('8d2e5b6a9c31', 3);
-- segment 4 of 5: CREATE INDEX ix_products_category_id ON products (category_id)
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '8d2e5b6a9c31' AND segment = 4), 'DO 0', 'CREATE INDEX ix_products_category_id ON products (category_id)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('8d2e5b6a9c31', 4);
-- segment 5 of 5: the version row moves, the step's progress is forgotten
UPDATE alembic_version SET version_num = '8d2e5b6a9c31' WHERE alembic_version.version_num = '3f9a1c7e2b04';
DELETE FROM alembic_version_progress WHERE revision = '8d2e5b6a9c31';
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress), 'DO 0', 'DROP TABLE alembic_version_progress');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
