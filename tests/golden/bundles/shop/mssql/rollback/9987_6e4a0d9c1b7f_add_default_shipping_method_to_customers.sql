-- Rollback of step 13 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: 6e4a0d9c1b7f
-- parents:  f08c3e6b9a54
-- message:  add default shipping method to customers
-- source:   versions/6e4a0d9c1b7f_add_default_shipping_method_to_customers.py (sha256 4c538a3ae688cbb7961c13da495a6ce7ffa5d72a676ad1d7f1c574c5f57c5f7a)
-- version:  6e4a0d9c1b7f -> f08c3e6b9a54
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9987_6e4a0d9c1b7f_add_default_shipping_method_to_customers.sql
-- guard:    stops before any change unless the database is at version 6e4a0d9c1b7f
-- WARNING:  this step loses data: drop column customers.default_shipping_method_id

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9987: expected 6e4a0d9c1b7f, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',6e4a0d9c1b7f,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',f08c3e6b9a54,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
ALTER TABLE customers DROP CONSTRAINT fk_customers_shipping_methods;
GO
ALTER TABLE customers DROP COLUMN default_shipping_method_id;
GO
UPDATE alembic_version SET version_num = 'f08c3e6b9a54' WHERE alembic_version.version_num = '6e4a0d9c1b7f';
GO
COMMIT;
GO
