-- Upgrade step 2 of bundle base:heads for mssql@2019 (SQL Server)
-- revision: 8d2e5b6a9c31
-- parents:  3f9a1c7e2b04
-- message:  create categories and products
-- source:   versions/8d2e5b6a9c31_create_categories_and_products.py (sha256 a56b8fbb4fb6072274e078a170c9b00a744eb362f1b490fc0a9114ed84419e7a)
-- version:  3f9a1c7e2b04 -> 8d2e5b6a9c31
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i 0002_8d2e5b6a9c31_create_categories_and_products.sql
-- guard:    stops before any change unless the database is at version 3f9a1c7e2b04

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 0002: expected 3f9a1c7e2b04, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',3f9a1c7e2b04,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',8d2e5b6a9c31,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
CREATE TABLE categories (
	id INTEGER NOT NULL IDENTITY, 
	name VARCHAR(100) NOT NULL, 
	slug VARCHAR(100) NOT NULL, 
	description VARCHAR(255) NULL, 
	CONSTRAINT pk_categories PRIMARY KEY (id)
);
GO
CREATE UNIQUE INDEX ix_categories_slug ON categories (slug);
GO
CREATE TABLE products (
	id INTEGER NOT NULL IDENTITY, 
	category_id INTEGER NULL, 
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
);
GO
CREATE INDEX ix_products_category_id ON products (category_id);
GO
UPDATE alembic_version SET version_num = '8d2e5b6a9c31' WHERE alembic_version.version_num = '3f9a1c7e2b04';
GO
COMMIT;
GO
