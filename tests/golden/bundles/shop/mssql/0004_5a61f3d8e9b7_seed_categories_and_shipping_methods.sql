-- Upgrade step 4 of bundle base:heads for mssql@2019 (SQL Server)
-- revision: 5a61f3d8e9b7
-- parents:  c47b0e1d5f82
-- message:  seed categories and shipping methods
-- source:   versions/5a61f3d8e9b7_seed_categories_and_shipping_methods.py (sha256 4841f6cf64f459f7d32bf582032a356f036cd5fa91da11eb769fb861d21c3059)
-- version:  c47b0e1d5f82 -> 5a61f3d8e9b7
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i 0004_5a61f3d8e9b7_seed_categories_and_shipping_methods.sql
-- guard:    stops before any change unless the database is at version c47b0e1d5f82

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 0004: expected c47b0e1d5f82, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',c47b0e1d5f82,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',5a61f3d8e9b7,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
INSERT INTO categories (name, slug, description) VALUES ('Books', 'books', 'Fiction, non-fiction and reference');
GO
INSERT INTO categories (name, slug, description) VALUES ('Children''s books', 'childrens-books', NULL);
GO
INSERT INTO categories (name, slug, description) VALUES (N'Küche & Café', 'kueche-cafe', N'Kaffeemühlen, Töpfe und Geschirr');
GO
INSERT INTO shipping_methods (code, name, description, fee) VALUES ('standard', 'Standard delivery', N'3–5 business days', 4.95);
GO
INSERT INTO shipping_methods (code, name, description, fee) VALUES ('express', 'Express delivery', 'Next business day', 12.50);
GO
INSERT INTO shipping_methods (code, name, description, fee) VALUES ('pickup', 'Store pickup', NULL, 0.00);
GO
UPDATE alembic_version SET version_num = '5a61f3d8e9b7' WHERE alembic_version.version_num = 'c47b0e1d5f82';
GO
COMMIT;
GO
