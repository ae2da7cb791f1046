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

from test_ops import REVS, compiled, expect_error, file_of, make_project, sqls
from twin import ENGINES, INI, URL, twin, write_project
from sqlbundle.build import compile_range
from sqlbundle.errors import ScriptError, SqlbundleError
from sqlbundle.project import open_project

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
