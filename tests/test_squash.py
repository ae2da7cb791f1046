"""``sqlbundle squash``: one baseline migration in place of the history up to a revision.

The baseline of each sample is a golden file; regenerate after an intended change with

    SQLBUNDLE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_squash.py
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sqlbundle.autogen.api import compare_states
from sqlbundle.compile.steps import replayed_state
from sqlbundle.errors import SqlbundleError
from sqlbundle.profile import load_profile
from sqlbundle.project.model import open_project
from sqlbundle.project.scaffold import NewFile
from sqlbundle.render.context import sa_dialect
from sqlbundle.review import squash

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden" / "squash"
UPDATE = os.environ.get("SQLBUNDLE_UPDATE_GOLDEN") == "1"
EPOCH = "1767225600"
# A middle revision of each sample: a branch point, after a data seed (hence --without-data).
TO = {"shop": "b3187d2f6e45", "alembic_project": "5c1e8b6d3a0f"}
STEP = re.compile(r"^\d{4}_([0-9a-f]+)_")


def run(*args, cwd=None, check=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, SQLBUNDLE_NO_CACHE="1")
    env.pop("SQLBUNDLE_CONFIG", None)
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True)
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (bytecode aside), by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def copy_sample(sample: str, where: Path) -> Path:
    target = where / sample
    shutil.copytree(SAMPLES / sample, target,
                    ignore=shutil.ignore_patterns("__pycache__", "bundles", ".sqlbundle*"))
    return target


def baseline_path(project_dir: Path, rev: str) -> Path:
    found = [p for p in project_dir.rglob(f"{rev}_*.py") if "__pycache__" not in p.parts]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module", params=sorted(TO))
def squashed(request, tmp_path_factory):
    """(sample, the project before, the same project squashed to TO[sample], their bundles)."""
    sample = request.param
    where = tmp_path_factory.mktemp(f"squash-{sample}")
    old = copy_sample(sample, where / "old")
    new = copy_sample(sample, where / "new")
    out = run("-C", new, "squash", "--to", TO[sample], "-m", "baseline", "--without-data",
              check=0)
    assert "wrote " in out.stdout and "removed " in out.stdout
    dialects = open_project(old, use_cache=False).config.dialects
    bundles = {}
    for name, folder in (("old", old), ("new", new)):
        bundles[name] = where / f"bundles-{name}"
        run("-C", folder, "bundle", *[a for d in dialects for a in ("-d", d)], "--out",
            bundles[name], check=0)
    return sample, old, new, bundles


# ------------------------------------------------------------------ the squashed history


def test_baseline_is_the_golden_file_and_replaced_files_are_gone(squashed):
    sample, old, new, _ = squashed
    rev = TO[sample]
    text = baseline_path(new, rev).read_text(encoding="utf-8")
    golden = GOLDEN / f"{sample}.py"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert text == golden.read_text(encoding="utf-8"), (
        f"{golden.relative_to(ROOT)} is stale; review and regenerate with "
        "SQLBUNDLE_UPDATE_GOLDEN=1")
    before = open_project(old, use_cache=False)
    after = open_project(new, use_cache=False)
    replaced = before.graph.ancestors([rev]) - {rev}
    assert not replaced & set(after.graph.revisions)
    assert f'revision = "{rev}"' in text and "down_revision = None" in text
    assert "replaces = (\n" + "".join(f'    "{r}",\n' for r in sorted(replaced)) + ")" in text
    # Every revision after REV is untouched, REV still its parent.
    kept = set(before.graph.revisions) - replaced - {rev}
    for r in kept:
        assert after.file_of(r).read_bytes() == before.file_of(r).read_bytes()
    assert set(after.graph.revisions) == kept | {rev}


def test_every_dialect_ends_at_the_same_schema(squashed):
    sample, old, new, _ = squashed
    before = open_project(old, use_cache=False)
    after = open_project(new, use_cache=False)
    for name in before.config.dialects:
        profile = load_profile(name)
        old_state = replayed_state(before, "heads", profile)
        new_state = replayed_state(after, "heads", profile)
        differences = compare_states(new_state, old_state, sa_dialect(profile),
                                     named_enums=profile.named_enums).descriptions
        assert not differences, (name, differences)


ENGINES = ("postgresql", "mariadb", "sqlite")


def _serials(schema: dict) -> dict:
    """``schema`` with PostgreSQL's serial sequence names left out: a renamed table keeps its
    sequence's old name (``order_items_id_seq``), which the replayed schema does not model, so
    a baseline creating the renamed table gets the sequence of its new name."""
    schema = copy.deepcopy(schema)
    for table in schema["tables"].values():
        for column in table["columns"]:
            if isinstance(column.get("default"), str):
                column["default"] = re.sub(r"nextval\('[^']+'::regclass\)", "nextval(serial)",
                                           column["default"])
    return schema


def _steps(bundle: Path) -> list[tuple[str, Path]]:
    """(revision, step file) in the bundle's order."""
    return [(STEP.match(p.name).group(1), p) for p in sorted(bundle.glob("[0-9]*.sql"))]


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ENGINES)
def test_old_and_new_bundles_build_the_same_database(squashed, engine_name, tmp_path):
    from engines import comparable, throwaway

    sample, old, new, bundles = squashed
    rev = TO[sample]
    with throwaway(engine_name, tmp_path / "old") as db_old, \
            throwaway(engine_name, tmp_path / "new") as db_new, \
            throwaway(engine_name, tmp_path / "mixed") as db_mixed:
        db_old.apply(bundles["old"] / engine_name / "upgrade.sql")
        db_new.apply(bundles["new"] / engine_name / "upgrade.sql")
        expected = comparable(db_old.schema(), engine_name)
        assert _serials(comparable(db_new.schema(), engine_name)) == _serials(expected)
        assert db_new.version_rows() == db_old.version_rows()
        # A database the old history brought to REV goes on with the new history's steps:
        # REV's id is kept, so the guards of the steps after it accept it.
        replaced = open_project(old, use_cache=False).graph.ancestors([rev])
        for step_rev, path in _steps(bundles["old"] / engine_name):
            if step_rev in replaced:
                db_mixed.apply(path)
        assert db_mixed.version_rows() == [rev]
        for step_rev, path in _steps(bundles["new"] / engine_name):
            if step_rev != rev:
                db_mixed.apply(path)
        assert comparable(db_mixed.schema(), engine_name) == expected
        assert db_mixed.version_rows() == db_old.version_rows()


# ------------------------------------------------------------------ dry run, lock


def test_dry_run_prints_the_baseline_and_changes_nothing(tmp_path):
    project = copy_sample("shop", tmp_path)
    before = tree(project)
    out = run("-C", project, "squash", "--to", TO["shop"], "-m", "baseline", "--without-data",
              "--dry-run", check=0)
    assert tree(project) == before
    assert out.stdout == (GOLDEN / "shop.py").read_text(encoding="utf-8")
    assert "would remove versions/3f9a1c7e2b04_create_customers_table.py" in out.stderr
    assert "would write versions/b3187d2f6e45_baseline.py" in out.stderr


def test_include_locked_replaces_the_lock_entries(tmp_path):
    project = copy_sample("shop", tmp_path)
    run("-C", project, "lock", check=0)
    run("-C", project, "squash", "--to", TO["shop"], "-m", "baseline", "--without-data",
        "--include-locked", check=0)
    lock = (project / "sqlbundle.lock").read_text(encoding="utf-8")
    assert "3f9a1c7e2b04" not in lock and "b3187d2f6e45_baseline.py" in lock
    run("-C", project, "check", "--no-bundles", check=0)  # the lock matches the files


# ------------------------------------------------------------------ refusals


def _raw_project(tmp_path: Path) -> Path:
    """A history whose second revision runs DDL the replay cannot follow."""
    run("init", tmp_path / "p", "-d", "postgresql", "-d", "sqlite", check=0)
    versions = tmp_path / "p" / "versions"
    bodies = {
        ("aaaa0001", None): 'op.create_table("t", sa.Column("id", sa.Integer(), '
                            'primary_key=True))',
        ("bbbb0002", "aaaa0001"): 'op.execute("CREATE VIEW v AS SELECT id FROM t")',
        ("cccc0003", "bbbb0002"): 'op.add_column("t", sa.Column("c", sa.Integer()))',
    }
    for (rev, parent), body in bodies.items():
        (versions / f"{rev}_step.py").write_text(
            f'"""step {rev}"""\nfrom sqlbundle import op\nimport sqlalchemy as sa\n\n'
            f'revision = "{rev}"\ndown_revision = {parent!r}\nbranch_labels = None\n'
            f'depends_on = None\n\n\ndef upgrade():\n    {body}\n\n\ndef downgrade():\n'
            '    pass\n', encoding="utf-8")
    return tmp_path / "p"


REFUSALS = {
    "unknown": ("shop", ["--to", "deadbeef"], "no revision or branch label matches"),
    "base": ("shop", ["--to", "base"], "squash needs a revision, not base"),
    "not closed": ("shop", ["--to", "d61f8b4e07a2"], "2a7d5c90e3b1 builds on b3187d2f6e45"),
    "data": ("shop", ["--to", TO["shop"]], "change data, which a schema baseline"),
    "locked": ("shop-locked", ["--to", TO["shop"], "--without-data"], "are locked"),
    "raw ddl": ("raw", ["--to", "bbbb0002"], "runs raw SQL that the replayed schema cannot"),
    "sql only": ("sql-only", ["--to", "0a1b2c3d4e01"], "migrations are all SQL files"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_exit_2_with_one_message_and_change_nothing(case, tmp_path):
    kind, args, message = REFUSALS[case]
    if kind == "raw":
        project = _raw_project(tmp_path)
    elif kind == "sql-only":
        project = copy_sample("raw_sql", tmp_path)
        for path in (project / "versions").glob("*.py"):
            path.unlink()
        for path in sorted((project / "versions").glob("*.sql"))[1:]:
            path.unlink()
    else:
        project = copy_sample("shop", tmp_path)
        if kind == "shop-locked":
            run("-C", project, "lock", check=0)
    before = tree(project)
    out = run("-C", project, "squash", *args, "-m", "baseline", check=2)
    assert out.stderr.startswith("error: ") and message in out.stderr, out.stderr
    assert out.stdout == ""
    assert tree(project) == before


def test_a_baseline_that_builds_another_schema_is_refused(tmp_path, monkeypatch):
    """The proof itself: a baseline missing a table is caught, naming the difference."""
    monkeypatch.setenv("SQLBUNDLE_NO_CACHE", "1")
    project = open_project(copy_sample("shop", tmp_path), use_cache=False)
    rev = TO["shop"]
    states = {name: replayed_state(project, rev, name) for name in project.config.dialects}
    text = (GOLDEN / "shop.py").read_text(encoding="utf-8")
    start = text.index('    op.create_table(\n        "order_lines"')
    end = text.index("\n    )\n", start) + len("\n    )\n")
    wrong = NewFile(project.config.root / "versions" / "x.py", text[:start] + text[end:])
    with pytest.raises(SqlbundleError, match=r"postgresql: .*order_lines"):
        squash._prove(project, rev, wrong, states)


def test_a_failed_write_puts_every_file_back(tmp_path, monkeypatch):
    monkeypatch.setenv("SQLBUNDLE_NO_CACHE", "1")
    root = copy_sample("shop", tmp_path)
    run("-C", root, "lock", check=0)
    before = tree(root)
    project = open_project(root, use_cache=False)
    plan = squash.plan_squash(project, TO["shop"], "baseline", True, without_data=True)
    real = os.replace

    def failing(src, dst):
        if Path(dst).name == "sqlbundle.lock":  # the last rename: everything else is done
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(squash.os, "replace", failing)
    with pytest.raises(SqlbundleError, match="nothing was changed"):
        squash.write_squash(project, plan)
    assert tree(root) == before


def test_a_second_squash_still_names_what_the_first_replaced(tmp_path):
    project = copy_sample("shop", tmp_path)
    run("-C", project, "squash", "--to", "9e05a7b3c2d8", "-m", "first", "--without-data",
        check=0)
    out = run("-C", project, "squash", "--to", TO["shop"], "-m", "second", "--without-data",
              "--dry-run", check=0)
    first = open_project(SAMPLES / "shop", use_cache=False).graph.ancestors([TO["shop"]])
    assert "replaces = (\n" + "".join(f'    "{r}",\n' for r in sorted(first - {TO["shop"]})) \
        + ")" in out.stdout
