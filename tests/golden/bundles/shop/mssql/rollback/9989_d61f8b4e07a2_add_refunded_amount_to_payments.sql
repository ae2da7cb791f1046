-- Rollback of step 11 of bundle heads:base for mssql@2019 (SQL Server)
-- revision: d61f8b4e07a2
-- parents:  4c9e2a71d8f3
-- message:  add refunded_amount to payments
-- source:   versions/d61f8b4e07a2_add_refunded_amount_to_payments.py (sha256 7439b4f67b4e7851002fd0d83201e7c321abada4866f5e47f04dab42ecd0aaa4)
-- version:  2a7d5c90e3b1, d61f8b4e07a2 -> 2a7d5c90e3b1, 4c9e2a71d8f3
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i rollback/9989_d61f8b4e07a2_add_refunded_amount_to_payments.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, d61f8b4e07a2
-- WARNING:  this step loses data: drop column payments.refunded_amount

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 9989: expected d61f8b4e07a2, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',d61f8b4e07a2,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',4c9e2a71d8f3,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
ALTER TABLE payments DROP CONSTRAINT ck_payments_refund_in_range;
GO
DECLARE @sqlbundle_sql NVARCHAR(MAX);
SELECT @sqlbundle_sql = N'ALTER TABLE payments DROP CONSTRAINT ' + QUOTENAME(dc.name)
FROM sys.default_constraints AS dc
JOIN sys.columns AS c ON c.object_id = dc.parent_object_id AND c.column_id = dc.parent_column_id
WHERE dc.parent_object_id = OBJECT_ID(N'payments') AND c.name = N'refunded_amount';
IF @sqlbundle_sql IS NOT NULL EXEC sp_executesql @sqlbundle_sql;
GO
ALTER TABLE payments DROP COLUMN refunded_amount;
GO
UPDATE alembic_version SET version_num = '4c9e2a71d8f3' WHERE alembic_version.version_num = 'd61f8b4e07a2';
GO
COMMIT;
GO
