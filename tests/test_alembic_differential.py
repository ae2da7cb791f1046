"""Differential test against the real Alembic on ``samples/alembic_project``.

For PostgreSQL and MariaDB, the offline SQL Alembic itself generates (``alembic upgrade ...
--sql``) and the SQL sqlbundle generates for the same range are each applied with the real
client to their own fresh database; the two databases must end with the same schema (as
reflected and normalized by ``engines.comparable``), the same seed data and the same
``alembic_version`` rows.  Then the two tools are crossed: the real ``alembic current`` reads
a database sqlbundle upgraded, and sqlbundle's downgrade runs on a database Alembic upgraded
(and the other way round).

The Alembic commands, run on a copy of the sample whose alembic.ini has ``sqlalchemy.url``
rewritten (the project's env.py reads only that; offline mode needs only the dialect)::

    alembic -c COPY/alembic.ini upgrade heads --sql
    alembic -c COPY/alembic.ini downgrade heads:base --sql
    alembic -c COPY/alembic.ini upgrade base:<branch point> --sql
    alembic -c COPY/alembic.ini upgrade <branch point>:heads --sql
    alembic -c COPY/alembic.ini downgrade heads:<branch point> --sql
    alembic -c COPY/alembic.ini downgrade <branch point>:base --sql
    alembic -c COPY/alembic.ini current          (online, url = the throwaway database)

with ``sqlalchemy.url = postgresql://`` or ``mysql+pymysql://`` for the offline runs.

SQLite is not compared: Alembic's offline SQLite output is not runnable (see
``test_alembic_offline_sqlite_output_is_not_runnable``), which is why sqlbundle renders such
changes as a table copy on SQLite.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engines import comparable, throwaway
from sqlbundle.compile.steps import compile_range
from sqlbundle.project.model import open_project
from sqlbundle.assemble.framing import render_script

pytest.importorskip("alembic")

pytestmark = pytest.mark.engine

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "alembic_project"
ALEMBIC = Path(sys.executable).parent / "alembic"
ENGINES = ("postgresql", "mariadb")
# Offline mode needs only the dialect (plus its DBAPI module importable for the URL to load).
OFFLINE_URLS = {"postgresql": "postgresql://", "mariadb": "mysql+pymysql://", "sqlite": "sqlite://"}
VERSION_TABLE = "alembic_version"


# --------------------------------------------------------------------------------------------
# running the real Alembic


def alembic_copy(directory: Path, url: str) -> Path:
    """A copy of the sample project whose alembic.ini points at ``url``; returns the ini."""
    if not directory.exists():
        shutil.copytree(SAMPLE, directory, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    ini = directory / "alembic.ini"
    text, n = re.subn(
        r"(?m)^sqlalchemy\.url\s*=.*$",
        # configparser interpolates %(...)s: a literal % must be doubled.
        lambda _: "sqlalchemy.url = " + url.replace("%", "%%"),
        ini.read_text(encoding="utf-8"),
    )
    assert n == 1, "the sample's alembic.ini has no sqlalchemy.url line"
    ini.write_text(text, encoding="utf-8")
    return ini


def run_alembic(ini: Path, *args: str) -> subprocess.CompletedProcess:
    if not ALEMBIC.is_file():
        pytest.skip(f"no alembic executable next to {sys.executable}")
    argv = [str(ALEMBIC), "-c", str(ini), *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=ini.parent)


def checked_alembic(ini: Path, *args: str) -> str:
    proc = run_alembic(ini, *args)
    assert proc.returncode == 0, (
        f"alembic {' '.join(args)} failed (exit {proc.returncode})\n{proc.stderr}\n{proc.stdout}"
    )
    return proc.stdout


@pytest.fixture(scope="module")
def alembic_offline(tmp_path_factory):
    """``alembic_offline(engine, command, range)`` -> Alembic's ``--sql`` output (cached)."""
    root = tmp_path_factory.mktemp("alembic_offline")
    cache: dict[tuple[str, ...], str] = {}

    def generate(engine_name: str, command: str, range_text: str) -> str:
        key = (engine_name, command, range_text)
        if key not in cache:
            ini = alembic_copy(root / engine_name, OFFLINE_URLS[engine_name])
            cache[key] = checked_alembic(ini, command, range_text, "--sql")
        return cache[key]

    return generate


@pytest.fixture(scope="module")
def project():
    return open_project(SAMPLE, use_cache=False)


def sqlbundle_sql(project, engine_name: str, range_text: str, direction: str) -> str:
    return render_script(compile_range(project, range_text, engine_name, direction))


# --------------------------------------------------------------------------------------------
# comparing two databases


def version_table_shape(db) -> dict:
    """The alembic_version table itself (Engine.schema() leaves it out)."""
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    from engines import normalize_type

    eng = sa.create_engine(db.url, poolclass=NullPool)
    try:
        with eng.connect() as conn:
            insp = sa.inspect(conn)
            columns = [
                (c["name"], normalize_type(c["type"].compile(dialect=conn.dialect), db.name), c["nullable"])
                for c in insp.get_columns(VERSION_TABLE)
            ]
            pk = insp.get_pk_constraint(VERSION_TABLE)
    finally:
        eng.dispose()
    # MariaDB reports every primary key as PRIMARY, so the name is compared only elsewhere.
    return {"columns": columns, "pk_columns": pk["constrained_columns"],
            "pk_name": pk.get("name") if db.name == "postgresql" else None}


def seed_rows(db) -> list[tuple]:
    if "tags" not in db.table_names():
        return []
    return db.query("SELECT name, slug, description, search_boost FROM tags ORDER BY slug")


def assert_same_database(by_alembic, by_sqlbundle, where: str) -> None:
    name = by_alembic.name
    ours, theirs = comparable(by_sqlbundle.schema(), name), comparable(by_alembic.schema(), name)
    # Nothing needs normalizing beyond comparable() on this sample: it renames a column, not a
    # table, so even PostgreSQL's SERIAL sequence names (in the nextval() defaults) agree.
    if ours != theirs:
        diffs = []
        for table in sorted(set(ours["tables"]) | set(theirs["tables"])):
            a, b = theirs["tables"].get(table), ours["tables"].get(table)
            if a != b:
                for key in sorted(set(a or {}) | set(b or {})):
                    if (a or {}).get(key) != (b or {}).get(key):
                        diffs.append(f"{table}.{key}:\n  alembic:   {(a or {}).get(key)!r}\n"
                                     f"  sqlbundle: {(b or {}).get(key)!r}")
        pytest.fail(f"{name} {where}: schemas differ\n" + "\n".join(diffs))
    assert by_sqlbundle.version_rows() == by_alembic.version_rows(), where
    assert by_sqlbundle.table_names() == by_alembic.table_names(), where
    assert version_table_shape(by_sqlbundle) == version_table_shape(by_alembic), where
    assert seed_rows(by_sqlbundle) == seed_rows(by_alembic), where


# --------------------------------------------------------------------------------------------
# the tests


@pytest.mark.parametrize("engine_name", ENGINES)
def test_upgrade_heads_matches_alembic(engine_name, project, alembic_offline, tmp_path):
    theirs = alembic_offline(engine_name, "upgrade", "heads")
    ours = sqlbundle_sql(project, engine_name, "base:heads", "upgrade")
    with throwaway(engine_name, tmp_path / "alembic") as a, throwaway(engine_name, tmp_path / "ours") as s:
        a.apply(theirs)
        s.apply(ours)
        assert s.version_rows() == project.graph.heads
        assert_same_database(a, s, "after upgrade heads")


@pytest.mark.parametrize("engine_name", ENGINES)
def test_downgrade_base_matches_alembic(engine_name, project, alembic_offline, tmp_path):
    """Each tool's downgrade heads:base, from the same starting point, ends the same way:
    an empty alembic_version table (Alembic does not drop it) and nothing else."""
    up = alembic_offline(engine_name, "upgrade", "heads")
    theirs = alembic_offline(engine_name, "downgrade", "heads:base")
    ours = sqlbundle_sql(project, engine_name, "heads:base", "downgrade")
    with throwaway(engine_name, tmp_path / "alembic") as a, throwaway(engine_name, tmp_path / "ours") as s:
        a.apply(up)
        s.apply(up)
        a.apply(theirs)
        s.apply(ours)
        assert s.version_rows() == []
        assert s.table_names() == [VERSION_TABLE]
        assert_same_database(a, s, "after downgrade heads:base")


@pytest.mark.parametrize("engine_name", ENGINES)
def test_alembic_current_reads_a_sqlbundle_database(engine_name, project, tmp_path):
    ours = sqlbundle_sql(project, engine_name, "base:heads", "upgrade")
    (head,) = project.graph.heads
    with throwaway(engine_name, tmp_path / "ours") as s:
        s.apply(ours)
        ini = alembic_copy(tmp_path / "online", s.url)
        out = checked_alembic(ini, "current")
        assert re.search(rf"^{head} \(head\)", out, re.M), out
        # And Alembic's own downgrade runs on it, back to an empty version table.
        s.apply(checked_alembic(alembic_copy(tmp_path / "offline", OFFLINE_URLS[engine_name]),
                                "downgrade", "heads:base", "--sql"))
        assert s.version_rows() == []
        assert s.table_names() == [VERSION_TABLE]


@pytest.mark.parametrize("engine_name", ENGINES)
def test_sqlbundle_downgrade_on_an_alembic_database(engine_name, project, alembic_offline, tmp_path):
    theirs = alembic_offline(engine_name, "upgrade", "heads")
    ours = sqlbundle_sql(project, engine_name, "heads:base", "downgrade")
    with throwaway(engine_name, tmp_path / "alembic") as a:
        a.apply(theirs)
        assert a.version_rows() == project.graph.heads
        a.apply(ours)
        assert a.version_rows() == []
        assert a.table_names() == [VERSION_TABLE]


@pytest.mark.parametrize("engine_name", ENGINES)
def test_partial_ranges_through_the_branch_point_match_alembic(engine_name, project, alembic_offline,
                                                               tmp_path):
    """base:BP then BP:heads (up), then heads:BP and BP:base (down), compared after each."""
    (bp,) = project.graph.branch_points
    ranges = [
        ("upgrade", f"base:{bp}", [bp]),
        ("upgrade", f"{bp}:heads", project.graph.heads),
        ("downgrade", f"heads:{bp}", [bp]),
        ("downgrade", f"{bp}:base", []),
    ]
    with throwaway(engine_name, tmp_path / "alembic") as a, throwaway(engine_name, tmp_path / "ours") as s:
        for direction, range_text, rows in ranges:
            a.apply(alembic_offline(engine_name, direction, range_text))
            s.apply(sqlbundle_sql(project, engine_name, range_text, direction))
            assert s.version_rows() == sorted(rows), f"{direction} {range_text}"
            assert_same_database(a, s, f"after {direction} {range_text}")
        assert s.table_names() == [VERSION_TABLE]


def test_alembic_offline_sqlite_output_is_not_runnable(project, alembic_offline, tmp_path):
    """Why SQLite is left out above, and why sqlbundle has its table copy: Alembic's offline
    SQLite output (outside batch mode) writes ``ALTER TABLE ... ALTER COLUMN ... TYPE``, which
    SQLite has no syntax for, and refuses outright to write ALTER of constraints."""
    (bp,) = project.graph.branch_points
    ini = alembic_copy(tmp_path / "sqlite", OFFLINE_URLS["sqlite"])

    # Up to the branch point Alembic writes SQL, but SQL that sqlite3 cannot run.
    theirs = checked_alembic(ini, "upgrade", f"base:{bp}", "--sql")
    assert re.search(r"(?m)^ALTER TABLE posts ALTER COLUMN view_count TYPE BIGINT;$", theirs)
    # Past it (create_foreign_key) Alembic does not generate anything.
    proc = run_alembic(ini, "upgrade", "heads", "--sql")
    assert proc.returncode != 0
    assert "No support for ALTER of constraints in SQLite" in proc.stderr

    with throwaway("sqlite", tmp_path / "alembic") as a:
        failed = a.apply(theirs, expect_error=True)
        assert "ALTER" in failed.stderr and "syntax error" in failed.stderr, failed.stderr
    # sqlbundle's SQL for the same ranges runs.
    with throwaway("sqlite", tmp_path / "ours") as s:
        s.apply(sqlbundle_sql(project, "sqlite", f"base:{bp}", "upgrade"))
        assert s.version_rows() == [bp]
        s.apply(sqlbundle_sql(project, "sqlite", f"{bp}:heads", "upgrade"))
        assert s.version_rows() == project.graph.heads
        columns = {c["name"]: c["type"] for c in s.schema()["tables"]["posts"]["columns"]}
        assert columns["view_count"] == "BIGINT"
