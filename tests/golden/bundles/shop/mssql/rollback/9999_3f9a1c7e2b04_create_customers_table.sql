-- Rollback of step 1 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: 3f9a1c7e2b04
-- parents:  <base>
-- message:  create customers table
-- source:   versions/3f9a1c7e2b04_create_customers_table.py (sha256 71fe4381f25abbdf28a84040716b89ae000455769a97e1d65eea804e2d0cb8d3)
-- version:  3f9a1c7e2b04 -> (none)
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9999_3f9a1c7e2b04_create_customers_table.sql
-- guard:    stops before any change unless the database is at version 3f9a1c7e2b04
-- WARNING:  this step loses data: drop table customers

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9999: expected 3f9a1c7e2b04, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',3f9a1c7e2b04,', N',' + @sqlbundle_found + N',') > 0)
    THROW 50000, @sqlbundle_message, 1;
GO
DROP TABLE customers;
GO
DELETE FROM alembic_version WHERE alembic_version.version_num = '3f9a1c7e2b04';
GO
COMMIT;
GO
