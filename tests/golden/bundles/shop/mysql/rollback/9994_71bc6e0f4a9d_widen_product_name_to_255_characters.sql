-- Rollback of step 6 of bundle heads:base for mysql@8.0 (MySQL)
-- revision: 71bc6e0f4a9d
-- parents:  e2d84c9a1f60
-- message:  widen product name to 255 characters
-- source:   versions/71bc6e0f4a9d_widen_product_name_to_255_characters.py (sha256 4fd25e51dd964298a2706c71b1ec3a00d38f2af40c534314072256ec1fafcd37)
-- version:  71bc6e0f4a9d -> e2d84c9a1f60
-- apply:    mysql --abort-source-on-error "$DATABASE" < rollback/9994_71bc6e0f4a9d_widen_product_name_to_255_characters.sql
-- guard:    stops before any change unless the database is at version 71bc6e0f4a9d
-- lock:     ALTER TABLE products MODIFY name VARCHAR(100) NOT NULL: ALGORITHM=COPY, LOCK=SHARED on products (existing); copies the table; writes wait until it is done

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9994: expected 71bc6e0f4a9d, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '71bc6e0f4a9d') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'e2d84c9a1f60'), 'DO 0', CONCAT('sqlbundle guard 9994: expected 71bc6e0f4a9d, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
ALTER TABLE products MODIFY name VARCHAR(100) NOT NULL;
UPDATE alembic_version SET version_num = 'e2d84c9a1f60' WHERE alembic_version.version_num = '71bc6e0f4a9d';
