-- Upgrade step 5 of bundle base:heads for mariadb@10.11 (MariaDB)
-- revision: e2d84c9a1f60
-- parents:  5a61f3d8e9b7
-- message:  create orders and order items
-- source:   versions/e2d84c9a1f60_create_orders_and_order_items.py (sha256 88b894813c856900f8e38283b188b672ac1d1d89a440254efe5c3a3b5791533f)
-- version:  5a61f3d8e9b7 -> e2d84c9a1f60
-- apply:    mariadb --abort-source-on-error "$DATABASE" < 0005_e2d84c9a1f60_create_orders_and_order_items.sql
-- guard:    stops before any change unless the database is at version 5a61f3d8e9b7
-- lock:     CREATE TABLE orders: creates the table
-- lock:     CREATE INDEX ix_orders_customer_placed ON orders (custome...: orders new in this step, nothing waits
-- lock:     CREATE TABLE order_items: creates the table
-- WARNING:  part of this step runs outside a transaction; after a failure, run the file again: the segments already done are skipped

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 0005: expected 5a61f3d8e9b7, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '5a61f3d8e9b7') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'e2d84c9a1f60'), 'DO 0', CONCAT('sqlbundle guard 0005: expected 5a61f3d8e9b7, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE IF NOT EXISTS alembic_version_progress (revision VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (revision, segment));
-- segment 1 of 4: CREATE TABLE orders ( id INTEGER NOT NULL AUTO_INCREMENT, customer_id 
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = 'e2d84c9a1f60' AND segment = 1), 'DO 0', 'CREATE TABLE orders (
	id INTEGER NOT NULL AUTO_INCREMENT, 
	customer_id INTEGER NOT NULL, 
	shipping_method_id INTEGER, 
	status VARCHAR(9) NOT NULL DEFAULT ''pending'', 
	total_amount NUMERIC(12, 2) NOT NULL DEFAULT 0, 
	placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	CONSTRAINT pk_orders PRIMARY KEY (id), 
	CONSTRAINT fk_orders_customers FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE RESTRICT, 
	CONSTRAINT fk_orders_shipping_methods FOREIGN KEY(shipping_method_id) REFERENCES shipping_methods (id) ON DELETE SET NULL, 
	CONSTRAINT ck_orders_total_nonnegative CHECK (total_amount >= 0), 
	CONSTRAINT order_status CHECK (status IN (''pending'', ''paid'', ''shipped'', ''cancelled''))
)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('e2d84c9a1f60', 1);
-- segment 2 of 4: CREATE INDEX ix_orders_customer_placed ON orders (customer_id, placed_
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = 'e2d84c9a1f60' AND segment = 2), 'DO 0', 'CREATE INDEX ix_orders_customer_placed ON orders (customer_id, placed_at)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('e2d84c9a1f60', 2);
-- segment 3 of 4: CREATE TABLE order_items ( id INTEGER NOT NULL AUTO_INCREMENT, order_i
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = 'e2d84c9a1f60' AND segment = 3), 'DO 0', 'CREATE TABLE order_items (
	id INTEGER NOT NULL AUTO_INCREMENT, 
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
)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('e2d84c9a1f60', 3);
-- segment 4 of 4: the version row moves, the step's progress is forgotten
UPDATE alembic_version SET version_num = 'e2d84c9a1f60' WHERE alembic_version.version_num = '5a61f3d8e9b7';
DELETE FROM alembic_version_progress WHERE revision = 'e2d84c9a1f60';
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress), 'DO 0', 'DROP TABLE alembic_version_progress');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
