-- Upgrade step 8 of bundle base:heads for sqlite@3.40 (SQLite)
-- revision: b3187d2f6e45
-- parents:  9e05a7b3c2d8
-- message:  add line_total to order lines
-- source:   versions/b3187d2f6e45_add_line_total_to_order_lines.py (sha256 3197c83961d1f1a012991803a785638fd9ab787c072020b28601c0ac8d103f6d)
-- version:  9e05a7b3c2d8 -> b3187d2f6e45
-- apply:    sqlite3 -bail "$DATABASE_FILE" < 0008_b3187d2f6e45_add_line_total_to_order_lines.sql
-- guard:    stops before any change unless the database is at version 9e05a7b3c2d8
-- WARNING:  rebuilds tables by copying them (SQLite)

PRAGMA foreign_keys=OFF;
BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 0008: expected 9e05a7b3c2d8, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 0008: expected 9e05a7b3c2d8, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '9e05a7b3c2d8') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'b3187d2f6e45'));
ALTER TABLE order_lines ADD COLUMN line_total NUMERIC(12, 2);
UPDATE order_lines SET line_total = quantity * unit_price;
CREATE TABLE _sqlbundle_tmp_order_lines (
	id INTEGER NOT NULL, 
	order_id INTEGER NOT NULL, 
	product_id INTEGER NOT NULL, 
	quantity INTEGER NOT NULL, 
	unit_price NUMERIC(10, 2) NOT NULL, 
	line_total NUMERIC(12, 2) NOT NULL, 
	CONSTRAINT pk_order_items PRIMARY KEY (id), 
	CONSTRAINT fk_order_items_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE, 
	CONSTRAINT fk_order_items_products FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE RESTRICT, 
	CONSTRAINT uq_order_items_order_product UNIQUE (order_id, product_id), 
	CONSTRAINT ck_order_items_qty_positive CHECK (quantity > 0), 
	CONSTRAINT ck_order_items_price_nonneg CHECK (unit_price >= 0)
);
INSERT INTO _sqlbundle_tmp_order_lines (id, order_id, product_id, quantity, unit_price, line_total) SELECT id, order_id, product_id, quantity, unit_price, line_total FROM order_lines;
DROP TABLE order_lines;
ALTER TABLE _sqlbundle_tmp_order_lines RENAME TO order_lines;
UPDATE alembic_version SET version_num = 'b3187d2f6e45' WHERE version_num = '9e05a7b3c2d8';
COMMIT;
