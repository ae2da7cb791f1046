-- Upgrade step 3 of bundle base:heads for mssql@2019 (SQL Server)
-- revision: c47b0e1d5f82
-- parents:  8d2e5b6a9c31
-- message:  create shipping methods
-- source:   versions/c47b0e1d5f82_create_shipping_methods.py (sha256 332f886ec2308d1b430df95d91401d55035d4dbd89c3746525a16a5315ac6d21)
-- version:  8d2e5b6a9c31 -> c47b0e1d5f82
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i 0003_c47b0e1d5f82_create_shipping_methods.sql
-- guard:    stops before any change unless the database is at version 8d2e5b6a9c31

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 0003: expected 8d2e5b6a9c31, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',8d2e5b6a9c31,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',c47b0e1d5f82,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
CREATE TABLE shipping_methods (
	id INTEGER NOT NULL IDENTITY, 
	code VARCHAR(20) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	description VARCHAR(255) NULL, 
	fee NUMERIC(8, 2) NOT NULL DEFAULT 0, 
	CONSTRAINT pk_shipping_methods PRIMARY KEY (id), 
	CONSTRAINT uq_shipping_methods_code UNIQUE (code), 
	CONSTRAINT ck_shipping_methods_fee_nonneg CHECK (fee >= 0)
);
GO
UPDATE alembic_version SET version_num = 'c47b0e1d5f82' WHERE alembic_version.version_num = '8d2e5b6a9c31';
GO
COMMIT;
GO
