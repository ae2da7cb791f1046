-- Rollback of step 12 of bundle heads:base for mariadb@10.11 (MariaDB)
-- revision: f08c3e6b9a54
-- parents:  d61f8b4e07a2, 2a7d5c90e3b1
-- message:  merge payments and reviews
-- source:   versions/f08c3e6b9a54_merge_payments_and_reviews.py (sha256 fc1f8c1720f56891598a43259906d24a76c4839373938701338091323ff056d4)
-- version:  f08c3e6b9a54 -> 2a7d5c90e3b1, d61f8b4e07a2
-- apply:    mariadb --abort-source-on-error "$DATABASE" < rollback/9988_f08c3e6b9a54_merge_payments_and_reviews.sql
-- guard:    stops before any change unless the database is at version f08c3e6b9a54

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9988: expected f08c3e6b9a54, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'f08c3e6b9a54') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '2a7d5c90e3b1') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'd61f8b4e07a2'), 'DO 0', CONCAT('sqlbundle guard 9988: expected f08c3e6b9a54, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
UPDATE alembic_version SET version_num = 'd61f8b4e07a2' WHERE alembic_version.version_num = 'f08c3e6b9a54';
INSERT INTO alembic_version (version_num) VALUES ('2a7d5c90e3b1');
