-- Rollback of step 9 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: 2a7d5c90e3b1
-- parents:  b3187d2f6e45
-- message:  create product reviews
-- source:   versions/2a7d5c90e3b1_create_product_reviews.py (sha256 3bcda4662f52ac0fb62b6106fa12ec3fd989e8b97a8a2eca33237b82f227331a)
-- version:  2a7d5c90e3b1 -> b3187d2f6e45
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9991_2a7d5c90e3b1_create_product_reviews.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1
-- WARNING:  this step loses data: drop table product_reviews

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9991: expected 2a7d5c90e3b1, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',2a7d5c90e3b1,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',b3187d2f6e45,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
DROP TABLE product_reviews;
GO
UPDATE alembic_version SET version_num = 'b3187d2f6e45' WHERE alembic_version.version_num = '2a7d5c90e3b1';
GO
COMMIT;
GO
