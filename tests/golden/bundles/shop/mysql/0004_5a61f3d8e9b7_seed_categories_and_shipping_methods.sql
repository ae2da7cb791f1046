-- Upgrade step 4 of bundle base:heads for mysql@8.0 (MySQL)
-- revision: 5a61f3d8e9b7
-- parents:  c47b0e1d5f82
-- message:  seed categories and shipping methods
-- source:   versions/5a61f3d8e9b7_seed_categories_and_shipping_methods.py (sha256 4841f6cf64f459f7d32bf582032a356f036cd5fa91da11eb769fb861d21c3059)
-- version:  c47b0e1d5f82 -> 5a61f3d8e9b7
-- apply:    mysql --abort-source-on-error "$DATABASE" < 0004_5a61f3d8e9b7_seed_categories_and_shipping_methods.sql
-- guard:    stops before any change unless the database is at version c47b0e1d5f82
-- lock:     INSERT INTO categories (name, slug, description) VALUES (...: row locks on categories (existing); writes rows
-- lock:     INSERT INTO categories (name, slug, description) VALUES (...: row locks on categories (existing); writes rows
-- lock:     INSERT INTO categories (name, slug, description) VALUES (...: row locks on categories (existing); writes rows
-- lock:     INSERT INTO shipping_methods (code, name, description, fe...: row locks on shipping_methods (existing); writes rows
-- lock:     INSERT INTO shipping_methods (code, name, description, fe...: row locks on shipping_methods (existing); writes rows
-- lock:     INSERT INTO shipping_methods (code, name, description, fe...: row locks on shipping_methods (existing); writes rows

SET NAMES utf8mb4;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'), 'DO 0', 'sqlbundle guard 0004: expected c47b0e1d5f82, found no version rows');
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM alembic_version WHERE version_num = 'c47b0e1d5f82') AND NOT EXISTS (SELECT 1 FROM alembic_version WHERE version_num = '5a61f3d8e9b7'), 'DO 0', CONCAT('sqlbundle guard 0004: expected c47b0e1d5f82, found ', COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') FROM alembic_version), 'no version rows')));
PREPARE sqlbundle_guard FROM @sqlbundle_guard;
EXECUTE sqlbundle_guard;
DEALLOCATE PREPARE sqlbundle_guard;
INSERT INTO categories (name, slug, description) VALUES ('Books', 'books', 'Fiction, non-fiction and reference');
INSERT INTO categories (name, slug, description) VALUES ('Children''s books', 'childrens-books', NULL);
INSERT INTO categories (name, slug, description) VALUES ('Küche & Café', 'kueche-cafe', 'Kaffeemühlen, Töpfe und Geschirr');
INSERT INTO shipping_methods (code, name, description, fee) VALUES ('standard', 'Standard delivery', '3–5 business days', 4.95);
INSERT INTO shipping_methods (code, name, description, fee) VALUES ('express', 'Express delivery', 'Next business day', 12.50);
INSERT INTO shipping_methods (code, name, description, fee) VALUES ('pickup', 'Store pickup', NULL, 0.00);
UPDATE alembic_version SET version_num = '5a61f3d8e9b7' WHERE alembic_version.version_num = 'c47b0e1d5f82';
