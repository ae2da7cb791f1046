-- Rollback of step 3 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: c47b0e1d5f82
-- parents:  8d2e5b6a9c31
-- message:  create shipping methods
-- source:   versions/c47b0e1d5f82_create_shipping_methods.py (sha256 332f886ec2308d1b430df95d91401d55035d4dbd89c3746525a16a5315ac6d21)
-- version:  c47b0e1d5f82 -> 8d2e5b6a9c31
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9997_c47b0e1d5f82_create_shipping_methods.sql
-- guard:    stops before any change unless the database is at version c47b0e1d5f82
-- WARNING:  this step loses data: drop table shipping_methods

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9997: expected c47b0e1d5f82, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',c47b0e1d5f82,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',8d2e5b6a9c31,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
DROP TABLE shipping_methods;
GO
UPDATE alembic_version SET version_num = '8d2e5b6a9c31' WHERE alembic_version.version_num = 'c47b0e1d5f82';
GO
COMMIT;
GO
