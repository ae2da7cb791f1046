-- Upgrade step 13 of bundle base:heads for mssql@2019 (SQL Server)
-- revision: 6e4a0d9c1b7f
-- parents:  f08c3e6b9a54
-- message:  add default shipping method to customers
-- source:   versions/6e4a0d9c1b7f_add_default_shipping_method_to_customers.py (sha256 4c538a3ae688cbb7961c13da495a6ce7ffa5d72a676ad1d7f1c574c5f57c5f7a)
-- version:  f08c3e6b9a54 -> 6e4a0d9c1b7f
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i 0013_6e4a0d9c1b7f_add_default_shipping_method_to_customers.sql
-- guard:    stops before any change unless the database is at version f08c3e6b9a54

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 0013: expected f08c3e6b9a54, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',f08c3e6b9a54,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',6e4a0d9c1b7f,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
ALTER TABLE customers ADD default_shipping_method_id INTEGER NULL;
GO
ALTER TABLE customers ADD CONSTRAINT fk_customers_shipping_methods FOREIGN KEY(default_shipping_method_id) REFERENCES shipping_methods (id) ON DELETE SET NULL;
GO
UPDATE alembic_version SET version_num = '6e4a0d9c1b7f' WHERE alembic_version.version_num = 'f08c3e6b9a54';
GO
COMMIT;
GO
