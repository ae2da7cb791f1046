-- Rollback of step 7 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: 9e05a7b3c2d8
-- parents:  71bc6e0f4a9d
-- message:  rename order_items to order_lines
-- source:   versions/9e05a7b3c2d8_rename_order_items_to_order_lines.py (sha256 01d4d7acf646938ea4cdb492c9a041579cb227c43de3d510f40912c1cdec4aaf)
-- version:  9e05a7b3c2d8 -> 71bc6e0f4a9d
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9993_9e05a7b3c2d8_rename_order_items_to_order_lines.sql
-- guard:    stops before any change unless the database is at version 9e05a7b3c2d8

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9993: expected 9e05a7b3c2d8, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',9e05a7b3c2d8,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',71bc6e0f4a9d,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
EXEC sp_rename N'order_lines', N'order_items';
GO
UPDATE alembic_version SET version_num = '71bc6e0f4a9d' WHERE alembic_version.version_num = '9e05a7b3c2d8';
GO
COMMIT;
GO
