"""The engine harness (tests/engines.py) itself, proved on every engine.

Each test applies SQL with the engine's real client into its own throwaway database and reads it
back, so the helpers other tests rely on are known to report what is really there -- including
that a client stops at the first error, which is what a DBA applying a bundle relies on.
"""

from __future__ import annotations

import subprocess

import pytest

import engines
from engines import (  # noqa: F401  (fixtures are used by name)
    ENGINES,
    ApplyError,
    comparable,
    database_exists,
    duckdb_db,
    engine,
    mariadb,
    pg,
    sqlite_db,
    throwaway,
)

pytestmark = pytest.mark.engine


def fixture_sql(name: str) -> str:
    # DuckDB rejects ON DELETE actions ("FOREIGN KEY constraints cannot use CASCADE, ...").
    cascade = "" if name == "duckdb" else " ON DELETE CASCADE"
    comment = {
        "postgresql": "COMMENT ON TABLE orders IS 'Orders placed';",
        "duckdb": "COMMENT ON TABLE orders IS 'Orders placed';",
        "mariadb": "ALTER TABLE orders COMMENT = 'Orders placed';",
        "sqlite": "-- sqlite has no table comments",
    }[name]
    return f"""-- harness fixture
CREATE TABLE customer (
    id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    name VARCHAR(100),
    active BOOLEAN DEFAULT TRUE NOT NULL,
    created_at TIMESTAMP,
    born DATE,
    CONSTRAINT pk_customer PRIMARY KEY (id),
    CONSTRAINT uq_customer_email UNIQUE (email),
    CHECK (length(email) > 3)
);

CREATE TABLE orders (
    id BIGINT NOT NULL,
    customer_id INTEGER NOT NULL,
    amount NUMERIC(12, 2) DEFAULT 0 NOT NULL,
    status VARCHAR(20) DEFAULT 'new' NOT NULL,
    note TEXT,
    CONSTRAINT pk_orders PRIMARY KEY (id),
    CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customer (id){cascade},
    CONSTRAINT ck_orders_amount CHECK (amount >= 0)
);
CREATE INDEX ix_orders_status_id ON orders (status, id);
CREATE UNIQUE INDEX ux_customer_name ON customer (name);
{comment}
INSERT INTO customer (id, email, name) VALUES (1, 'a@example.com', 'A');
INSERT INTO orders (id, customer_id, amount) VALUES (1, 1, 9.50);

CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO alembic_version (version_num) VALUES ('abc123');
"""


def col(name, type_, nullable, default=None):
    return {"name": name, "type": type_, "nullable": nullable, "default": default}


def fk(name, ondelete):
    return {
        "name": name,
        "columns": ["customer_id"],
        "referred_table": "customer",
        "referred_columns": ["id"],
        "ondelete": ondelete,
        "onupdate": None,
    }


EXPECTED = {
    "postgresql": {
        "tables": {
            "customer": {
                "columns": [
                    col("id", "INTEGER", False),
                    col("email", "VARCHAR(255)", False),
                    col("name", "VARCHAR(100)", True),
                    col("active", "BOOLEAN", False, "true"),
                    col("created_at", "TIMESTAMP", True),
                    col("born", "DATE", True),
                ],
                "primary_key": {"name": "pk_customer", "columns": ["id"]},
                "foreign_keys": [],
                "unique_constraints": [{"name": "uq_customer_email", "columns": ["email"]}],
                # unnamed CHECK: PostgreSQL names it <table>_<column>_check and adds a cast
                "check_constraints": [{"name": "customer_email_check", "sqltext": "length(email::text) > 3"}],
                "indexes": [{"name": "ux_customer_name", "columns": ["name"], "unique": True}],
                "comment": None,
            },
            "orders": {
                "columns": [
                    col("id", "BIGINT", False),
                    col("customer_id", "INTEGER", False),
                    col("amount", "NUMERIC(12,2)", False, "0"),
                    col("status", "VARCHAR(20)", False, "'new'"),  # was 'new'::character varying
                    col("note", "TEXT", True),
                ],
                "primary_key": {"name": "pk_orders", "columns": ["id"]},
                "foreign_keys": [fk("fk_orders_customer", "CASCADE")],
                "unique_constraints": [],
                "check_constraints": [{"name": "ck_orders_amount", "sqltext": "amount >= 0::numeric"}],
                "indexes": [{"name": "ix_orders_status_id", "columns": ["status", "id"], "unique": False}],
                "comment": "Orders placed",
            },
        }
    },
    "mariadb": {
        "tables": {
            "customer": {
                "columns": [
                    col("id", "INTEGER", False),
                    col("email", "VARCHAR(255)", False),
                    col("name", "VARCHAR(100)", True),
                    col("active", "BOOLEAN", False, "1"),  # BOOLEAN is TINYINT(1); TRUE is 1
                    col("created_at", "TIMESTAMP", True),
                    col("born", "DATE", True),
                ],
                "primary_key": {"name": None, "columns": ["id"]},  # always PRIMARY; reported as None
                "foreign_keys": [],
                # A UNIQUE index and a UNIQUE constraint are the same thing (UNIQUE KEY) on
                # MariaDB: both are reported as unique constraints.
                "unique_constraints": [
                    {"name": "uq_customer_email", "columns": ["email"]},
                    {"name": "ux_customer_name", "columns": ["name"]},
                ],
                # unnamed CHECK: named CONSTRAINT_<n>; length() is stored as octet_length()
                "check_constraints": [{"name": "CONSTRAINT_1", "sqltext": "octet_length(`email`) > 3"}],
                "indexes": [],
                "comment": None,
            },
            "orders": {
                "columns": [
                    col("id", "BIGINT", False),
                    col("customer_id", "INTEGER", False),
                    col("amount", "NUMERIC(12,2)", False, "0.00"),
                    col("status", "VARCHAR(20)", False, "'new'"),
                    col("note", "TEXT", True),
                ],
                "primary_key": {"name": None, "columns": ["id"]},
                "foreign_keys": [fk("fk_orders_customer", "CASCADE")],
                "unique_constraints": [],
                "check_constraints": [{"name": "ck_orders_amount", "sqltext": "`amount` >= 0"}],
                "indexes": [
                    # created implicitly by InnoDB for the FK (comparable() drops it)
                    {"name": "fk_orders_customer", "columns": ["customer_id"], "unique": False},
                    {"name": "ix_orders_status_id", "columns": ["status", "id"], "unique": False},
                ],
                "comment": "Orders placed",
            },
        }
    },
    "sqlite": {
        "tables": {
            "customer": {
                "columns": [
                    col("id", "INTEGER", False),
                    col("email", "VARCHAR(255)", False),
                    col("name", "VARCHAR(100)", True),
                    col("active", "BOOLEAN", False, "TRUE"),
                    col("created_at", "TIMESTAMP", True),
                    col("born", "DATE", True),
                ],
                "primary_key": {"name": "pk_customer", "columns": ["id"]},
                "foreign_keys": [],
                "unique_constraints": [{"name": "uq_customer_email", "columns": ["email"]}],
                "check_constraints": [{"name": None, "sqltext": "length(email) > 3"}],
                "indexes": [{"name": "ux_customer_name", "columns": ["name"], "unique": True}],
                "comment": None,
            },
            "orders": {
                "columns": [
                    col("id", "BIGINT", False),
                    col("customer_id", "INTEGER", False),
                    col("amount", "NUMERIC(12,2)", False, "0"),
                    col("status", "VARCHAR(20)", False, "'new'"),
                    col("note", "TEXT", True),
                ],
                "primary_key": {"name": "pk_orders", "columns": ["id"]},
                "foreign_keys": [fk("fk_orders_customer", "CASCADE")],
                "unique_constraints": [],
                "check_constraints": [{"name": "ck_orders_amount", "sqltext": "amount >= 0"}],
                "indexes": [{"name": "ix_orders_status_id", "columns": ["status", "id"], "unique": False}],
                "comment": None,
            },
        }
    },
    "duckdb": {
        "tables": {
            "customer": {
                "columns": [
                    col("id", "INTEGER", False),
                    col("email", "VARCHAR", False),  # DuckDB drops VARCHAR lengths
                    col("name", "VARCHAR", True),
                    col("active", "BOOLEAN", False, "true"),
                    col("created_at", "TIMESTAMP", True),
                    col("born", "DATE", True),
                ],
                # DuckDB keeps no constraint names
                "primary_key": {"name": None, "columns": ["id"]},
                "foreign_keys": [],
                "unique_constraints": [{"name": None, "columns": ["email"]}],
                "check_constraints": [{"name": None, "sqltext": "length(email) > 3"}],
                "indexes": [{"name": "ux_customer_name", "columns": ["name"], "unique": True}],
                "comment": None,
            },
            "orders": {
                "columns": [
                    col("id", "BIGINT", False),
                    col("customer_id", "INTEGER", False),
                    col("amount", "NUMERIC(12,2)", False, "0"),
                    col("status", "VARCHAR", False, "'new'"),
                    col("note", "VARCHAR", True),  # TEXT is VARCHAR
                ],
                "primary_key": {"name": None, "columns": ["id"]},
                "foreign_keys": [fk(None, None)],
                "unique_constraints": [],
                "check_constraints": [{"name": None, "sqltext": "amount >= 0"}],
                "indexes": [{"name": "ix_orders_status_id", "columns": ["status", "id"], "unique": False}],
                "comment": "Orders placed",
            },
        }
    },
}


def test_apply_and_reflect(engine):
    proc = engine.apply(fixture_sql(engine.name))
    assert isinstance(proc, subprocess.CompletedProcess) and proc.returncode == 0

    schema = engine.schema()
    assert schema == EXPECTED[engine.name]
    assert engine.version_rows() == ["abc123"]
    assert engine.table_names() == ["alembic_version", "customer", "orders"]
    assert engine.query("SELECT id, customer_id, status FROM orders") == [(1, 1, "new")]

    # comparable() only drops MariaDB's implicit FK index
    expected = EXPECTED[engine.name]
    if engine.name == "mariadb":
        orders = comparable(schema, engine.name)["tables"]["orders"]
        assert orders["indexes"] == [{"name": "ix_orders_status_id", "columns": ["status", "id"], "unique": False}]
        assert comparable(schema, engine.name)["tables"]["customer"] == expected["tables"]["customer"]
    else:
        assert comparable(schema, engine.name) == expected


def test_apply_accepts_a_path(engine, tmp_path):
    path = tmp_path / "from_file.sql"
    path.write_text("CREATE TABLE from_file (id INTEGER NOT NULL PRIMARY KEY);\n", encoding="utf-8")
    engine.apply(path)
    assert engine.table_names() == ["from_file"]


RUNTIME_ERROR = """CREATE TABLE first_ok (id INTEGER NOT NULL PRIMARY KEY);
INSERT INTO no_such_table (id) VALUES (1);
CREATE TABLE never_created (id INTEGER NOT NULL PRIMARY KEY);
"""

SYNTAX_ERROR = """CREATE TABLE first_ok (id INTEGER NOT NULL PRIMARY KEY);
CREAT TABLE oops (id INTEGER);
CREATE TABLE never_created (id INTEGER NOT NULL PRIMARY KEY);
"""

# What each client prints on stderr for the second statement.
RUNTIME_ERROR_TEXT = {
    "postgresql": 'ERROR:  relation "no_such_table" does not exist',
    "mariadb": "ERROR 1146 (42S02) at line 2: Table '{db}.no_such_table' doesn't exist",
    "sqlite": "no such table: no_such_table",
    "duckdb": "Table with name no_such_table does not exist",
}
SYNTAX_ERROR_TEXT = {
    "postgresql": 'ERROR:  syntax error at or near "CREAT"',
    "mariadb": "ERROR 1064 (42000) at line 2: You have an error in your SQL syntax",
    "sqlite": 'near "CREAT": syntax error',
    "duckdb": 'syntax error at or near "CREAT"',
}
# psql exits 3 with ON_ERROR_STOP; the others exit 1.
EXIT_CODE = {"postgresql": 3, "mariadb": 1, "sqlite": 1, "duckdb": 1}


@pytest.mark.parametrize("kind", ["runtime", "syntax"])
def test_client_stops_at_first_error(engine, kind):
    sql, texts = (RUNTIME_ERROR, RUNTIME_ERROR_TEXT) if kind == "runtime" else (SYNTAX_ERROR, SYNTAX_ERROR_TEXT)
    with pytest.raises(ApplyError) as info:
        engine.apply(sql)
    err = info.value
    expected_text = texts[engine.name].format(db=engine.database)
    assert expected_text in err.stderr
    assert expected_text in str(err)
    assert err.returncode == EXIT_CODE[engine.name]
    assert err.sql_file.read_text(encoding="utf-8") == sql
    # The first statement ran (and stayed: no enclosing transaction); the third did NOT run.
    assert engine.table_names() == ["first_ok"]


def test_expect_error(engine):
    proc = engine.apply(RUNTIME_ERROR, expect_error=True)
    assert proc.returncode == EXIT_CODE[engine.name]
    assert RUNTIME_ERROR_TEXT[engine.name].format(db=engine.database) in proc.stderr
    with pytest.raises(AssertionError, match="expected applying"):
        engine.apply("CREATE TABLE fine (id INTEGER);\n", expect_error=True)
    assert engine.table_names() == ["fine", "first_ok"]


def test_version_rows(engine):
    with pytest.raises(LookupError):
        engine.version_rows()
    engine.apply(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
        "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));\n"
    )
    assert engine.version_rows() == []
    engine.apply("INSERT INTO alembic_version (version_num) VALUES ('ffff');\n"
                 "INSERT INTO alembic_version (version_num) VALUES ('0aaa');\n")
    assert engine.version_rows() == ["0aaa", "ffff"]
    # the version table is excluded from schema() but listed by table_names()
    assert engine.schema() == {"tables": {}}
    assert engine.table_names() == ["alembic_version"]


# Each run of this test must get a fresh database, and the previous run's must be gone.
_SEEN: dict[str, str] = {}


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_gets_a_fresh_database(engine, run):
    assert engine.database.rsplit("/", 1)[-1].startswith("sqlbundle_t_")
    assert database_exists(engine.name, engine.database)
    assert engine.table_names() == []  # nothing left over from the other run
    engine.apply("CREATE TABLE leftover (id INTEGER);\n")
    previous = _SEEN.get(engine.name)
    if previous is not None:  # the other run already happened (it normally runs first)
        assert previous != engine.database
        assert not database_exists(engine.name, previous), f"{previous} was not dropped"
    _SEEN[engine.name] = engine.database


@pytest.mark.parametrize("name", ENGINES)
def test_throwaway_creates_distinct_databases_and_drops_them(name, tmp_path):
    with throwaway(name, tmp_path) as first, throwaway(name, tmp_path) as second:
        assert first.name == second.name == name
        assert first.database != second.database
        assert database_exists(name, first.database) and database_exists(name, second.database)
        first.apply("CREATE TABLE only_in_first (id INTEGER);\n")
        assert first.table_names() == ["only_in_first"]
        assert second.table_names() == []
    assert not database_exists(name, first.database)
    assert not database_exists(name, second.database)


def test_pg_fixture(pg):
    assert pg.name == "postgresql"
    assert pg.url == f"postgresql+psycopg2://postgres@127.0.0.1:5432/{pg.database}"
    assert pg.query("SELECT current_database()") == [(pg.database,)]


def test_mariadb_fixture(mariadb):
    assert mariadb.name == "mariadb"
    assert mariadb.url == f"mysql+pymysql://root@127.0.0.1:3306/{mariadb.database}?charset=utf8mb4"
    assert mariadb.query(
        "SELECT DATABASE(), @@character_set_database, @@collation_database"
    ) == [(mariadb.database, "utf8mb4", "utf8mb4_unicode_ci")]


def test_sqlite_fixture(sqlite_db, tmp_path):
    assert sqlite_db.name == "sqlite"
    assert sqlite_db.url == f"sqlite:///{sqlite_db.database}" and sqlite_db.url.startswith("sqlite:////")
    assert sqlite_db.path.parent == tmp_path.resolve()
    assert sqlite_db.query("SELECT 1") == [(1,)]


def test_duckdb_fixture(duckdb_db, tmp_path):
    assert duckdb_db.name == "duckdb"
    assert duckdb_db.path.parent == tmp_path.resolve()
    assert duckdb_db.query("SELECT 42") == [(42,)]


def test_duckdb_python_runner(duckdb_db, monkeypatch):
    """The path used when no duckdb CLI is installed: statement by statement, -bail semantics."""
    monkeypatch.setattr(engines, "duckdb_cli", lambda: None)
    argv, stdin_file = duckdb_db.command(duckdb_db.workdir / "x.sql")
    assert stdin_file is None and argv[1] == "-c"
    proc = duckdb_db.apply(
        "-- leading comment\n"
        "CREATE TABLE a (id INTEGER); INSERT INTO a VALUES (1), (2);\n"
        "SELECT count(*) FROM a;\n"
        "INSERT INTO a\n  VALUES (3);\n"
        "-- trailing comment only\n"
    )
    assert proc.stdout == "2\n"
    assert duckdb_db.query("SELECT sum(id) FROM a") == [(6,)]
    with pytest.raises(ApplyError) as info:
        duckdb_db.apply("CREATE TABLE b (id INTEGER);\n\nINSERT INTO nope VALUES (1);\nCREATE TABLE c (id INTEGER);\n")
    assert "in the statement starting at line 3" in info.value.stderr
    assert duckdb_db.table_names() == ["a", "b"]


def test_unavailable_engine_skips_locally_and_fails_on_ci(monkeypatch):
    monkeypatch.setitem(engines._AVAILABILITY, "postgresql", "psql client not found on PATH")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="postgresql not available: psql client not found"):
        engines.require("postgresql")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        engines.require("postgresql")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="postgresql not available: psql client not found"):
        engines.require("postgresql")
