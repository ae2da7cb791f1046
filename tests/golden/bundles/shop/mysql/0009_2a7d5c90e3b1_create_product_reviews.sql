-- Upgrade step 9 of bundle base:heads for mysql@8.0 (MySQL)
-- revision: 2a7d5c90e3b1
-- parents:  b3187d2f6e45
-- message:  create product reviews
-- source:   versions/2a7d5c90e3b1_create_product_reviews.py (sha256 3bcda4662f52ac0fb62b6106fa12ec3fd989e8b97a8a2eca33237b82f227331a)
-- version:  b3187d2f6e45 -> 2a7d5c90e3b1
-- apply:    mysql --abort-source-on-error "$DATABASE" < 0009_2a7d5c90e3b1_create_product_reviews.sql
-- guard:    stops before any change unless the database is at version b3187d2f6e45
-- lock:     CREATE TABLE product_reviews: creates the table

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 0009: expected b3187d2f6e45, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'b3187d2f6e45') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '2a7d5c90e3b1'), 'DO 0', CONCAT('sqlbundle guard 0009: expected b3187d2f6e45, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE product_reviews (
	id INTEGER NOT NULL AUTO_INCREMENT, 
	product_id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	rating SMALLINT NOT NULL, 
	title VARCHAR(120), 
	body TEXT, 
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	CONSTRAINT pk_product_reviews PRIMARY KEY (id), 
	CONSTRAINT fk_product_reviews_products FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_reviews_customers FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE, 
	CONSTRAINT uq_product_reviews_customer UNIQUE (product_id, customer_id), 
	CONSTRAINT ck_product_reviews_rating CHECK (rating BETWEEN 1 AND 5)
);
UPDATE alembic_version SET version_num = '2a7d5c90e3b1' WHERE alembic_version.version_num = 'b3187d2f6e45';
