"""Named enum types on DuckDB, and an existing type restated with other labels (every dialect
with named enum types).

DuckDB borrows PostgreSQL's compiler, which names the type in the column but never creates it:
the script stopped at the first CREATE TABLE. DuckDB has CREATE TYPE ... AS ENUM and DROP TYPE
(and refuses to drop a type a column uses) but no ALTER TYPE, so a change of labels is an error
there. Alembic has no DuckDB dialect, so the engine is the judge: the script is applied with
tests/engines.py and the types read back from ``duckdb_types()``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import throwaway
from sqlbundle.assemble.framing import render_script
from sqlbundle.compile.steps import compile_range
from sqlbundle.errors import ScriptError
from sqlbundle.project.model import open_project
from sqlbundle.render.context import Unsupported
from test_ops import expect_error, make_project, sqls
from twin import meaning

TABLE = """op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("mood", sa.Enum("happy", "sad", name="mood")),
                sa.Column("again", sa.Enum("happy", "sad", name="mood")))"""
ADD = 'op.add_column("t", sa.Column("size", sa.Enum("s", "m", "l", name="size")))'


def duck_script(root: Path, range_text: str = "base:heads", direction: str = "upgrade") -> str:
    return render_script(compile_range(open_project(root, use_cache=False), range_text,
                                       "duckdb", direction))


def duck_types(db) -> dict[str, tuple[str, ...]]:
    return {name: tuple(labels) for name, labels in db.query(
        "SELECT type_name, labels FROM duckdb_types() WHERE logical_type = 'ENUM' "
        "AND NOT internal ORDER BY type_name")}


# ------------------------------------------------------------------ DuckDB: exact SQL


def test_duckdb_creates_a_named_enum_type_before_its_first_column(tmp_path):
    root = make_project(tmp_path, TABLE, ADD)
    first = sqls(root, "duckdb", step=0)
    assert first[:2] == ["CREATE TYPE mood AS ENUM ('happy', 'sad')", "CREATE SEQUENCE t_id_seq"]
    assert first.count("CREATE TYPE mood AS ENUM ('happy', 'sad')") == 1  # once for two columns
    assert sqls(root, "duckdb")[:2] == ["CREATE TYPE size AS ENUM ('s', 'm', 'l')",
                                        "ALTER TABLE t ADD COLUMN size size"]


def test_duckdb_drops_a_type_with_its_last_column_at_the_end_of_the_step(tmp_path):
    root = make_project(tmp_path, TABLE, (ADD, 'op.drop_column("t", "size")'),
                        'op.drop_column("t", "size")')
    last = sqls(root, "duckdb")
    assert last == ["ALTER TABLE t DROP COLUMN size", "DROP TYPE size"]


def test_duckdb_author_created_types(tmp_path):
    root = make_project(tmp_path, """
        sa.Enum("a", "b", name="kind").create(op.get_bind())
        op.create_table("k", sa.Column("kind", postgresql.ENUM(name="kind", create_type=False)))
        op.drop_table("k")
        sa.Enum(name="kind").drop(op.get_bind())
    """)
    out = sqls(root, "duckdb")
    assert out[0] == "CREATE TYPE kind AS ENUM ('a', 'b')"
    assert "DROP TYPE kind" in out


def test_duckdb_refuses_create_if_missing_it_cannot_say(tmp_path):
    root = make_project(tmp_path, """
        sa.Enum("a", "b", name="kind").create(op.get_bind(), checkfirst=True)  # <-
    """)
    err = expect_error(root, "duckdb", Unsupported)
    assert "checkfirst" in str(err) and "hint:" in str(err)


# ------------------------------------------------------------------ DuckDB: label changes


@pytest.mark.parametrize("labels", ['"happy", "sad", "meh"', '"happy"', '"sad", "happy"'])
def test_duckdb_refuses_a_label_change(tmp_path, labels):
    root = make_project(tmp_path, TABLE, f"""
        op.alter_column("t", "mood", type_=sa.Enum({labels}, name="mood"))  # <-
    """)
    err = expect_error(root, "duckdb", Unsupported)
    assert "DuckDB cannot alter a type" in str(err)
    assert "another name" in err.hint


# ------------------------------------------------------------------ DuckDB: on the engine


@pytest.mark.engine
def test_duckdb_enum_types_exist_take_rows_and_survive_down_and_up(tmp_path):
    root = make_project(tmp_path / "p", (TABLE, 'op.drop_table("t")'),
                        (ADD, 'op.drop_column("t", "size")'))
    up = duck_script(root)
    with throwaway("duckdb", tmp_path / "db") as db:
        db.apply(up)
        assert duck_types(db) == {"mood": ("happy", "sad"), "size": ("s", "m", "l")}
        db.query("INSERT INTO t (mood, again, size) VALUES ('happy', 'sad', 'l')")
        assert db.query("SELECT mood::VARCHAR, size::VARCHAR FROM t") == [("happy", "l")]
        with pytest.raises(Exception, match="meh"):
            db.query("INSERT INTO t (mood) VALUES ('meh')")
        db.query("DELETE FROM t")
        db.apply(duck_script(root, "heads:base", "downgrade"))
        assert duck_types(db) == {} and db.table_names() == ["alembic_version"]
        db.apply(up)  # no "type already exists"
        assert duck_types(db) == {"mood": ("happy", "sad"), "size": ("s", "m", "l")}


@pytest.mark.engine
def test_duckdb_column_moving_to_a_new_type_keeps_its_rows(tmp_path):
    # The way out the label-change refusal names: a new type, the old one dropped with its
    # last column.
    root = make_project(tmp_path / "p", 'op.create_table("t", sa.Column("id", sa.Integer), '
                        'sa.Column("mood", sa.Enum("happy", "sad", name="mood")))',
                        'op.execute("INSERT INTO t VALUES (1, \'sad\')")',
                        ("""op.alter_column("t", "mood",
                               type_=sa.Enum("happy", "sad", "meh", name="mood_v2"))""",
                         """op.alter_column("t", "mood",
                               type_=sa.Enum("happy", "sad", name="mood"))"""))
    with throwaway("duckdb", tmp_path / "db") as db:
        db.apply(duck_script(root))
        assert duck_types(db) == {"mood_v2": ("happy", "sad", "meh")}
        db.query("INSERT INTO t VALUES (2, 'meh')")
        assert db.query("SELECT id, mood::VARCHAR FROM t ORDER BY id") == [(1, "sad"),
                                                                           (2, "meh")]
        db.query("DELETE FROM t WHERE id = 2")
        db.apply(duck_script(root, "heads:-1", "downgrade"))  # back to the old type
        assert duck_types(db) == {"mood": ("happy", "sad")}
        assert db.query("SELECT id, mood::VARCHAR FROM t") == [(1, "sad")]


# ------------------------------------------------------------------ a type restated otherwise


REUSE = {
    "create_table": 'op.create_table("u", sa.Column("m", sa.Enum("x", "y", name="mood")))  # <-',
    "add_column": """op.add_column("t", sa.Column("m", sa.Enum("x", "y", name="mood")))  # <-""",
    "same op": """op.create_table("u", sa.Column("a", sa.Enum("x", name="e")),  # <-
                    sa.Column("b", sa.Enum("x", "y", name="e")))""",
}


@pytest.mark.parametrize("target", ["postgresql", "duckdb"])
@pytest.mark.parametrize("case", sorted(REUSE))
def test_an_existing_type_restated_with_other_labels_is_an_error(tmp_path, target, case):
    root = make_project(tmp_path, TABLE, REUSE[case])
    err = expect_error(root, target, ScriptError)
    assert "already exists with labels" in str(err)
    assert "alter_column(type_=...)" in err.hint and "create_type=False" in err.hint


@pytest.mark.parametrize("target", ["mysql", "mariadb", "sqlite", "mssql", "oracle", "snowflake"])
def test_inline_enums_may_share_a_name_with_other_labels(tmp_path, target):
    root = make_project(tmp_path, TABLE, REUSE["create_table"])
    assert sqls(root, target)


@pytest.mark.engine
def test_postgresql_reuses_a_type_restated_with_its_labels_after_the_way_out(tmp_path):
    # The hint's way: alter_column(type_=...) changes the labels, after which a new column may
    # restate the type with them; the type goes with the last of its columns.
    relabel = """op.alter_column("t", "mood", type_=sa.Enum("happy", "sad", "meh", name="mood"))"""
    sql, up, down = meaning(tmp_path, "postgresql", (TABLE, 'op.drop_table("t")'), (
        relabel + '\nop.create_table("u", sa.Column("m", '
                  'sa.Enum("happy", "sad", "meh", name="mood")))',
        'op.drop_table("u")'), downgrade=True)
    assert dict(up["enums"]) == {"mood": ("happy", "sad", "meh")}
    assert sql.count("\nCREATE TYPE mood") == 1  # (step headers quote it in comments)
    assert dict(down["enums"]) == {}


def test_postgresql_restated_type_error_names_the_line(tmp_path):
    root = make_project(tmp_path, TABLE, REUSE["add_column"])
    with pytest.raises(ScriptError, match=r"bbbb0002_m\.py:\d+: .*'mood' already exists"):
        compile_range(open_project(root, use_cache=False), "base:heads", "postgresql",
                      "upgrade")


def test_duckdb_type_statements_are_known_sqlglot_gaps(tmp_path):
    # sqlglot's duckdb dialect keeps CREATE/DROP TYPE as opaque commands: listed, not flagged.
    from sqlbundle.compile.sqlcheck import check_plan

    root = make_project(tmp_path, (TABLE, 'op.drop_table("t")'))
    for direction, range_text in (("upgrade", "base:heads"), ("downgrade", "heads:base")):
        counts, diagnostics = check_plan(compile_range(open_project(root, use_cache=False),
                                                       range_text, "duckdb", direction))
        assert diagnostics == [] and counts.known_gaps == 1


@pytest.mark.engine
def test_duckdb_create_if_missing_where_the_version_can_say_it(tmp_path):
    root = make_project(tmp_path / "p", """
        sa.Enum("a", "b", name="kind").create(op.get_bind(), checkfirst=True)
        sa.Enum("a", "b", name="kind").create(op.get_bind(), checkfirst=True)
    """)
    script = render_script(compile_range(open_project(root, use_cache=False), "base:heads",
                                         "duckdb@1.4", "upgrade"))
    assert script.count("CREATE TYPE IF NOT EXISTS kind AS ENUM ('a', 'b');") == 2
    with throwaway("duckdb", tmp_path / "db") as db:
        db.apply(script)
        assert duck_types(db) == {"kind": ("a", "b")}
