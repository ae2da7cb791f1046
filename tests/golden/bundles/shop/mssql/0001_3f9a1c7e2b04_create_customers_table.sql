-- Upgrade step 1 of bundle base:heads for mssql@2019 (SQL Server)
-- revision: 3f9a1c7e2b04
-- parents:  <base>
-- message:  create customers table
-- source:   versions/3f9a1c7e2b04_create_customers_table.py (sha256 71fe4381f25abbdf28a84040716b89ae000455769a97e1d65eea804e2d0cb8d3)
-- version:  (none) -> 3f9a1c7e2b04
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i 0001_3f9a1c7e2b04_create_customers_table.sql
-- guard:    stops before any change unless the database is at version (none)

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
IF OBJECT_ID(N'alembic_version', N'U') IS NULL
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 0001: expected no version rows, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (@sqlbundle_found = N'')
    THROW 50000, @sqlbundle_message, 1;
GO
CREATE TABLE customers (
	id INTEGER NOT NULL IDENTITY, 
	email VARCHAR(255) NOT NULL, 
	full_name VARCHAR(100) NOT NULL, 
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	CONSTRAINT pk_customers PRIMARY KEY (id), 
	CONSTRAINT uq_customers_email UNIQUE (email)
);
GO
INSERT INTO alembic_version (version_num) VALUES ('3f9a1c7e2b04');
GO
COMMIT;
GO
