"""The runtime migration code sees: ``alembic.context``, ``op.get_bind()``/``op.get_context()``,
module compilation and the import environment, as under Alembic (issue 11, item 14).

Engine tests build one history with Alembic (``alembic upgrade --sql``, the oracle) and with
sqlbundle and compare the databases (tests/twin.py); the histories branch on what the runtime
tells them, so a wrong answer gives a different schema (or an ``assert`` in the migration fails
under one tool). Unit tests cover what Alembic's offline mode cannot show: the target's server
version, per-target imports, errors naming the file and line, and the caches.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from test_ops import REVS, expect_error, file_of, make_project, sqls
from twin import ENGINES, INI, URL, twin, write_project
from sqlbundle.cache import Caches
from sqlbundle.compile.steps import compile_range
from sqlbundle.errors import ScriptError
from sqlbundle.project.model import open_project

# ------------------------------------------------------------------ the context API, twinned

API_PREAMBLE = '''
from alembic import context

# Module level, as real helpers do: the dialect is known while the history is imported.
_NAME = context.get_bind().dialect.name
if _NAME == "postgresql":
    PAYLOAD = postgresql.JSONB
elif _NAME == "mysql":
    PAYLOAD = mysql.LONGTEXT
else:
    PAYLOAD = sa.Text
MODULE = __name__
'''

API_UP = '''
bind = op.get_bind()
ctx = op.get_context()
name = bind.engine.name
assert name == bind.name == ctx.dialect.name == ctx.impl.dialect.name == _NAME
assert context.get_context() is ctx and context.get_bind() is bind
assert ctx.bind is bind and ctx.connection is bind and ctx.as_sql
assert context.is_offline_mode() and not context.requires_connection()
assert ctx.opts["as_sql"] and ctx.opts["literal_binds"]
# Alembic runs "upgrade heads", sqlbundle "base:heads": the range as written.
assert ctx.opts["destination_rev"] == "heads" and ctx.opts.get("starting_rev") in (None, "base")
url = context.config.get_main_option("sqlalchemy.url")
assert url.split(":")[0].split("+")[0] == name, url
assert context.config.get_main_option("no_such_option", "dflt") == "dflt"
assert context.config.config_ini_section == "alembic"
assert context.config.cmd_opts.x is None and context.config.cmd_opts.sql
context.config.attributes["seen"] = True
assert context.get_x_argument() == [] and context.get_x_argument(as_dictionary=True) == {}
assert context.get_tag_argument() is None
assert context.get_starting_revision_argument() is None
assert ctx.get_current_heads() == () and ctx.get_current_revision() is None
head = context.get_head_revision()
assert context.get_head_revisions() == (head,) == context.get_revision_argument()
op.create_table(
    "items_" + name,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("payload", PAYLOAD),
    sa.Column("head_" + head, sa.Integer),
    sa.Column("m_" + MODULE, sa.Integer),
)
if ctx.dialect.name == "postgresql":
    op.create_index("ix_items_payload", "items_" + name, ["payload"], postgresql_using="gin")
context.execute("CREATE TABLE via_context (id INTEGER PRIMARY KEY)")
ctx.execute("CREATE TABLE via_migration_context (id INTEGER PRIMARY KEY)")
bind.execute(sa.text("CREATE TABLE via_bind (id INTEGER PRIMARY KEY)"))
'''

API_DOWN = '''
assert context.get_revision_argument() is None
head = context.get_head_revision()
assert context.get_starting_revision_argument() == (head,)
assert op.get_context().opts["starting_rev"] == "heads"
op.drop_table("via_bind")
op.drop_table("via_migration_context")
op.drop_table("via_context")
op.drop_table("items_" + op.get_bind().engine.name)
'''

SECOND_UP = '''
assert context.config.attributes.get("seen"), "config.attributes is one dict for the run"
op.add_column("items_" + _NAME, sa.Column("later", sa.String(10)))
'''


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ENGINES)
def test_alembic_context_api_twin(tmp_path, engine_name):
    result = twin(tmp_path, engine_name, (API_UP, API_DOWN),
                  (SECOND_UP, 'op.drop_column("items_" + _NAME, "later")'),
                  preamble=API_PREAMBLE, downgrade=True)
    head = "0002aaaa0002"
    (table,) = [t for t in result.schema["tables"] if t.startswith("items_")]
    columns = [c["name"] for c in result.schema["tables"][table]["columns"]]
    assert f"head_{head}" in columns and "m_0001aaaa0001_step_py" in columns
    assert {"via_context", "via_migration_context", "via_bind"} <= set(result.schema["tables"])


# ------------------------------------------------------------------ what the target is


@pytest.mark.parametrize("target, seen", [
    ("postgresql@15", "postgresql 15 False"),
    ("postgresql@17", "postgresql 17 False"),
    ("mysql@5.7", "mysql 5.7 False"),
    ("mysql@8.0", "mysql 8.0 False"),
    ("mariadb@10.11", "mysql 10.11 True"),
    ("sqlite@3.40", "sqlite 3.40 False"),
    ("mssql@2019", "mssql 15 False"),
    ("mssql@2016", "mssql 13 False"),
    ("oracle@19", "oracle 19 False"),
    ("oracle@12.1", "oracle 12.1 False"),
    ("duckdb@1.1", "duckdb 1.1 False"),
])
def test_migration_code_sees_the_target_and_its_version(tmp_path, target, seen):
    root = make_project(tmp_path, """
        from alembic import context
        d = context.get_bind().dialect
        assert d is op.get_bind().dialect is op.get_context().dialect
        seen = [d.name, ".".join(map(str, d.server_version_info)), str(d.is_mariadb)
                if hasattr(d, "is_mariadb") else "False"]
        op.create_table("_".join(["v"] + seen).replace(".", "_"),
                        sa.Column("id", sa.Integer, primary_key=True))
    """)
    name = "v_" + seen.replace(" ", "_").replace(".", "_")
    assert name in sqls(root, target)[0]


def test_mariadb_is_named_mariadb_when_the_ini_url_says_so(tmp_path):
    body = """
        from alembic import context
        op.create_table("t_" + op.get_bind().dialect.name + "_" +
                        context.config.get_main_option("sqlalchemy.url").split(":")[0],
                        sa.Column("id", sa.Integer, primary_key=True))
    """
    root = write_project(tmp_path / "p", body, engine_name="mariadb")
    sql = "\n".join(s.sql for st in compile_range(open_project(root, use_cache=False),
                                                  "base:heads", "mariadb").steps
                    for s in st.statements)
    assert "t_mysql_mysql+pymysql" in sql  # the ini's URL: a MySQL driver reaching MariaDB
    ini = root / "alembic.ini"
    ini.write_text(ini.read_text().replace("mysql+pymysql://", "mariadb+pymysql://u@h/db"))
    plan = compile_range(open_project(root, use_cache=False), "base:heads", "mariadb")
    assert "t_mariadb_mariadb+pymysql" in plan.steps[0].statements[0].sql
    # Another target sees a URL of its own backend, not the ini's.
    plan = compile_range(open_project(root, use_cache=False), "base:heads", "postgresql")
    assert "t_postgresql_postgresql" in plan.steps[0].statements[0].sql


# ------------------------------------------------------------------ errors name file and line


@pytest.mark.parametrize("body, message", [
    ('context.configure(url="sqlite://")  # <-', "belongs in env.py"),
    ("context.run_migrations()  # <-", "belongs in env.py"),
    ("context.begin_transaction()  # <-", "belongs in env.py"),
    ('context.script.get_revision("x")  # <-', "ScriptDirectory"),
    ('context.static_output("-- note")  # <-', "use op.execute()"),
    ('op.get_bind().scalar(sa.text("select 1"))  # <-', "needs a live database"),
    ('op.get_bind().execute(sa.text("select 1")).scalar()  # <-', "reading query results"),
    ('op.get_context().impl.add_column("t", sa.Column("x", sa.Integer))  # <-',
     "Alembic's internal machinery"),
    ('op.get_context().impl.static_output("x")  # <-', "use op.execute()"),
    ('op.get_context().opts["target_metadata"]  # <-', "not known offline"),
    ('op.get_context().output_buffer  # <-', "not available offline"),
    ('context.config.get_section_option("nope", "x")  # <-', "has no [nope] section"),
    ("context.config.get_template_directory()  # <-", "not available offline"),
    ("context.get_head_revision()  # <-", "several heads"),
])
def test_what_needs_a_database_or_env_py_is_an_error_at_the_line(tmp_path, body, message):
    root = make_project(tmp_path, "pass", "from alembic import context\n" + body)
    if "several heads" in message:  # a second base (and head) beside the history
        other = (root / "versions" / f"{REVS[0]}_m.py").read_text().replace(REVS[0], "eeee0005")
        (root / "versions" / "eeee0005_m.py").write_text(other)
    err = expect_error(root, "postgresql", ScriptError, rev_index=1)
    assert message in str(err)


def test_op_at_module_level_is_an_error_at_its_line(tmp_path):
    root = make_project(tmp_path, "pass")
    path = root / file_of(0)
    path.write_text(path.read_text().replace(
        "# revision identifiers",
        'op.create_table("early", sa.Column("id", sa.Integer))  # <-\n'
        "DIALECT = op.get_bind().dialect.name  # inspecting the target is fine"))
    err = expect_error(root, "postgresql", ScriptError, rev_index=0)
    assert "op.create_table runs at module level" in str(err)
    assert "move it into upgrade()" in str(err)


def test_metadata_module_run_without_a_target_says_why(tmp_path):
    """A module whose revision id is computed runs to read it; the target is unknown then."""
    root = make_project(tmp_path, "pass")
    path = root / file_of(0)
    path.write_text(path.read_text().replace(
        f"revision = {REVS[0]!r}",
        "from alembic import context\n"
        "NAME = context.get_bind().dialect.name\n"
        f"revision = {REVS[0][:4]!r} + {REVS[0][4:]!r}"))
    with pytest.raises(ScriptError) as err:
        open_project(root, use_cache=False)
    assert "the target's dialect is not known here" in str(err.value)
    assert "keep revision, down_revision" in str(err.value)


# ------------------------------------------------------------------ compiling modules


MAPPED = '''
from typing import Optional

from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "account"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    note: Mapped[Optional[str]] = mapped_column(sa.String(100))
'''

MAPPED_UP = '''
table = Account.__table__
op.create_table(table.name, *[sa.Column(c.name, c.type, primary_key=c.primary_key,
                                        nullable=c.nullable) for c in table.columns])
op.bulk_insert(table, [{"id": 1, "name": "first", "note": None}])
'''


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ENGINES)
def test_mapped_declarative_models_in_a_revision_twin(tmp_path, engine_name):
    result = twin(tmp_path, engine_name, (MAPPED_UP, 'op.drop_table("account")'),
                  preamble=MAPPED, downgrade=True)
    columns = result.schema["tables"]["account"]["columns"]
    assert [(c["name"], c["nullable"]) for c in columns] == [
        ("id", False), ("name", False), ("note", True)]


def test_modules_keep_their_own_future_flags_only(tmp_path):
    """sqlbundle's ``from __future__ import annotations`` must not leak into a migration, and
    a migration's own future import still applies (here: an unresolvable annotation is fine)."""
    root = make_project(tmp_path, """
        class Probe:
            value: int = 1
        op.create_table("t_" + type(Probe.__annotations__["value"]).__name__,
                        sa.Column("id", sa.Integer, primary_key=True))
    """, """
        def typed(x: NoSuchName) -> NoSuchName:  # only a string under the file's own import
            return x
        op.create_table("u_" + type(typed.__annotations__["x"]).__name__,
                        sa.Column("id", sa.Integer, primary_key=True))
    """)
    second = root / file_of(1)
    second.write_text("from __future__ import annotations\n" + second.read_text())
    statements = sqls(root, "sqlite", step=None)
    assert "CREATE TABLE t_type" in statements[0]  # the class int, not the string "int"
    assert "CREATE TABLE u_str" in statements[1]


def test_bytecode_cache_keeps_modules_future_flags_alone(tmp_path):
    """Bytecode kept by a version that compiled with sqlbundle's flags inherited must miss,
    and the cache written now must give the same result warm as cold."""
    import hashlib
    import marshal
    import sys

    root = write_project(tmp_path / "p", MAPPED_UP, preamble=MAPPED, engine_name="sqlite")
    project = open_project(root, use_cache=False)
    cache = tmp_path / "cache"
    project = replace(project, config=replace(project.config, cache_dir=cache),
                      caches=Caches.configured(cache))
    script = project.scripts[0]
    path = project.path_of(script.revision)
    source = Path(path).read_text()
    # What the old cache held at the old key: the module compiled under ``annotations``.
    old = hashlib.sha256(f"{path}\0{script.sha256}".encode()).hexdigest()
    (cache / "code").mkdir(parents=True)
    pack = cache / "code" / f"pack.{sys.implementation.cache_tag}"
    pack.write_bytes(marshal.dumps({old: marshal.dumps(compile(source, path, "exec"))}))
    # (this test module has the import too)
    cold = [s.sql for st in compile_range(project, "base:heads", "sqlite").steps
            for s in st.statements]
    assert len(marshal.loads(pack.read_bytes())) == 2  # the old entry missed
    warm = [s.sql for st in compile_range(project, "base:heads", "sqlite").steps
            for s in st.statements]
    assert cold == warm and "CREATE TABLE account" in cold[0]


# ------------------------------------------------------------------ importing like Alembic

SHARED_DIR_INSERT = '''
import os
import sys

# Alembic imports every revision module before it runs any: this one sorts first by file
# name, so the path it adds is there for the others' imports.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                                "shared"))
import probe_registry

probe_registry.TYPES["payload"] = sa.String(30)
'''


def revision_file(rev: str, down: str | None, up: str, back: str = "pass",
                  preamble: str = "") -> str:
    from twin import REVISION, _indent

    return REVISION.format(message=f"rev {rev}", rev=rev, down=down,
                           preamble=textwrap.dedent(preamble), upgrade=_indent(up),
                           downgrade=_indent(back))


def import_order_files() -> dict[str, str]:
    """Revision 1 (``b_first.py``) imports at module level what revision 2 (``a_second.py``,
    first in Alembic's import order) makes importable, and its upgrade() reads what revision 2
    registers; revision 3 imports revision 1's module by name (its package, through the ini's
    ``prepend_sys_path``) and revision 4 (no path tricks) reads the registry in upgrade()."""
    v = "migrations/versions"
    return {
        "migrations/shared/probe_registry.py": "TYPES = {}\n",
        "migrations/__init__.py": "",
        f"{v}/__init__.py": "",
        f"{v}/b_first.py": revision_file(
            "aaaa0001", None,
            'op.create_table("first", sa.Column("id", probe_registry.TYPES["id"], '
            'primary_key=True), sa.Column("payload", probe_registry.TYPES["payload"]))',
            'op.drop_table("first")',
            preamble="import probe_registry\n\nprobe_registry.TYPES['id'] = sa.BigInteger\n\n"
                     "def shared_columns():\n"
                     "    return [sa.Column('id', sa.Integer, primary_key=True),\n"
                     "            sa.Column('code', sa.String(8))]\n"),
        f"{v}/a_second.py": revision_file("aaaa0002", "aaaa0001", "pass",
                                          preamble=SHARED_DIR_INSERT),
        f"{v}/c_third.py": revision_file(
            "aaaa0003", "aaaa0002",
            'first = importlib.import_module("migrations.versions.b_first")\n'
            'op.create_table("copied", *first.shared_columns())',
            'op.drop_table("copied")', preamble="import importlib\n"),
        f"{v}/d_fourth.py": revision_file(
            "aaaa0004", "aaaa0003",
            "import probe_registry\n"
            'op.add_column("copied", sa.Column("extra", probe_registry.TYPES["payload"]))',
            'op.drop_column("copied", "extra")'),
    }


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ENGINES)
def test_revision_modules_see_each_other_as_under_alembic_twin(tmp_path, engine_name):
    files = import_order_files()
    files["alembic.ini"] = INI.format(url=URL[engine_name]) + "prepend_sys_path = .\n"
    result = twin(tmp_path, engine_name, files=files, downgrade=True)
    tables = result.schema["tables"]
    assert [c["name"] for c in tables["copied"]["columns"]] == ["id", "code", "extra"]
    assert "probe_registry" not in __import__("sys").modules  # kept out of the process


def test_module_needing_another_is_retried_after_importing_all(tmp_path, monkeypatch):
    """Only a failure makes sqlbundle import the rest; a history that needs nothing of the
    kind runs only the modules it records."""
    from sqlbundle.record import runtime

    files = import_order_files()
    files["alembic.ini"] = INI.format(url=URL["sqlite"]) + "prepend_sys_path = .\n"
    root = write_project(tmp_path / "p", files=files, engine_name="sqlite")
    loads: list[str] = []
    real = runtime.load_migration

    def load(path, *args, **kwargs):
        loads.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(runtime, "load_migration", load)
    compile_range(open_project(root, use_cache=False), "base:heads", "sqlite")
    # b_first fails (probe_registry is not importable yet), then every module is imported in
    # Alembic's order (a_second adds the path, b_first works after it), each once.
    assert loads == ["b_first.py", "a_second.py", "b_first.py", "c_third.py", "d_fourth.py"]
    loads.clear()
    plain = make_project(tmp_path / "plain", "pass", "pass", "pass")
    compile_range(open_project(plain, use_cache=False), f"{REVS[1]}:heads", "sqlite")
    assert sorted(loads) == sorted(p.name for p in (plain / "versions").iterdir())[:3]


def test_helper_modules_are_imported_per_target(tmp_path):
    """A project helper that picks a type by dialect at import time (fine under Alembic,
    one database per process) is imported afresh for each target sqlbundle compiles."""
    import sys

    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("doc", helper_types_probe.DOC))
    """)
    path = root / file_of(0)
    path.write_text(path.read_text().replace("# revision identifiers", textwrap.dedent("""
        import os, sys
        sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "helpers"))
        import helper_types_probe
    """)))
    (root / "helpers").mkdir()
    (root / "helpers" / "helper_types_probe.py").write_text(textwrap.dedent("""
        import sqlalchemy as sa
        from alembic import context
        from sqlalchemy.dialects import postgresql
        DOC = postgresql.JSONB if context.get_bind().dialect.name == "postgresql" else sa.Text
    """))
    saved = list(sys.path)
    assert "doc JSONB" in sqls(root, "postgresql")[0]
    assert "doc TEXT" in sqls(root, "sqlite")[0]
    assert "helper_types_probe" not in sys.modules and sys.path == saved


def test_listing_commands_never_run_migration_code(tmp_path):
    from test_ops import run_cli

    root = make_project(tmp_path, "pass", "pass")
    for index in (0, 1):
        path = root / file_of(index)
        path.write_text(path.read_text().replace("# revision identifiers",
                                                 'raise SystemExit("imported!")'))
    for command in (["heads"], ["history"]):
        proc = run_cli(root, *command)
        assert proc.returncode == 0, proc.stderr
        assert REVS[1] in proc.stdout and "imported" not in proc.stdout + proc.stderr


# ------------------------------------------------------------------ caches


def cached(root: Path, cache: Path):
    project = open_project(root, use_cache=False)
    return replace(project, config=replace(project.config, cache_dir=cache),
                   caches=Caches.configured(cache))


def all_sql(project, range_text: str = "base:heads", target: str = "sqlite") -> str:
    return "\n".join(s.sql for st in compile_range(project, range_text, target).steps
                     for s in st.statements)


HEAD_TABLE = """
    from alembic import context
    op.create_table("t_" + context.get_head_revision(), sa.Column("id", sa.Integer))
"""


def test_record_cache_does_not_keep_what_depends_on_the_history(tmp_path):
    root = make_project(tmp_path, HEAD_TABLE)
    assert f"CREATE TABLE t_{REVS[0]}" in all_sql(cached(root, tmp_path / "c"))
    make_project(tmp_path, HEAD_TABLE, "pass")  # a new head
    assert f"CREATE TABLE t_{REVS[1]}" in all_sql(cached(root, tmp_path / "c"))


def test_state_cache_keys_states_built_from_the_history_by_it(tmp_path):
    drop_head = """
        from alembic import context
        op.drop_table("t_" + context.get_head_revision())
    """
    root = make_project(tmp_path, HEAD_TABLE, "pass")
    all_sql(cached(root, tmp_path / "c"), f"{REVS[0]}:heads")  # keeps the state at REVS[0]
    make_project(tmp_path, HEAD_TABLE, "pass", drop_head)
    sql = all_sql(cached(root, tmp_path / "c"), f"{REVS[0]}:heads")
    assert f"DROP TABLE t_{REVS[2]}" in sql


def test_record_cache_misses_when_the_ini_changes(tmp_path):
    body = """
        from alembic import context
        op.create_table(context.config.get_main_option("table_name"), sa.Column("id", sa.Integer))
    """
    root = write_project(tmp_path / "p", body, engine_name="sqlite")
    ini = root / "alembic.ini"
    ini.write_text(ini.read_text() + "table_name = first\n")
    assert "CREATE TABLE first" in all_sql(cached(root, tmp_path / "c"))
    ini.write_text(ini.read_text().replace("= first", "= second"))
    assert "CREATE TABLE second" in all_sql(cached(root, tmp_path / "c"))


# ------------------------------------------------------------------ every member decided

# Alembic's public members, and what sqlbundle does with each offline: a value, or an error
# naming the migration's line (what needs a live database or belongs in env.py).
ENVIRONMENT_CONTEXT = {
    "config": "value", "execute": "value", "get_bind": "value", "get_context": "value",
    "get_head_revision": "value", "get_head_revisions": "value", "get_impl": "value",
    "get_revision_argument": "value", "get_starting_revision_argument": "value",
    "get_tag_argument": "value", "get_x_argument": "value", "is_offline_mode": "value",
    "is_transactional_ddl": "value", "requires_connection": "value",
    "begin_transaction": "env.py", "configure": "env.py", "run_migrations": "env.py",
    "static_output": "op.execute", "script": "ScriptDirectory",
    "create_module_class_proxy": "not available",
}
MIGRATION_CONTEXT = {
    "autocommit_block": "value", "bind": "value", "config": "value", "execute": "value",
    "get_current_heads": "value", "get_current_revision": "value",
    "begin_transaction": "env.py", "configure": "env.py", "run_migrations": "env.py",
    "stamp": "env.py",
    # instance attributes
    "dialect": "value", "opts": "value", "impl": "value", "as_sql": "value",
    "connection": "value", "environment_context": "value", "version_table": "value",
    "version_table_schema": "value", "transactional_ddl": "value", "purge": "value",
    "script": "not available", "output_buffer": "not available",
}
MESSAGES = {"env.py": "belongs in env.py", "op.execute": "use op.execute()",
            "ScriptDirectory": "ScriptDirectory", "not available": "not available offline"}


def public(cls: type) -> set[str]:
    return {n for n in dir(cls) if not n.startswith("_")}


def test_every_public_member_of_alembics_contexts_is_decided(tmp_path):
    from alembic.runtime.environment import EnvironmentContext as AlembicEnvironment
    from alembic.runtime.migration import MigrationContext as AlembicMigration

    from sqlbundle.profile import load_profile
    from sqlbundle.history.plan import named_range
    from sqlbundle.record.environment import Environment
    from sqlbundle.render.context import sa_dialect

    assert public(AlembicEnvironment) == set(ENVIRONMENT_CONTEXT)
    assert public(AlembicMigration) <= set(MIGRATION_CONTEXT)
    root = write_project(tmp_path / "p", "pass", engine_name="postgresql")
    project = open_project(root, use_cache=False)
    profile = load_profile("postgresql@15")
    env = Environment(sa_dialect(profile), profile, project,
                      named_range(project.graph, "base:heads"))
    with env.running(project.path_of(project.scripts[0].revision)):
        for owner, table in ((env.api, ENVIRONMENT_CONTEXT), (env.context, MIGRATION_CONTEXT)):
            for name, decision in sorted(table.items()):
                if decision == "value":
                    getattr(owner, name)  # no error (version_table_schema may be None)
                    continue
                with pytest.raises(ScriptError, match=MESSAGES[decision]):
                    getattr(owner, name)
