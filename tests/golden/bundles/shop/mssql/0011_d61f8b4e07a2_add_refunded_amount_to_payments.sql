-- Upgrade step 11 of bundle base:heads for mssql@2019 (SQL Server)
-- revision: d61f8b4e07a2
-- parents:  4c9e2a71d8f3
-- message:  add refunded_amount to payments
-- source:   versions/d61f8b4e07a2_add_refunded_amount_to_payments.py (sha256 7439b4f67b4e7851002fd0d83201e7c321abada4866f5e47f04dab42ecd0aaa4)
-- version:  2a7d5c90e3b1, 4c9e2a71d8f3 -> 2a7d5c90e3b1, d61f8b4e07a2
-- apply:    sqlcmd -b -S "$SERVER" -d "$DATABASE" -i 0011_d61f8b4e07a2_add_refunded_amount_to_payments.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, 4c9e2a71d8f3

SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;
GO
DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';
IF OBJECT_ID(N'alembic_version', N'U') IS NOT NULL
    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP (ORDER BY version_num), N'') FROM alembic_version;
DECLARE @sqlbundle_message NVARCHAR(2048) = N'sqlbundle guard 0011: expected 4c9e2a71d8f3, found ' + CASE WHEN @sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;
IF NOT (CHARINDEX(N',4c9e2a71d8f3,', N',' + @sqlbundle_found + N',') > 0 AND CHARINDEX(N',d61f8b4e07a2,', N',' + @sqlbundle_found + N',') = 0)
    THROW 50000, @sqlbundle_message, 1;
GO
ALTER TABLE payments ADD refunded_amount NUMERIC(12, 2) NOT NULL DEFAULT 0;
GO
ALTER TABLE payments ADD CONSTRAINT ck_payments_refund_in_range CHECK (refunded_amount >= 0 AND refunded_amount <= amount);
GO
UPDATE alembic_version SET version_num = 'd61f8b4e07a2' WHERE alembic_version.version_num = '4c9e2a71d8f3';
GO
COMMIT;
GO
