"""Real Alembic histories work unchanged: what the recorder accepts and builds (issue 11).

The rule: code Alembic accepts never ends in an internal error. Each case is a small Alembic
project built twice, by Alembic (offline) and by sqlbundle, and applied to two fresh databases
on PostgreSQL, MariaDB and SQLite (``twin``), which must end equal.

* MetaData registry: migration code runs once per target and direction in one sqlbundle
  process (Alembic runs it once), so tables defined again in a module-level or shared
  ``MetaData``, columns and constraints reused from another ``Table``, and a table referring
  to itself must all work.
* Argument shapes: every op that names columns, fuzzed with the shapes Alembic accepts
  (strings, ``sa.column``, ``Column`` objects, ``quoted_name``, mixed case, ``op.f()``,
  ``text()`` expressions, dialect options naming other columns), against Alembic.
* API parity: ``op`` and ``batch_op`` offer every public member of Alembic's ``Operations``
  and ``BatchOperations``, except an explicit allow-list.
* ``batch_alter_table(insert_before=/insert_after=)``: column order as Alembic's table copy.
"""

from __future__ import annotations

import sys
import textwrap

import pytest

from twin import ENGINES, TARGET, meaning, sqlbundle_sql, twin, write_project
from sqlbundle.build import compile_range
from sqlbundle.errors import SqlbundleError
from sqlbundle.project import open_project
from sqlbundle.sqlscript import render_script

pytest.importorskip("alembic")

engine = pytest.mark.parametrize("engine_name", [pytest.param(e, marks=pytest.mark.engine)
                                                 for e in ENGINES])

ALL_TARGETS = ("postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle", "duckdb",
               "snowflake")


def compile_all(root, targets=ALL_TARGETS, direction="upgrade") -> dict[str, str]:
    """The script for each target, compiled in one process (as a multi-target build does)."""
    project = open_project(root, use_cache=False)
    range_text = "base:heads" if direction == "upgrade" else "heads:base"
    return {t: render_script(compile_range(project, range_text, t, direction)) for t in targets}


# ---------------------------------------------------------------------------------------------
# item 6: nothing depends on SQLAlchemy's per-MetaData registry

STATUS = """
status = sa.Table("status", meta, sa.Column("id", sa.Integer), sa.Column("name", sa.String(20)))
"""


@engine
def test_table_defined_in_upgrade_and_downgrade_with_a_module_metadata(engine_name, tmp_path):
    up = """
    op.create_table("status", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(20), nullable=False))
    status = sa.Table("status", meta, sa.Column("id", sa.Integer), sa.Column("name", sa.String(20)))
    op.bulk_insert(status, [{"id": 1, "name": "new"}, {"id": 2, "name": "done"}])
    """
    down = """
    status = sa.Table("status", meta, sa.Column("id", sa.Integer), sa.Column("name", sa.String(20)))
    op.execute(status.delete().where(status.c.id > 0))
    op.drop_table("status")
    """
    result = twin(tmp_path, engine_name, (up, down), preamble="meta = sa.MetaData()",
                  downgrade=True)
    assert "'done'" in result.ours


@engine
def test_columns_and_constraints_of_a_module_level_table_are_copied(engine_name, tmp_path):
    """``op.create_table(t.name, *t.columns, *t.constraints)``: Alembic copies what belongs
    to another table; the next run (another target, the downgrade) passes the same objects."""
    preamble = """
    meta = sa.MetaData()
    status = sa.Table(
        "status", meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(1), server_default="a"),
        sa.UniqueConstraint("code", name="uq_status_code"),
        sa.CheckConstraint("code <> ''", name="ck_status_code"),
    )
    ID = sa.Column("id", sa.Integer, primary_key=True)
    """
    up1 = """
    op.create_table(status.name, *status.columns, *status.constraints)
    op.bulk_insert(status, [{"id": 1, "code": "x", "kind": "a"}])
    op.create_table("other", ID)
    """
    down1 = """
    op.drop_table("other")
    op.drop_table("status")
    """
    up2 = 'op.drop_table("other")'
    down2 = 'op.create_table("other", ID)'
    twin(tmp_path, engine_name, (up1, down1), (up2, down2), preamble=preamble, downgrade=True)


def test_column_reused_in_one_module_compiles_for_every_target(tmp_path):
    """A module-level Column used in upgrade() and downgrade(), and a column belonging to a
    table passed to add_column: nothing the author passed is attached to sqlbundle's tables."""
    preamble = """
    ID = sa.Column("id", sa.Integer, primary_key=True)
    FLAG = sa.Column("flag", sa.Boolean, nullable=False, server_default=sa.false(), index=True)
    """
    up = """
    op.create_table("a", ID)
    op.add_column("a", FLAG)
    op.drop_table("a")
    """
    down = """
    op.create_table("a", ID)
    op.add_column("a", FLAG)
    op.drop_table("a")
    """
    root = write_project(tmp_path / "p", (up, down), preamble=preamble)
    for direction in ("upgrade", "downgrade", "upgrade"):
        scripts = compile_all(root, direction=direction)
        assert all("CREATE TABLE a" in s for s in scripts.values())


@pytest.fixture
def helpers_module(tmp_path, monkeypatch):
    """A helper module several revisions import (on sys.path for sqlbundle, on PYTHONPATH
    for the Alembic subprocess), with its own module-level MetaData."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "migration_helpers.py").write_text(textwrap.dedent("""
        import sqlalchemy as sa

        meta = sa.MetaData()


        def status_table():
            return sa.Table("status", meta, sa.Column("id", sa.Integer),
                            sa.Column("name", sa.String(20)))
        """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("PYTHONPATH", str(folder))
    monkeypatch.delitem(sys.modules, "migration_helpers", raising=False)
    yield
    sys.modules.pop("migration_helpers", None)


@engine
def test_helper_module_metadata_shared_by_revisions(engine_name, tmp_path, helpers_module):
    up1 = """
    op.create_table("status", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(20)))
    op.bulk_insert(migration_helpers.status_table(), [{"id": 1, "name": "new"}])
    """
    down2 = """
    op.bulk_insert(migration_helpers.status_table(), [{"id": 2, "name": "again"}])
    """
    up2 = 'op.execute("DELETE FROM status")'
    result = twin(tmp_path, engine_name, (up1, 'op.drop_table("status")'), (up2, down2),
                  preamble="import migration_helpers", downgrade=True)
    # The same process compiled the upgrade, the downgrade and the upgrade again.
    assert "'again'" in result.down_ours


def test_helper_module_metadata_across_targets(tmp_path, helpers_module):
    up = """
    op.create_table("status", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(20)))
    op.bulk_insert(migration_helpers.status_table(), [{"id": 1, "name": "new"}])
    """
    root = write_project(tmp_path / "p", up, preamble="import migration_helpers")
    scripts = compile_all(root)
    assert all("'new'" in s for s in scripts.values())


def test_table_redefinition_keeps_sqlalchemy_semantics_outside_runs():
    """The replacement is scoped to migration code; elsewhere SQLAlchemy's rule stands, and
    inside, extend_existing and a bare lookup keep their meaning."""
    import sqlalchemy as sa

    from sqlbundle.opargs import tables_redefinable

    meta = sa.MetaData()
    first = sa.Table("t", meta, sa.Column("a", sa.Integer))
    with tables_redefinable():
        assert sa.Table("t", meta) is first
        extended = sa.Table("t", meta, sa.Column("b", sa.Integer), extend_existing=True)
        assert extended is first and list(first.c.keys()) == ["a", "b"]
        second = sa.Table("t", meta, sa.Column("c", sa.Integer))
        assert second is not first and meta.tables["t"] is second
    with pytest.raises(sa.exc.InvalidRequestError, match="already defined"):
        sa.Table("t", meta, sa.Column("d", sa.Integer))


SELF_REF = """
op.create_table(
    "node",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("node.id", name="fk_node_parent")),
    sa.Column("name", sa.String(20)),
)
"""


@engine
def test_table_referring_to_itself(engine_name, tmp_path):
    """A foreign key to the table itself: the rebuilt Table must not meet a stub of itself
    in its MetaData (every dialect failed with "already defined")."""
    later = """
    op.add_column("node", sa.Column("rank", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_node_rank", "node", ["rank"])
    """
    if engine_name == "sqlite":  # Alembic needs batch mode (a table copy) for the CHECK
        later += """
    with op.batch_alter_table("node", copy_from=sa.Table(
            "node", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("parent_id", sa.Integer, sa.ForeignKey("node.id", name="fk_node_parent")),
            sa.Column("name", sa.String(20)),
            sa.Column("rank", sa.Integer, nullable=False, server_default="0"),
            sa.Index("ix_node_rank", "rank"))) as batch_op:
        batch_op.create_check_constraint("ck_node_rank", "rank >= 0")
    """
    else:
        later += 'op.create_check_constraint("ck_node_rank", "node", "rank >= 0")'
    twin(tmp_path, engine_name, (SELF_REF, 'op.drop_table("node")'), later, downgrade=False)


def test_table_referring_to_itself_compiles_everywhere(tmp_path):
    root = write_project(tmp_path / "p", SELF_REF, 'op.alter_column("node", "name", nullable=False)')
    for target, script in compile_all(root, [t for t in ALL_TARGETS if t != "duckdb"]).items():
        assert "REFERENCES node" in script, target
