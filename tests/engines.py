"""Throwaway databases on real engines, and applying SQL files to them with the real clients.

sqlbundle's output is SQL that a DBA runs with the engine's own command-line client, so the
tests prove it the same way: every test gets a fresh database, the .sql file is applied with
the client exactly as a DBA would, and the result is read back through a Python driver.

Usage from a test module (pytest's default "prepend" import mode puts tests/ on sys.path, so
``import engines`` works from any tests/*.py)::

    import pytest
    from engines import engine, pg, mariadb, sqlite_db, duckdb_db  # fixtures

    pytestmark = pytest.mark.engine

    def test_something(engine):            # runs once per engine in ENGINES
        engine.apply(tmp_sql_file)          # raises ApplyError if the client fails
        assert engine.version_rows() == ["abc123"]

Client command lines (``FILE`` is the .sql file, ``DB`` the throwaway database)::

    postgresql: psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5432 -U postgres -d DB -f FILE
    mariadb:    mariadb -h 127.0.0.1 -P 3306 -u root --default-character-set=utf8mb4 DB < FILE
    sqlite:     sqlite3 -bail DBFILE < FILE
    duckdb:     duckdb -no-init -bail DBFILE < FILE          (when a duckdb CLI is found)
                python -c <_DUCKDB_RUNNER> DBFILE FILE       (otherwise; see below)

How each client behaves on an error (checked by tests/test_engines_harness.py):

* psql exits 3 and stops at the first error only because of ``-v ON_ERROR_STOP=1``; without
  it psql reports the error, runs the rest of the file and exits 0.  Statements before the
  error stay committed (no ``-1``/single transaction: each statement autocommits).
* mariadb in batch mode (stdin not a terminal) stops at the first error by default and exits 1
  (``--force`` would make it continue).  DDL commits implicitly, so earlier statements stay.
* sqlite3 exits 1 on an error either way, but only stops there with ``-bail``; without it it
  runs the rest of the file.  Note the sqlite3 shell does not enforce foreign keys unless the
  file says ``PRAGMA foreign_keys = ON``.
* duckdb CLI: like sqlite3, it keeps going after an error unless ``-bail`` is given (exits 1
  either way).  A syntax error stops at that statement; earlier statements stay.

DuckDB without a CLI: the ``duckdb`` Python package is an embedded engine and ships no
client.  We look for a CLI in $SQLBUNDLE_DUCKDB_CLI, then ``duckdb`` on PATH, then next to
sys.executable (where ``pip install duckdb-cli`` puts it in a venv).  If none is found the
file is applied by a separate Python process (:data:`_DUCKDB_RUNNER`) that mimics ``duckdb
-bail``: it reads the file line by line, and each time the buffered text is a complete
statement (``sqlite3.complete_statement``, the same test the sqlite-derived shell uses) it
runs it; at the first error it prints the error on stderr and exits 1, earlier statements
staying committed.  Running in a separate process also means no connection is held open in
the test process (DuckDB allows one writing process per file).

Reflection (:meth:`Engine.schema`) uses SQLAlchemy's inspector for postgresql, mariadb and
sqlite.  For duckdb the ``duckdb_engine`` dialect is used only if installed (it is not a
dependency); otherwise the catalog functions duckdb_tables()/duckdb_columns()/
duckdb_constraints()/duckdb_indexes() are read directly into the same structure.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3 as _sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Iterator

import pytest

ENGINES = ("postgresql", "mariadb", "sqlite", "duckdb")

PG_HOST = os.environ.get("SQLBUNDLE_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("SQLBUNDLE_PG_PORT", "5432"))
PG_USER = os.environ.get("SQLBUNDLE_PG_USER", "postgres")
# Databases tried, in order, for the admin connection that creates and drops test databases.
PG_ADMIN_DBS = ("postgres", "test")
MARIADB_HOST = os.environ.get("SQLBUNDLE_MARIADB_HOST", "127.0.0.1")
MARIADB_PORT = int(os.environ.get("SQLBUNDLE_MARIADB_PORT", "3306"))
MARIADB_USER = os.environ.get("SQLBUNDLE_MARIADB_USER", "root")
MARIADB_PASSWORD = os.environ.get("SQLBUNDLE_MARIADB_PASSWORD", "")

DB_PREFIX = "sqlbundle_t_"
VERSION_TABLE = "alembic_version"
CONNECT_TIMEOUT = 2  # seconds, for the reachability check and admin connections
APPLY_TIMEOUT = 300  # seconds, for one client run

_PYTHON_DRIVER = {"postgresql": "psycopg2", "mariadb": "pymysql", "sqlite": "sqlite3", "duckdb": "duckdb"}


class ApplyError(Exception):
    """The client exited non-zero while applying a SQL file."""

    def __init__(self, engine: str, cmd: list[str], returncode: int, stdout: str, stderr: str, sql_file: Path):
        self.engine = engine
        self.cmd = cmd
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.sql_file = sql_file
        tail = "\n".join(stdout.splitlines()[-20:])
        super().__init__(
            f"{engine}: applying {sql_file} failed (exit {returncode})\n"
            f"command: {' '.join(cmd)}\n--- stderr ---\n{stderr.rstrip()}\n--- stdout (tail) ---\n{tail}"
        )


# --------------------------------------------------------------------------------------------
# availability (checked once per session, i.e. once per process)

_AVAILABILITY: dict[str, str | None] = {}


def duckdb_cli() -> str | None:
    """Path of a duckdb command-line client, or None (then the Python runner is used)."""
    env = os.environ.get("SQLBUNDLE_DUCKDB_CLI")
    if env:
        return env if os.access(env, os.X_OK) else None
    found = shutil.which("duckdb")
    if found:
        return found
    beside = Path(sys.executable).parent / "duckdb"
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def _pg_admin_connect():
    import psycopg2

    last: Exception | None = None
    for dbname in PG_ADMIN_DBS:
        try:
            con = psycopg2.connect(
                host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname, connect_timeout=CONNECT_TIMEOUT
            )
        except psycopg2.OperationalError as exc:  # e.g. that database does not exist
            last = exc
            continue
        con.autocommit = True
        return con
    assert last is not None
    raise last


def _mariadb_connect(database: str | None = None):
    import pymysql

    return pymysql.connect(
        host=MARIADB_HOST,
        port=MARIADB_PORT,
        user=MARIADB_USER,
        password=MARIADB_PASSWORD,
        database=database,
        charset="utf8mb4",
        connect_timeout=CONNECT_TIMEOUT,
        autocommit=True,
    )


def _check(name: str) -> str | None:
    """Why ``name`` cannot be used here, or None if it can."""
    try:
        __import__(_PYTHON_DRIVER[name])
    except ImportError as exc:
        return f"python driver {_PYTHON_DRIVER[name]} not importable ({exc})"
    if name == "postgresql":
        if not shutil.which("psql"):
            return "psql client not found on PATH"
        try:
            _pg_admin_connect().close()
        except Exception as exc:
            return f"cannot connect to {PG_USER}@{PG_HOST}:{PG_PORT} ({str(exc).strip()})"
    elif name == "mariadb":
        if not shutil.which("mariadb"):
            return "mariadb client not found on PATH"
        try:
            _mariadb_connect().close()
        except Exception as exc:
            return f"cannot connect to {MARIADB_USER}@{MARIADB_HOST}:{MARIADB_PORT} ({exc})"
    elif name == "sqlite":
        if not shutil.which("sqlite3"):
            return "sqlite3 client not found on PATH"
    elif name != "duckdb":
        raise ValueError(f"unknown engine {name!r}; expected one of {ENGINES}")
    return None


def unavailable_reason(name: str) -> str | None:
    if name not in _AVAILABILITY:
        _AVAILABILITY[name] = _check(name)
    return _AVAILABILITY[name]


def require(name: str) -> None:
    """Skip the current test if ``name`` is unavailable -- or fail it when CI=true."""
    reason = unavailable_reason(name)
    if reason is None:
        return
    message = f"{name} not available: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# --------------------------------------------------------------------------------------------
# the DuckDB runner used when there is no duckdb CLI (run as: python -c RUNNER DBFILE SQLFILE)

_DUCKDB_RUNNER = r"""
import sqlite3, sys
import duckdb

db, path = sys.argv[1], sys.argv[2]
con = duckdb.connect(db)


def run(chunk, line):
    try:
        statements = duckdb.extract_statements(chunk)
        if not statements:  # only comments
            return
        con.execute(chunk)
    except duckdb.Error as exc:
        sys.stderr.write(f"{exc}\n(in the statement starting at line {line} of {path})\n")
        con.close()
        sys.exit(1)
    if statements[-1].type != duckdb.StatementType.SELECT:
        return
    for row in con.fetchall():
        print("|".join("NULL" if v is None else str(v) for v in row))


buf, start = [], None
with open(path, encoding="utf-8") as f:
    for lineno, line in enumerate(f, 1):
        if start is None and not line.strip():
            continue
        if start is None:
            start = lineno
        buf.append(line)
        chunk = "".join(buf)
        if sqlite3.complete_statement(chunk):
            run(chunk, start)
            buf, start = [], None
if buf:
    run("".join(buf), start)
con.close()
"""


# --------------------------------------------------------------------------------------------
# normalization helpers

_TYPE_SYNONYMS = {
    "INT": "INTEGER",
    "INT4": "INTEGER",
    "INT8": "BIGINT",
    "INT2": "SMALLINT",
    "DECIMAL": "NUMERIC",
    "BOOL": "BOOLEAN",
    "FLOAT8": "DOUBLE",
    "DOUBLE PRECISION": "DOUBLE",
    "CHARACTER VARYING": "VARCHAR",
}


def normalize_type(compiled: str, engine_name: str) -> str:
    """Uppercase; collation/charset removed; no spaces inside ``(p,s)``; synonyms mapped
    (INT->INTEGER, DECIMAL->NUMERIC, DOUBLE PRECISION->DOUBLE, CHARACTER VARYING->VARCHAR,
    PostgreSQL's ``TIMESTAMP/TIME WITHOUT TIME ZONE`` -> ``TIMESTAMP/TIME``).

    MariaDB: integer display widths are dropped (INTEGER(11) -> INTEGER) and TINYINT(1) is
    reported as BOOLEAN -- BOOLEAN *is* TINYINT(1) there, the two cannot be told apart.
    """
    t = " ".join(compiled.upper().split())
    t = re.sub(r"\s+COLLATE\s+\"?[\w-]+\"?", "", t)
    t = re.sub(r"\s+CHARACTER SET\s+\w+", "", t)
    t = re.sub(r"\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)", r"(\1,\2)", t)
    t = re.sub(r"^(TIMESTAMP|TIME)(\(\d+\))? WITHOUT TIME ZONE$", r"\1\2", t)
    if engine_name == "mariadb":
        if t == "TINYINT(1)":
            return "BOOLEAN"
        t = re.sub(r"^(TINYINT|SMALLINT|MEDIUMINT|INT|INTEGER|BIGINT)\(\d+\)", r"\1", t)
    for key in sorted(_TYPE_SYNONYMS, key=len, reverse=True):
        if re.match(rf"{key}(?=$|[\s(])", t):
            return _TYPE_SYNONYMS[key] + t[len(key):]
    return t


def _strip_outer_parens(text: str) -> str:
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(text) - 1:
                return text  # "(a) + (b)": the first paren closes before the end
        text = text[1:-1].strip()
    return text


def normalize_default(default: str | None, engine_name: str) -> str | None:
    """Whitespace collapsed, fully-enclosing parentheses removed, and on PostgreSQL the cast
    PostgreSQL appends to a string literal dropped (``'new'::character varying`` -> ``'new'``),
    and DuckDB 1.x's ``CAST('t' AS BOOLEAN)`` written as 2.x's ``true``.  Otherwise the engine's own spelling is kept (``true``/``TRUE``/``1`` are NOT unified)."""
    if default is None:
        return None
    d = _strip_outer_parens(" ".join(str(default).split()))
    if engine_name == "duckdb":
        # DuckDB 1.x stores DEFAULT TRUE as CAST('t' AS BOOLEAN); 2.x stores it as true.
        d = {"CAST('t' AS BOOLEAN)": "true", "CAST('f' AS BOOLEAN)": "false"}.get(d, d)
    if engine_name == "postgresql":
        m = re.fullmatch(r"('(?:[^']|'')*')::[a-z_ ]+(?:\(\d+(?:,\d+)?\))?(?:\[\])?", d)
        if m:
            d = m.group(1)
    return d


def normalize_sqltext(text: str) -> str:
    """Whitespace collapsed and fully-enclosing parentheses removed; nothing else."""
    return _strip_outer_parens(" ".join(text.split()))


def _fk_action(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.upper().split())
    return None if value == "NO ACTION" else value


def _sort_key(d: dict):
    return (d.get("name") or "", [str(c) for c in d.get("columns", [])], repr(sorted(d.items())))


def _sorted(items: list[dict]) -> list[dict]:
    return sorted(items, key=_sort_key)


def comparable(schema: dict, engine_name: str) -> dict:
    """A copy of ``schema`` with engine-specific noise removed, for cross-engine comparisons.

    Exactly one thing is dropped: on MariaDB, the index InnoDB creates implicitly for a foreign
    key that has no usable index -- a non-unique index whose columns equal the FK's columns and
    whose name is the FK's name (named FK) or the FK's first column (unnamed FK).  Everything
    else is kept as the engine reports it (e.g. MariaDB's primary key name is None; DuckDB
    constraint names are None).  The duplicates of unique constraints that MariaDB and
    PostgreSQL report as unique indexes are already left out by :meth:`Engine.schema`.
    """
    import copy

    out = copy.deepcopy(schema)
    if engine_name != "mariadb":
        return out
    for table in out["tables"].values():
        implicit = set()
        for fk in table["foreign_keys"]:
            for name in (fk["name"], fk["columns"][0]):
                implicit.add((name, tuple(fk["columns"])))
        table["indexes"] = [
            ix
            for ix in table["indexes"]
            if ix["unique"] or (ix["name"], tuple(ix["columns"])) not in implicit
        ]
    return out


# --------------------------------------------------------------------------------------------
# the throwaway database


class Engine:
    """One throwaway database on one engine."""

    def __init__(self, name: str, database: str, workdir: Path):
        if name not in ENGINES:
            raise ValueError(f"unknown engine {name!r}; expected one of {ENGINES}")
        self.name = name
        self.database = database  # server-side database name, or the file path for sqlite/duckdb
        self.workdir = Path(workdir)
        self._n = 0
        if name == "postgresql":
            self.url = f"postgresql+psycopg2://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"
        elif name == "mariadb":
            self.url = f"mysql+pymysql://{MARIADB_USER}@{MARIADB_HOST}:{MARIADB_PORT}/{database}?charset=utf8mb4"
        elif name == "sqlite":
            self.url = f"sqlite:///{database}"  # database is an absolute path -> sqlite:////abs
        else:
            # For duckdb_engine, if installed.  Reflection here does not need it.
            self.url = f"duckdb:///{database}"
        self.path = Path(database) if name in ("sqlite", "duckdb") else None

    def __repr__(self) -> str:
        return f"<Engine {self.name} {self.database}>"

    # ---- applying SQL with the real client

    def command(self, sql_file: Path) -> tuple[list[str], Path | None]:
        """(argv, file to feed on stdin or None) for applying ``sql_file``."""
        sql_file = Path(sql_file)
        if self.name == "postgresql":
            return (
                ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", PG_HOST, "-p", str(PG_PORT),
                 "-U", PG_USER, "-d", self.database, "-f", str(sql_file)],
                None,
            )
        if self.name == "mariadb":
            argv = ["mariadb", "-h", MARIADB_HOST, "-P", str(MARIADB_PORT), "-u", MARIADB_USER]
            if MARIADB_PASSWORD:
                argv.append(f"-p{MARIADB_PASSWORD}")
            return argv + ["--default-character-set=utf8mb4", self.database], sql_file
        if self.name == "sqlite":
            return ["sqlite3", "-bail", self.database], sql_file
        cli = duckdb_cli()
        if cli:
            return [cli, "-no-init", "-bail", self.database], sql_file
        return [sys.executable, "-c", _DUCKDB_RUNNER, self.database, str(sql_file)], None

    def _sql_file(self, sql: str | Path) -> Path:
        if isinstance(sql, Path):
            return sql
        self._n += 1
        path = self.workdir / f"{self.name}_apply_{self._n}.sql"
        path.write_text(sql, encoding="utf-8")
        return path

    def apply(self, sql: str | Path, *, expect_error: bool = False) -> subprocess.CompletedProcess:
        """Apply a SQL file (a Path) or SQL text (a str, written to a file first) with the
        engine's real client.  Raises ApplyError on a non-zero exit; with ``expect_error`` the
        failed process is returned instead, and AssertionError is raised if it succeeded."""
        sql_file = self._sql_file(sql)
        argv, stdin_file = self.command(sql_file)
        if stdin_file is not None:
            with open(stdin_file, "rb") as stdin:
                proc = subprocess.run(argv, stdin=stdin, capture_output=True, text=True, timeout=APPLY_TIMEOUT)
        else:
            proc = subprocess.run(
                argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=APPLY_TIMEOUT
            )
        if expect_error:
            if proc.returncode == 0:
                raise AssertionError(
                    f"{self.name}: expected applying {sql_file} to fail, but {argv[0]} exited 0\n"
                    f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
                )
            return proc
        if proc.returncode != 0:
            raise ApplyError(self.name, argv, proc.returncode, proc.stdout, proc.stderr, sql_file)
        return proc

    # ---- reading back through a Python driver

    @contextlib.contextmanager
    def connect(self):
        """A DB-API connection (autocommit where the driver has it); closed afterwards."""
        if self.name == "postgresql":
            import psycopg2

            con = psycopg2.connect(
                host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=self.database, connect_timeout=CONNECT_TIMEOUT
            )
            con.autocommit = True
        elif self.name == "mariadb":
            con = _mariadb_connect(self.database)
        elif self.name == "sqlite":
            con = _sqlite3.connect(self.database, isolation_level=None)
        else:
            import duckdb

            con = duckdb.connect(self.database)
        try:
            yield con
        finally:
            con.close()

    def query(self, sql: str, params=None) -> list[tuple]:
        """Run one statement through the Python driver; rows as tuples ([] if none)."""
        with self.connect() as con:
            if self.name == "duckdb":
                rel = con.execute(sql, params) if params is not None else con.execute(sql)
                try:
                    return [tuple(r) for r in rel.fetchall()]
                except Exception:
                    return []
            cur = con.cursor()
            try:
                if params is None:
                    cur.execute(sql)
                else:
                    cur.execute(sql, params)
                return [tuple(r) for r in cur.fetchall()] if cur.description else []
            finally:
                cur.close()

    def table_names(self) -> list[str]:
        """Sorted names of the tables in the default schema, the version table included."""
        if self.name == "duckdb":
            return [
                r[0]
                for r in self.query(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                    "AND schema_name = current_schema() AND NOT temporary ORDER BY table_name"
                )
            ]
        with self._sa_inspector() as insp:
            return sorted(insp.get_table_names())

    def version_rows(self, table: str = VERSION_TABLE, schema: str | None = None) -> list[str]:
        """Sorted version_num values of the version table; [] if empty, LookupError if missing."""
        if schema is None and table not in self.table_names():
            raise LookupError(f"{self.name}: no table {table!r} in {self.database}")
        qualified = f"{schema}.{table}" if schema else table
        return sorted(r[0] for r in self.query(f"SELECT version_num FROM {qualified}"))

    # ---- reflection

    @contextlib.contextmanager
    def _sa_inspector(self):
        import sqlalchemy as sa
        from sqlalchemy.pool import NullPool

        eng = sa.create_engine(self.url, poolclass=NullPool)
        try:
            with eng.connect() as conn:
                yield sa.inspect(conn)
        finally:
            eng.dispose()

    def schema(self) -> dict:
        """The reflected schema, normalized (see the module docstring for the structure)."""
        if self.name == "duckdb":
            try:
                import duckdb_engine  # noqa: F401
            except ImportError:
                return self._duckdb_schema()
        return self._sa_schema()

    def _sa_schema(self) -> dict:
        tables = {}
        with self._sa_inspector() as insp:
            dialect = insp.bind.dialect
            for t in sorted(insp.get_table_names()):
                if t == VERSION_TABLE:
                    continue
                columns = [
                    {
                        "name": c["name"],
                        "type": normalize_type(c["type"].compile(dialect=dialect), self.name),
                        "nullable": bool(c["nullable"]),
                        "default": normalize_default(c.get("default"), self.name),
                    }
                    for c in insp.get_columns(t)
                ]
                pk = insp.get_pk_constraint(t) or {}
                fks = [
                    {
                        "name": fk.get("name"),
                        "columns": list(fk["constrained_columns"]),
                        "referred_table": fk["referred_table"],
                        "referred_columns": list(fk["referred_columns"]),
                        "ondelete": _fk_action((fk.get("options") or {}).get("ondelete")),
                        "onupdate": _fk_action((fk.get("options") or {}).get("onupdate")),
                    }
                    for fk in insp.get_foreign_keys(t)
                ]
                uqs_raw = insp.get_unique_constraints(t)
                uqs = [{"name": u.get("name"), "columns": list(u["column_names"])} for u in uqs_raw]
                # MariaDB reports each unique constraint also as a unique index (the uq carries
                # "duplicates_index"); PostgreSQL reports the backing index with
                # "duplicates_constraint".  The same object: keep only the constraint.
                dup_ix = {u["duplicates_index"] for u in uqs_raw if u.get("duplicates_index")}
                indexes = [
                    {"name": ix["name"], "columns": list(ix["column_names"]), "unique": bool(ix["unique"])}
                    for ix in insp.get_indexes(t)
                    if not ix.get("duplicates_constraint") and ix["name"] not in dup_ix
                ]
                try:
                    checks = [
                        {"name": ck.get("name"), "sqltext": normalize_sqltext(ck["sqltext"])}
                        for ck in insp.get_check_constraints(t)
                    ]
                except NotImplementedError:
                    checks = []
                try:
                    comment = (insp.get_table_comment(t) or {}).get("text")
                except NotImplementedError:  # sqlite has no table comments
                    comment = None
                tables[t] = {
                    "columns": columns,
                    "primary_key": {"name": pk.get("name"), "columns": list(pk.get("constrained_columns") or [])},
                    "foreign_keys": _sorted(fks),
                    "unique_constraints": _sorted(uqs),
                    "check_constraints": _sorted(checks),
                    "indexes": _sorted(indexes),
                    "comment": comment,
                }
        return {"tables": tables}

    def _duckdb_schema(self) -> dict:
        """DuckDB reflection straight from its catalog functions.

        Quirks: DuckDB does not keep constraint names (``CONSTRAINT pk_x PRIMARY KEY`` is stored
        as an anonymous PRIMARY KEY; duckdb_constraints() shows synthesized names such as
        ``x_id_pkey``), so every constraint name is None.  VARCHAR(n) is stored as VARCHAR and
        TEXT is VARCHAR.  FKs cannot have ON DELETE/UPDATE actions (parser error), so both are
        None.  NOT NULL shows up as constraints too; it is reported through "nullable" only.
        duckdb_indexes() lists only CREATE INDEX indexes (not the ones behind PK/UNIQUE).
        """
        tables: dict[str, dict] = {}
        where = "database_name = current_database() AND schema_name = current_schema()"
        with self.connect() as con:
            for (t, comment) in con.execute(
                f"SELECT table_name, comment FROM duckdb_tables() WHERE {where} AND NOT temporary ORDER BY table_name"
            ).fetchall():
                if t == VERSION_TABLE:
                    continue
                tables[t] = {
                    "columns": [],
                    "primary_key": {"name": None, "columns": []},
                    "foreign_keys": [],
                    "unique_constraints": [],
                    "check_constraints": [],
                    "indexes": [],
                    "comment": comment,
                }
            for t, col, dtype, nullable, default in con.execute(
                f"SELECT table_name, column_name, data_type, is_nullable, column_default FROM duckdb_columns() "
                f"WHERE {where} AND NOT internal ORDER BY table_name, column_index"
            ).fetchall():
                if t in tables:
                    tables[t]["columns"].append(
                        {
                            "name": col,
                            "type": normalize_type(dtype, "duckdb"),
                            "nullable": bool(nullable),
                            "default": normalize_default(default, "duckdb"),
                        }
                    )
            for t, ctype, cols, expr, ref_table, ref_cols in con.execute(
                f"SELECT table_name, constraint_type, constraint_column_names, expression, referenced_table, "
                f"referenced_column_names FROM duckdb_constraints() WHERE {where} ORDER BY table_name, constraint_index"
            ).fetchall():
                if t not in tables:
                    continue
                entry = tables[t]
                if ctype == "PRIMARY KEY":
                    entry["primary_key"] = {"name": None, "columns": list(cols)}
                elif ctype == "UNIQUE":
                    entry["unique_constraints"].append({"name": None, "columns": list(cols)})
                elif ctype == "CHECK":
                    entry["check_constraints"].append({"name": None, "sqltext": normalize_sqltext(expr)})
                elif ctype == "FOREIGN KEY":
                    fk = {
                        "name": None,
                        "columns": list(cols),
                        "referred_table": ref_table,
                        "referred_columns": list(ref_cols),
                        "ondelete": None,
                        "onupdate": None,
                    }
                    if fk not in entry["foreign_keys"]:
                        entry["foreign_keys"].append(fk)
            for t, name, unique, expressions in con.execute(
                f"SELECT table_name, index_name, is_unique, expressions FROM duckdb_indexes() WHERE {where}"
            ).fetchall():
                if t in tables:
                    tables[t]["indexes"].append(
                        {"name": name, "columns": _duckdb_index_columns(expressions), "unique": bool(unique)}
                    )
        for entry in tables.values():
            for key in ("foreign_keys", "unique_constraints", "check_constraints", "indexes"):
                entry[key] = _sorted(entry[key])
        return {"tables": tables}


def _duckdb_index_columns(expressions: str) -> list[str]:
    """duckdb_indexes().expressions is text like ``[status, id]`` or ``['"name"']``."""
    text = expressions.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    parts, depth, cur, quote = [], 0, "", None
    for ch in text:
        if quote:
            cur += ch
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            cur += ch
        elif ch == "(":
            depth += 1
            cur += ch
        elif ch == ")":
            depth -= 1
            cur += ch
        elif ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    out = []
    for p in parts:
        p = p.strip()
        if len(p) >= 2 and p[0] == p[-1] == "'":
            p = p[1:-1].replace("''", "'")
        if len(p) >= 2 and p[0] == p[-1] == '"':
            p = p[1:-1].replace('""', '"')
        out.append(p)
    return out


# --------------------------------------------------------------------------------------------
# creating and dropping


def new_database_name() -> str:
    return DB_PREFIX + uuid.uuid4().hex[:16]


def database_exists(name: str, database: str) -> bool:
    """Whether the throwaway database (server-side name, or file path) still exists."""
    if name == "postgresql":
        con = _pg_admin_connect()
        try:
            with con.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
                return cur.fetchone() is not None
        finally:
            con.close()
    if name == "mariadb":
        con = _mariadb_connect()
        try:
            with con.cursor() as cur:
                cur.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (database,))
                return cur.fetchone() is not None
        finally:
            con.close()
    return Path(database).exists()


@contextlib.contextmanager
def throwaway(name: str, workdir: Path) -> Iterator[Engine]:
    """Create a fresh database ``sqlbundle_t_<hex>`` on ``name``, yield its Engine, drop it.

    Availability is checked (skip, or fail when CI=true) before anything is created."""
    require(name)
    dbname = new_database_name()
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if name == "postgresql":
        con = _pg_admin_connect()
        try:
            with con.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{dbname}"')
        finally:
            con.close()
        engine = Engine(name, dbname, workdir)
    elif name == "mariadb":
        con = _mariadb_connect()
        try:
            with con.cursor() as cur:
                cur.execute(f"CREATE DATABASE `{dbname}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        finally:
            con.close()
        engine = Engine(name, dbname, workdir)
    else:
        suffix = ".db" if name == "sqlite" else ".duckdb"
        engine = Engine(name, str((workdir / (dbname + suffix)).resolve()), workdir)
        # Create the file now, so that the database exists from the start as on the servers.
        cli = duckdb_cli() if name == "duckdb" else None
        if cli:
            # With the CLI, not the Python package: a newer package writes a storage version an
            # older CLI cannot open (duckdb 2.0.1 writes v69; the 1.5.6 CLI reads up to v68),
            # while the package keeps an existing file's version when it writes to it.
            subprocess.run([cli, "-no-init", engine.database, "-c", "CHECKPOINT"], check=True,
                           capture_output=True, stdin=subprocess.DEVNULL, timeout=APPLY_TIMEOUT)
        else:
            with engine.connect():
                pass
    try:
        yield engine
    finally:
        _drop(engine)


def _drop(engine: Engine) -> None:
    if engine.name == "postgresql":
        con = _pg_admin_connect()
        try:
            with con.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{engine.database}" WITH (FORCE)')
        finally:
            con.close()
    elif engine.name == "mariadb":
        con = _mariadb_connect()
        try:
            with con.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{engine.database}`")
        finally:
            con.close()
    else:
        base = Path(engine.database)
        for p in (base, base.with_name(base.name + ".wal"), base.with_name(base.name + "-journal"),
                  base.with_name(base.name + "-wal"), base.with_name(base.name + "-shm")):
            p.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# pytest fixtures (import them into a test module: ``from engines import pg, engine``)


@pytest.fixture(params=[pytest.param(n, id=n, marks=pytest.mark.engine) for n in ENGINES])
def engine(request, tmp_path) -> Iterator[Engine]:
    """A fresh database on each engine in ENGINES in turn."""
    with throwaway(request.param, tmp_path) as eng:
        yield eng


@pytest.fixture
def pg(tmp_path) -> Iterator[Engine]:
    with throwaway("postgresql", tmp_path) as eng:
        yield eng


@pytest.fixture
def mariadb(tmp_path) -> Iterator[Engine]:
    with throwaway("mariadb", tmp_path) as eng:
        yield eng


@pytest.fixture
def sqlite_db(tmp_path) -> Iterator[Engine]:
    with throwaway("sqlite", tmp_path) as eng:
        yield eng


@pytest.fixture
def duckdb_db(tmp_path) -> Iterator[Engine]:
    with throwaway("duckdb", tmp_path) as eng:
        yield eng
