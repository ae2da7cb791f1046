-- Upgrade step 9 of bundle base:heads for mssql@2019 (SQL Server)
-- revision: 2a7d5c90e3b1
-- parents:  b3187d2f6e45
-- message:  create product reviews
-- source:   versions/2a7d5c90e3b1_create_product_reviews.py (sha256 3bcda4662f52ac0fb62b6106fa12ec3fd989e8b97a8a2eca33237b82f227331a)
-- version:  b3187d2f6e45 -> 2a7d5c90e3b1
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i 0009_2a7d5c90e3b1_create_product_reviews.sql
-- guard:    stops before any change unless the database is at version b3187d2f6e45

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 0009: expected b3187d2f6e45, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',b3187d2f6e45,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',2a7d5c90e3b1,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
CREATE TABLE product_reviews (
	id INTEGER NOT NULL IDENTITY, 
	product_id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	rating SMALLINT NOT NULL, 
	title VARCHAR(120) NULL, 
	body VARCHAR(max) NULL, 
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	CONSTRAINT pk_product_reviews PRIMARY KEY (id), 
	CONSTRAINT fk_product_reviews_products FOREIGN KEY(product_id) REFERENCES products (id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_reviews_customers FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE, 
	CONSTRAINT uq_product_reviews_customer UNIQUE (product_id, customer_id), 
	CONSTRAINT ck_product_reviews_rating CHECK (rating BETWEEN 1 AND 5)
);
GO
UPDATE alembic_version SET version_num = '2a7d5c90e3b1' WHERE alembic_version.version_num = 'b3187d2f6e45';
GO
COMMIT;
GO
