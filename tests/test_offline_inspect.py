"""``sqlalchemy.inspect(op.get_bind())`` answered from the replayed schema (issue 13).

Real histories (langflow, prefect, open-webui, airflow...) inspect the database to decide
whether a table, column or index exists before changing it; Alembic's --sql cannot run them at
all. sqlbundle answers from the schema the replay holds right before the revision (plus what
the revision recorded so far), and refuses, with file and line, where it does not know."""

from __future__ import annotations

import pytest

from engines import throwaway
from sqlbundle.compile.steps import compile_range
from sqlbundle.errors import SqlbundleError
from sqlbundle.project.model import open_project
from twin import TARGET, sqlbundle_sql, write_project

CREATE = ('op.create_table("t1", sa.Column("id", sa.Integer, primary_key=True), '
          'sa.Column("name", sa.String(20)))')
# Idempotent, as real histories write them: each change only if the schema lacks it.
GUARDED = ("""
inspector = sa.inspect(op.get_bind())
columns = {c["name"] for c in inspector.get_columns("t1")}
if "email" not in columns:
    op.add_column("t1", sa.Column("email", sa.String(30)))
if "t2" not in inspector.get_table_names():
    op.create_table("t2", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("t1_id", sa.Integer, sa.ForeignKey("t1.id")))
assert inspector.has_table("t2")  # what this revision recorded counts too
if "ix_t1_name" not in {i["name"] for i in inspector.get_indexes("t1")}:
    op.create_index("ix_t1_name", "t1", ["name"])
""", """
inspector = sa.inspect(op.get_bind())
if "ix_t1_name" in {i["name"] for i in inspector.get_indexes("t1")}:
    op.drop_index("ix_t1_name", table_name="t1")
if inspector.has_table("t2"):
    op.drop_table("t2")
if "email" in {c["name"] for c in inspector.get_columns("t1")}:
    op.drop_column("t1", "email")
""")


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb", "sqlite"])
def test_a_history_that_inspects_applies_up_and_down(engine_name, tmp_path):
    root = write_project(tmp_path / "p", (CREATE, 'op.drop_table("t1")'), GUARDED,
                         engine_name=engine_name)
    with throwaway(engine_name, tmp_path / "db") as db:
        db.apply(sqlbundle_sql(root, engine_name))
        tables = db.schema()["tables"]
        assert {c["name"] for c in tables["t1"]["columns"]} == {"id", "name", "email"}
        assert "t2" in tables
        assert "ix_t1_name" in {i["name"] for i in tables["t1"]["indexes"]}
        db.apply(sqlbundle_sql(root, engine_name, "heads:base", "downgrade"))
        assert [t for t in db.schema()["tables"] if t != "alembic_version"] == []


def test_what_it_decides_follows_the_revisions_before_it(tmp_path):
    """The guarded revision's operations depend on revision 1: with the record cache on, an
    edit to revision 1 alone must change them."""
    root = write_project(tmp_path / "p", CREATE, GUARDED)
    first = compile_range(open_project(root), "base:heads", "postgresql")
    assert [op.kind for op in first.steps[1].operations] == \
        ["add_column", "create_table", "create_index"]
    rev1 = next((root / "migrations" / "versions").glob("0001*.py"))
    rev1.write_text(rev1.read_text().replace(
        'sa.Column("name", sa.String(20)))',
        'sa.Column("name", sa.String(20), index=True), sa.Column("email", sa.String(30)))'))
    again = compile_range(open_project(root), "base:heads", "postgresql")
    assert [op.kind for op in again.steps[1].operations] == ["create_table"]
    assert (root / ".sqlbundle-cache").is_dir()


def test_inspecting_what_the_replay_cannot_know_is_an_error(tmp_path):
    raw = 'op.execute("CREATE TABLE t2 (LIKE t1 INCLUDING ALL)")'
    body = 'if "t2" not in sa.inspect(op.get_bind()).get_table_names():\n    op.drop_table("t1")'
    root = write_project(tmp_path / "p", CREATE, raw, body)
    with pytest.raises(SqlbundleError) as caught:
        sqlbundle_sql(root, "postgresql")
    assert "cannot list the tables offline" in caught.value.message
    assert caught.value.path.endswith("0003aaaa0003_step.py") and caught.value.line == 18


def test_a_missing_table_is_sqlalchemys_error(tmp_path):
    body = ('try:\n    sa.inspect(op.get_bind()).get_columns("nope")\n'
            'except sa.exc.NoSuchTableError:\n    op.drop_table("t1")')
    root = write_project(tmp_path / "p", CREATE, body)
    compiled = compile_range(open_project(root, use_cache=False), "base:heads",
                             TARGET["postgresql"])
    assert [op.kind for op in compiled.steps[1].operations] == ["drop_table"]


def test_reflection_answers_look_like_sqlalchemys(tmp_path):
    body = '''
insp = sa.inspect(op.get_bind())
pk = insp.get_pk_constraint("t2")
fks = insp.get_foreign_keys("t2")
cols = {c["name"]: c for c in insp.get_columns("t2")}
assert pk == {"name": "t2_pkey", "constrained_columns": ["id"]}, pk
assert [(f["name"], f["constrained_columns"], f["referred_table"], f["referred_columns"])
        for f in fks] == [("t2_t1_id_fkey", ["t1_id"], "t1", ["id"])], fks
assert cols["t1_id"]["nullable"] is True and isinstance(cols["t1_id"]["type"], sa.Integer)
assert insp.get_table_names() == ["alembic_version", "t1", "t2"]
# langflow walks every table's keys, the version table's included
assert insp.get_pk_constraint("alembic_version") == {
    "name": "alembic_version_pkc", "constrained_columns": ["version_num"]}
op.drop_table("t2")
'''
    two = ('op.create_table("t2", sa.Column("id", sa.Integer, primary_key=True), '
           'sa.Column("t1_id", sa.Integer, sa.ForeignKey("t1.id")))')
    root = write_project(tmp_path / "p", CREATE, two, body)
    compiled = compile_range(open_project(root, use_cache=False), "base:heads",
                             TARGET["postgresql"])
    assert [op.kind for op in compiled.steps[2].operations] == ["drop_table"]


@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb", "sqlite"])
def test_the_legacy_inspector_constructor_is_answered_too(engine_name, tmp_path):
    """zenml: ``Inspector.from_engine(conn.engine)`` (deprecated, still common)."""
    body = ('from sqlalchemy.engine.reflection import Inspector\n'
            'tables = Inspector.from_engine(op.get_bind().engine).get_table_names()\n'
            'if "t1" in tables:\n    op.drop_table("t1")')
    root = write_project(tmp_path / "p", CREATE, body, engine_name=engine_name)
    compiled = compile_range(open_project(root, use_cache=False), "base:heads",
                             TARGET[engine_name])
    assert [op.kind for op in compiled.steps[1].operations] == ["drop_table"]


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["postgresql", "sqlite"])
def test_reflected_tables_serve_data_migrations(engine_name, tmp_path):
    """zenml: ``meta.reflect(bind=op.get_bind(), only=(...))`` then UPDATEs through the
    reflected Table; ``Table(name, meta, autoload_with=bind)`` likewise."""
    body = '''
meta = sa.MetaData()
meta.reflect(bind=op.get_bind(), only=("t1",))
t1 = meta.tables["t1"]
assert [c.name for c in t1.primary_key.columns] == ["id"]
op.execute(t1.update().where(t1.c.name.is_(None)).values(name="unnamed"))
t2 = sa.Table("t2", sa.MetaData(), autoload_with=op.get_bind())
assert t2.c.t1_id.references(t2.metadata.tables["t1"].c.id)
op.execute(t2.delete().where(t2.c.t1_id.is_(None)))
'''
    two = ('op.create_table("t2", sa.Column("id", sa.Integer, primary_key=True), '
           'sa.Column("t1_id", sa.Integer, sa.ForeignKey("t1.id")))')
    root = write_project(tmp_path / "p", CREATE, two, body, engine_name=engine_name)
    sql = sqlbundle_sql(root, engine_name)
    assert "UPDATE t1 SET name='unnamed' WHERE t1.name IS NULL" in sql
    assert "DELETE FROM t2 WHERE t2.t1_id IS NULL" in sql
    with throwaway(engine_name, tmp_path / "db") as db:
        db.apply(sql)
        assert db.version_rows() == ["0003aaaa0003"]
