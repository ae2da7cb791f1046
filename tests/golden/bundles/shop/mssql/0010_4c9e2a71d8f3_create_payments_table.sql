-- Upgrade step 10 of bundle base:heads for mssql@2019 (SQL Server)
-- revision: 4c9e2a71d8f3
-- parents:  b3187d2f6e45
-- message:  create payments table
-- source:   versions/4c9e2a71d8f3_create_payments_table.py (sha256 f845d02bfe7a7d9b4bda5a784f3dd86503d3a4179a3d795ff98e9be12ea2c964)
-- version:  2a7d5c90e3b1 -> 2a7d5c90e3b1, 4c9e2a71d8f3
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i 0010_4c9e2a71d8f3_create_payments_table.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 0010: expected not 4c9e2a71d8f3, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',4c9e2a71d8f3,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
CREATE TABLE payments (
	id INTEGER NOT NULL IDENTITY, 
	order_id INTEGER NOT NULL, 
	provider VARCHAR(30) NOT NULL, 
	provider_ref VARCHAR(64) NOT NULL, 
	amount NUMERIC(12, 2) NOT NULL, 
	currency VARCHAR(3) NOT NULL DEFAULT 'EUR', 
	captured_at DATETIME NULL, 
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	CONSTRAINT pk_payments PRIMARY KEY (id), 
	CONSTRAINT fk_payments_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE, 
	CONSTRAINT uq_payments_provider_ref UNIQUE (provider, provider_ref), 
	CONSTRAINT ck_payments_amount_positive CHECK (amount > 0)
);
GO
CREATE INDEX ix_payments_order_id ON payments (order_id);
GO
INSERT INTO alembic_version (version_num) VALUES ('4c9e2a71d8f3');
GO
COMMIT;
GO
