-- Rollback of step 4 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: 5a61f3d8e9b7
-- parents:  c47b0e1d5f82
-- message:  seed categories and shipping methods
-- source:   versions/5a61f3d8e9b7_seed_categories_and_shipping_methods.py (sha256 4841f6cf64f459f7d32bf582032a356f036cd5fa91da11eb769fb861d21c3059)
-- version:  5a61f3d8e9b7 -> c47b0e1d5f82
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9996_5a61f3d8e9b7_seed_categories_and_shipping_methods.sql
-- guard:    stops before any change unless the database is at version 5a61f3d8e9b7

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9996: expected 5a61f3d8e9b7, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',5a61f3d8e9b7,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',c47b0e1d5f82,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
DELETE FROM shipping_methods WHERE code IN ('standard', 'express', 'pickup');
GO
DELETE FROM categories WHERE slug IN ('books', 'childrens-books', 'kueche-cafe');
GO
UPDATE alembic_version SET version_num = 'c47b0e1d5f82' WHERE alembic_version.version_num = '5a61f3d8e9b7';
GO
COMMIT;
GO
