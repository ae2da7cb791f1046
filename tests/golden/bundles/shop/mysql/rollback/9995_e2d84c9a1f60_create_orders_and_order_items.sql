-- Rollback of step 5 of bundle heads:base for mysql@8.0 (MySQL)
-- revision: e2d84c9a1f60
-- parents:  5a61f3d8e9b7
-- message:  create orders and order items
-- source:   versions/e2d84c9a1f60_create_orders_and_order_items.py (sha256 88b894813c856900f8e38283b188b672ac1d1d89a440254efe5c3a3b5791533f)
-- version:  e2d84c9a1f60 -> 5a61f3d8e9b7
-- apply:    mysql --abort-source-on-error "$DATABASE" < rollback/9995_e2d84c9a1f60_create_orders_and_order_items.sql
-- guard:    stops before any change unless the database is at version e2d84c9a1f60
-- lock:     DROP TABLE order_items: an exclusive metadata lock on order_items (existing); drops the table and its data
-- lock:     DROP TABLE orders: an exclusive metadata lock on orders (existing); drops the table and its data
-- WARNING:  this step loses data: drop table order_items; drop table orders
-- WARNING:  part of this step runs outside a transaction; after a failure, run the file again: the segments already done are skipped

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9995: expected e2d84c9a1f60, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'e2d84c9a1f60') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '5a61f3d8e9b7'), 'DO 0', CONCAT('sqlbundle guard 9995: expected e2d84c9a1f60, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
CREATE TABLE IF NOT EXISTS alembic_version_progress (revision VARCHAR(255) NOT NULL, segment INTEGER NOT NULL, PRIMARY KEY (revision, segment));
-- segment 1 of 3: DROP TABLE order_items
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = 'e2d84c9a1f60' AND segment = 1), 'DO 0', 'DROP TABLE order_items');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('e2d84c9a1f60', 1);
-- segment 2 of 3: DROP TABLE orders
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress WHERE revision = 'e2d84c9a1f60' AND segment = 2), 'DO 0', 'DROP TABLE orders');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
INSERT IGNORE INTO alembic_version_progress (revision, segment) VALUES ('e2d84c9a1f60', 2);
-- segment 3 of 3: the version row moves, the step's progress is forgotten
UPDATE alembic_version SET version_num = '5a61f3d8e9b7' WHERE alembic_version.version_num = 'e2d84c9a1f60';
DELETE FROM alembic_version_progress WHERE revision = 'e2d84c9a1f60';
SET @sqlbundle_sql = IF(EXISTS (SELECT 1 FROM alembic_version_progress), 'DO 0', 'DROP TABLE alembic_version_progress');
PREPARE sqlbundle_segment FROM @sqlbundle_sql;
EXECUTE sqlbundle_segment;
DEALLOCATE PREPARE sqlbundle_segment;
