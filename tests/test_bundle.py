"""Bundles: golden directories, guards on real engines, determinism, atomic writes.

Regenerate the golden bundles after an intended change, then review the diff:

    SQLBUNDLE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_bundle.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from engines import throwaway
from sqlbundle.assemble.bundle import build_bundle
from sqlbundle.cache import Caches
from sqlbundle.errors import SqlbundleError
from sqlbundle.project.model import open_project
from sqlbundle.assemble.writer import write_bundle

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden" / "bundles"
UPDATE = os.environ.get("SQLBUNDLE_UPDATE_GOLDEN") == "1"
DIALECTS = ("postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle")


@pytest.fixture(scope="module")
def shop():
    return open_project(SAMPLES / "shop", use_cache=False)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_golden_bundle(shop, dialect):
    bundle = build_bundle(shop, "base:heads", dialect)
    folder = GOLDEN / "shop" / dialect
    if UPDATE:
        shutil.rmtree(folder, ignore_errors=True)
        for name, text in bundle.files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8", newline="\n")
    on_disk = {p.relative_to(folder).as_posix(): p.read_text("utf-8")
               for p in sorted(folder.rglob("*")) if p.is_file()}
    assert sorted(on_disk) == sorted(bundle.files), "files added or removed; regenerate"
    for name, text in bundle.files.items():
        assert text == on_disk[name], f"{dialect}/{name} is stale; regenerate and review"


def test_bundle_layout_and_manifest(shop):
    bundle = build_bundle(shop, "base:heads", "postgresql")
    names = list(bundle.files)
    steps = [n for n in names if n[:4].isdigit()]
    assert steps == sorted(steps) and len(steps) == 13
    assert steps[0] == "0001_3f9a1c7e2b04_create_customers_table.sql"
    assert "upgrade.sql" in names and "rollback/rollback.sql" in names
    assert names.count("README.md") == 1 and "manifest.json" in names
    manifest = json.loads(bundle.files["manifest.json"])
    assert manifest["tool"] == "sqlbundle" and manifest["target"] == "postgresql@16"
    assert [s["revision"] for s in manifest["steps"]][-1] == "6e4a0d9c1b7f"
    first = manifest["steps"][0]
    assert first["source"]["path"] == "versions/3f9a1c7e2b04_create_customers_table.py"
    assert first["rollback_file"] == "rollback/9999_3f9a1c7e2b04_create_customers_table.sql"
    assert "loses data" in " ".join(first["rollback_risks"])
    assert set(manifest["files"]) == set(names) - {"manifest.json"}
    readme = bundle.files["README.md"]
    assert "```mermaid\nflowchart TD" in readme
    assert "`0007_9e05a7b3c2d8_rename_order_items_to_order_lines.sql`: warning SBL006" in readme
    assert manifest["steps"][6]["lint"][0].startswith("warning SBL006: rename table")
    assert "psql -X -v ON_ERROR_STOP=1" in readme
    header = bundle.files[steps[1]]
    assert header.startswith("-- Upgrade step 2 of bundle base:heads for postgresql@16")
    assert "-- parents:  3f9a1c7e2b04" in header
    assert "(sha256 " + shop.script("8d2e5b6a9c31").sha256 + ")" in header


def test_a_bundle_renders_each_operation_once_per_use(shop, monkeypatch):
    """One render of the upgrade serves the steps and lint; downgrades are rendered twice (the
    rollback, and lint's check of each downgrade over the schema its upgrade leaves)."""
    import sqlbundle.compile.steps as steps
    from sqlbundle.lint.api import lint_project

    calls: list[str] = []
    real = steps.replay_render

    def counting(op, state, script, ctx, *args, **kwargs):
        calls.append(script.revision)
        return real(op, state, script, ctx, *args, **kwargs)

    monkeypatch.setattr(steps, "replay_render", counting)
    monkeypatch.setenv("SQLBUNDLE_JOBS", "1")
    shop = replace(shop, caches=Caches.off())  # each use renders: none is kept
    bundle = build_bundle(shop, "base:heads", "postgresql")
    built = len(calls)
    calls.clear()
    report = lint_project(shop, "base:heads", "postgresql")
    linted = len(calls)  # the upgrade and each downgrade, once each
    calls.clear()
    steps.compile_range(shop, "heads:base", "postgresql", "downgrade")
    rollback = len(calls)
    assert rollback > 0 and linted > rollback
    assert built == linted + rollback
    assert bundle.manifest["steps"][0]["lint"] == [
        f"{f.severity} {f.code}: {f.message}" for f in report.findings
        if f.revision == bundle.manifest["steps"][0]["revision"]]


def test_no_guards(shop):
    guarded = build_bundle(shop, "base:heads", "sqlite")
    plain = build_bundle(shop, "base:heads", "sqlite", guards=False)
    assert "sqlbundle guard" in guarded.files["upgrade.sql"]
    assert "sqlbundle guard" not in plain.files["upgrade.sql"]


def step_files(folder: Path, sub: str = "") -> list[Path]:
    return sorted(p for p in (folder / sub).glob("[0-9]*.sql"))


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb", "sqlite"])
def test_guards_on_real_engines(shop, engine_name, tmp_path):
    bundle = build_bundle(shop, "base:heads", engine_name)
    folder = write_bundle(bundle, tmp_path / "out")
    steps = step_files(folder)
    with throwaway(engine_name, tmp_path / "db") as db:
        # Step 2 on a database at base: stops with the message, changes nothing.
        failed = db.apply(steps[1], expect_error=True)
        # The guard's own message on every engine, the version table missing included.
        assert "sqlbundle guard 0002: expected 3f9a1c7e2b04, found no version rows" in \
            failed.stderr + failed.stdout
        assert [t for t in db.table_names() if t != "alembic_version"] == []
        # The right order succeeds.
        for path in steps:
            db.apply(path)
        assert db.version_rows() == ["6e4a0d9c1b7f"]
        schema = db.schema()
        # Applying the bundle again fails on the first step, before any change.
        again = db.apply(folder / "upgrade.sql", expect_error=True)
        assert "sqlbundle guard 0001: expected no version rows, found 6e4a0d9c1b7f" in \
            again.stderr + again.stdout
        assert db.schema() == schema and db.version_rows() == ["6e4a0d9c1b7f"]
        # A rollback step out of order is refused too.
        rollback = step_files(folder, "rollback")
        out_of_order = db.apply(rollback[1], expect_error=True)
        assert "sqlbundle guard 9988: expected f08c3e6b9a54, found 6e4a0d9c1b7f" in \
            out_of_order.stderr + out_of_order.stdout
        for path in rollback:
            db.apply(path)
        assert db.version_rows() == [] and db.table_names() == ["alembic_version"]
        db.apply(folder / "upgrade.sql")
        assert db.version_rows() == ["6e4a0d9c1b7f"]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sqlbundle", *args], capture_output=True,
                          text=True, env=dict(os.environ, **(env or {})))


def test_bundles_are_identical_across_hash_seeds(tmp_path):
    trees = []
    for seed in ("1", "987"):
        out = tmp_path / seed
        proc = run_cli("-C", str(SAMPLES / "alembic_project"), "bundle", "-d", "postgresql",
                       "-d", "mssql", "--out", str(out),
                       env={"PYTHONHASHSEED": seed, "SQLBUNDLE_NO_CACHE": "1"})
        assert proc.returncode == 0, proc.stderr
        trees.append({p.relative_to(out).as_posix(): p.read_bytes()
                      for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    assert all(b"\r\n" not in data for data in trees[0].values())


def test_interrupted_write_keeps_the_old_bundle(shop, tmp_path, monkeypatch):
    old = write_bundle(build_bundle(shop, "base:heads", "sqlite"), tmp_path)
    before = {p: p.read_bytes() for p in old.rglob("*") if p.is_file()}
    new = build_bundle(shop, "base:e2d84c9a1f60", "sqlite")
    real_open = os.open
    calls = {"n": 0}

    def failing_open(file, flags, *args, **kwargs):
        if flags & os.O_WRONLY and ".sqlite.tmp-" in str(file):
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt  # the user pressed Ctrl-C halfway
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", failing_open)
    with pytest.raises(KeyboardInterrupt):
        write_bundle(new, tmp_path)
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in old.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sqlite"]  # no temp folder left


def test_rewrite_links_unchanged_files_and_writes_the_rest(shop, tmp_path):
    # A rewrite links the old bundle's files whose bytes it would write again; a file edited
    # by hand, or changed, is written afresh, and the old folder is gone afterwards.
    bundle = build_bundle(shop, "base:heads", "sqlite")
    folder = write_bundle(bundle, tmp_path)
    first = sorted(folder.glob("0001_*.sql"))[0]
    second = sorted(folder.glob("0002_*.sql"))[0]
    inode = first.stat().st_ino
    second.write_text("edited by hand\n")
    (folder / "notes.txt").write_text("mine")
    write_bundle(bundle, tmp_path)
    assert first.stat().st_ino == inode and first.stat().st_nlink == 1
    assert second.read_text() == bundle.files[second.name]
    assert not (folder / "notes.txt").exists()
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == \
        set(bundle.files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sqlite"]


@pytest.mark.parametrize("fail_at", ["staging", "renaming"])
def test_a_failure_on_the_second_dialect_changes_nothing(shop, tmp_path, monkeypatch, fail_at):
    from sqlbundle.assemble.writer import write_bundles

    write_bundles([build_bundle(shop, "base:heads", d) for d in ("sqlite", "postgresql")],
                  tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    newer = [build_bundle(shop, "base:e2d84c9a1f60", d) for d in ("sqlite", "postgresql")]
    real_open, real_replace = os.open, os.replace

    def failing_open(file, flags, *args, **kwargs):
        if fail_at == "staging" and flags & os.O_WRONLY and ".postgresql.tmp-" in str(file):
            raise OSError(28, "No space left on device", str(file))
        return real_open(file, flags, *args, **kwargs)

    def failing_replace(src, dst, *args, **kwargs):
        if fail_at == "renaming" and ".postgresql.tmp-" in str(src):
            raise OSError(13, "Permission denied", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "open", failing_open)
    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(SqlbundleError, match="cannot write the bundle"):
        write_bundles(newer, tmp_path)
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["postgresql", "sqlite"]


def test_a_refused_second_folder_leaves_the_first_alone(shop, tmp_path):
    from sqlbundle.assemble.writer import write_bundles

    write_bundle(build_bundle(shop, "base:heads", "sqlite"), tmp_path)
    (tmp_path / "postgresql").mkdir()
    (tmp_path / "postgresql" / "notes.txt").write_text("mine")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(SqlbundleError, match="not a sqlbundle bundle"):
        write_bundles([build_bundle(shop, "base:e2d84c9a1f60", d)
                       for d in ("sqlite", "postgresql")], tmp_path)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_replaces_only_its_own_bundle(shop, tmp_path):
    foreign = tmp_path / "sqlite"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    bundle = build_bundle(shop, "base:heads", "sqlite")
    with pytest.raises(SqlbundleError, match="not a sqlbundle bundle"):
        write_bundle(bundle, tmp_path)
    assert (foreign / "notes.txt").read_text() == "mine"
    write_bundle(bundle, tmp_path, force=True)
    assert not (foreign / "notes.txt").exists()
    write_bundle(bundle, tmp_path)  # its own bundle: replaced without --force


def test_cli_bundle_errors_are_one_message(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    proc = run_cli("-C", str(SAMPLES / "shop"), "bundle", "-d", "sqlite", "--out", str(blocker))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: ") and "cannot write the bundle" in proc.stderr
    proc = run_cli("-C", str(SAMPLES / "shop"), "bundle", "-d", "nosuchdb", "--out",
                   str(tmp_path / "x"))
    assert proc.returncode == 2 and "unknown dialect 'nosuchdb'" in proc.stderr
    assert not (tmp_path / "x").exists()


def test_project_templates_override_the_packaged_ones(tmp_path):
    shutil.copytree(SAMPLES / "shop", tmp_path / "shop")
    (tmp_path / "shop" / "templates").mkdir()
    (tmp_path / "shop" / "templates" / "bundle_step.sql.j2").write_text(
        "-- ACME change {{ number }}: {{ revision }}\n{{ body }}\n")
    with open(tmp_path / "shop" / "sqlbundle.toml", "a") as handle:
        handle.write('templates_dir = "templates"\n')
    project = open_project(tmp_path / "shop", use_cache=False)
    bundle = build_bundle(project, "base:heads", "sqlite")
    first = bundle.files["0001_3f9a1c7e2b04_create_customers_table.sql"]
    assert first.startswith("-- ACME change 1: 3f9a1c7e2b04\n")
    assert "CREATE TABLE customers" in first
    assert bundle.files["README.md"].startswith("# Migration bundle")  # not overridden


@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb", "sqlite"])
def test_ticket_sql_with_guards_stops_on_the_wrong_database(shop, engine_name, tmp_path):
    # `show REV --sql --guards`: the SQL pasted into a ticket refuses a database that is not
    # at the revision's parents, as a bundle's step does, and runs where it belongs.
    from sqlbundle.assemble.ticket import build_ticket, target_sql

    first = build_ticket(shop, "3f9a1c7e2b04", [engine_name], guards=True).targets[0]
    second = target_sql(shop, "8d2e5b6a9c31", engine_name, guards=True)
    plain = target_sql(shop, "8d2e5b6a9c31", engine_name)
    assert "sqlbundle guard" in second.upgrade_sql and "sqlbundle guard" not in plain.upgrade_sql
    with throwaway(engine_name, tmp_path / "db") as db:
        db.apply(first.upgrade_sql)
        assert db.version_rows() == ["3f9a1c7e2b04"]
        tables = db.table_names()
        wrong = db.apply(second.rollback_sql, expect_error=True)  # not at 8d2e5b6a9c31
        assert "sqlbundle guard 8d2e5b6a9c31 downgrade: expected 8d2e5b6a9c31" in \
            wrong.stderr + wrong.stdout
        assert db.table_names() == tables and db.version_rows() == ["3f9a1c7e2b04"]
        db.apply(second.upgrade_sql)
        assert db.version_rows() == ["8d2e5b6a9c31"]
        again = db.apply(second.upgrade_sql, expect_error=True)
        assert "sqlbundle guard 8d2e5b6a9c31 upgrade: expected 3f9a1c7e2b04, found " \
            "8d2e5b6a9c31" in again.stderr + again.stdout
        db.apply(second.rollback_sql)
        assert db.version_rows() == ["3f9a1c7e2b04"] and db.table_names() == tables


@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb", "sqlite", "duckdb"])
def test_a_later_step_on_a_database_without_a_version_table_says_why(tmp_path, engine_name):
    # Not "no such table: alembic_version": the guard's own message, on every engine.
    root = tmp_path / "proj"
    (root / "versions").mkdir(parents=True)
    (root / "sqlbundle.toml").write_text('version_locations = ["versions"]\n')
    for rev, parent, table in (("a1", None, "one"), ("a2", "a1", "two")):
        (root / "versions" / f"{rev}.py").write_text(
            f"from alembic import op\nimport sqlalchemy as sa\n\nrevision = {rev!r}\n"
            f"down_revision = {parent!r}\n\n\ndef upgrade():\n    op.create_table("
            f"{table!r}, sa.Column('id', sa.Integer(), primary_key=True))\n\n\n"
            f"def downgrade():\n    op.drop_table({table!r})\n")
    project = open_project(root, use_cache=False)
    folder = write_bundle(build_bundle(project, "base:heads", engine_name), tmp_path / "out")
    steps = step_files(folder)
    with throwaway(engine_name, tmp_path / "db") as db:
        failed = db.apply(steps[1], expect_error=True)
        assert "sqlbundle guard 0002: expected a1, found no version rows" in \
            failed.stderr + failed.stdout
        assert db.table_names() == []
        for path in steps:
            db.apply(path)
        assert db.version_rows() == ["a2"]


TENANT_TABLES = {"postgresql": "SELECT table_schema, table_name FROM information_schema.tables "
                               "WHERE table_schema LIKE 'tenant_%' ORDER BY 1, 2",
                 "mariadb": "SELECT table_schema, table_name FROM information_schema.tables "
                            "WHERE table_schema LIKE 'tenant_%' ORDER BY 1, 2"}


@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb"])
def test_a_bundle_per_tenant_schema(shop, engine_name, tmp_path):
    # One history, one bundle per tenant: each sets the tenant's schema as the session's
    # default, so its tables and its own version table land there, and its guards read that
    # version table only.
    from sqlbundle.assemble.writer import write_bundles

    bundles = [build_bundle(shop, "base:heads", engine_name, schema=t)
               for t in ("tenant_a", "tenant_b")]
    assert [b.folder for b in bundles] == [f"{engine_name}-tenant_a", f"{engine_name}-tenant_b"]
    assert bundles[0].manifest["schema"] == "tenant_a"
    folders = write_bundles(bundles, tmp_path / "out")
    with throwaway(engine_name, tmp_path / "db") as db:
        if engine_name == "postgresql":
            db.apply("CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b;")
            db.apply(folders[0] / "upgrade.sql")
        else:
            # A MariaDB schema is a database, outside the throwaway one: made afresh here.
            db.apply("DROP DATABASE IF EXISTS tenant_a; DROP DATABASE IF EXISTS tenant_b; "
                     "CREATE DATABASE tenant_a; CREATE DATABASE tenant_b;")
            db.apply(folders[0] / "upgrade.sql")
        try:
            rows = db.query(TENANT_TABLES[engine_name])
            assert ("tenant_a", "alembic_version") in rows and ("tenant_a", "customers") in rows
            assert not [r for r in rows if r[0] == "tenant_b"]
            first_b = step_files(folders[1])[0]
            second_a = step_files(folders[0])[1]
            db.apply(first_b)  # tenant_b starts from base
            refused = db.apply(second_a, expect_error=True)  # already applied in tenant_a
            assert "sqlbundle guard 0002: expected 3f9a1c7e2b04, found " in \
                refused.stdout + refused.stderr
        finally:
            if engine_name == "mariadb":
                db.apply("DROP DATABASE tenant_a; DROP DATABASE tenant_b;")


def test_a_tenant_bundle_needs_a_target_that_can_set_the_schema(shop):
    with pytest.raises(SqlbundleError, match="no statement that sets a session's default "
                                             "schema"):
        build_bundle(shop, "base:heads", "sqlite", schema="tenant_a")
