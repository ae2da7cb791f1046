-- Rollback of step 8 of bundle heads:base for sqlite@3.40 (SQLite)
-- revision: b3187d2f6e45
-- parents:  9e05a7b3c2d8
-- message:  add line_total to order lines
-- source:   versions/b3187d2f6e45_add_line_total_to_order_lines.py (sha256 3197c83961d1f1a012991803a785638fd9ab787c072020b28601c0ac8d103f6d)
-- version:  b3187d2f6e45 -> 9e05a7b3c2d8
-- apply:    sqlite3 -bail "$DATABASE_FILE" < rollback/9992_b3187d2f6e45_add_line_total_to_order_lines.sql
-- guard:    stops before any change unless the database is at version b3187d2f6e45
-- WARNING:  this step loses data: drop column order_lines.line_total
-- WARNING:  rebuilds tables by copying them (SQLite)

PRAGMA foreign_keys=OFF;
BEGIN;
SELECT json_extract('{}', ' sqlbundle guard 9992: expected b3187d2f6e45, found no version rows') WHERE NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version');
SELECT json_extract('{}', ' sqlbundle guard 9992: expected b3187d2f6e45, found ' || coalesce((SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY version_num)), 'no version rows')) WHERE NOT (EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'b3187d2f6e45') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '9e05a7b3c2d8'));
CREATE TABLE _sqlbundle_tmp_order_lines (
	id INTEGER NOT NULL, 
	order_id INTEGER NOT NULL, 
	product_id INTEGER NOT NULL, 
	quantity INTEGER NOT NULL, 
	unit_price NUMERIC(10, 2) NOT NULL, 
	CONSTRAINT pk_order_items PRIMARY KEY (id), 
	CONSTRAINT fk_order_items_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE, 
	CONSTRAINT fk_order_items_products FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE RESTRICT, 
	CONSTRAINT uq_order_items_order_product UNIQUE (order_id, product_id), 
	CONSTRAINT ck_order_items_qty_positive CHECK (quantity > 0), 
	CONSTRAINT ck_order_items_price_nonneg CHECK (unit_price >= 0)
);
INSERT INTO _sqlbundle_tmp_order_lines (id, order_id, product_id, quantity, unit_price) SELECT id, order_id, product_id, quantity, unit_price FROM order_lines;
DROP TABLE order_lines;
ALTER TABLE _sqlbundle_tmp_order_lines RENAME TO order_lines;
UPDATE alembic_version SET version_num = '9e05a7b3c2d8' WHERE version_num = 'b3187d2f6e45';
COMMIT;
