"""Generated SQL applied with the real clients: upgrade, check the schema, downgrade, upgrade.

The expected schema is the replayed state, created in a second throwaway database with
SQLAlchemy's ``create_all`` and reflected the same way, so both sides go through the same
engine's own normalisation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from engines import comparable, throwaway
from sqlbundle.compile.steps import compile_range, replayed_state
from sqlbundle.project.model import open_project
from sqlbundle.render.tables import build_metadata
from sqlbundle.assemble.framing import render_script

pytestmark = pytest.mark.engine

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ENGINES = ("postgresql", "mariadb", "sqlite")


def sqlite_affinity(type_name: str) -> str:
    """SQLite stores by type affinity (its documented rules); spellings beyond that do not
    matter to it (TEXT(100) and VARCHAR(100) are the same column)."""
    name = type_name.upper()
    if "INT" in name:
        return "INTEGER"
    if any(word in name for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in name or not name:
        return "BLOB"
    if any(word in name for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def affinity(schema: dict) -> dict:
    """Storage classes as SQLite keeps values: sqlglot writes DECIMAL as REAL and BOOLEAN as
    INTEGER where SQLAlchemy writes NUMERIC and BOOLEAN; all three store 9.5 and 1 alike."""
    for table in schema["tables"].values():
        for column in table["columns"]:
            kind = sqlite_affinity(column["type"])
            column["type"] = "NUMBER" if kind in ("INTEGER", "REAL", "NUMERIC") else kind
    return schema


def normalized(schema: dict) -> dict:
    """Drop what differs only by how each side was created (sequence names; SQLite reports a
    primary-key column declared without NOT NULL as nullable, though it cannot hold NULL)."""
    text = repr(schema)
    text = re.sub(r"nextval\('[^']*'(::regclass)?\)", "nextval()", text)
    data = eval(text)  # noqa: S307 - our own repr of plain data
    for table in data["tables"].values():
        keys = set(table["primary_key"]["columns"])
        for column in table["columns"]:
            if column["name"] in keys:
                column["nullable"] = False
    return data


def expected_schema(project, target: str, engine_name: str, tmp_path: Path) -> dict:
    state = replayed_state(project, "heads", target)
    metadata = build_metadata(state.tables.values())
    with throwaway(engine_name, tmp_path / "expected") as reference:
        eng = sa.create_engine(reference.url)
        try:
            metadata.create_all(eng)
        finally:
            eng.dispose()
        return normalized(comparable(reference.schema(), engine_name))


@pytest.mark.parametrize("sample", ["shop", "alembic_project", "raw_sql"])
@pytest.mark.parametrize("engine_name", ENGINES)
def test_upgrade_downgrade_upgrade_on_real_engine(sample, engine_name, tmp_path):
    project = open_project(SAMPLES / sample, use_cache=False)
    up = render_script(compile_range(project, "base:heads", engine_name, "upgrade"))
    down = render_script(compile_range(project, "heads:base", engine_name, "downgrade"))
    expected = expected_schema(project, engine_name, engine_name, tmp_path)
    same = affinity if engine_name == "sqlite" and sample == "raw_sql" else (lambda s: s)
    with throwaway(engine_name, tmp_path / "db") as db:
        db.apply(up)
        assert db.version_rows() == project.graph.heads
        assert same(normalized(comparable(db.schema(), engine_name))) == same(expected)
        db.apply(down)
        assert db.version_rows() == []
        assert db.table_names() == ["alembic_version"]
        db.apply(up)
        assert same(normalized(comparable(db.schema(), engine_name))) == same(expected)
        assert db.version_rows() == project.graph.heads


@pytest.mark.parametrize("engine_name", ENGINES)
def test_step_by_step_ranges_compose(engine_name, tmp_path):
    """Upgrading in two ranges ends where one range does; so does downgrading in two."""
    project = open_project(SAMPLES / "shop", use_cache=False)
    mid = "b3187d2f6e45"  # the branch point
    first = render_script(compile_range(project, f"base:{mid}", engine_name, "upgrade"))
    second = render_script(compile_range(project, f"{mid}:heads", engine_name, "upgrade"))
    back = render_script(compile_range(project, f"heads:{mid}", engine_name, "downgrade"))
    with throwaway(engine_name, tmp_path / "db") as db:
        db.apply(first)
        assert db.version_rows() == [mid]
        db.apply(second)
        assert db.version_rows() == project.graph.heads
        db.apply(back)
        assert db.version_rows() == [mid]
        assert "payments" not in db.table_names() and "product_reviews" not in db.table_names()


def test_seed_rows_survive_exactly(tmp_path):
    project = open_project(SAMPLES / "shop", use_cache=False)
    for engine_name in ENGINES:
        sql = render_script(compile_range(project, "base:5a61f3d8e9b7", engine_name, "upgrade"))
        with throwaway(engine_name, tmp_path / engine_name) as db:
            db.apply(sql)
            rows = db.query("SELECT name, slug, description FROM categories ORDER BY slug")
            assert [tuple(r) for r in rows] == [
                ("Books", "books", "Fiction, non-fiction and reference"),
                ("Children's books", "childrens-books", None),
                ("Küche & Café", "kueche-cafe", "Kaffeemühlen, Töpfe und Geschirr"),
            ], engine_name
