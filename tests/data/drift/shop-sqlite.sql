PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version VALUES('6e4a0d9c1b7f');
CREATE TABLE categories (
	id INTEGER NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	slug VARCHAR(100) NOT NULL, 
	description VARCHAR(255), 
	CONSTRAINT pk_categories PRIMARY KEY (id)
);
INSERT INTO categories VALUES(1,'Books','books','Fiction, non-fiction and reference');
INSERT INTO categories VALUES(2,'Children''s books','childrens-books',NULL);
INSERT INTO categories VALUES(3,'Küche & Café','kueche-cafe','Kaffeemühlen, Töpfe und Geschirr');
CREATE TABLE shipping_methods (
	id INTEGER NOT NULL, 
	code VARCHAR(20) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	description VARCHAR(255), 
	fee NUMERIC(8, 2) DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_shipping_methods PRIMARY KEY (id), 
	CONSTRAINT uq_shipping_methods_code UNIQUE (code), 
	CONSTRAINT ck_shipping_methods_fee_nonneg CHECK (fee >= 0)
);
INSERT INTO shipping_methods VALUES(1,'standard','Standard delivery','3–5 business days',4.9500000000000001776);
INSERT INTO shipping_methods VALUES(2,'express','Express delivery','Next business day',12.5);
INSERT INTO shipping_methods VALUES(3,'pickup','Store pickup',NULL,0);
CREATE TABLE orders (
	id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	shipping_method_id INTEGER, 
	status VARCHAR(9) DEFAULT 'pending' NOT NULL, 
	total_amount NUMERIC(12, 2) DEFAULT 0 NOT NULL, 
	placed_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	CONSTRAINT pk_orders PRIMARY KEY (id), 
	CONSTRAINT fk_orders_customers FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE RESTRICT, 
	CONSTRAINT fk_orders_shipping_methods FOREIGN KEY(shipping_method_id) REFERENCES shipping_methods (id) ON DELETE SET NULL, 
	CONSTRAINT ck_orders_total_nonnegative CHECK (total_amount >= 0), 
	CONSTRAINT order_status CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled'))
);
CREATE TABLE IF NOT EXISTS "products" (
	id INTEGER NOT NULL, 
	category_id INTEGER, 
	sku VARCHAR(32) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	price NUMERIC(10, 2) NOT NULL, 
	stock INTEGER DEFAULT 0 NOT NULL, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	CONSTRAINT pk_products PRIMARY KEY (id), 
	CONSTRAINT fk_products_categories FOREIGN KEY(category_id) REFERENCES categories (id) ON DELETE SET NULL, 
	CONSTRAINT uq_products_sku UNIQUE (sku), 
	CONSTRAINT ck_products_price_positive CHECK (price > 0), 
	CONSTRAINT ck_products_stock_nonnegative CHECK (stock >= 0)
);
CREATE TABLE IF NOT EXISTS "order_lines" (
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
CREATE TABLE product_reviews (
	id INTEGER NOT NULL, 
	product_id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	rating SMALLINT NOT NULL, 
	title VARCHAR(120), 
	body TEXT, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	CONSTRAINT pk_product_reviews PRIMARY KEY (id), 
	CONSTRAINT fk_product_reviews_products FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_reviews_customers FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE, 
	CONSTRAINT uq_product_reviews_customer UNIQUE (product_id, customer_id), 
	CONSTRAINT ck_product_reviews_rating CHECK (rating BETWEEN 1 AND 5)
);
CREATE TABLE IF NOT EXISTS "payments" (
	id INTEGER NOT NULL, 
	order_id INTEGER NOT NULL, 
	provider VARCHAR(30) NOT NULL, 
	provider_ref VARCHAR(64) NOT NULL, 
	amount NUMERIC(12, 2) NOT NULL, 
	currency VARCHAR(3) DEFAULT 'EUR' NOT NULL, 
	captured_at DATETIME, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	refunded_amount NUMERIC(12, 2) DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_payments PRIMARY KEY (id), 
	CONSTRAINT fk_payments_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE, 
	CONSTRAINT uq_payments_provider_ref UNIQUE (provider, provider_ref), 
	CONSTRAINT ck_payments_amount_positive CHECK (amount > 0), 
	CONSTRAINT ck_payments_refund_in_range CHECK (refunded_amount >= 0 AND refunded_amount <= amount)
);
CREATE TABLE IF NOT EXISTS "customers" (
	id INTEGER NOT NULL, 
	email VARCHAR(255) NOT NULL, 
	full_name VARCHAR(100) NOT NULL, 
	created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	default_shipping_method_id INTEGER, nickname VARCHAR(20), 
	CONSTRAINT pk_customers PRIMARY KEY (id), 
	CONSTRAINT fk_customers_shipping_methods FOREIGN KEY(default_shipping_method_id) REFERENCES shipping_methods (id) ON DELETE SET NULL, 
	CONSTRAINT uq_customers_email UNIQUE (email)
);
CREATE UNIQUE INDEX ix_categories_slug ON categories (slug);
CREATE INDEX ix_orders_customer_placed ON orders (customer_id, placed_at);
CREATE INDEX ix_products_category_id ON products (category_id);
CREATE INDEX ix_manual ON orders (placed_at);
COMMIT;
