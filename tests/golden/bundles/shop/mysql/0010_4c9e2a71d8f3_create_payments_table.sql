-- Upgrade step 10 of bundle base:heads for mysql@8.0 (MySQL)
-- revision: 4c9e2a71d8f3
-- parents:  b3187d2f6e45
-- message:  create payments table
-- source:   versions/4c9e2a71d8f3_create_payments_table.py (sha256 f845d02bfe7a7d9b4bda5a784f3dd86503d3a4179a3d795ff98e9be12ea2c964)
-- version:  2a7d5c90e3b1 -> 2a7d5c90e3b1, 4c9e2a71d8f3
-- apply:    mysql --abort-source-on-error "$DATABASE" < 0010_4c9e2a71d8f3_create_payments_table.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1
-- lock:     CREATE TABLE payments: creates the table
-- lock:     CREATE INDEX ix_payments_order_id ON payments (order_id): payments new in this step, nothing waits
-- WARNING:  part of this step runs outside a transaction; after a failure, run the file again: the segments already done are skipped

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 0010: expected not 4c9e2a71d8f3, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '4c9e2a71d8f3'), 'DO 0', CONCAT('sqlbundle guard 0010: expected not 4c9e2a71d8f3, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE IF NOT EXISTS alembic_version_progress (revision VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (revision, segment));
-- segment 1 of 3: CREATE TABLE payments ( id INTEGER NOT NULL AUTO_INCREMENT, order_id I
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '4c9e2a71d8f3' AND segment = 1), 'DO 0', 'CREATE TABLE payments (
	id INTEGER NOT NULL AUTO_INCREMENT, 
	order_id INTEGER NOT NULL, 
	provider VARCHAR(30) NOT NULL, 
	provider_ref VARCHAR(64) NOT NULL, 
	amount NUMERIC(12, 2) NOT NULL, 
	currency VARCHAR(3) NOT NULL DEFAULT ''EUR'', 
	captured_at DATETIME, 
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	CONSTRAINT pk_payments PRIMARY KEY (id), 
	CONSTRAINT fk_payments_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE, 
	CONSTRAINT uq_payments_provider_ref UNIQUE (provider, provider_ref), 
	CONSTRAINT ck_payments_amount_positive CHECK (amount > 0)
)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('4c9e2a71d8f3', 1);
-- segment 2 of 3: CREATE INDEX ix_payments_order_id ON payments (order_id)
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = '4c9e2a71d8f3' AND segment = 2), 'DO 0', 'CREATE INDEX ix_payments_order_id ON payments (order_id)');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('4c9e2a71d8f3', 2);
-- segment 3 of 3: the version row moves, the step's progress is forgotten
INSERT INTO alembic_version (version_num) VALUES ('4c9e2a71d8f3');
DELETE FROM alembic_version_progress WHERE revision = '4c9e2a71d8f3';
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress), 'DO 0', 'DROP TABLE alembic_version_progress');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
