-- Rollback of step 11 of bundle heads:base for mariadb@10.11 (MariaDB)
-- revision: d61f8b4e07a2
-- parents:  4c9e2a71d8f3
-- message:  add refunded_amount to payments
-- source:   versions/d61f8b4e07a2_add_refunded_amount_to_payments.py (sha256 7439b4f67b4e7851002fd0d83201e7c321abada4866f5e47f04dab42ecd0aaa4)
-- version:  2a7d5c90e3b1, d61f8b4e07a2 -> 2a7d5c90e3b1, 4c9e2a71d8f3
-- apply:    mariadb --abort-source-on-error "$DATABASE" < rollback/9989_d61f8b4e07a2_add_refunded_amount_to_payments.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1, d61f8b4e07a2
-- lock:     ALTER TABLE payments DROP CONSTRAINT ck_payments_refund_i...: ALGORITHM=INSTANT, LOCK=NONE on payments (existing); changes the catalog only
-- lock:     ALTER TABLE payments DROP COLUMN refunded_amount: ALGORITHM=INSTANT, LOCK=NONE on payments (existing); changes the catalog only
-- WARNING:  this step loses data: drop column payments.refunded_amount
-- WARNING:  part of this step runs outside a transaction; after a failure, run the file again: the segments already done are skipped

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9989: expected d61f8b4e07a2, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'd61f8b4e07a2') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '4c9e2a71d8f3'), 'DO 0', CONCAT('sqlbundle guard 9989: expected d61f8b4e07a2, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE IF NOT EXISTS alembic_version_progress (revision VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (revision, segment));
-- segment 1 of 3: ALTER TABLE payments DROP CONSTRAINT ck_payments_refund_in_range
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = 'd61f8b4e07a2' AND segment = 1), 'DO 0', 'ALTER TABLE payments DROP CONSTRAINT ck_payments_refund_in_range');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('d61f8b4e07a2', 1);
-- segment 2 of 3: ALTER TABLE payments DROP COLUMN refunded_amount
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = 'd61f8b4e07a2' AND segment = 2), 'DO 0', 'ALTER TABLE payments DROP COLUMN refunded_amount');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('d61f8b4e07a2', 2);
-- segment 3 of 3: the version row moves, the step's progress is forgotten
UPDATE alembic_version SET version_num = '4c9e2a71d8f3' WHERE alembic_version.version_num = 'd61f8b4e07a2';
DELETE FROM alembic_version_progress WHERE revision = 'd61f8b4e07a2';
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress), 'DO 0', 'DROP TABLE alembic_version_progress');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
