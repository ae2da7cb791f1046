"""Histories that start from an existing schema (issue 13): many projects began with
``create_all``, and their first revision alters tables that no revision created. The project
declares the starting schema (``baseline`` models or a ``baseline_sql`` dump); the SQL then
applies on a database holding that schema, and the result is what the migration means.

Dumps are taken with the engines' own tools (pg_dump, mariadb-dump, sqlite3 .schema) from a
database built by plain DDL, as a DBA would hand them over."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from engines import PG_HOST, PG_PORT, PG_USER, MARIADB_HOST, MARIADB_PORT, MARIADB_USER, \
    throwaway
from sqlbundle.errors import SqlbundleError
from twin import sqlbundle_sql, write_project

pytestmark = pytest.mark.engine

START = """
CREATE TABLE users (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    team_id INTEGER
);
CREATE TABLE teams (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(40));
CREATE INDEX ix_users_name ON users (name);
"""

# The first revision alters what it never created: the type change without existing_type=,
# the index drop and the rename need the baseline (SQLite copies the whole table for them).
FIRST = ("""
with op.batch_alter_table("users") as batch:
    batch.alter_column("name", type_=sa.String(120))
    batch.add_column(sa.Column("email", sa.String(80), nullable=True))
    batch.create_foreign_key("fk_users_team", "teams", ["team_id"], ["id"])
op.drop_index("ix_users_name", table_name="users")
op.create_index("ix_users_email", "users", ["email"], unique=True)
""", """
op.drop_index("ix_users_email", table_name="users")
op.create_index("ix_users_name", "users", ["name"])
with op.batch_alter_table("users") as batch:
    batch.drop_constraint("fk_users_team", type_="foreignkey")
    batch.drop_column("email")
    batch.alter_column("name", type_=sa.String(50))
""")

MODELS = """
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table("users", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("name", sa.String(50), nullable=False, index=True),
         sa.Column("team_id", sa.Integer))
sa.Table("teams", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("title", sa.String(40)))
"""


def _dump(engine) -> str:
    """The schema of ``engine``'s database as its own dump tool writes it."""
    if engine.name == "postgresql":
        if not shutil.which("pg_dump"):
            pytest.skip("pg_dump not found")
        cmd = ["pg_dump", "--schema-only", "-h", PG_HOST, "-p", str(PG_PORT), "-U", PG_USER,
               engine.database]
    elif engine.name == "mariadb":
        tool = shutil.which("mariadb-dump") or shutil.which("mysqldump")
        if tool is None:
            pytest.skip("mariadb-dump not found")
        cmd = [tool, "--no-data", "-h", MARIADB_HOST, "-P", str(MARIADB_PORT), "-u",
               MARIADB_USER, engine.database]
    else:
        cmd = ["sqlite3", engine.database, ".schema"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def _index_names(engine, table: str) -> set[str]:
    """Index names, unique ones included (MariaDB's inspector lists those as constraints)."""
    found = engine.schema()["tables"][table]
    return {i["name"] for i in found["indexes"] + found.get("unique_constraints", [])}


def _check_upgraded(engine) -> None:
    tables = engine.schema()["tables"]
    columns = {c["name"]: c for c in tables["users"]["columns"]}
    assert "120" in columns["name"]["type"] and "email" in columns
    assert [fk["referred_table"] for fk in tables["users"]["foreign_keys"]] == ["teams"]
    assert "ix_users_email" in _index_names(engine, "users")
    assert "ix_users_name" not in _index_names(engine, "users")


@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb", "sqlite"])
def test_history_starts_from_a_dump(engine_name, tmp_path):
    root = write_project(tmp_path / "p", FIRST, engine_name=engine_name)
    with pytest.raises(SqlbundleError, match="users"):
        sqlbundle_sql(root, engine_name)  # without a baseline the table is unknown
    with throwaway(engine_name, tmp_path / "db") as db:
        db.apply(START)
        (root / "schema.sql").write_text(_dump(db), encoding="utf-8")
        (root / "sqlbundle.toml").write_text('baseline_sql = "schema.sql"\n', encoding="utf-8")
        db.apply(sqlbundle_sql(root, engine_name))
        _check_upgraded(db)
        assert db.version_rows() == ["0001aaaa0001"]
        db.apply(sqlbundle_sql(root, engine_name, "heads:base", "downgrade"))
        columns = {c["name"]: c for c in db.schema()["tables"]["users"]["columns"]}
        assert "email" not in columns and "50" in columns["name"]["type"]
        assert "ix_users_name" in _index_names(db, "users")


@pytest.mark.parametrize("engine_name", ["postgresql", "sqlite"])
def test_history_starts_from_models(engine_name, tmp_path):
    root = write_project(tmp_path / "p", FIRST, engine_name=engine_name,
                         files={"appmodels.py": MODELS,
                                "sqlbundle.toml": 'baseline = "appmodels:metadata"\n'})
    with throwaway(engine_name, tmp_path / "db") as db:
        db.apply(START)
        db.apply(sqlbundle_sql(root, engine_name))
        _check_upgraded(db)


def test_a_baseline_that_cannot_be_imported_names_the_setting(tmp_path):
    root = write_project(tmp_path / "p", FIRST, files={
        "sqlbundle.toml": 'baseline = "nowhere:metadata"\n'})
    with pytest.raises(SqlbundleError, match="baseline: cannot import 'nowhere'"):
        sqlbundle_sql(root, "postgresql")


def test_pg_dump_names_in_public_become_unqualified():
    from sqlbundle.project.baseline import dump_state
    from sqlbundle.schema.state import SchemaState

    dump = ("\\restrict abc\nSET lock_timeout = 0;\n"
            "CREATE TABLE public.a (id integer NOT NULL);\n"
            "ALTER TABLE public.a OWNER TO postgres;\n"
            "CREATE TABLE audit.log (a_id integer);\n"
            "ALTER TABLE ONLY public.a ADD CONSTRAINT a_pkey PRIMARY KEY (id);\n"
            "ALTER TABLE ONLY audit.log ADD CONSTRAINT log_a FOREIGN KEY (a_id) "
            "REFERENCES public.a(id);\n")
    state = dump_state(SchemaState(), dump, "postgres", "public")
    assert set(state.tables) == {(None, "a"), ("audit", "log")}
    assert state.table("a").primary_key.name == "a_pkey"
    fk = state.table("log", "audit").foreign_keys[0]
    assert (fk.referred_schema, fk.referred_table) == (None, "a")
