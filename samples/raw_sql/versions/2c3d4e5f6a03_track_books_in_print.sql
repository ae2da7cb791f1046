-- revision: 2c3d4e5f6a03
-- down_revision: 1b2c3d4e5f02
-- message: track which books are in print
-- source_dialect: postgres
-- create_date: 2026-02-03 09:00:00

-- sqlbundle:upgrade
ALTER TABLE books ADD COLUMN in_print BOOLEAN NOT NULL DEFAULT TRUE;

-- sqlbundle:downgrade
ALTER TABLE books DROP COLUMN in_print;

-- Oracle before 23 has no BOOLEAN: this section replaces the transpiled text for Oracle.
-- sqlbundle:upgrade dialect=oracle
ALTER TABLE books ADD in_print NUMBER(1) DEFAULT 1 NOT NULL;
