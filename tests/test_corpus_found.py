"""Defects the real-world corpus (``corpus/run.py``) found in histories other projects wrote,
each reduced to a few lines and proved against Alembic on the real engines (tests/twin.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from twin import twin

pytestmark = pytest.mark.engine


# ckan 016_37ada738328e: a revision table keyed by (id, continuity_id) drops continuity_id and
# then creates a new primary key: PostgreSQL drops the whole key with the column (MariaDB
# refuses to drop a column of a composite key, for both tools).
@pytest.mark.parametrize("engine_name", ["postgresql"])
def test_dropping_a_key_column_drops_the_whole_key_on_postgresql(engine_name, tmp_path):
    twin(tmp_path, engine_name, ("""
op.create_table("rev", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("continuity_id", sa.Integer, primary_key=True),
                sa.Column("revision_id", sa.Integer, nullable=False, server_default="0"))
""", 'op.drop_table("rev")'), ("""
op.drop_column("rev", "continuity_id")
op.create_primary_key("rev_pkey", "rev", ["id", "revision_id"])
""", """
op.drop_constraint("rev_pkey", "rev", type_="primary")
op.add_column("rev", sa.Column("continuity_id", sa.Integer, nullable=False,
                               server_default="0"))
op.create_primary_key("rev_pkey", "rev", ["id", "continuity_id"])
"""), downgrade=True)


# prefect's initial migration: flow_run and task_run refer to each other. The foreign key
# declared first has use_alter=True: SQLAlchemy leaves it out of CREATE TABLE where ALTER can
# add it, and the migration adds it by create_foreign_key once both tables exist. SQLite has
# no such ALTER: the key stays inline, referring to a table created later.
USE_ALTER = ("""
op.create_table(
    "flow_run", sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("parent_task_run_id", sa.Integer),
    sa.ForeignKeyConstraint(["parent_task_run_id"], ["task_run.id"], use_alter=True,
                            name="fk_flow_run__parent_task_run_id__task_run",
                            ondelete="SET NULL"))
op.create_table(
    "task_run", sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("flow_run_id", sa.Integer, sa.ForeignKey("flow_run.id", ondelete="CASCADE")))
if op.get_context().dialect.name != "sqlite":
    op.create_foreign_key("fk_flow_run__parent_task_run_id__task_run", "flow_run",
                          "task_run", ["parent_task_run_id"], ["id"], ondelete="SET NULL")
""", """
if op.get_context().dialect.name != "sqlite":
    op.drop_constraint("fk_flow_run__parent_task_run_id__task_run", "flow_run",
                       type_="foreignkey")
op.drop_table("task_run")
op.drop_table("flow_run")
""")


@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb", "sqlite"])
def test_use_alter_foreign_keys_wait_for_their_alter(engine_name, tmp_path):
    result = twin(tmp_path, engine_name, USE_ALTER, downgrade=True)
    fks = result.schema["tables"]["flow_run"]["foreign_keys"]
    assert [fk["referred_table"] for fk in fks] == ["task_run"]


def test_libraries_migrations_import_can_read_alembics_version(tmp_path):
    """pgadmin4's migrations import Flask-Migrate, which reads ``alembic.__version__``."""
    from sqlbundle.compile.steps import compile_range
    from sqlbundle.project.model import open_project
    from twin import write_project

    root = write_project(tmp_path / "p", 'from alembic import __version__\n'
                         'assert __version__.count(".") >= 1\nop.create_table("t", '
                         'sa.Column("id", sa.Integer, primary_key=True))')
    compiled = compile_range(open_project(root, use_cache=False), "base:heads", "postgresql")
    assert [op.kind for op in compiled.steps[0].operations] == ["create_table"]


# airflow 0017: raw DDL in the target's own SQL (no source_dialect) drops a constraint that a
# batch then creates again. The replay follows raw DDL in the target's language, so it knows
# the constraint is gone.
@pytest.mark.parametrize("engine_name", ["postgresql"])
def test_raw_ddl_in_the_targets_language_is_followed(engine_name, tmp_path):
    result = twin(tmp_path, engine_name, ("""
op.create_table("connection", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("conn_id", sa.String(250), nullable=False),
                sa.UniqueConstraint("conn_id", name="unique_conn_id"))
op.create_unique_constraint("connection_conn_id_uq", "connection", ["conn_id"])
""", 'op.drop_table("connection")'), """
op.execute("ALTER TABLE connection DROP CONSTRAINT IF EXISTS unique_conn_id")
op.execute("ALTER TABLE connection DROP CONSTRAINT IF EXISTS connection_conn_id_uq")
with op.batch_alter_table("connection") as batch_op:
    batch_op.create_unique_constraint(batch_op.f("connection_conn_id_uq"), ["conn_id"])
""")
    uniques = result.schema["tables"]["connection"]["unique_constraints"]
    assert [u["name"] for u in uniques] == ["connection_conn_id_uq"]


def test_a_batched_backfill_loop_is_an_error_not_one_batch(tmp_path):
    """prefect 14dc68cc5853 and airflow 0042 repeat a LIMITed UPDATE until rowcount is 0.
    Alembic's offline result is None: airflow's loop then writes one batch, silently."""
    from sqlbundle.errors import SqlbundleError
    from twin import sqlbundle_sql, write_project

    body = ('conn = op.get_bind()\nwhile True:\n'
            '    result = conn.execute(sa.text("UPDATE t SET v = 1 WHERE id IN '
            '(SELECT id FROM t WHERE v IS NULL LIMIT 500)"))\n'
            '    if result.rowcount <= 0:\n        break')
    root = write_project(tmp_path / "p", 'op.create_table("t", sa.Column("id", sa.Integer, '
                         'primary_key=True), sa.Column("v", sa.Integer))', body)
    with pytest.raises(SqlbundleError) as caught:
        sqlbundle_sql(root, "postgresql")
    assert "rowcount is not known offline" in caught.value.message
    assert caught.value.path.endswith("0002aaaa0002_step.py") and caught.value.line == 21


def test_errors_are_reported_in_plan_order(tmp_path):
    """airflow: a recording error at step 42 was reported before a replay error at step 18."""
    from sqlbundle.errors import SqlbundleError
    from twin import sqlbundle_sql, write_project

    root = write_project(tmp_path / "p", 'op.create_table("t", sa.Column("id", sa.Integer, '
                         'primary_key=True))', 'op.drop_table("nowhere")',
                         'op.get_bind().execute(sa.text("SELECT 1")).fetchall()')
    with pytest.raises(SqlbundleError) as caught:
        sqlbundle_sql(root, "postgresql")
    assert caught.value.path.endswith("0002aaaa0002_step.py")
    assert "nowhere" in caught.value.message


CYCLE_MODELS = '''
meta = sa.MetaData()
sa.Table("flow_run", meta, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("parent_task_run_id", sa.Integer,
                   sa.ForeignKey("task_run.id", use_alter=True, name="fk_parent_task_run")))
sa.Table("task_run", meta, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("flow_run_id", sa.Integer, sa.ForeignKey("flow_run.id")))
'''


@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb", "sqlite"])
def test_create_all_adds_use_alter_keys_after_the_tables(engine_name, tmp_path):
    result = twin(tmp_path, engine_name, ("meta.create_all(op.get_bind())",
                                          "meta.drop_all(op.get_bind())"),
                  preamble=CYCLE_MODELS, downgrade=True)
    fks = result.schema["tables"]["flow_run"]["foreign_keys"]
    assert [fk["referred_table"] for fk in fks] == ["task_run"]


def test_recordings_follow_the_environment_variables_migrations_read(tmp_path, monkeypatch):
    """airflow's ids get a MySQL collation from AIRFLOW__DATABASE__SQL_ENGINE_COLLATION_FOR_IDS:
    a cached recording made without the variable must not serve a run with it (nor the schema
    replayed from it, for a later range)."""
    from sqlbundle.compile.steps import compile_range
    from sqlbundle.project.model import open_project
    from twin import write_project

    body = ('import os\nname = os.environ.get("SB_TEST_COLUMN", "plain")\n'
            'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), '
            'sa.Column(name, sa.Integer))')
    root = write_project(tmp_path / "p", body, 'op.add_column("t", sa.Column("x", sa.Integer))')

    def columns() -> tuple[list[str], list[str]]:
        """(the create_table's columns as recorded, the table at 0001 as the state cache
        gives it to a range starting there), both through the project's caches."""
        from sqlbundle.compile.steps import new_replay, state_at
        from sqlbundle.history.plan import upgrade_range_of
        from sqlbundle.profile import parse_target

        project = open_project(root)
        whole = compile_range(project, "base:heads", "postgresql")
        recorded = [c.name for c in whole.steps[0].operations[0].table.columns]
        project = open_project(root)
        later = upgrade_range_of(project.graph, "0001aaaa0001:heads")
        replay = new_replay(project, parse_target("postgresql"), later)
        state = state_at(replay, ("0001aaaa0001",))
        return recorded, [c.name for c in state.table("t").columns]

    monkeypatch.delenv("SB_TEST_COLUMN", raising=False)
    assert columns() == (["id", "plain"], ["id", "plain"])
    assert columns() == (["id", "plain"], ["id", "plain"])  # from the caches
    monkeypatch.setenv("SB_TEST_COLUMN", "chosen")
    assert columns() == (["id", "chosen"], ["id", "chosen"])
    assert (root / ".sqlbundle-cache").is_dir()


# ckan 047: package_group (its key unnamed, so PostgreSQL calls it package_group_pkey) is
# renamed to member and a column renamed; the key keeps its name, is dropped by it, and
# member_pkey is created. The column rename used to forget the key's generated name.
@pytest.mark.parametrize("engine_name", ["postgresql"])
def test_a_renamed_tables_generated_key_name_stays(engine_name, tmp_path):
    twin(tmp_path, engine_name, ("""
op.create_table("package_group", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("group_id", sa.Integer))
""", 'op.drop_table("package_group")'), ("""
op.rename_table("package_group", "member")
op.alter_column("member", "group_id", new_column_name="table_id")
op.drop_constraint("package_group_pkey", "member")
op.create_primary_key("member_pkey", "member", ["id"])
""", """
op.drop_constraint("member_pkey", "member")
op.create_primary_key("package_group_pkey", "member", ["id"])
op.alter_column("member", "table_id", new_column_name="group_id")
op.rename_table("member", "package_group")
"""), downgrade=True)


def test_type_decorators_survive_the_caches(tmp_path):
    """zenml: sqlmodel's AutoString (a TypeDecorator) came back from the record cache with
    ``impl_instance`` memoized as the String class, and the SQLite table copy then crashed."""
    import pickle

    import sqlalchemy.dialects.sqlite  # noqa: F401

    from sqlbundle.cache.files import dumps
    from sqlbundle.compile.steps import compile_range
    from sqlbundle.project.model import open_project
    from twin import write_project

    value = pickle.loads(dumps(Label(40)))
    assert value.compile(dialect=sa.dialects.sqlite.dialect()) == "VARCHAR(40)"
    preamble = ("class Label(sa.types.TypeDecorator):\n    impl = sa.String\n"
                "    cache_ok = True\n")
    root = write_project(tmp_path / "p", 'op.create_table("t", sa.Column("id", sa.Integer, '
                         'primary_key=True), sa.Column("n", Label(20)))',
                         'with op.batch_alter_table("t") as b:\n'
                         '    b.alter_column("n", existing_type=Label(20), type_=Label(40))',
                         preamble=preamble, engine_name="sqlite")
    first = compile_range(open_project(root), "base:heads", "sqlite")
    again = compile_range(open_project(root), "base:heads", "sqlite")  # from the caches
    assert [s.sql for s in again.steps[1].statements] == \
        [s.sql for s in first.steps[1].statements]


class Label(sa.types.TypeDecorator):
    impl = sa.String
    cache_ok = True


def test_an_internal_error_names_the_migration(tmp_path, monkeypatch):
    """zenml's crash in the table copy named no file: a bug in rendering says where it was."""
    import sqlbundle.compile.steps as steps
    from sqlbundle.project.model import open_project
    from twin import write_project

    def broken(*args, **kwargs):
        raise TypeError("boom")

    monkeypatch.setattr(steps, "render_operation", broken)
    root = write_project(tmp_path / "p", 'op.create_table("t", sa.Column("id", sa.Integer, '
                         'primary_key=True))')
    with pytest.raises(TypeError) as caught:
        steps.compile_range(open_project(root, use_cache=False), "base:heads", "postgresql")
    assert caught.value.__notes__ == [
        "rendering create table t of migrations/versions/0001aaaa0001_step.py:18"]


def test_an_orm_session_on_the_bind_says_so(tmp_path):
    """mlflow 90e64c465722 queries through orm.Session(bind=op.get_bind()): the message named
    get_bind().close."""
    from sqlbundle.errors import SqlbundleError
    from twin import sqlbundle_sql, write_project

    root = write_project(tmp_path / "p", 'op.create_table("t", sa.Column("id", sa.Integer, '
                         'primary_key=True))',
                         'from sqlalchemy import orm\nsession = orm.Session(bind=op.get_bind())\n'
                         'rows = session.execute(sa.select(sa.table("t", sa.column("id"))))')
    with pytest.raises(SqlbundleError) as caught:
        sqlbundle_sql(root, "postgresql")
    assert "an ORM Session or a transaction of its own" in caught.value.message
    assert caught.value.line == 20


def test_libraries_that_drive_alembic_import(tmp_path):
    """pgadmin4 imports Flask-Migrate, whose top level imports alembic.config, alembic.command
    and alembic.util (and subclasses Config); using them in a migration is an error."""
    from sqlbundle.compile.steps import compile_range
    from sqlbundle.errors import SqlbundleError
    from sqlbundle.project.model import open_project
    from twin import write_project

    preamble = ("from alembic.config import Config as AlembicConfig\n"
                "from alembic import command\nfrom alembic.util import CommandError\n"
                "class Config(AlembicConfig):\n    pass\n")
    root = write_project(tmp_path / "p", 'op.create_table("t", sa.Column("id", sa.Integer, '
                         'primary_key=True))', 'command.upgrade(Config(), "head")',
                         preamble=preamble)
    project = open_project(root, use_cache=False)
    compiled = compile_range(project, "base:0001aaaa0001", "postgresql")
    assert [op.kind for op in compiled.steps[0].operations] == ["create_table"]
    with pytest.raises(SqlbundleError, match="alembic.config.Config is not available"):
        compile_range(project, "base:heads", "postgresql")
    from sqlbundle.record.runtime import _shim_modules

    assert issubclass(_shim_modules()["alembic.util"].CommandError, Exception)


# airflow 0017 on MySQL: no DROP INDEX IF EXISTS, so the drop is prepared from a variable set
# by IF(<exists>, 'ALTER TABLE ... DROP INDEX ...', 'select 1'); a batch then creates it again.
CONDITIONAL = '''
op.execute(sa.text("""
set @var=if((SELECT true FROM information_schema.TABLE_CONSTRAINTS WHERE
    CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'connection' AND
    CONSTRAINT_NAME = 'connection_conn_id_uq' AND CONSTRAINT_TYPE = 'UNIQUE') = true,
    'ALTER TABLE connection DROP INDEX connection_conn_id_uq','select 1');

prepare stmt from @var;
execute stmt;
deallocate prepare stmt;
"""))
with op.batch_alter_table("connection") as batch_op:
    batch_op.create_unique_constraint("connection_conn_id_uq", ["conn_id"])
'''


@pytest.mark.parametrize("engine_name", ["mariadb"])
def test_a_prepared_conditional_drop_is_followed(engine_name, tmp_path):
    result = twin(tmp_path, engine_name, ("""
op.create_table("connection", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("conn_id", sa.String(250), nullable=False))
op.create_unique_constraint("connection_conn_id_uq", "connection", ["conn_id"])
""", 'op.drop_table("connection")'), CONDITIONAL)
    names = {u["name"] for u in result.schema["tables"]["connection"]["unique_constraints"]}
    assert names == {"connection_conn_id_uq"}


# airflow 0027 on MySQL: op.execute() of a CREATE PROCEDURE ... BEGIN ... END with CALL and
# DROP PROCEDURE after it. The mysql client splits at every ";" (Alembic's SQL fails there).
@pytest.mark.parametrize("engine_name", ["mariadb"])
def test_a_procedure_block_runs_whole_in_the_mysql_client(engine_name, tmp_path):
    from twin import meaning

    _, schema, _ = meaning(tmp_path, engine_name, 'op.create_table("t", sa.Column("id", '
                           'sa.Integer, primary_key=True))', '''op.execute("""
    CREATE PROCEDURE add_x_if_missing()
    BEGIN
        IF EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                   AND TABLE_NAME = 't' AND COLUMN_NAME = 'x') THEN
            SELECT 1;
        ELSE
            ALTER TABLE t ADD COLUMN x INT;
        END IF;
    END;
    CALL add_x_if_missing();
    DROP PROCEDURE add_x_if_missing;
    """)''')
    assert [c["name"] for c in schema["tables"]["t"]["columns"]] == ["id", "x"]


# airflow 0042 on MySQL: DROP FUNCTION IF EXISTS, then the CREATE FUNCTION ... BEGIN ... END,
# in one op.execute() text; the function is then used and dropped.
@pytest.mark.parametrize("engine_name", ["mariadb"])
def test_a_routine_after_other_statements_runs_whole(engine_name, tmp_path):
    from twin import meaning

    _, schema, _ = meaning(tmp_path, engine_name, 'op.create_table("t", sa.Column("id", '
                           'sa.Integer, primary_key=True), sa.Column("v", sa.Integer))', '''
op.execute("""
DROP FUNCTION IF EXISTS twice;
CREATE FUNCTION twice(n INT)
RETURNS INT
DETERMINISTIC
BEGIN
    DECLARE r INT;
    SET r = n * 2;
    RETURN r;
END;
""")
op.execute("UPDATE t SET v = twice(id)")
op.execute("DROP FUNCTION twice")
op.add_column("t", sa.Column("w", sa.Integer))''')
    assert [c["name"] for c in schema["tables"]["t"]["columns"]] == ["id", "v", "w"]
