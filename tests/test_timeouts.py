"""Lock and statement timeouts in the SQL: a step on a busy database fails fast, before any
change, instead of queueing behind a long transaction; run again, it succeeds."""

from __future__ import annotations

import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest

from engines import throwaway
from sqlbundle.assemble.bundle import build_bundle
from sqlbundle.assemble.timeouts import Timeouts, step_timeouts
from sqlbundle.assemble.writer import write_bundle
from sqlbundle.errors import ConfigError
from sqlbundle.profile import load_profile
from sqlbundle.project.config import discover
from sqlbundle.project.model import open_project
from sqlbundle.project.settings import parse_duration
from sqlbundle.source.script import Script

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
WIDEN = "71bc6e0f4a9d"  # step 6: ALTER TABLE products (an existing table)


def test_durations():
    assert [parse_duration(t, "x") for t in ("5s", "500ms", "2min", "1h", "3", "off", "0")] == \
        [5000, 500, 120000, 3600000, 3000, 0, 0]
    with pytest.raises(ConfigError, match="x: expected a duration"):
        parse_duration("soon", "x")


def test_bad_timeout_setting_names_the_file_and_key(tmp_path):
    (tmp_path / "versions").mkdir()
    (tmp_path / "sqlbundle.toml").write_text('lock_timeout = "a while"\n')
    with pytest.raises(ConfigError) as err:
        discover(tmp_path)
    assert "lock_timeout" in str(err.value) and "sqlbundle.toml" in str(err.value)


def test_forms_per_target():
    pg, mysql, sqlite = (load_profile(n) for n in ("postgresql", "mysql", "sqlite"))
    default = step_timeouts(None, None, pg)
    assert default == Timeouts(5000, 0)  # on for PostgreSQL by default
    assert default.in_transaction(pg) == ["SET LOCAL lock_timeout = '5000ms';"]
    both = Timeouts(2000, 60000)
    assert both.around_autocommit(pg) == (
        ["SET lock_timeout = '2000ms';", "SET statement_timeout = 0;"],
        ["RESET lock_timeout;", "RESET statement_timeout;"])
    assert step_timeouts(None, None, mysql) == Timeouts(0, 0)  # off unless the project says
    assert Timeouts(1500, 0).session(mysql) == ["SET SESSION lock_wait_timeout = 2;"]
    assert Timeouts(1500, 0).in_transaction(mysql) == [] and Timeouts(1500).session(pg) == []
    assert Timeouts(1500).session(sqlite) == []
    # A migration's own comment wins over the project's setting.
    script = Script("a1", path="versions/a1.py", settings=(("lock_timeout", "30s"),))
    assert step_timeouts("1s", "off", pg, script) == Timeouts(30000, 0)
    bad = Script("a1", path="versions/a1.py", settings=(("lock_timeout", "later"),))
    with pytest.raises(ConfigError, match="versions/a1.py: sqlbundle: lock_timeout"):
        step_timeouts(None, None, pg, bad)


def test_in_the_sql(tmp_path):
    root = tmp_path / "shop"
    shutil.copytree(SAMPLES / "shop", root, ignore=shutil.ignore_patterns("bundles"))
    widen = next((root / "versions").glob(f"{WIDEN}_*.py"))
    widen.write_text(widen.read_text() + "\n# sqlbundle: lock_timeout=30s\n")
    (root / "sqlbundle.toml").write_text((root / "sqlbundle.toml").read_text()
                                         + 'statement_timeout = "10min"\n')
    project = open_project(root, use_cache=False)
    files = build_bundle(project, "base:heads", "postgresql").files
    first = files["0001_3f9a1c7e2b04_create_customers_table.sql"]
    assert "BEGIN;\nSET LOCAL lock_timeout = '5000ms';\n" \
           "SET LOCAL statement_timeout = '600000ms';\n" in first
    sixth = next(text for name, text in files.items() if name.startswith(f"0006_{WIDEN}"))
    assert "SET LOCAL lock_timeout = '30000ms';" in sixth
    mysql = build_bundle(replace(project, config=replace(project.config, lock_timeout="1s")),
                         "base:heads", "mysql").files
    assert mysql["0001_3f9a1c7e2b04_create_customers_table.sql"].count(
        "SET SESSION lock_wait_timeout = 1;") == 1
    assert "sets none" in build_bundle(project, "base:heads", "sqlite").files["upgrade.sql"]


HOLD = {"postgresql": ["BEGIN", "SELECT count(*) FROM products"],
        "mariadb": ["START TRANSACTION", "SELECT count(*) FROM products"]}


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb"])
def test_a_step_behind_a_long_transaction_fails_fast_and_reruns(engine_name, tmp_path):
    shop = open_project(SAMPLES / "shop", use_cache=False)
    project = replace(shop, config=replace(shop.config, lock_timeout="1s"))
    folder = write_bundle(build_bundle(project, "base:heads", engine_name), tmp_path / "out")
    steps = sorted(folder.glob("[0-9]*.sql"))
    sixth = next(p for p in steps if p.name.startswith(f"0006_{WIDEN}"))
    with throwaway(engine_name, tmp_path / "db") as db:
        for path in steps[:steps.index(sixth)]:
            db.apply(path)
        before = db.schema()
        with db.connect() as other:
            if engine_name == "postgresql":
                other.autocommit = False
            cursor = other.cursor()
            for statement in HOLD[engine_name]:
                if statement in ("BEGIN",):
                    continue  # psycopg2 opens the transaction itself
                cursor.execute(statement)
            cursor.fetchall()
            started = time.monotonic()
            failed = db.apply(sixth, expect_error=True)  # waits on the reader's lock
            waited = time.monotonic() - started
            other.rollback()
        output = failed.stdout + failed.stderr
        assert "lock timeout" in output.lower() or "lock wait timeout" in output.lower(), output
        assert waited < 15
        assert db.schema() == before and db.version_rows() == [steps[steps.index(sixth) - 1]
                                                               .name.split("_")[1]]
        db.apply(sixth)  # nothing holds the table now
        assert db.version_rows() == [WIDEN]
