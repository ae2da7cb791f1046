"""``sqlbundle schema``: the replayed schema as a CREATE script, JSON and Markdown.

The script is proved on real engines: applied to an empty database it builds the same schema
(and with --stamp the same version rows) as the history's bundle applied to another one.

    SQLBUNDLE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_schema_cmd.py
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sqlbundle.assemble.bundle import build_bundle
from sqlbundle.errors import SqlbundleError
from sqlbundle.project.model import open_project
from sqlbundle.review.snapshot import snapshot_data, snapshot_sql, take_snapshot

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden" / "schema"
UPDATE = os.environ.get("SQLBUNDLE_UPDATE_GOLDEN") == "1"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sqlbundle", *args], capture_output=True,
                          text=True, cwd=cwd, env=dict(os.environ, SQLBUNDLE_NO_CACHE="1"))


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"missing golden file {path}; regenerate with SQLBUNDLE_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{path} is stale"


@pytest.mark.parametrize("dialect, fmt, suffix", [
    ("postgresql", "sql", "sql"), ("mariadb", "sql", "sql"), ("sqlite", "sql", "sql"),
    ("mssql", "sql", "sql"), ("postgresql", "json", "json"), ("mariadb", "markdown", "md")])
def test_shop_schema_golden(dialect, fmt, suffix):
    proc = cli("-C", str(SAMPLES / "shop"), "schema", "-d", dialect, "-f", fmt)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    golden(f"shop-{dialect}.{suffix}", proc.stdout)


def test_schema_at_an_earlier_revision_and_at_base():
    project = open_project(SAMPLES / "shop", use_cache=False)
    first = project.graph.bases[0]
    heads = snapshot_data(take_snapshot(project, "heads", "postgresql"))
    early = snapshot_data(take_snapshot(project, first, "postgresql"))
    assert early["revisions"] == [first]
    assert 0 < len(early["tables"]) < len(heads["tables"])
    base = take_snapshot(project, "base", "postgresql")
    assert snapshot_data(base)["tables"] == []
    assert "-- no tables at this revision" in snapshot_sql(project, base)


def test_json_is_stable_and_sorted():
    project = open_project(SAMPLES / "alembic_project", use_cache=False)
    data = snapshot_data(take_snapshot(project, "heads", "mariadb"))
    names = [(t["schema"] or "", t["name"]) for t in data["tables"]]
    assert names == sorted(names)
    for table in data["tables"]:
        for key in ("foreign_keys", "unique_constraints", "check_constraints", "indexes"):
            assert [i["name"] or "" for i in table[key]] == \
                sorted(i["name"] or "" for i in table[key])
    # MariaDB's own index for a foreign key is described, and marked as the database's.
    implicit = [ix for t in data["tables"] for ix in t["indexes"] if ix["implicit"]]
    assert implicit


def test_stamp_records_the_revision():
    project = open_project(SAMPLES / "shop", use_cache=False)
    snapshot = take_snapshot(project, "heads", "postgresql")
    text = snapshot_sql(project, snapshot, stamp=True)
    assert "CREATE TABLE IF NOT EXISTS alembic_version" in text
    assert f"INSERT INTO alembic_version (version_num) VALUES ('{snapshot.revisions[0]}')" in text
    assert "alembic_version" not in snapshot_sql(project, snapshot)


def test_unknown_dialect_and_revision_are_clear_errors(tmp_path):
    proc = cli("-C", str(SAMPLES / "shop"), "schema", "-d", "nosuchdb")
    assert proc.returncode == 2 and "nosuchdb" in proc.stderr and "Traceback" not in proc.stderr
    proc = cli("-C", str(SAMPLES / "shop"), "schema", "nosuchrev", "-d", "sqlite")
    assert proc.returncode == 2 and "nosuchrev" in proc.stderr and "Traceback" not in proc.stderr
    proc = cli("-C", str(SAMPLES / "shop"), "schema")
    assert proc.returncode == 2 and "-d" in proc.stderr


def test_raw_sql_the_state_cannot_follow_is_refused(tmp_path):
    versions = tmp_path / "versions"
    versions.mkdir()
    (tmp_path / "sqlbundle.toml").write_text(
        'script_location = "."\nversion_locations = ["versions"]\ndialects = ["postgresql"]\n')
    (versions / "a1_first.py").write_text(
        'revision = "a1"\ndown_revision = None\n\nfrom sqlbundle import op\nimport sqlalchemy as sa\n\n'
        'def upgrade():\n    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))\n'
        '    op.execute("CREATE VIEW v AS SELECT 1; CREATE TRIGGER tr AFTER INSERT ON t '
        'FOR EACH ROW EXECUTE FUNCTION f()")\n\n'
        'def downgrade():\n    op.drop_table("t")\n')
    project = open_project(tmp_path, use_cache=False)
    try:
        take_snapshot(project, "heads", "postgresql")
    except SqlbundleError as exc:
        assert "raw SQL" in str(exc)
    else:
        pytest.fail("an opaque state must not give a CREATE script")


CASES = [(sample, engine) for sample in ("shop", "alembic_project", "raw_sql")
         for engine in ("postgresql", "mariadb", "sqlite")] + [("raw_sql", "duckdb")]


def same_names(schema: dict, engine_name: str) -> dict:
    """Names that differ without a difference: PostgreSQL keeps a SERIAL's sequence name when
    its table is renamed (the replayed schema does not know it, so the script's table gets a
    sequence named after it); on SQLite a raw SQL TIMESTAMP column is what SQLAlchemy writes
    as DATETIME (the same affinity and storage)."""
    text = re.sub(r"nextval\('[^']*'(::regclass)?\)", "nextval()", repr(schema))
    if engine_name == "sqlite":
        text = text.replace("'type': 'TIMESTAMP'", "'type': 'DATETIME'")
    return eval(text)  # noqa: S307 - our own repr of plain data


@pytest.mark.engine
@pytest.mark.parametrize("sample, engine_name", CASES)
def test_schema_script_builds_what_the_history_builds(sample, engine_name, tmp_path):
    from engines import comparable, throwaway

    project = open_project(SAMPLES / sample, use_cache=False)
    bundle = build_bundle(project, "base:heads", engine_name)
    script = snapshot_sql(project, take_snapshot(project, "heads", engine_name), stamp=True)
    with throwaway(engine_name, tmp_path / "history") as history, \
            throwaway(engine_name, tmp_path / "snapshot") as snapshot:
        history.apply(bundle.files["upgrade.sql"])
        snapshot.apply(script)
        built = same_names(comparable(snapshot.schema(), engine_name), engine_name)
        assert built == same_names(comparable(history.schema(), engine_name), engine_name)
        assert built  # not two empty databases
        assert snapshot.version_rows() == history.version_rows() == sorted(project.graph.heads)


def test_json_description_is_the_same_across_hash_seeds(tmp_path):
    outputs = []
    for seed in ("0", "777"):
        proc = subprocess.run(
            [sys.executable, "-m", "sqlbundle", "-C", str(SAMPLES / "alembic_project"), "schema",
             "-d", "postgresql", "-f", "json"], capture_output=True,
            env=dict(os.environ, PYTHONHASHSEED=seed, SQLBUNDLE_NO_CACHE="1"))
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]
    json.loads(outputs[0])
