"""Raw SQL written once: transpiled per target, refused when sqlglot cannot say it, followed
into the replayed schema where sqlglot can read it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from sqlbundle.compile.steps import compile_range, replayed_state
from sqlbundle.profile import load_profile
from sqlbundle.errors import SqlbundleError
from sqlbundle.project.model import open_project
from sqlbundle.schema.rawfollow import apply_raw_ddl
from sqlbundle.schema.state import SchemaState
from sqlbundle.render.transpile import TranspileError, transpile

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def sql_project(tmp_path: Path, upgrade: str, extra_sections: str = "") -> Path:
    (tmp_path / "sqlbundle.toml").write_text("")
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "a1.sql").write_text(
        "-- revision: a1\n-- down_revision: none\n-- source_dialect: postgres\n\n"
        f"-- sqlbundle:upgrade\n{upgrade}\n\n-- sqlbundle:downgrade\nSELECT 1;\n"
        + extra_sections)
    return tmp_path


def statements(root: Path, target: str) -> list[str]:
    compiled = compile_range(open_project(root, use_cache=False), "heads", target)
    return [s.sql for step in compiled.steps for s in step.statements]


def test_postgres_sql_is_transpiled_per_target(tmp_path):
    root = sql_project(tmp_path, "UPDATE t SET name = name || '!' WHERE d < DATE '2020-01-01';")
    assert statements(root, "postgresql") == [
        "UPDATE t SET name = name || '!' WHERE d < DATE '2020-01-01'"]
    assert statements(root, "mysql") == [
        "UPDATE t SET name = CONCAT(name, '!') WHERE d < CAST('2020-01-01' AS DATE)"]
    assert statements(root, "mssql") == [
        "UPDATE t SET name = name + '!' WHERE d < CAST('2020-01-01' AS DATE)"]


def test_type_the_target_lacks_is_an_error_naming_file_and_line(tmp_path):
    root = sql_project(tmp_path, "CREATE TABLE t (id SERIAL PRIMARY KEY);")
    with pytest.raises(TranspileError) as err:
        statements(root, "sqlite")
    assert str(err.value).startswith("versions/a1.sql:6: 'CREATE TABLE t (id SERIAL PRIMARY "
                                     "KEY)' becomes type SERIAL, which SQLite does not have")
    assert "dialect=sqlite" in str(err.value)


def test_dialect_section_replaces_the_transpiled_text(tmp_path):
    root = sql_project(tmp_path, "CREATE TABLE t (id SERIAL PRIMARY KEY);",
                       "\n-- sqlbundle:upgrade dialect=sqlite\n"
                       "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);\n")
    assert statements(root, "sqlite") == [
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)"]
    assert statements(root, "postgresql") == ["CREATE TABLE t (id SERIAL PRIMARY KEY)"]


def test_sql_that_does_not_parse_is_an_error(tmp_path):
    root = sql_project(tmp_path, "CREAT TABLE t (id int);")
    with pytest.raises(SqlbundleError, match="versions/a1.sql:6: .*does not parse|opaque"):
        statements(root, "mysql")


def test_index_null_ordering_is_not_emulated():
    profile = load_profile("mysql")
    assert transpile("CREATE UNIQUE INDEX ix ON t (a, b DESC);", "postgres", profile) == [
        "CREATE UNIQUE INDEX ix ON t(a, b DESC)"]


def test_boolean_refused_on_oracle_before_23_only():
    sql = "ALTER TABLE t ADD COLUMN f BOOLEAN;"
    with pytest.raises(TranspileError, match="type BOOLEAN, which Oracle does not have"):
        transpile(sql, "postgres", load_profile("oracle@19"))
    assert transpile(sql, "postgres", load_profile("oracle@23")) == [
        "ALTER TABLE t ADD f BOOLEAN"]


def test_op_execute_with_a_source_dialect_is_transpiled(tmp_path):
    (tmp_path / "sqlbundle.toml").write_text("")
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "a1.py").write_text(textwrap.dedent('''\
        from sqlbundle import op
        revision = "a1"
        down_revision = None
        def upgrade():
            op.execute("UPDATE t SET s = s || 'x'", dialect="postgres")
            op.execute("UPDATE t SET s = s || 'x'")
        def downgrade():
            pass
        '''))
    assert statements(tmp_path, "mysql") == ["UPDATE t SET s = CONCAT(s, 'x')",
                                            "UPDATE t SET s = s || 'x'"]


def test_raw_ddl_is_followed_into_the_state():
    state = apply_raw_ddl(SchemaState(), textwrap.dedent("""
        CREATE TABLE a (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL DEFAULT 'x',
                        CONSTRAINT uq_a_name UNIQUE (name));
        CREATE TABLE b (id INT, a_id INT REFERENCES a (id) ON DELETE CASCADE,
                        amount NUMERIC(8, 2) CHECK (amount > 0));
        CREATE INDEX ix_b_a ON b (a_id);
        ALTER TABLE b ADD COLUMN note TEXT;
        ALTER TABLE b RENAME COLUMN note TO remark;
        INSERT INTO a (id, name) VALUES (1, 'y');
    """), "postgres")
    a, b = state.table("a"), state.table("b")
    assert [c.name for c in a.columns] == ["id", "name"]
    assert a.primary_key.columns == ("id",) and not a.column("id").nullable
    assert isinstance(a.column("name").type, sa.String) and a.column("name").type.length == 40
    assert a.uniques[0].name == "uq_a_name"
    assert b.foreign_keys[0].referred_table == "a" and b.foreign_keys[0].ondelete == "CASCADE"
    assert [c.name for c in b.columns] == ["id", "a_id", "amount", "remark"]
    assert [i.name for i in b.indexes] == ["ix_b_a"]
    dropped = apply_raw_ddl(state, "DROP INDEX ix_b_a; ALTER TABLE b DROP COLUMN remark; "
                                   "DROP TABLE a;", "postgres")
    assert dropped.table("a") is None and dropped.table("b").indexes == ()
    assert apply_raw_ddl(state, "CREATE VIEW v AS SELECT 1", "postgres") is None


def test_sample_state_follows_raw_sql_into_python_migrations():
    project = open_project(SAMPLES / "raw_sql", use_cache=False)
    state = replayed_state(project, "heads", "mysql")
    assert state.table("genres").column("name").type.length == 80
    assert [i.name for i in state.table("books").indexes] == ["ix_books_author", "ix_books_title"]
    assert [c.name for c in state.table("books").columns][-1] == "in_print"
    assert not state.opaque
    mysql = compile_range(project, "2c3d4e5f6a03:heads", "mysql")
    assert [s.sql for s in mysql.steps[0].statements][0] == \
        "ALTER TABLE genres MODIFY name VARCHAR(80) NOT NULL"


@pytest.mark.engine
def test_raw_sql_sample_on_duckdb(tmp_path):
    from engines import throwaway
    from sqlbundle.assemble.bundle import build_bundle
    from sqlbundle.assemble.writer import write_bundle

    project = open_project(SAMPLES / "raw_sql", use_cache=False)
    folder = write_bundle(build_bundle(project, "base:heads", "duckdb"), tmp_path / "out")
    steps = sorted(folder.glob("[0-9]*.sql"))
    with throwaway("duckdb", tmp_path / "db") as db:
        failed = db.apply(steps[1], expect_error=True)  # a step out of order: refused
        assert "alembic_version" in failed.stderr or "sqlbundle guard 0002" in failed.stderr
        for step in steps:
            db.apply(step)
        assert db.version_rows() == ["3d4e5f6a7b04"]
        # The schema DuckDB reports is the replayed one: tables, columns, nullability, keys.
        state = replayed_state(project, "heads", "duckdb")
        schema = db.schema()["tables"]
        assert sorted(schema) == sorted(name for _, name in state.tables)
        for (_, name), table in state.tables.items():
            reported = schema[name]
            assert [(c["name"], c["nullable"]) for c in reported["columns"]] == \
                [(c.name, c.nullable) for c in table.columns], name
            assert reported["primary_key"]["columns"] == list(table.primary_key.columns)
            assert sorted(i["name"] for i in reported["indexes"]) == \
                sorted(i.name for i in table.indexes), name
        assert [c["type"] for c in schema["genres"]["columns"]] == ["INTEGER", "VARCHAR"]
        assert db.query("SELECT title FROM books ORDER BY id") == [
            ("Pippi Longstocking (classic)",), ("Things Fall Apart (classic)",),
            ("Ronja, the Robber's Daughter",)]
        again = db.apply(folder / "upgrade.sql", expect_error=True)
        assert "sqlbundle guard 0001: expected no version rows, found 3d4e5f6a7b04" in \
            again.stderr
        for step in sorted((folder / "rollback").glob("[0-9]*.sql")):
            db.apply(step)
        assert db.version_rows() == [] and db.table_names() == ["alembic_version"]


def test_duckdb_refuses_what_it_cannot_do(tmp_path):
    project = open_project(SAMPLES / "shop", use_cache=False)
    with pytest.raises(SqlbundleError) as err:
        compile_range(project, "base:heads", "duckdb")
    assert "ON DELETE/ON UPDATE actions, which DuckDB does not have" in str(err.value)
    assert str(err.value).startswith("versions/8d2e5b6a9c31_create_categories_and_products.py:")


def test_snowflake_statements_all_parse_and_guards_are_plain_sql():
    import sqlglot

    from sqlbundle.assemble.bundle import build_bundle
    from sqlbundle.compile.sqlcheck import check_plan

    project = open_project(SAMPLES / "raw_sql", use_cache=False)
    for range_text, direction in (("base:heads", "upgrade"), ("heads:base", "downgrade")):
        compiled = compile_range(project, range_text, "snowflake", direction)
        counts, diagnostics = check_plan(compiled)
        assert counts.failed == 0 and counts.parsed > 5, diagnostics
        assert {d.code for d in compiled.diagnostics} == {"SB203"}  # indexes not created
    bundle = build_bundle(project, "base:heads", "snowflake")
    guard = next(line for line in bundle.files["upgrade.sql"].splitlines()
                 if line.startswith("SELECT TO_NUMBER('sqlbundle guard 0002"))
    assert sqlglot.parse_one(guard.rstrip(";"), read="snowflake") is not None
    assert "BEGIN" not in bundle.files["upgrade.sql"]  # DDL commits implicitly: no framing


def test_snowflake_refuses_a_unique_index_it_cannot_enforce(tmp_path):
    project = open_project(SAMPLES / "shop", use_cache=False)
    with pytest.raises(SqlbundleError, match="unique index ix_categories_slug: Snowflake"):
        compile_range(project, "base:heads", "snowflake")
