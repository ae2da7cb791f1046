"""Build one migration history twice, with Alembic and with sqlbundle, and compare databases.

A fidelity test writes a small Alembic project (``alembic.ini``, an offline-only ``env.py``,
one revision per body), then:

* sqlbundle compiles ``base:heads`` for the engine's target and the SQL is applied with the
  real client to a fresh database;
* Alembic (a test-only dependency, run as ``alembic upgrade heads --sql`` in a subprocess so that
  nothing of sqlbundle's stand-in reaches it) writes its offline SQL, applied to another fresh
  database;
* the two schemas (tables, columns, defaults, constraints with names, indexes, column comments,
  PostgreSQL enum types) and version rows must be equal. With ``downgrade=True`` both go back to
  base and are compared again, and sqlbundle's database is upgraded once more (a round trip must
  not trip over anything left behind).

``meaning()`` applies only sqlbundle's SQL, for cases where Alembic itself is wrong; the test
then checks the database against what the migration means.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from engines import comparable, throwaway
from sqlbundle.compile.steps import compile_range
from sqlbundle.project.model import open_project
from sqlbundle.assemble.framing import render_script

ENGINES = ("postgresql", "mariadb", "sqlite")
# Targets matching the local servers (PostgreSQL 15, MariaDB 10.11, SQLite 3.40).
TARGET = {"postgresql": "postgresql@15", "mariadb": "mariadb@10.11", "sqlite": "sqlite@3.40"}
URL = {"postgresql": "postgresql://", "mariadb": "mysql+pymysql://", "sqlite": "sqlite://"}
ALEMBIC = Path(sys.executable).parent / "alembic"

REVISION = '''"""{message}

Revision ID: {rev}
Revises: {down}
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, mysql
{preamble}

revision = {rev!r}
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''

ENV = '''from alembic import context

config = context.config
context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
                  dialect_opts={"paramstyle": "named"})
with context.begin_transaction():
    context.run_migrations()
'''

INI = """[alembic]
script_location = %(here)s/migrations
path_separator = os
sqlalchemy.url = {url}
"""


def _indent(text: str) -> str:
    return textwrap.indent(textwrap.dedent(text).strip("\n") or "pass", "    ")


def revision_id(i: int) -> str:
    return f"{i + 1:04d}aaaa{i + 1:04d}"


def write_project(root: Path, *bodies, preamble: str = "", engine_name: str = "postgresql",
                  files: dict[str, str] | None = None, settings: str = "") -> Path:
    """An Alembic project in ``root`` with one revision per body (a chain). A body is the text
    of ``upgrade()`` or an ``(upgrade, downgrade)`` pair; ``preamble`` goes at module level of
    every revision (helpers, shared MetaData); ``files`` (path relative to ``root`` -> text)
    are written last (more modules, a different alembic.ini); ``settings``, when given, is a
    sqlbundle.toml beside alembic.ini (what Alembic keeps in env.py, e.g. ``source_dialect``)."""
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    (root / "migrations" / "env.py").write_text(ENV, encoding="utf-8")
    (root / "alembic.ini").write_text(INI.format(url=URL[engine_name]), encoding="utf-8")
    if settings:
        (root / "sqlbundle.toml").write_text(textwrap.dedent(settings), encoding="utf-8")
    down = None
    for i, body in enumerate(bodies):
        up, back = body if isinstance(body, tuple) else (body, "pass")
        rev = revision_id(i)
        (versions / f"{rev}_step.py").write_text(REVISION.format(
            message=f"step {i + 1}", rev=rev, down=down, preamble=textwrap.dedent(preamble),
            upgrade=_indent(up), downgrade=_indent(back)), encoding="utf-8")
        down = rev
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def alembic_sql(root: Path, *args: str) -> str:
    """Alembic's offline SQL for ``args`` (e.g. ``"upgrade", "heads"``)."""
    if not ALEMBIC.is_file():
        pytest.skip(f"no alembic executable next to {sys.executable}")
    proc = subprocess.run([str(ALEMBIC), "-c", str(root / "alembic.ini"), *args, "--sql"],
                          capture_output=True, text=True, timeout=120, cwd=root)
    assert proc.returncode == 0, f"alembic {' '.join(args)} failed:\n{proc.stderr}"
    return proc.stdout


def sqlbundle_sql(root: Path, engine_name: str, range_text: str = "base:heads",
                  direction: str = "upgrade") -> str:
    project = open_project(root, use_cache=False)
    return render_script(compile_range(project, range_text, TARGET[engine_name], direction))


def full_schema(db) -> dict:
    """``Engine.schema()`` plus what it leaves out: column comments, computed columns, index
    expressions and predicates, MariaDB's AUTO_INCREMENT and PostgreSQL enums."""
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    schema = comparable(db.schema(), db.name)
    eng = sa.create_engine(db.url, poolclass=NullPool)
    try:
        with eng.connect() as conn:
            insp = sa.inspect(conn)
            for name, table in schema["tables"].items():
                reflected = {c["name"]: c for c in insp.get_columns(name)}
                for col in table["columns"]:
                    col["comment"] = reflected.get(col["name"], {}).get("comment")
                    col["computed"] = reflected.get(col["name"], {}).get("computed")
                    if db.name == "mariadb":  # MODIFY/CHANGE can drop AUTO_INCREMENT
                        col["autoincrement"] = bool(reflected[col["name"]].get("autoincrement"))
                # Expression indexes and partial-index predicates, as the engine reports them.
                indexes = {ix["name"]: ix for ix in insp.get_indexes(name)}
                for ix in table["indexes"]:
                    found = indexes.get(ix["name"], {})
                    ix["expressions"] = found.get("expressions")
                    ix["where"] = sorted((k, str(v)) for k, v in
                                         found.get("dialect_options", {}).items()
                                         if k.endswith("_where"))
            if db.name == "postgresql":
                schema["enums"] = sorted((e["name"], tuple(e["labels"])) for e in insp.get_enums())
    finally:
        eng.dispose()
    return schema


def schema_diff(theirs: dict, ours: dict) -> str:
    lines = []
    if theirs.get("enums") != ours.get("enums"):
        lines.append(f"enums:\n  alembic:   {theirs.get('enums')}\n  sqlbundle: {ours.get('enums')}")
    for table in sorted(set(theirs["tables"]) | set(ours["tables"])):
        a, b = theirs["tables"].get(table), ours["tables"].get(table)
        if a != b:
            for key in sorted(set(a or {}) | set(b or {})):
                if (a or {}).get(key) != (b or {}).get(key):
                    lines.append(f"{table}.{key}:\n  alembic:   {(a or {}).get(key)!r}\n"
                                 f"  sqlbundle: {(b or {}).get(key)!r}")
    return "\n".join(lines)


@dataclass
class Twin:
    """What a differential run produced, for further assertions."""

    ours: str
    theirs: str
    schema: dict
    down_ours: str = ""
    down_schema: dict = field(default_factory=dict)


def twin(tmp_path: Path, engine_name: str, *bodies, preamble: str = "",
         downgrade: bool = False, files: dict[str, str] | None = None) -> Twin:
    """Apply the history built by both tools to two fresh databases on ``engine_name`` and
    assert they end the same (after the upgrade, and after the downgrade to base)."""
    root = write_project(tmp_path / "project", *bodies, preamble=preamble, engine_name=engine_name,
                         files=files)
    ours = sqlbundle_sql(root, engine_name)
    theirs = alembic_sql(root, "upgrade", "heads")
    with contextlib.ExitStack() as stack:
        a = stack.enter_context(throwaway(engine_name, tmp_path / "alembic"))
        b = stack.enter_context(throwaway(engine_name, tmp_path / "sqlbundle"))
        a.apply(theirs)
        b.apply(ours)
        sa_, sb = full_schema(a), full_schema(b)
        assert sb == sa_, f"{engine_name}: schemas differ after upgrade\n{schema_diff(sa_, sb)}"
        assert b.version_rows() == a.version_rows()
        result = Twin(ours, theirs, sb)
        if downgrade:
            down_ours = sqlbundle_sql(root, engine_name, "heads:base", "downgrade")
            a.apply(alembic_sql(root, "downgrade", "heads:base"))
            b.apply(down_ours)
            da, db_ = full_schema(a), full_schema(b)
            assert db_ == da, f"{engine_name}: schemas differ after downgrade\n{schema_diff(da, db_)}"
            assert b.version_rows() == a.version_rows() == []
            b.apply(ours)  # the round trip: nothing left behind trips the second upgrade
            assert full_schema(b) == sb
            result.down_ours, result.down_schema = down_ours, db_
        return result


def meaning(tmp_path: Path, engine_name: str, *bodies, preamble: str = "",
            downgrade: bool = False, settings: str = "", probe=None) -> tuple[str, dict, dict]:
    """sqlbundle's SQL alone: (upgrade SQL, schema after upgrade, schema after the downgrade to
    base, or {}). For cases where Alembic is wrong and the migration's meaning is the judge.
    ``probe(db, "upgrade" | "downgrade")``, when given, runs after each (e.g. inserts rows)."""
    root = write_project(tmp_path / "project", *bodies, preamble=preamble, engine_name=engine_name,
                         settings=settings)
    ours = sqlbundle_sql(root, engine_name)
    with throwaway(engine_name, tmp_path / "sqlbundle") as b:
        b.apply(ours)
        up = full_schema(b)
        if probe is not None:
            probe(b, "upgrade")
        down: dict = {}
        if downgrade:
            b.apply(sqlbundle_sql(root, engine_name, "heads:base", "downgrade"))
            down = full_schema(b)
            if probe is not None:
                probe(b, "downgrade")
            b.apply(ours)
            assert full_schema(b) == up, "a second upgrade after the downgrade differs"
        return ours, up, down
