-- Upgrade step 5 of bundle base:heads for mssql@2019 (SQL Server)
-- revision: e2d84c9a1f60
-- parents:  5a61f3d8e9b7
-- message:  create orders and order items
-- source:   versions/e2d84c9a1f60_create_orders_and_order_items.py (sha256 88b894813c856900f8e38283b188b672ac1d1d89a440254efe5c3a3b5791533f)
-- version:  5a61f3d8e9b7 -> e2d84c9a1f60
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i 0005_e2d84c9a1f60_create_orders_and_order_items.sql
-- guard:    stops before any change unless the database is at version 5a61f3d8e9b7

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 0005: expected 5a61f3d8e9b7, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',5a61f3d8e9b7,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',e2d84c9a1f60,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
CREATE TABLE orders (
	id INTEGER NOT NULL IDENTITY, 
	customer_id INTEGER NOT NULL, 
	shipping_method_id INTEGER NULL, 
	status VARCHAR(9) NOT NULL DEFAULT 'pending', 
	total_amount NUMERIC(12, 2) NOT NULL DEFAULT 0, 
	placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	CONSTRAINT pk_orders PRIMARY KEY (id), 
	CONSTRAINT fk_orders_customers FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE NO ACTION, 
	CONSTRAINT fk_orders_shipping_methods FOREIGN KEY(shipping_method_id) REFERENCES shipping_methods (id) ON DELETE SET NULL, 
	CONSTRAINT ck_orders_total_nonnegative CHECK (total_amount >= 0), 
	CONSTRAINT order_status CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled'))
);
GO
CREATE INDEX ix_orders_customer_placed ON orders (customer_id, placed_at);
GO
CREATE TABLE order_items (
	id INTEGER NOT NULL IDENTITY, 
	order_id INTEGER NOT NULL, 
	product_id INTEGER NOT NULL, 
	quantity INTEGER NOT NULL, 
	unit_price NUMERIC(10, 2) NOT NULL, 
	CONSTRAINT pk_order_items PRIMARY KEY (id), 
	CONSTRAINT fk_order_items_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE, 
	CONSTRAINT fk_order_items_products FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE NO ACTION, 
	CONSTRAINT uq_order_items_order_product UNIQUE (order_id, product_id), 
	CONSTRAINT ck_order_items_qty_positive CHECK (quantity > 0), 
	CONSTRAINT ck_order_items_price_nonneg CHECK (unit_price >= 0)
);
GO
UPDATE alembic_version SET version_num = 'e2d84c9a1f60' WHERE alembic_version.version_num = '5a61f3d8e9b7';
GO
COMMIT;
GO
