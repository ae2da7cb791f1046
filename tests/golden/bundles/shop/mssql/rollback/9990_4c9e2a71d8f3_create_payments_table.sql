-- Rollback of step 10 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: 4c9e2a71d8f3
-- parents:  b3187d2f6e45
-- message:  create payments table
-- source:   versions/4c9e2a71d8f3_create_payments_table.py (sha256 f845d02bfe7a7d9b4bda5a784f3dd86503d3a4179a3d795ff98e9be12ea2c964)
-- version:  2a7d5c90e3b1, 4c9e2a71d8f3 -> 2a7d5c90e3b1
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9990_4c9e2a71d8f3_create_payments_table.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, 4c9e2a71d8f3
-- WARNING:  this step loses data: drop table payments

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9990: expected 4c9e2a71d8f3, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',4c9e2a71d8f3,', N',' + @sqlbundle_found + N',') > 0)
    THROW 50000, @sqlbundle_message, 1;
GO
DROP TABLE payments;
GO
DELETE FROM alembic_version WHERE alembic_version.version_num = '4c9e2a71d8f3';
GO
COMMIT;
GO
