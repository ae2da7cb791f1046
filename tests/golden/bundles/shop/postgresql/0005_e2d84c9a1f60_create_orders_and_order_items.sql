-- Upgrade step 5 of bundle base:heads for postgresql@16 (PostgreSQL)
-- revision: e2d84c9a1f60
-- parents:  5a61f3d8e9b7
-- message:  create orders and order items
-- source:   versions/e2d84c9a1f60_create_orders_and_order_items.py (sha256 88b894813c856900f8e38283b188b672ac1d1d89a440254efe5c3a3b5791533f)
-- version:  5a61f3d8e9b7 -> e2d84c9a1f60
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 0005_e2d84c9a1f60_create_orders_and_order_items.sql
-- guard:    stops before any change unless the database is at version 5a61f3d8e9b7
-- lock:     CREATE TABLE orders: creates the table; SHARE ROW EXCLUSIVE on customers (existing); SHARE ROW EXCLUSIVE on shipping_methods (existing)
-- lock:     CREATE INDEX ix_orders_customer_placed ON orders (custome...: orders new in this step, nothing waits
-- lock:     CREATE TABLE order_items: creates the table; SHARE ROW EXCLUSIVE on orders (new); SHARE ROW EXCLUSIVE on products (existing)

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',5a61f3d8e9b7,' in ',' || found || ',') > 0 AND position(',e2d84c9a1f60,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 0005: expected 5a61f3d8e9b7, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
CREATE TABLE orders (
	id SERIAL NOT NULL, 
	customer_id INTEGER NOT NULL, 
	shipping_method_id INTEGER, 
	status VARCHAR(9) DEFAULT 'pending' NOT NULL, 
	total_amount NUMERIC(12, 2) DEFAULT 0 NOT NULL, 
	placed_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	CONSTRAINT pk_orders PRIMARY KEY (id), 
	CONSTRAINT fk_orders_customers FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE RESTRICT, 
	CONSTRAINT fk_orders_shipping_methods FOREIGN KEY(shipping_method_id) REFERENCES shipping_methods (id) ON DELETE SET NULL, 
	CONSTRAINT ck_orders_total_nonnegative CHECK (total_amount >= 0), 
	CONSTRAINT order_status CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled'))
);
CREATE INDEX ix_orders_customer_placed ON orders (customer_id, placed_at);
CREATE TABLE order_items (
	id SERIAL NOT NULL, 
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
UPDATE alembic_version SET version_num = 'e2d84c9a1f60' WHERE alembic_version.version_num = '5a61f3d8e9b7';
COMMIT;
