"""Schema-state replay: what the history says is used, and raw SQL is handled honestly."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sqlbundle.compile.steps import compile_range, replayed_state
from sqlbundle.errors import SqlbundleError
from sqlbundle.project.model import open_project


def project(tmp_path: Path, *bodies: str, source: str = "alembic"):
    """A linear project whose revisions have the given upgrade() bodies (importing ``op``
    from ``source``)."""
    (tmp_path / "sqlbundle.toml").write_text('version_locations = ["versions"]\n')
    versions = tmp_path / "versions"
    versions.mkdir()
    parent = None
    for number, body in enumerate(bodies, 1):
        rev = f"r{number:03d}"
        code = textwrap.dedent(f'''\
            """step {number}"""
            from {source} import op
            import sqlalchemy as sa

            revision = "{rev}"
            down_revision = {parent!r}


            def upgrade():
            ''') + textwrap.indent(textwrap.dedent(body).strip() + "\n", "    ") + \
            "\n\ndef downgrade():\n    pass\n"
        (versions / f"{rev}.py").write_text(code)
        parent = rev
    return open_project(tmp_path, use_cache=False)


def sql(compiled) -> list[str]:
    return [s.sql for step in compiled.steps for s in step.statements]


CREATE = '''
op.create_table("items",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(40), nullable=False, server_default="x"),
    sa.Column("note", sa.Text, comment="free text"))
'''


def test_mysql_alter_column_needs_no_existing_type(tmp_path):
    """sqlbundle's op: what the call does not change comes from the history (Alembic's op
    restates from its hints instead: test_fidelity_hints.py)."""
    p = project(tmp_path, CREATE, 'op.alter_column("items", "name", type_=sa.String(80))',
                source="sqlbundle")
    for dialect in ("mysql", "mariadb"):
        statements = sql(compile_range(p, "r001:heads", dialect))
        assert statements == [
            "ALTER TABLE items MODIFY name VARCHAR(80) NOT NULL DEFAULT 'x'"], dialect


def test_mysql_rename_keeps_the_definition(tmp_path):
    p = project(tmp_path, CREATE, 'op.alter_column("items", "note", new_column_name="notes")')
    assert sql(compile_range(p, "r001:heads", "mysql")) == [
        "ALTER TABLE items CHANGE note notes TEXT COMMENT 'free text'"]


def test_mssql_nullability_change_restates_the_type(tmp_path):
    p = project(tmp_path, CREATE, 'op.alter_column("items", "note", nullable=False)')
    assert sql(compile_range(p, "r001:heads", "mssql")) == [
        "ALTER TABLE items ALTER COLUMN note VARCHAR(max) NOT NULL"]


def test_state_follows_renames_of_tables_and_columns(tmp_path):
    p = project(tmp_path, CREATE,
                'op.rename_table("items", "things")\n'
                'op.alter_column("things", "name", new_column_name="title")',
                'op.create_index("ix_things_title", "things", ["title"])')
    state = replayed_state(p, "heads", "postgresql")
    things = state.table("things")
    assert state.table("items") is None
    assert [c.name for c in things.columns] == ["id", "title", "note"]
    assert [i.name for i in things.indexes] == ["ix_things_title"]


@pytest.mark.parametrize("body, message, line", [
    ('op.drop_column("items", "nope")', "drop column items.nope: column items.nope does not "
                                        "exist", 10),
    ('op.create_index("ix_x", "missing", ["a"])', "table 'missing' does not exist", 10),
    ('op.add_column("items", sa.Column("name", sa.Integer))', "column items.name already "
                                                              "exists", 10),
    ('op.drop_constraint("nope", "items")', "constraint 'nope' does not exist", 10),
])
def test_operations_on_missing_things_name_file_and_line(tmp_path, body, message, line):
    p = project(tmp_path, CREATE, body)
    with pytest.raises(SqlbundleError) as err:
        compile_range(p, "base:heads", "postgresql")
    assert str(err.value).startswith(f"versions/r002.py:{line}: ")
    assert message in str(err.value)


# Raw DDL the replay cannot follow (a table copied from one it never saw).
RAW = 'op.execute("CREATE TABLE legacy LIKE template")'
FOLLOWED = 'op.execute("CREATE TABLE legacy (id INT PRIMARY KEY, code VARCHAR(10))")'


def test_raw_ddl_falls_back_to_what_the_author_wrote(tmp_path):
    p = project(tmp_path, RAW, 'op.alter_column("legacy", "code", type_=sa.String(20), '
                               'existing_type=sa.String(10), existing_nullable=True)')
    compiled = compile_range(p, "base:heads", "mysql")
    assert sql(compiled)[-1] == "ALTER TABLE legacy MODIFY code VARCHAR(20)"
    codes = sorted(d.code for d in compiled.diagnostics)
    assert codes == ["SB100", "SB101"]
    assert any(str(d).startswith("versions/r001.py:10: warning SB100")
               for d in compiled.diagnostics)


def test_raw_ddl_in_the_targets_language_is_followed(tmp_path):
    """No source_dialect: the text runs as written, so the replay reads it as the target's."""
    p = project(tmp_path, FOLLOWED, 'op.alter_column("legacy", "code", nullable=False)')
    compiled = compile_range(p, "base:heads", "mysql")
    assert sql(compiled)[-1] == "ALTER TABLE legacy MODIFY code VARCHAR(10) NOT NULL"
    assert not compiled.diagnostics


def test_raw_ddl_without_hints_is_an_error_asking_for_them(tmp_path):
    p = project(tmp_path, RAW, 'op.alter_column("legacy", "code", nullable=False)')
    with pytest.raises(SqlbundleError) as err:
        compile_range(p, "base:heads", "mysql")
    assert str(err.value).startswith("versions/r002.py:10: ")
    assert "pass existing_type=" in str(err.value)


def test_get_bind_reads_are_refused_with_file_and_line(tmp_path):
    p = project(tmp_path, CREATE,
                'rows = op.get_bind().execute(sa.text("UPDATE items SET note = 1"))\n'
                'rows.fetchall()')
    with pytest.raises(SqlbundleError) as err:
        compile_range(p, "base:heads", "postgresql")
    assert str(err.value).startswith("versions/r002.py:11: reading query results is not "
                                     "possible")
    assert "offline SQL cannot depend on query results" in str(err.value)


def test_unknown_op_is_refused(tmp_path):
    p = project(tmp_path, 'op.invent_table("x")')
    with pytest.raises(SqlbundleError, match="op.invent_table is not supported"):
        compile_range(p, "base:heads", "postgresql")


def test_evolve_is_dataclasses_replace():
    import dataclasses

    import sqlalchemy as sa

    from sqlbundle.schema.operations import AddColumn
    from sqlbundle.schema.state import ColumnState, IndexState, TableState, evolve

    col = ColumnState("id", sa.Integer(), nullable=False)
    table = TableState("t", "s", (col,), indexes=(IndexState("ix", ("id",)),))
    op = AddColumn("t", col, line=3)
    for obj, changes in ((col, {"nullable": True, "comment": "c"}),
                         (table, {"name": "u", "columns": ()}), (op, {"line": 9}), (op, {})):
        new = evolve(obj, **changes)
        assert new == dataclasses.replace(obj, **changes) and type(new) is type(obj)
        assert new is not obj and obj == dataclasses.replace(obj)  # the original is untouched
    with pytest.raises(TypeError, match="no field"):
        evolve(col, colour="red")


def test_index_owners_stay_in_step_with_the_tables(tmp_path):
    # with_table skips rebuilding the index lookup when a change keeps a table's index names;
    # after every step the lookup must equal one rebuilt from the tables.
    proj = project(
        tmp_path,
        'op.create_table("a", sa.Column("id", sa.Integer, primary_key=True), '
        'sa.Column("x", sa.Integer))\nop.create_index("ix", "a", ["x"])',
        'op.create_table("b", sa.Column("id", sa.Integer, primary_key=True), '
        'sa.Column("x", sa.Integer))\nop.create_index("ix_b", "b", ["x"])',
        'op.add_column("a", sa.Column("y", sa.Integer))\nop.create_index("iy", "a", ["y"])',
        'op.drop_column("a", "x")',  # takes index ix with it
        'op.alter_column("b", "x", new_column_name="z")\nop.rename_table("b", "c")',
        'op.drop_index("iy", table_name="a")\nop.add_column("c", sa.Column("w", sa.Integer))',
        'op.drop_table("c")',
    )
    expected = [
        {"ix": ["a"]}, {"ix": ["a"], "ix_b": ["b"]}, {"ix": ["a"], "ix_b": ["b"], "iy": ["a"]},
        {"ix_b": ["b"], "iy": ["a"]}, {"ix_b": ["c"], "iy": ["a"]}, {"ix_b": ["c"]}, {},
    ]
    for number, wanted in enumerate(expected, 1):
        state = replayed_state(proj, f"r{number:03d}", "postgresql")
        rebuilt: dict = {}
        for table in state.tables.values():
            for index in table.indexes:
                rebuilt.setdefault((table.schema, index.name), []).append(table.name)
        owners = {key: sorted(names) for key, names in rebuilt.items()}
        assert {k: list(v) for k, v in state.index_owners.items()} == owners
        assert {name: names for (_, name), names in owners.items()} == wanted, number
