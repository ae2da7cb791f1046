-- Rollback of step 8 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: b3187d2f6e45
-- parents:  9e05a7b3c2d8
-- message:  add line_total to order lines
-- source:   versions/b3187d2f6e45_add_line_total_to_order_lines.py (sha256 3197c83961d1f1a012991803a785638fd9ab787c072020b28601c0ac8d103f6d)
-- version:  b3187d2f6e45 -> 9e05a7b3c2d8
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9992_b3187d2f6e45_add_line_total_to_order_lines.sql
-- guard:    stops before any change unless the database is at version b3187d2f6e45
-- WARNING:  this step loses data: drop column order_lines.line_total

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9992: expected b3187d2f6e45, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',b3187d2f6e45,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',9e05a7b3c2d8,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
ALTER TABLE order_lines DROP COLUMN line_total;
GO
UPDATE alembic_version SET version_num = '9e05a7b3c2d8' WHERE alembic_version.version_num = 'b3187d2f6e45';
GO
COMMIT;
GO
