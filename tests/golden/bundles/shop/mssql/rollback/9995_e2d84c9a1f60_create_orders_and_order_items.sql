-- Rollback of step 5 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: e2d84c9a1f60
-- parents:  5a61f3d8e9b7
-- message:  create orders and order items
-- source:   versions/e2d84c9a1f60_create_orders_and_order_items.py (sha256 88b894813c856900f8e38283b188b672ac1d1d89a440254efe5c3a3b5791533f)
-- version:  e2d84c9a1f60 -> 5a61f3d8e9b7
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9995_e2d84c9a1f60_create_orders_and_order_items.sql
-- guard:    stops before any change unless the database is at version e2d84c9a1f60
-- WARNING:  this step loses data: drop table order_items; drop table orders

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9995: expected e2d84c9a1f60, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',e2d84c9a1f60,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',5a61f3d8e9b7,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
DROP TABLE order_items;
GO
DROP TABLE orders;
GO
UPDATE alembic_version SET version_num = '5a61f3d8e9b7' WHERE alembic_version.version_num = 'e2d84c9a1f60';
GO
COMMIT;
GO
