-- Upgrade step 7 of bundle base:heads for mariadb@10.11 (MariaDB)
-- revision: 9e05a7b3c2d8
-- parents:  71bc6e0f4a9d
-- message:  rename order_items to order_lines
-- source:   versions/9e05a7b3c2d8_rename_order_items_to_order_lines.py (sha256 01d4d7acf646938ea4cdb492c9a041579cb227c43de3d510f40912c1cdec4aaf)
-- version:  71bc6e0f4a9d -> 9e05a7b3c2d8
-- apply:    mariadb --abort-source-on-error "$DATABASE" < 0007_9e05a7b3c2d8_rename_order_items_to_order_lines.sql
-- guard:    stops before any change unless the database is at version 71bc6e0f4a9d
-- lock:     ALTER TABLE order_items RENAME TO order_lines: ALGORITHM=INSTANT, LOCK=EXCLUSIVE on order_items (existing); changes the catalog only

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 0007: expected 71bc6e0f4a9d, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '71bc6e0f4a9d') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '9e05a7b3c2d8'), 'DO 0', CONCAT('sqlbundle guard 0007: expected 71bc6e0f4a9d, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
ALTER TABLE order_items RENAME TO order_lines;
UPDATE alembic_version SET version_num = '9e05a7b3c2d8' WHERE alembic_version.version_num = '71bc6e0f4a9d';
