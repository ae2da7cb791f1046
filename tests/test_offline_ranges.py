"""A range does not depend on revisions outside it (issue 13). A revision that cannot run
offline (it reads the database) used to block every later range, even one starting after it.
Now the replay goes past it: what it changed is unknown (a diagnostic names it), later
operations rely on what their authors state (``existing_type=``), and whatever would need the
unknown part (SQLite's table copy) is an error, never a copy that loses columns."""

from __future__ import annotations

import pytest

from engines import throwaway
from sqlbundle.compile.steps import compile_range
from sqlbundle.errors import SqlbundleError
from sqlbundle.project.model import open_project
from twin import TARGET, sqlbundle_sql, write_project

CREATE_T1 = ('op.create_table("t1", sa.Column("id", sa.Integer, primary_key=True), '
             'sa.Column("name", sa.String(20)))')
# Reads the database: Alembic's --sql cannot run it either.
READS = ('n = op.get_bind().execute(sa.text("SELECT count(*) FROM t1")).scalar()\n'
         'op.create_table("t2", sa.Column("id", sa.Integer, primary_key=True), '
         'sa.Column("v", sa.String(10)))')
LATER = ('op.alter_column("t1", "name", type_=sa.String(40), existing_type=sa.String(20))\n'
         'op.add_column("t2", sa.Column("w", sa.Integer))\n'
         'op.alter_column("t2", "v", type_=sa.String(30), existing_type=sa.String(10))')
# What the database holds after revisions 1 and 2 (applied live, as Alembic online would).
EXISTING = """
CREATE TABLE t1 (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20));
CREATE TABLE t2 (id INTEGER NOT NULL PRIMARY KEY, v VARCHAR(10));
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
INSERT INTO alembic_version (version_num) VALUES ('0002aaaa0002');
"""


def _project(tmp_path, engine_name):
    return write_project(tmp_path / "p", CREATE_T1, READS, LATER, engine_name=engine_name)


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb"])
def test_a_range_after_an_unreplayable_revision_compiles_and_applies(engine_name, tmp_path):
    root = _project(tmp_path, engine_name)
    compiled = compile_range(open_project(root, use_cache=False), "0002aaaa0002:heads",
                             TARGET[engine_name])
    [skipped] = [d for d in compiled.diagnostics if d.code == "SB102"]
    assert "0002aaaa0002" in skipped.message and "reading query results" in skipped.message
    assert skipped.path.endswith("0002aaaa0002_step.py") and skipped.line == 18
    with throwaway(engine_name, tmp_path / "db") as db:
        db.apply(EXISTING)
        db.apply(sqlbundle_sql(root, engine_name, "0002aaaa0002:heads"))
        tables = db.schema()["tables"]
        columns = {c["name"]: c["type"] for c in tables["t2"]["columns"]}
        assert set(columns) == {"id", "v", "w"} and "30" in columns["v"]
        assert "40" in {c["name"]: c["type"] for c in tables["t1"]["columns"]}["name"]
        assert db.version_rows() == ["0003aaaa0003"]


def test_the_unreplayable_revision_itself_is_still_an_error(tmp_path):
    root = _project(tmp_path, "postgresql")
    with pytest.raises(SqlbundleError) as caught:
        sqlbundle_sql(root, "postgresql", "0001aaaa0001:heads")
    assert "reading query results" in caught.value.message
    assert caught.value.path.endswith("0002aaaa0002_step.py") and caught.value.line == 18


def test_sqlite_refuses_to_copy_a_table_it_does_not_fully_know(tmp_path):
    root = _project(tmp_path, "sqlite")
    with pytest.raises(SqlbundleError, match="does not know all of t1") as caught:
        sqlbundle_sql(root, "sqlite", "0002aaaa0002:heads")
    assert "baseline_sql" in (caught.value.hint or "")


def test_a_table_filled_in_from_hints_is_not_copied_either(tmp_path):
    """Raw SQL the replay cannot follow created t2: the alter's hints name one column only."""
    raw = 'op.execute("CREATE TABLE t2 AS SELECT 1 AS id, \'x\' AS v")'
    root = write_project(tmp_path / "p", raw, 'op.alter_column("t2", "v", type_=sa.String(30), '
                         'existing_type=sa.String(10))', engine_name="sqlite")
    with pytest.raises(SqlbundleError, match="does not know all of t2"):
        sqlbundle_sql(root, "sqlite")
