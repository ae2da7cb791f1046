-- Rollback of step 6 of bundle heads:base for sqlite@3.40 (SQLite)
-- revision: 71bc6e0f4a9d
-- parents:  e2d84c9a1f60
-- message:  widen product name to 255 characters
-- source:   versions/71bc6e0f4a9d_widen_product_name_to_255_characters.py (sha256 4fd25e51dd964298a2706c71b1ec3a00d38f2af40c534314072256ec1fafcd37)
-- version:  71bc6e0f4a9d -> e2d84c9a1f60
-- apply:    sqlite3 -bail "$DATABASE_FILE" < rollback/9994_71bc6e0f4a9d_widen_product_name_to_255_characters.sql
-- guard:    stops before any change unless the database is at version 71bc6e0f4a9d
-- WARNING:  rebuilds tables by copying them (SQLite)

PRAGMA foreign_keys=OFF;
BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 9994: expected 71bc6e0f4a9d, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 9994: expected 71bc6e0f4a9d, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '71bc6e0f4a9d') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'e2d84c9a1f60'));
CREATE TABLE _sqlbundle_tmp_products (
	id INTEGER NOT NULL, 
	category_id INTEGER, 
	sku VARCHAR(32) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	price NUMERIC(10, 2) NOT NULL, 
	stock INTEGER DEFAULT 0 NOT NULL, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	CONSTRAINT pk_products PRIMARY KEY (id), 
	CONSTRAINT fk_products_categories FOREIGN KEY(category_id) REFERENCES categories (id) ON DELETE SET NULL, 
	CONSTRAINT uq_products_sku UNIQUE (sku), 
	CONSTRAINT ck_products_price_positive CHECK (price > 0), 
	CONSTRAINT ck_products_stock_nonnegative CHECK (stock >= 0)
);
INSERT INTO _sqlbundle_tmp_products (id, category_id, sku, name, price, stock, created_at) SELECT id, category_id, sku, name, price, stock, created_at FROM products;
DROP TABLE products;
ALTER TABLE _sqlbundle_tmp_products RENAME TO products;
CREATE INDEX ix_products_category_id ON products (category_id);
UPDATE alembic_version SET version_num = 'e2d84c9a1f60' WHERE version_num = '71bc6e0f4a9d';
COMMIT;
