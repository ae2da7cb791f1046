-- Rollback of step 6 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: 71bc6e0f4a9d
-- parents:  e2d84c9a1f60
-- message:  widen product name to 255 characters
-- source:   versions/71bc6e0f4a9d_widen_product_name_to_255_characters.py (sha256 4fd25e51dd964298a2706c71b1ec3a00d38f2af40c534314072256ec1fafcd37)
-- version:  71bc6e0f4a9d -> e2d84c9a1f60
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9994_71bc6e0f4a9d_widen_product_name_to_255_characters.sql
-- guard:    stops before any change unless the database is at version 71bc6e0f4a9d

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9994: expected 71bc6e0f4a9d, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',71bc6e0f4a9d,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',e2d84c9a1f60,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
ALTER TABLE products ALTER COLUMN name VARCHAR(100) NOT NULL;
GO
UPDATE alembic_version SET version_num = 'e2d84c9a1f60' WHERE alembic_version.version_num = '71bc6e0f4a9d';
GO
COMMIT;
GO
