-- Upgrade step 10 of bundle base:heads for postgresql@16 (PostgreSQL)
-- revision: 4c9e2a71d8f3
-- parents:  b3187d2f6e45
-- message:  create payments table
-- source:   versions/4c9e2a71d8f3_create_payments_table.py (sha256 f845d02bfe7a7d9b4bda5a784f3dd86503d3a4179a3d795ff98e9be12ea2c964)
-- version:  2a7d5c90e3b1 -> 2a7d5c90e3b1, 4c9e2a71d8f3
-- apply:    psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 0010_4c9e2a71d8f3_create_payments_table.sql
-- guard:    stops before any change unless the database is at version 2a7d5c90e3b1
-- lock:     CREATE TABLE payments: creates the table; SHARE ROW EXCLUSIVE on orders (existing)
-- lock:     CREATE INDEX ix_payments_order_id ON payments (order_id): payments new in this step, nothing waits

BEGIN;
SET LOCAL lock_timeout = '5000ms';
DO $sqlbundle_guard$
DECLARE
    found text := '';
BEGIN
    IF to_regclass('alembic_version') IS NOT NULL THEN
        EXECUTE 'SELECT coalesce(string_agg(version_num, '','' ORDER BY version_num), '''') FROM alembic_version' INTO found;
    END IF;
    IF NOT (position(',4c9e2a71d8f3,' in ',' || found || ',') = 0) THEN
        RAISE EXCEPTION '%', 'sqlbundle guard 0010: expected not 4c9e2a71d8f3, found ' || CASE WHEN found = '' THEN 'no version rows' ELSE found END;
    END IF;
END
$sqlbundle_guard$;
CREATE TABLE payments (
	id SERIAL NOT NULL, 
	order_id INTEGER NOT NULL, 
	provider VARCHAR(30) NOT NULL, 
	provider_ref VARCHAR(64) NOT NULL, 
	amount NUMERIC(12, 2) NOT NULL, 
	currency VARCHAR(3) DEFAULT 'EUR' NOT NULL, 
	captured_at TIMESTAMP WITHOUT TIME ZONE, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	CONSTRAINT pk_payments PRIMARY KEY (id), 
	CONSTRAINT fk_payments_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE, 
	CONSTRAINT uq_payments_provider_ref UNIQUE (provider, provider_ref), 
	CONSTRAINT ck_payments_amount_positive CHECK (amount > 0)
);
CREATE INDEX ix_payments_order_id ON payments (order_id);
INSERT INTO alembic_version (version_num) VALUES ('4c9e2a71d8f3');
COMMIT;
