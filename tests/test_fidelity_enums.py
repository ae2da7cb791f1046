"""Enum types through alter_column and drops, as the migrations mean them.

Alembic's offline SQL is wrong on most of these (an enum gaining or losing labels renders as
nothing on PostgreSQL; op.drop_table leaves the type its table created, so a downgrade to base
followed by an upgrade fails on "type already exists"), so ``meaning()`` is the judge: the
labels after each direction, that a new label can be stored, that a type goes with its last
column. Where Alembic is right (MariaDB's ENUM list, a non-native enum's CHECK), ``twin()``
compares with it. Exact SQL for the dialects without an engine here.
"""

from __future__ import annotations

import pytest
import sqlglot

from test_ops import compiled, make_project, sqls, statements, without_rerun
from twin import meaning, twin

TABLE = """op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("mood", sa.Enum("happy", "sad", name="mood")))"""
DROP = 'op.drop_table("t")'
ADD_MEH = """op.alter_column("t", "mood", type_=sa.Enum("happy", "sad", "meh", name="mood"),
                existing_type=sa.Enum("happy", "sad", name="mood"))"""
NO_MEH = """op.alter_column("t", "mood", type_=sa.Enum("happy", "sad", name="mood"),
                existing_type=sa.Enum("happy", "sad", "meh", name="mood"))"""


def enums(schema: dict) -> dict[str, tuple[str, ...]]:
    return dict(schema.get("enums", []))


def column_type(schema: dict, table: str, column: str) -> str:
    return next(c["type"] for c in schema["tables"][table]["columns"] if c["name"] == column)


# ------------------------------------------------------------------ PostgreSQL: labels change


@pytest.mark.engine
def test_enum_gaining_a_label_adds_it_and_the_downgrade_takes_it_back(tmp_path):
    def probe(db, direction):
        if direction == "upgrade":
            db.query("INSERT INTO t (mood) VALUES ('meh')")  # the new label is storable
            assert db.query("SELECT mood::text FROM t") == [("meh",)]
            db.query("DELETE FROM t")  # the downgrade must not meet a row it cannot keep

    sql, up, down = meaning(tmp_path, "postgresql", (TABLE, DROP), (ADD_MEH, NO_MEH),
                            downgrade=True, probe=probe)
    assert "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh';" in sql
    assert enums(up) == {"mood": ("happy", "sad", "meh")}
    # Back to base: the type went with its table, so the second upgrade (run by meaning())
    # does not stop on "type already exists".
    assert enums(down) == {}


@pytest.mark.engine
def test_labels_added_between_others_keep_their_place(tmp_path):
    sql, up, _ = meaning(tmp_path, "postgresql", TABLE, """
        op.alter_column("t", "mood",
                        type_=sa.Enum("ecstatic", "happy", "content", "sad", "numb",
                                      name="mood"))
    """)
    assert enums(up) == {"mood": ("ecstatic", "happy", "content", "sad", "numb")}
    assert "ADD VALUE IF NOT EXISTS 'ecstatic' BEFORE 'happy'" in sql
    assert "ADD VALUE IF NOT EXISTS 'content' BEFORE 'sad'" in sql
    assert "ADD VALUE IF NOT EXISTS 'numb';" in sql


@pytest.mark.engine
def test_a_label_used_in_the_step_that_adds_it_is_committed_first(tmp_path):
    # PostgreSQL refuses a label before the transaction that added it commits ("unsafe use of
    # new value"): as a default, in an UPDATE, in a new table's default.
    sql, up, _ = meaning(tmp_path, "postgresql", TABLE, f"""
        {ADD_MEH}
        op.alter_column("t", "mood", server_default="meh")
        op.execute("UPDATE t SET mood = 'meh' WHERE mood IS NULL")
    """)
    assert enums(up) == {"mood": ("happy", "sad", "meh")}
    body = without_rerun(sql.split("Upgrade 2/2")[1])
    assert ("SET lock_timeout = '5000ms';\nALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh';\n"
            "RESET lock_timeout;\nBEGIN;") in body


@pytest.mark.engine
def test_before_postgresql_12_add_value_runs_outside_the_transaction(tmp_path):
    from twin import write_project
    from sqlbundle.project.model import open_project
    from sqlbundle.assemble.framing import render_script
    from sqlbundle.compile.steps import compile_range
    from engines import throwaway

    root = write_project(tmp_path / "p", TABLE, ADD_MEH)
    plan = compile_range(open_project(root, use_cache=False), "base:heads", "postgresql@11")
    added = [s for s in plan.steps[-1].statements if "ADD VALUE" in s.sql]
    assert [s.autocommit for s in added] == [True]
    text = render_script(plan)
    assert ("SET lock_timeout = '5000ms';\nALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh';\n"
            "RESET lock_timeout;\nBEGIN;") in without_rerun(text)
    with throwaway("postgresql", tmp_path / "db") as db:
        db.apply(text)
        db.query("INSERT INTO t (mood) VALUES ('meh')")
    # From 12 on it stays in the step's transaction when nothing in the step uses it.
    plan = compile_range(open_project(root, use_cache=False), "base:heads", "postgresql@12")
    assert [s.autocommit for s in plan.steps[-1].statements if "ADD VALUE" in s.sql] == [False]


SHARED = """
op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("mood", sa.Enum("happy", "sad", "meh", name="mood"),
                          server_default="sad", nullable=False))
op.create_index("ix_t_sad", "t", ["id"], postgresql_where=sa.text("mood = 'sad'"))
op.create_check_constraint("ck_t_not_sad", "t", "mood <> 'sad' OR id > 0")
op.create_table("u", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("feel", postgresql.ENUM("happy", "sad", "meh", name="mood",
                                                  create_type=False)))
"""


@pytest.mark.engine
def test_a_label_removed_swaps_the_type_for_every_column_using_it(tmp_path):
    def probe(db, direction):
        if direction == "upgrade":
            db.query("INSERT INTO u (feel) VALUES ('happy')")
            with pytest.raises(Exception, match="invalid input value for enum mood"):
                db.query("INSERT INTO u (feel) VALUES ('meh')")
            db.query("INSERT INTO t (id) VALUES (1)")
            assert db.query("SELECT mood::text FROM t") == [("sad",)]  # the default survived
            db.query("DELETE FROM t")
            db.query("DELETE FROM u")

    sql, up, down = meaning(tmp_path, "postgresql", (SHARED, 'op.drop_table("u")\n' + DROP), (
        """op.alter_column("t", "mood", type_=sa.Enum("sad", "happy", name="mood"),
                          existing_type=sa.Enum("happy", "sad", "meh", name="mood"))""",
        """op.alter_column("t", "mood", type_=sa.Enum("happy", "sad", "meh", name="mood"))"""),
        downgrade=True, probe=probe)
    assert enums(up) == {"mood": ("sad", "happy")}
    assert column_type(up, "u", "feel") == column_type(up, "t", "mood")
    assert [i["name"] for i in up["tables"]["t"]["indexes"]] == ["ix_t_sad"]
    assert "_sqlbundle_old_mood" not in str(up)
    assert enums(down) == {}


@pytest.mark.engine
def test_column_moving_to_another_enum_type(tmp_path):
    sql, up, down = meaning(tmp_path, "postgresql", (TABLE, DROP), (
        """op.alter_column("t", "mood", type_=sa.Enum("up", "down", "happy", "sad",
                                                    name="feeling"))""",
        """op.alter_column("t", "mood", type_=sa.Enum("happy", "sad", name="mood"))"""),
        downgrade=True, probe=lambda db, d: d == "upgrade" and db.query(
            "INSERT INTO t (mood) VALUES ('up')") == [] and db.query("DELETE FROM t"))
    assert "CREATE TYPE feeling AS ENUM ('up', 'down', 'happy', 'sad')" in sql
    assert "ALTER TABLE t ALTER COLUMN mood TYPE feeling USING mood::text::feeling" in sql
    # mood lost its only column: it went at the end of the step; so did feeling on the way back.
    assert enums(up) == {"feeling": ("up", "down", "happy", "sad")}
    assert enums(down) == {}


@pytest.mark.engine
def test_string_column_becoming_an_enum_and_back(tmp_path):
    sql, up, down = meaning(tmp_path, "postgresql", (
        """op.create_table("t", sa.Column("mood", sa.String(10), server_default="sad"))
op.execute("INSERT INTO t (mood) VALUES ('happy')")""", DROP), (
        'op.alter_column("t", "mood", type_=sa.Enum("happy", "sad", name="mood"))',
        'op.alter_column("t", "mood", type_=sa.String(10))'), downgrade=True)
    assert enums(up) == {"mood": ("happy", "sad")}
    assert column_type(up, "t", "mood").lower() == "mood"
    assert enums(down) == {}


@pytest.mark.engine
def test_python_enum_class_gaining_a_member(tmp_path):
    preamble = """
import enum
class Mood(enum.Enum):
    happy = 1
    sad = 2
class Mood2(enum.Enum):
    happy = 1
    sad = 2
    meh = 3
"""
    sql, up, down = meaning(tmp_path, "postgresql", (
        'op.create_table("t", sa.Column("mood", sa.Enum(Mood, name="mood")))', DROP), (
        'op.alter_column("t", "mood", type_=sa.Enum(Mood2, name="mood"))',
        'op.alter_column("t", "mood", type_=sa.Enum(Mood, name="mood"))'),
        preamble=preamble, downgrade=True)
    assert enums(up) == {"mood": ("happy", "sad", "meh")}
    assert enums(down) == {}


@pytest.mark.engine
def test_author_managed_type_changes_labels_but_is_never_dropped(tmp_path):
    # ENUM.create() / create_type=False: the author's type. Its labels still follow the
    # migration, but dropping its tables leaves it, as the author's own downgrade drops it.
    sql, up, down = meaning(tmp_path, "postgresql", (
        """postgresql.ENUM("happy", "sad", name="mood").create(op.get_bind())
op.create_table("t", sa.Column("mood", postgresql.ENUM("happy", "sad", name="mood",
                                                    create_type=False)))""",
        """op.drop_table("t")
postgresql.ENUM(name="mood").drop(op.get_bind())"""), (
        """op.alter_column("t", "mood", type_=postgresql.ENUM("happy", "sad", "meh",
                                                            name="mood", create_type=False))""",
        "pass"), downgrade=True)
    assert enums(up) == {"mood": ("happy", "sad", "meh")}
    assert sql.count("DROP TYPE") == 0
    assert enums(down) == {}


# ---------------------------------------------------------------- PostgreSQL: types dropped


@pytest.mark.engine
def test_type_goes_with_its_last_column(tmp_path):
    sql, up, down = meaning(tmp_path, "postgresql", (
        f"""{TABLE}
op.create_table("u", sa.Column("m", sa.Enum("happy", "sad", name="mood")))""",
        'op.drop_table("u")\nop.drop_table("t")'), (
        'op.add_column("t", sa.Column("pet", sa.Enum("cat", "dog", name="pet")))',
        'op.drop_column("t", "pet")'), (
        'op.drop_table("u")', """op.create_table("u", sa.Column("m", sa.Enum("happy", "sad",
                                                                          name="mood")))"""),
        downgrade=True)
    assert enums(up) == {"mood": ("happy", "sad"), "pet": ("cat", "dog")}  # t still uses mood
    assert enums(down) == {}


@pytest.mark.engine
def test_a_downgrade_that_drops_the_type_itself_still_runs(tmp_path):
    # The usual Alembic workaround: the downgrade drops the type after the table, with
    # sa.Enum.drop() or raw SQL. sqlbundle's drop comes at the end of the step and stands back.
    for drop in ('sa.Enum(name="mood").drop(op.get_bind())', 'op.execute("DROP TYPE mood")'):
        _, up, down = meaning(tmp_path / drop[:6], "postgresql",
                              (TABLE, f"{DROP}\n{drop}"), downgrade=True)
        assert enums(up) == {"mood": ("happy", "sad")}
        assert enums(down) == {}


def test_step_header_says_the_type_goes(tmp_path):
    root = make_project(tmp_path, (TABLE, DROP))
    down = compiled(root, "postgresql", "heads:base", "downgrade")
    assert down.steps[0].notes == ("drop enum type mood (no column uses it any more)",)
    assert [s.sql for s in down.steps[0].statements] == ["DROP TABLE t", "DROP TYPE mood"]
    from sqlbundle.assemble.framing import render_script

    assert "-- also: drop enum type mood (no column uses it any more)\n" in render_script(down)
    # No named types elsewhere: nothing to drop, nothing said.
    mysql = compiled(root, "mysql", "heads:base", "downgrade")
    assert mysql.steps[0].notes == () and [s.sql for s in mysql.steps[0].statements] == \
        ["DROP TABLE t"]


def test_bundle_step_header_says_the_type_goes(tmp_path):
    from sqlbundle.assemble.bundle import build_bundle
    from sqlbundle.project.model import open_project

    root = make_project(tmp_path, (TABLE, DROP))
    bundle = build_bundle(open_project(root, use_cache=False), "base:heads", "postgresql")
    rollback = next(text for name, text in bundle.files.items()
                    if name.startswith("rollback/9") and name.endswith(".sql"))
    assert "-- also:     drop enum type mood (no column uses it any more)\n" in rollback


@pytest.mark.engine
def test_enum_without_schema_on_a_table_in_another_schema(tmp_path):
    # SQLAlchemy puts an Enum without schema= in the default schema, whatever its table's.
    _, up, down = meaning(tmp_path, "postgresql", (
        """op.execute("CREATE SCHEMA IF NOT EXISTS s1")
op.create_table("t", sa.Column("mood", sa.Enum("happy", "sad", name="mood")), schema="s1")""",
        'op.drop_table("t", schema="s1")\nop.execute("DROP SCHEMA s1")'), downgrade=True)
    assert enums(up) == {"mood": ("happy", "sad")}
    assert enums(down) == {}


# ------------------------------------------------------------ exact SQL, the other dialects


def test_postgresql_sql_for_each_kind_of_change(tmp_path):
    root = make_project(tmp_path, SHARED, """
        op.alter_column("t", "mood", type_=sa.Enum("sad", "happy", name="mood"))
    """)
    assert sqls(root, "postgresql") == [
        "DROP INDEX ix_t_sad",
        "ALTER TABLE t DROP CONSTRAINT ck_t_not_sad",
        "ALTER TYPE mood RENAME TO _sqlbundle_old_mood",
        "CREATE TYPE mood AS ENUM ('sad', 'happy')",
        "ALTER TABLE t ALTER COLUMN mood DROP DEFAULT",
        "ALTER TABLE t ALTER COLUMN mood TYPE mood USING mood::text::mood",
        "ALTER TABLE t ALTER COLUMN mood SET DEFAULT 'sad'",
        "ALTER TABLE u ALTER COLUMN feel TYPE mood USING feel::text::mood",
        "DROP TYPE _sqlbundle_old_mood",
        "CREATE INDEX ix_t_sad ON t (id) WHERE mood = 'sad'",
        "ALTER TABLE t ADD CONSTRAINT ck_t_not_sad CHECK (mood <> 'sad' OR id > 0)",
    ]


def test_mysql_and_mariadb_restate_the_value_list(tmp_path):
    root = make_project(tmp_path, TABLE, ADD_MEH)
    for target in ("mysql", "mariadb"):
        assert sqls(root, target) == ["ALTER TABLE t MODIFY mood ENUM('happy','sad','meh')"]


STATUS = """op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("status", sa.Enum("new", "done", name="status", native_enum=False,
                                            create_constraint=True)))"""
STATUS_MORE = """op.alter_column("t", "status",
                type_=sa.Enum("new", "done", "archived", name="status", native_enum=False,
                              create_constraint=True),
                existing_type=sa.Enum("new", "done", name="status", native_enum=False,
                                      create_constraint=True))"""


@pytest.mark.parametrize("target, expected", [
    ("postgresql", ["ALTER TABLE t DROP CONSTRAINT status",
                    "ALTER TABLE t ALTER COLUMN status TYPE VARCHAR(8)",
                    "ALTER TABLE t ADD CONSTRAINT status CHECK "
                    "(status IN ('new', 'done', 'archived'))"]),
    ("mssql", ["ALTER TABLE t DROP CONSTRAINT status",
               "ALTER TABLE t ALTER COLUMN status VARCHAR(8) NULL",
               "ALTER TABLE t ADD CONSTRAINT status CHECK "
               "(status IN ('new', 'done', 'archived'))"]),
    ("oracle", ["ALTER TABLE t DROP CONSTRAINT status",
                "ALTER TABLE t MODIFY status VARCHAR(8 CHAR)",
                "ALTER TABLE t ADD CONSTRAINT status CHECK "
                "(status IN ('new', 'done', 'archived'))"]),
    ("mariadb", ["ALTER TABLE t DROP CONSTRAINT status",
                 "ALTER TABLE t MODIFY status VARCHAR(8)",
                 "ALTER TABLE t ADD CONSTRAINT status CHECK "
                 "(status IN ('new', 'done', 'archived'))"]),
    ("mysql", ["ALTER TABLE t DROP CHECK status",
               "ALTER TABLE t MODIFY status VARCHAR(8)",
               "ALTER TABLE t ADD CONSTRAINT status CHECK "
               "(status IN ('new', 'done', 'archived'))"]),
])
def test_non_native_enum_check_follows_the_values(tmp_path, target, expected):
    root = make_project(tmp_path, STATUS, STATUS_MORE)
    assert sqls(root, target) == expected
    from sqlbundle.profile import load_profile

    for text in expected:
        sqlglot.parse_one(text, read=load_profile(target).sqlglot_dialect)


def test_non_native_enum_check_on_sqlite_is_rebuilt_with_the_table(tmp_path):
    root = make_project(tmp_path, STATUS, STATUS_MORE)
    create = sqls(root, "sqlite")[0]
    assert "CONSTRAINT status CHECK (status IN ('new', 'done', 'archived'))" in create
    assert "'new', 'done')" not in create


STATUS_LESS = """op.alter_column("t", "status",
                type_=sa.Enum("new", "done", name="status", native_enum=False,
                              create_constraint=True),
                existing_type=sa.Enum("new", "done", "archived", name="status",
                                      native_enum=False, create_constraint=True))"""


@pytest.mark.engine
def test_non_native_enum_check_like_alembic_on_postgresql(tmp_path):
    twin(tmp_path, "postgresql", (STATUS, DROP), (STATUS_MORE, STATUS_LESS), downgrade=True)


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["mariadb", "sqlite"])
def test_non_native_enum_check_follows_the_values_on(tmp_path, engine_name):
    # Alembic adds the new CHECK on MariaDB without dropping the old one (duplicate name), and
    # writes ALTER COLUMN for SQLite.
    def probe(db, direction):
        if direction == "upgrade":
            db.query("INSERT INTO t (status) VALUES ('archived')")
            db.query("DELETE FROM t")

    meaning(tmp_path, engine_name, (STATUS, DROP), (STATUS_MORE, STATUS_LESS), downgrade=True,
            probe=probe)


@pytest.mark.engine
def test_mariadb_enum_values_like_alembic(tmp_path):
    twin(tmp_path, "mariadb", (TABLE, DROP), (ADD_MEH, NO_MEH), downgrade=True)


def test_unnamed_check_of_the_old_type_is_refused(tmp_path):
    from test_ops import expect_error

    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("s", sa.Enum("a", "b", native_enum=False,
                                                    create_constraint=True)))
    """, """
        op.alter_column("t", "s", type_=sa.String(5))  # <-
    """)
    err = expect_error(root, "mssql")
    assert "has no name" in str(err)
    assert [s.sql for s in statements(root, "sqlite")][0].startswith("CREATE TABLE")


@pytest.mark.engine
def test_swap_and_rename_in_one_alter_column(tmp_path):
    # The partial index is made again as it was, before the rename (which PostgreSQL follows).
    _, up, _ = meaning(tmp_path, "postgresql", """
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("mood", sa.Enum("happy", "sad", "meh", name="mood"),
                                  server_default="sad"))
        op.create_index("ix_t_sad", "t", ["id"], postgresql_where=sa.text("mood = 'sad'"))
    """, """
        op.alter_column("t", "mood", new_column_name="feeling",
                        type_=sa.Enum("sad", "happy", name="mood"))
    """)
    assert enums(up) == {"mood": ("sad", "happy")}
    assert [c["name"] for c in up["tables"]["t"]["columns"]] == ["id", "feeling"]
    assert [i["name"] for i in up["tables"]["t"]["indexes"]] == ["ix_t_sad"]


# ---------------------------------------------------------------------------------- lint


def test_raw_label_used_before_it_is_committed_is_a_lint_error(tmp_path):
    from test_lint import codes, line_of, lint, project

    root = project(
        tmp_path,
        ("""
            op.execute("CREATE TYPE mood AS ENUM ('happy')")
            op.add_column("users", sa.Column("mood", sa.Enum(name="mood",
                                                               create_type=False)))
         """, 'op.drop_column("users", "mood")'),
        ("""
            op.execute("ALTER TYPE mood ADD VALUE 'meh'")
            op.execute("UPDATE users SET mood = 'meh'")
         """, 'pass'),
        ("""
            with op.get_context().autocommit_block():
                op.execute("ALTER TYPE mood ADD VALUE 'ok'")
            op.execute("UPDATE users SET mood = 'ok'")
         """, 'pass'),
        ("""
            op.alter_column("users", "mood", type_=sa.Enum(
                "happy", "meh", "ok", "sad", name="mood", create_type=False))
            op.alter_column("users", "mood", server_default="sad")
         """, 'pass'))
    found = [(f.code, f.path, f.line) for f in lint(root).findings if f.code == "SBL014"]
    assert found == [("SBL014", "versions/r02.py", line_of(root, "r02", "ADD VALUE"))]
    assert "SBL014" not in codes(root, "mysql")


@pytest.mark.engine
def test_type_created_by_raw_sql_before_is_created_only_if_missing(tmp_path):
    # After raw SQL the state cannot follow (a DO block) it cannot tell whether the type
    # exists: the database decides.
    sql, up, _ = meaning(tmp_path, "postgresql", """
        op.execute("DO $$ BEGIN CREATE TYPE mood AS ENUM ('happy', 'sad'); END $$")
        op.create_table("t", sa.Column("mood", sa.String(10)))
    """, 'op.alter_column("t", "mood", type_=sa.Enum("happy", "sad", name="mood"))')
    assert "IF NOT EXISTS (SELECT 1 FROM pg_type" in sql
    assert enums(up) == {"mood": ("happy", "sad")}
    assert column_type(up, "t", "mood").lower() == "mood"


@pytest.mark.engine
def test_type_created_by_a_plain_raw_create_type_is_known_and_not_created_again(tmp_path):
    sql, up, _ = meaning(tmp_path, "postgresql", """
        op.execute("CREATE TYPE mood AS ENUM ('happy', 'sad')")
        op.create_table("t", sa.Column("mood", sa.String(10)))
    """, 'op.alter_column("t", "mood", type_=sa.Enum("happy", "sad", name="mood"))')
    run = [line for line in sql.splitlines() if not line.startswith("--")]
    assert [line for line in run if "CREATE TYPE mood" in line] == [
        "CREATE TYPE mood AS ENUM ('happy', 'sad');"]
    assert "pg_type" not in sql
    assert enums(up) == {"mood": ("happy", "sad")}
    assert column_type(up, "t", "mood").lower() == "mood"


def test_autogenerate_creates_an_enum_without_schema_in_the_default_schema():
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql as pg_dialect

    from sqlbundle.autogen.api import compare_states
    from sqlbundle.project.models import metadata_state
    from sqlbundle.schema.state import SchemaState

    metadata = sa.MetaData()
    sa.Table("t", metadata, sa.Column("mood", sa.Enum("happy", "sad", name="mood")),
             schema="s1")
    dialect = pg_dialect.dialect()
    comparison = compare_states(SchemaState(), metadata_state(metadata, dialect), dialect)
    created = [op for op in comparison.upgrade if op.kind == "create_enum"]
    assert [(op.schema, op.name) for op in created] == [(None, "mood")]


def test_type_statements_are_known_to_sqlglot_checks(tmp_path):
    from sqlbundle.compile.sqlcheck import check_plan

    root = make_project(tmp_path, (SHARED, DROP), """
        op.alter_column("t", "mood", type_=sa.Enum("sad", "happy", "meh", "x", name="mood"))
        op.alter_column("t", "mood", type_=sa.Enum("sad", "y", "happy", "meh", "x",
                                                   name="mood"))
    """)
    counts, diagnostics = check_plan(compiled(root, "postgresql"))
    assert diagnostics == [] and counts.known_gaps == 2  # the swap's RENAME, one ADD VALUE


@pytest.mark.engine
def test_the_authors_drop_of_the_type_in_a_later_step_still_runs(tmp_path):
    # Written for Alembic, which leaves the type: a later migration cleans it up.
    sql, up, down = meaning(tmp_path, "postgresql", (TABLE, DROP), (DROP, TABLE), (
        'sa.Enum(name="mood").drop(op.get_bind())', "pass"), downgrade=True)
    assert "DROP TABLE t;\nDROP TYPE mood;" in sql
    assert "DROP TYPE IF EXISTS mood;" in sql
    assert enums(up) == {}
    assert enums(down) == {}
