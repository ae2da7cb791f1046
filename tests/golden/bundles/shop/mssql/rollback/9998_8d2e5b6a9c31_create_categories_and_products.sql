-- Rollback of step 2 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: 8d2e5b6a9c31
-- parents:  3f9a1c7e2b04
-- message:  create categories and products
-- source:   versions/8d2e5b6a9c31_create_categories_and_products.py (sha256 a56b8fbb4fb6072274e078a170c9b00a744eb362f1b490fc0a9114ed84419e7a)
-- version:  8d2e5b6a9c31 -> 3f9a1c7e2b04
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9998_8d2e5b6a9c31_create_categories_and_products.sql
-- guard:    stops before any change unless the database is at version 8d2e5b6a9c31
-- WARNING:  this step loses data: drop table categories; drop table products

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9998: expected 8d2e5b6a9c31, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',8d2e5b6a9c31,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',3f9a1c7e2b04,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
DROP TABLE products;
GO
DROP INDEX ix_categories_slug ON categories;
GO
DROP TABLE categories;
GO
UPDATE alembic_version SET version_num = '3f9a1c7e2b04' WHERE alembic_version.version_num = '8d2e5b6a9c31';
GO
COMMIT;
GO
