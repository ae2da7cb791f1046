-- Rollback of step 9 of bundle heads:base for mariadb@10.11 (MariaDB)
-- revision: 2a7d5c90e3b1
-- parents:  b3187d2f6e45
-- message:  create product reviews
-- source:   versions/2a7d5c90e3b1_create_product_reviews.py (sha256 3bcda4662f52ac0fb62b6106fa12ec3fd989e8b97a8a2eca33237b82f227331a)
-- version:  2a7d5c90e3b1 -> b3187d2f6e45
-- apply:    mariadb --abort-source-on-error "$DATABASE" < rollback/9991_2a7d5c90e3b1_create_product_reviews.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1
-- lock:     DROP TABLE product_reviews: an exclusive metadata lock on product_reviews (existing); drops the table and its data
-- WARNING:  this step loses data: drop table product_reviews

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 9991: expected 2a7d5c90e3b1, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '2a7d5c90e3b1') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'b3187d2f6e45'), 'DO 0', CONCAT('sqlbundle guard 9991: expected 2a7d5c90e3b1, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
DROP TABLE product_reviews;
UPDATE alembic_version SET version_num = 'b3187d2f6e45' WHERE alembic_version.version_num = '2a7d5c90e3b1';
