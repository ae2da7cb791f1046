-- Rollback of step 12 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: f08c3e6b9a54
-- parents:  d61f8b4e07a2, 2a7d5c90e3b1
-- message:  merge payments and reviews
-- source:   versions/f08c3e6b9a54_merge_payments_and_reviews.py (sha256 fc1f8c1720f56891598a43259906d24a76c4839373938701338091323ff056d4)
-- version:  f08c3e6b9a54 -> 2a7d5c90e3b1, d61f8b4e07a2
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9988_f08c3e6b9a54_merge_payments_and_reviews.sql
-- guard:    stops before any change unless the database is at version f08c3e6b9a54

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9988: expected f08c3e6b9a54, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',f08c3e6b9a54,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',2a7d5c90e3b1,', N',' + @sqlbundle_found + N',') = 0 AND CHARINDEX(N',d61f8b4e07a2,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
UPDATE alembic_version SET version_num = 'd61f8b4e07a2' WHERE alembic_version.version_num = 'f08c3e6b9a54';
GO
INSERT INTO alembic_version (version_num) VALUES ('2a7d5c90e3b1');
GO
COMMIT;
GO
