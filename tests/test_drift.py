"""``sqlbundle drift``: dumps taken with the real clients from databases our bundles built
show no drift; after a manual change on each engine the drift is found and named exactly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sqlbundle.assemble.bundle import build_bundle
from sqlbundle.project.model import open_project

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "samples" / "shop"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(SHOP), *args],
                          capture_output=True, text=True,
                          env=dict(os.environ, SQLBUNDLE_NO_CACHE="1"))


def dump(engine, path: Path, *, versions: bool = False) -> Path:
    """The schema dump a DBA takes with the engine's own client (and the version rows)."""
    from engines import MARIADB_HOST, MARIADB_PORT, MARIADB_USER, PG_HOST, PG_PORT, PG_USER

    if engine.name == "postgresql":
        base = ["pg_dump", "-h", PG_HOST, "-p", str(PG_PORT), "-U", PG_USER]
        text = subprocess.run(base + ["--schema-only", engine.database], check=True,
                              capture_output=True, text=True).stdout
        if versions:
            text += subprocess.run(base + ["--data-only", "-t", "alembic_version",
                                           engine.database], check=True, capture_output=True,
                                   text=True).stdout
    elif engine.name == "mariadb":
        base = ["mariadb-dump", "-h", MARIADB_HOST, "-P", str(MARIADB_PORT), "-u", MARIADB_USER]
        text = subprocess.run(base + ["--no-data", engine.database], check=True,
                              capture_output=True, text=True).stdout
        if versions:
            text += subprocess.run(base + [engine.database, "alembic_version"], check=True,
                                   capture_output=True, text=True).stdout
    else:
        text = subprocess.run(["sqlite3", engine.database, ".dump" if versions else ".schema"],
                              check=True, capture_output=True, text=True).stdout
    path.write_text(text, encoding="utf-8")
    return path


# A manual change per engine, and the lines drift must print for it.
MANUAL = {
    "postgresql": ("ALTER TABLE customers ADD COLUMN nickname VARCHAR(20);\n"
                   "ALTER TABLE orders ALTER COLUMN status TYPE VARCHAR(30);\n"
                   "DROP INDEX ix_payments_order_id;\n"
                   "ALTER TABLE products DROP CONSTRAINT ck_products_price_positive;\n"),
    "mariadb": ("ALTER TABLE customers ADD COLUMN nickname VARCHAR(20);\n"
                "ALTER TABLE orders MODIFY status VARCHAR(30) NOT NULL DEFAULT 'pending';\n"
                # (ix_payments_order_id backs a foreign key: MariaDB keeps it)
                "DROP INDEX ix_categories_slug ON categories;\n"
                "ALTER TABLE products DROP CONSTRAINT ck_products_price_positive;\n"),
    "sqlite": ("ALTER TABLE customers ADD COLUMN nickname VARCHAR(20);\n"
               "DROP INDEX ix_payments_order_id;\n"),
}
FOUND = {
    "postgresql": [
        "extra column customers.nickname (in the database, not in the history)",
        "different column orders.status: type VARCHAR(30) in the database, VARCHAR(9) in the "
        "history",
        "missing index ix_payments_order_id on payments (in the history, not in the database)",
        "missing check constraint ck_products_price_positive on products (in the history, not "
        "in the database)",
    ],
}
FOUND["mariadb"] = ["missing index ix_categories_slug on categories (in the history, not in "
                    "the database)"] + FOUND["postgresql"][:2] + FOUND["postgresql"][3:]
FOUND["sqlite"] = [FOUND["postgresql"][0], FOUND["postgresql"][2]]


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb", "sqlite"])
def test_a_bundle_built_database_has_no_drift_and_a_manual_change_is_named(engine_name,
                                                                           tmp_path):
    from engines import throwaway

    project = open_project(SHOP, use_cache=False)
    bundle = build_bundle(project, "base:heads", engine_name)
    with throwaway(engine_name, tmp_path / "db") as db:
        db.apply(bundle.files["upgrade.sql"])
        clean = cli("drift", "--dump", str(dump(db, tmp_path / "clean.sql", versions=True)),
                    "-d", engine_name)
        assert clean.returncode == 0, clean.stdout + clean.stderr
        assert "the revision its version table records" in clean.stdout
        assert clean.stdout.rstrip().endswith("no differences")
        bare = cli("drift", "--dump", str(dump(db, tmp_path / "bare.sql")), "-d", engine_name)
        assert bare.returncode == 0, bare.stdout + bare.stderr
        assert f"at {project.graph.heads[0]}, the closest revision" in bare.stdout
        db.apply(MANUAL[engine_name])
        changed = cli("drift", "--dump", str(dump(db, tmp_path / "changed.sql")), "-d",
                      engine_name, "--at", "heads")
        assert changed.returncode == 1, changed.stdout + changed.stderr
        lines = changed.stdout.splitlines()
        assert [line.strip() for line in lines[1:-1]] == FOUND[engine_name]
        assert lines[-1] == f"{len(FOUND[engine_name])} difference(s)"
        as_json = cli("drift", "--dump", str(tmp_path / "changed.sql"), "-d", engine_name,
                      "--at", "heads", "-f", "json")
        data = json.loads(as_json.stdout)
        assert as_json.returncode == 1 and data["drifted"] is True
        assert {"status": "extra", "kind": "column", "subject": "customers.nickname",
                "details": []} in data["differences"]
        assert len(data["differences"]) == len(FOUND[engine_name])


@pytest.mark.engine
def test_an_older_database_is_matched_to_its_revision(tmp_path):
    from engines import throwaway

    project = open_project(SHOP, use_cache=False)
    middle = project.graph.revisions[len(project.graph.revisions) // 2]
    bundle = build_bundle(project, f"base:{middle}", "postgresql")
    with throwaway("postgresql", tmp_path / "db") as db:
        db.apply(bundle.files["upgrade.sql"])
        found = cli("drift", "--dump", str(dump(db, tmp_path / "old.sql")), "-d", "postgresql")
    assert found.returncode == 0, found.stdout + found.stderr
    assert f"at {middle}, the closest revision" in found.stdout
    against_head = cli("drift", "--dump", str(tmp_path / "old.sql"), "-d", "postgresql",
                       "--at", "heads")
    assert against_head.returncode == 1
    assert "missing" in against_head.stdout


def test_an_unreadable_dump_is_exit_2_with_file_and_line(tmp_path):
    binary = tmp_path / "dump.bin"
    binary.write_bytes(b"CREATE TABLE t (id int);\n\x00\x01\x02")
    proc = cli("drift", "--dump", str(binary), "-d", "postgresql")
    assert proc.returncode == 2 and f"{binary}:" in proc.stderr
    assert "Traceback" not in proc.stderr
    latin = tmp_path / "latin.sql"
    latin.write_bytes(b"-- ok\n-- caf\xe9\nCREATE TABLE t (id int);\n")
    proc = cli("drift", "--dump", str(latin), "-d", "postgresql")
    assert proc.returncode == 2 and f"{latin}:2: not UTF-8" in proc.stderr
    proc = cli("drift", "--dump", str(tmp_path / "missing.sql"), "-d", "postgresql")
    assert proc.returncode == 2 and "no such file" in proc.stderr


def test_unknown_version_rows_are_an_error(tmp_path):
    text = ("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);\n"
            "INSERT INTO alembic_version VALUES ('feedfeedfeed');\n")
    (tmp_path / "d.sql").write_text(text)
    proc = cli("drift", "--dump", str(tmp_path / "d.sql"), "-d", "sqlite")
    assert proc.returncode == 2 and "feedfeedfeed" in proc.stderr and "--at" in proc.stderr


# Dumps taken with the real clients (tests/data/drift/: the shop bundle applied, then changed
# by hand as each file's differences show), and the reports they give, as golden files:
#     SQLBUNDLE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_drift.py
DATA = ROOT / "tests" / "data" / "drift"
GOLDEN = ROOT / "tests" / "golden" / "drift"


@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb", "sqlite"])
@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("json", "json"),
                                         ("markdown", "md")])
def test_reports_of_committed_dumps_golden(engine_name, fmt, suffix):
    proc = subprocess.run(
        [sys.executable, "-m", "sqlbundle", "-C", "samples/shop", "drift", "--dump",
         f"tests/data/drift/shop-{engine_name}.sql", "-d", engine_name, "-f", fmt],
        capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, SQLBUNDLE_NO_CACHE="1"))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    path = GOLDEN / f"shop-{engine_name}.{suffix}"
    if os.environ.get("SQLBUNDLE_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(proc.stdout, encoding="utf-8", newline="\n")
    assert proc.stdout == path.read_text(encoding="utf-8"), f"{path} is stale"


@pytest.mark.parametrize("sample", ["shop", "alembic_project", "raw_sql"])
def test_the_closest_revision_search_sees_each_revisions_schema(sample):
    """``revision_states`` folds a merge's other branches onto its first parent's schema; on
    the samples (branches and merges) that is each revision's schema exactly."""
    from sqlbundle.autogen.api import compare_states
    from sqlbundle.compile.replay import revision_states
    from sqlbundle.compile.steps import replay_to, replayed_state
    from sqlbundle.profile import load_profile
    from sqlbundle.render.context import sa_dialect

    project = open_project(ROOT / "samples" / sample, use_cache=False)
    profile = load_profile("postgresql")
    seen = []
    for rev, state in revision_states(replay_to(project, "heads", profile)):
        exact = replayed_state(project, rev, profile)
        assert compare_states(state, exact, sa_dialect(profile)).empty, rev
        seen.append(rev)
    assert seen == project.graph.revisions


def test_a_clean_result_says_what_was_not_compared(tmp_path):
    root = tmp_path / "p"
    (root / "versions").mkdir(parents=True)
    (root / "sqlbundle.toml").write_text(
        'script_location = "."\nversion_locations = ["versions"]\ndialects = ["sqlite"]\n')
    (root / "versions" / "r1.py").write_text(
        'revision = "r1"\ndown_revision = None\nfrom sqlbundle import op\n'
        'import sqlalchemy as sa\n\ndef upgrade():\n'
        '    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))\n\n'
        'def downgrade():\n    op.drop_table("t")\n')
    dump_file = tmp_path / "d.sql"
    dump_file.write_text("CREATE TABLE t (id INTEGER NOT NULL, PRIMARY KEY (id));\n"
                         "CREATE VIEW v AS SELECT id FROM t;\n")
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(root), "drift",
                           "--dump", str(dump_file)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1:] == [
        f"note: not compared (cannot be read): {dump_file}:2: CREATE VIEW v AS SELECT id FROM t",
        "no differences in what was read (1 statement(s) not compared, see the notes)"]
    # A dump of another database's kind is not a dump of this one: exit 2, file and line.
    other = subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(SHOP), "drift",
                            "--dump", str(ROOT / "tests/data/drift/shop-mariadb.sql"), "-d",
                            "postgresql"], capture_output=True, text=True)
    assert other.returncode == 2 and "shop-mariadb.sql:23: not a PostgreSQL schema dump" in \
        other.stderr


def test_mysql_index_names_belong_to_their_table(tmp_path):
    """Found by drift on a 1,000-revision bench history dumped by mariadb-dump: MySQL names
    the index of an unnamed foreign key after its column, so many tables have an index
    ``parent_id``; the replayed schema held index names schema-wide (PostgreSQL's rule) and
    refused the second. Index names are per table where the target's are."""
    from sqlbundle.compile.steps import replayed_state

    root = tmp_path / "p"
    (root / "versions").mkdir(parents=True)
    (root / "sqlbundle.toml").write_text(
        'script_location = "."\nversion_locations = ["versions"]\ndialects = ["mariadb"]\n')
    (root / "versions" / "r1.py").write_text(
        'revision = "r1"\ndown_revision = None\nfrom sqlbundle import op\n'
        'import sqlalchemy as sa\n\ndef upgrade():\n'
        '    for name in ("a", "b"):\n'
        '        op.create_table(name, sa.Column("id", sa.Integer, primary_key=True),\n'
        '                        sa.Column("name", sa.String(20)))\n'
        '        op.create_index("ix_name", name, ["name"])\n\n'
        'def downgrade():\n    op.drop_table("b")\n    op.drop_table("a")\n')
    project = open_project(root, use_cache=False)
    for target in ("mariadb", "mysql"):
        state = replayed_state(project, "heads", target)
        assert [ix.name for t in ("a", "b") for ix in state.table(t).indexes] == \
            ["ix_name", "ix_name"]
    # PostgreSQL keeps one namespace per schema: the second index is an error there.
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(root), "upgrade",
                           "-d", "postgresql"], capture_output=True, text=True)
    assert proc.returncode == 2 and "index 'ix_name' already exists" in proc.stderr
    assert subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(root), "upgrade",
                           "-d", "mariadb"], capture_output=True, text=True).returncode == 0
