"""`sqlbundle check` and `sqlbundle lock`: the CLI as a subprocess on copies of samples/shop,
plus the pure parts (checksums, lock text, file classification, diffs)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sqlbundle.review.check import (
    FileFinding,
    compare_files,
    find_bundles,
    first_diff,
    read_manifest,
)
from sqlbundle.errors import SqlbundleError
from sqlbundle.review.lock import (
    LOCK_FILE,
    Lock,
    LockEntry,
    compare,
    normalized_checksum,
    parse_lock,
    plan_project_lock,
    render_lock,
    write_lock,
)
from sqlbundle.project.model import open_project

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FIRST = "3f9a1c7e2b04"
FIRST_FILE = "versions/3f9a1c7e2b04_create_customers_table.py"
FIRST_STEP = "0001_3f9a1c7e2b04_create_customers_table.sql"


def run(*args, cwd=None, check=None, hashseed=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600", SQLBUNDLE_NO_CACHE="1")
    env.pop("SQLBUNDLE_CONFIG", None)
    if hashseed is not None:
        env["PYTHONHASHSEED"] = str(hashseed)
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True)
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture
def shop(tmp_path):
    """A private copy of samples/shop (tests edit it)."""
    dest = tmp_path / "shop"
    shutil.copytree(SAMPLES / "shop", dest, ignore=shutil.ignore_patterns("bundles", LOCK_FILE))
    return dest


@pytest.fixture(scope="module")
def bundled_template(tmp_path_factory):
    """samples/shop with a SQLite bundle written once; copied per test."""
    dest = tmp_path_factory.mktemp("template") / "shop"
    shutil.copytree(SAMPLES / "shop", dest, ignore=shutil.ignore_patterns("bundles", LOCK_FILE))
    run("bundle", "-d", "sqlite", cwd=dest, check=0)
    return dest


@pytest.fixture
def bundled(bundled_template, tmp_path):
    dest = tmp_path / "shop"
    shutil.copytree(bundled_template, dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


# ---- check: bundles ---------------------------------------------------------------------------


def test_fresh_bundle_is_current(bundled):
    out = run("check", cwd=bundled, check=0)
    assert out.stdout == "1 bundle(s) current\n"
    data = json.loads(run("check", "--format", "json", cwd=bundled, check=0).stdout)
    assert data["ok"] is True and data["lock"] is None
    assert [(b["bundle"], b["range"], b["target"], b["current"]) for b in data["bundles"]] == [
        ("bundles/sqlite", "base:heads", "sqlite@3.40", True)]


def test_edited_step_file(bundled):
    step = bundled / "bundles" / "sqlite" / FIRST_STEP
    edit(step, "CREATE TABLE customers", "CREATE TABLE clients")
    out = run("check", cwd=bundled, check=1)
    assert f"edited   {FIRST_STEP}" in out.stdout
    assert "bundles/sqlite: 1 file(s) differ (base:heads for sqlite@3.40)" in out.stdout
    assert f"--- bundles/sqlite/{FIRST_STEP} (on disk)" in out.stdout
    assert "-CREATE TABLE clients" in out.stdout and "+CREATE TABLE customers" in out.stdout
    assert "sqlbundle bundle base:heads -d sqlite@3.40" in out.stdout
    assert out.stdout.splitlines()[-1] == "1 of 1 bundle(s) not current"
    data = json.loads(run("check", "-f", "json", cwd=bundled, check=1).stdout)
    assert data["bundles"][0]["edited"] == [FIRST_STEP]


def test_missing_and_extra_files(bundled):
    folder = bundled / "bundles" / "sqlite"
    (folder / "README.md").unlink()
    (folder / "rollback" / "notes.txt").write_text("mine\n")
    out = run("check", cwd=bundled, check=1)
    assert "missing  README.md" in out.stdout
    assert "extra    rollback/notes.txt" in out.stdout
    assert "edited" not in out.stdout and "stale" not in out.stdout


def test_edited_migration_makes_bundle_stale(bundled):
    edit(bundled / FIRST_FILE, "sa.String(length=100)", "sa.String(length=120)")
    out = run("check", cwd=bundled, check=1)
    assert f"stale    {FIRST_STEP} (differs from a rebuild)" in out.stdout
    assert "stale    manifest.json" in out.stdout
    assert "+\tfull_name VARCHAR(120) NOT NULL, " in out.stdout
    # Regenerating makes it current again.
    run("bundle", "-d", "sqlite", cwd=bundled, check=0)
    run("check", cwd=bundled, check=0)


def test_new_migration_is_stale_not_missing(bundled):
    run("revision", "-m", "add notes", "--rev-id", "aaaa0000bbbb", "--head", "6e4a0d9c1b7f",
        cwd=bundled, check=0)
    out = run("check", cwd=bundled, check=1)
    assert "stale    0014_aaaa0000bbbb_add_notes.sql (a rebuild adds it)" in out.stdout
    assert "missing" not in out.stdout


def _rebuilt(folder: Path, *args: str, code: int = 0) -> list[bool]:
    data = json.loads(run("check", "-f", "json", *args, cwd=folder, check=code).stdout)
    return [b["rebuilt"] for b in data["bundles"]]


def test_unchanged_bundle_is_current_without_a_rebuild(bundled, monkeypatch):
    # Files as the manifest lists them and the same inputs: no rebuild (a fresh clone's CI
    # would otherwise compile every dialect again); --rebuild compares a rebuild anyway.
    assert _rebuilt(bundled) == [False]
    assert _rebuilt(bundled, "--rebuild") == [True]
    import sqlbundle.assemble.bundle as bundle
    import sqlbundle.review.check as check

    def no_build(*args, **kwargs):
        raise AssertionError("rebuilt")

    monkeypatch.setattr(bundle, "build_bundle", no_build)
    report = check.check_project(open_project(cwd=bundled))
    assert report.ok and report.bundles[0].rebuilt is False
    assert report.bundles[0].files == len(json.loads(
        (bundled / "bundles" / "sqlite" / "manifest.json").read_text())["files"]) + 1


def test_changed_inputs_rebuild(bundled):
    # Whatever a build reads and no file of the bundle shows makes check rebuild: a template,
    # the configuration, env.py, a project module a migration imports.
    for change in ("template", "config", "env", "module"):
        folder = bundled.parent / change
        shutil.copytree(bundled, folder)
        if change == "template":
            (folder / "templates").mkdir()
            (folder / "templates" / "unused.j2").write_text("x\n")
            edit(folder / "sqlbundle.toml", 'output_dir = "bundles"',
                 'output_dir = "bundles"\ntemplates_dir = "templates"')
        elif change == "config":
            edit(folder / "sqlbundle.toml", "# sqlbundle", "# edited\n# sqlbundle")
        elif change == "env":
            (folder / "env.py").write_text("# read by Alembic\n")
        else:
            (folder / "helpers.py").write_text("LENGTH = 100\n")
            edit(folder / FIRST_FILE, "import sqlalchemy as sa",
                 "import sqlalchemy as sa\nfrom helpers import LENGTH")
            run("bundle", "-d", "sqlite", cwd=folder, check=0)
            assert _rebuilt(folder) == [False]
            (folder / "helpers.py").write_text("LENGTH = 120\n")
        assert _rebuilt(folder) == [True], change
        data = json.loads(run("check", "-f", "json", cwd=folder, check=0).stdout)
        assert data["bundles"][0]["stale_inputs"] is True, change
    out = run("check", cwd=bundled.parent / "config", check=0)
    assert out.stdout == "1 bundle(s) current\n"
    assert out.stderr.startswith("note: bundles/sqlite is current, but what it was built from "
                                 "changed")
    # Written again, it is current without a rebuild.
    run("bundle", "-d", "sqlite", cwd=bundled.parent / "config", check=0)
    assert _rebuilt(bundled.parent / "config") == [False]


def test_imported_project_module_change_is_stale(bundled):
    (bundled / "helpers.py").write_text("LENGTH = 100\n")
    edit(bundled / FIRST_FILE, "import sqlalchemy as sa",
         "import sqlalchemy as sa\nfrom helpers import LENGTH")
    edit(bundled / FIRST_FILE, "sa.String(length=100)", "sa.String(length=LENGTH)")
    run("bundle", "-d", "sqlite", cwd=bundled, check=0)
    run("check", cwd=bundled, check=0)
    (bundled / "helpers.py").write_text("LENGTH = 120\n")
    out = run("check", cwd=bundled, check=1)
    assert "+\tfull_name VARCHAR(120) NOT NULL, " in out.stdout


def test_migration_reading_the_environment_is_always_rebuilt(bundled):
    edit(bundled / FIRST_FILE, "import sqlalchemy as sa",
         "import os\nimport sqlalchemy as sa\nLENGTH = int(os.environ.get('NAME_LENGTH', '100'))")
    edit(bundled / FIRST_FILE, "sa.String(length=100)", "sa.String(length=LENGTH)")
    run("bundle", "-d", "sqlite", cwd=bundled, check=0)
    manifest = json.loads((bundled / "bundles" / "sqlite" / "manifest.json").read_text())
    assert manifest["inputs"]["sha256"] is None
    assert _rebuilt(bundled) == [True]


def test_other_renderer_versions_are_named_when_files_differ(bundled):
    path = bundled / "bundles" / "sqlite" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["inputs"]["sqlglot"] = "1.0.0"
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    # Same files from a rebuild: current, and the versions are not worth a word.
    assert run("check", cwd=bundled, check=0).stdout == "1 bundle(s) current\n"
    edit(bundled / "bundles" / "sqlite" / FIRST_STEP, "CREATE TABLE customers",
         "CREATE TABLE clients")
    lines = run("check", cwd=bundled, check=1).stdout.splitlines()
    assert lines[1].startswith("  note: written with other renderer versions (sqlglot 1.0.0 -> ")


def test_bundle_leaves_a_current_bundle_alone(bundled):
    folder = bundled / "bundles" / "sqlite"
    step = folder / FIRST_STEP
    stamp = step.stat().st_mtime_ns, step.stat().st_ino
    out = run("bundle", "-d", "sqlite", cwd=bundled, check=0)
    assert out.stdout.endswith("step(s) for sqlite@3.40, current (not rewritten)\n")
    assert (step.stat().st_mtime_ns, step.stat().st_ino) == stamp
    # A file edited by hand makes it not current: the bundle is written again.
    edit(step, "CREATE TABLE customers", "CREATE TABLE clients")
    out = run("bundle", "-d", "sqlite", cwd=bundled, check=0)
    assert "(not rewritten)" not in out.stdout and "CREATE TABLE customers" in step.read_text()
    # --rebuild writes it even when current; other settings are another bundle.
    run("bundle", "-d", "sqlite", "--rebuild", cwd=bundled, check=0)
    assert "(not rewritten)" not in run("bundle", "-d", "sqlite", "--no-guards", cwd=bundled,
                                check=0).stdout


def test_diff_is_cut(bundled):
    folder = bundled / "bundles" / "sqlite"
    (folder / "upgrade.sql").write_text("".join(f"line {i}\n" for i in range(200)))
    out = run("check", cwd=bundled, check=1)
    diff = [line for line in out.stdout.splitlines() if line.startswith("    ")]
    assert len(diff) == 40 and "more diff line(s)" in diff[-1]


def test_bundles_found_recursively_under_out(bundled, tmp_path):
    out_dir = tmp_path / "release"
    run("bundle", "-d", "postgresql", "--out", out_dir / "v1", cwd=bundled, check=0)
    run("bundle", "base:9e05a7b3c2d8", "-d", "sqlite", "--no-guards", "--out", out_dir / "v2",
        cwd=bundled, check=0)
    (out_dir / "other").mkdir()
    (out_dir / "other" / "manifest.json").write_text('{"name": "not ours"}')
    ok = run("check", "--out", out_dir, cwd=bundled, check=0)
    assert ok.stdout == "2 bundle(s) current\n"
    edit(out_dir / "v2" / "sqlite" / "upgrade.sql", "CREATE", "create")
    bad = run("check", "--out", out_dir, cwd=bundled, check=1)
    assert "v2/sqlite: 1 file(s) differ (base:9e05a7b3c2d8 for sqlite@3.40)" in bad.stdout
    assert "--no-guards --out" in bad.stdout
    assert "1 of 2 bundle(s) not current" in bad.stdout


def test_no_bundles_is_an_error(shop):
    err = run("check", cwd=shop, check=2)
    assert err.stderr.startswith("error: no bundles under bundles")
    assert "sqlbundle bundle" in err.stderr


def test_corrupt_or_newer_manifest_is_an_error(bundled):
    manifest = bundled / "bundles" / "sqlite" / "manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "format": 99}))
    err = run("check", cwd=bundled, check=2)
    assert "bundles/sqlite/manifest.json: the manifest has format 99" in err.stderr
    manifest.write_text('{"tool": "sqlbundle", ')
    err = run("check", cwd=bundled, check=2)
    assert "bundles/sqlite/manifest.json: the manifest is not valid JSON" in err.stderr


def test_manifest_edited_by_hand(bundled):
    edit(bundled / "bundles" / "sqlite" / "manifest.json", '"checksum": "', '"checksum": "0')
    out = run("check", cwd=bundled, check=1)
    assert "edited   manifest.json" in out.stdout


# ---- lock -------------------------------------------------------------------------------------


def test_lock_then_edit_locked_migration(bundled):
    created = run("lock", cwd=bundled, check=0)
    assert created.stdout.splitlines()[-1] == "sqlbundle.lock: written, 13 revision(s) locked"
    assert f"  added     {FIRST}  {FIRST_FILE}" in created.stdout
    assert run("lock", cwd=bundled, check=0).stdout == \
        "sqlbundle.lock: up to date, 13 revision(s) locked\n"
    assert run("check", cwd=bundled, check=0).stdout == \
        "1 bundle(s) current, 13 locked revision(s) unchanged\n"

    edit(bundled / FIRST_FILE, "sa.String(length=100)", "sa.String(length=120)")
    out = run("check", "--no-bundles", cwd=bundled, check=1)
    assert (f"sqlbundle.lock: migration {FIRST} was edited after it was locked: {FIRST_FILE}"
            in out.stdout)
    assert "never edit a migration after it has run in production" in out.stdout
    assert f"sqlbundle lock --relock {FIRST}" in out.stdout
    assert out.stdout.splitlines()[-1] == "1 locked migration(s) edited or gone"
    both = run("check", cwd=bundled, check=1)
    assert "1 of 1 bundle(s) not current, 1 locked migration(s) edited or gone" in both.stdout
    assert run("check", "--no-lock", cwd=bundled, check=1).stdout.count("sqlbundle.lock") == 0
    data = json.loads(run("check", "--no-bundles", "-f", "json", cwd=bundled, check=1).stdout)
    assert [(e["revision"], e["path"]) for e in data["lock"]["edited"]] == [(FIRST, FIRST_FILE)]


def test_lock_alone_without_bundles(shop):
    run("lock", cwd=shop, check=0)
    out = run("check", cwd=shop, check=0)
    assert out.stdout == "13 locked revision(s) unchanged\n"
    err = run("check", "--no-lock", cwd=shop, check=2)
    assert "no bundles under bundles" in err.stderr
    run("revision", "-m", "more", "--rev-id", "aaaa0000bbbb", "--head", "6e4a0d9c1b7f",
        cwd=shop, check=0)
    assert run("check", cwd=shop, check=0).stdout == \
        "13 locked revision(s) unchanged, 1 not locked yet\n"


def test_whitespace_and_crlf_do_not_trip_the_lock(shop):
    run("lock", cwd=shop, check=0)
    before = (shop / LOCK_FILE).read_bytes()
    path = shop / FIRST_FILE
    text = path.read_text("utf-8")
    lines = text.split("\n")
    lines[3] += "   \t"
    path.write_bytes(("\r\n".join(lines) + "\r\n\r\n\n").encode("utf-8"))
    assert path.read_bytes() != text.encode("utf-8")
    run("check", cwd=shop, check=0)
    assert run("lock", cwd=shop, check=0).stdout.startswith("sqlbundle.lock: up to date")
    assert (shop / LOCK_FILE).read_bytes() == before


def test_renaming_a_migration_does_not_trip_the_lock(shop):
    run("lock", cwd=shop, check=0)
    (shop / FIRST_FILE).rename(shop / "versions" / "0001_customers.py")
    out = run("check", cwd=shop, check=0)
    assert out.stdout == "13 locked revision(s) unchanged\n"
    assert f"locked migration {FIRST} moved from {FIRST_FILE} to versions/0001_customers.py" \
        in out.stderr
    moved = run("lock", cwd=shop, check=0)
    assert f"  moved     {FIRST}  {FIRST_FILE} -> versions/0001_customers.py" in moved.stdout
    lock = json.loads((shop / LOCK_FILE).read_text())
    assert lock["revisions"][FIRST]["path"] == "versions/0001_customers.py"
    assert run("check", cwd=shop, check=0).stderr == ""


def test_lock_refuses_to_relock_an_edited_migration(shop):
    run("lock", cwd=shop, check=0)
    before = (shop / LOCK_FILE).read_bytes()
    edit(shop / FIRST_FILE, "sa.String(length=100)", "sa.String(length=120)")
    run("revision", "-m", "more", "--rev-id", "aaaa0000bbbb", "--head", "6e4a0d9c1b7f",
        cwd=shop, check=0)
    err = run("lock", cwd=shop, check=2)
    assert "refusing to change the checksum of 1 locked migration(s)" in err.stderr
    assert f"{FIRST}  {FIRST_FILE}" in err.stderr
    assert f"sqlbundle lock --relock {FIRST}" in err.stderr
    assert (shop / LOCK_FILE).read_bytes() == before  # nothing written, not even additions
    err = run("lock", "--relock", "nosuchrev", cwd=shop, check=2)
    assert "--relock nosuchrev: no locked or current revision" in err.stderr

    ok = run("lock", "--relock", FIRST[:6], cwd=shop, check=0)
    assert f"  relocked  {FIRST}  {FIRST_FILE}" in ok.stdout
    assert "  added     aaaa0000bbbb" in ok.stdout
    run("check", cwd=shop, check=0)


def test_deleted_locked_migration(shop):
    run("lock", cwd=shop, check=0)
    # A head with no children, so the graph stays valid without it.
    path = shop / "versions" / "6e4a0d9c1b7f_add_default_shipping_method_to_customers.py"
    path.unlink()
    out = run("check", cwd=shop, check=1)
    assert "locked migration 6e4a0d9c1b7f is gone" in out.stdout
    kept = run("lock", cwd=shop, check=0)
    assert "kept in the lock, pass --relock 6e4a0d9c1b7f to drop it" in kept.stderr
    assert "6e4a0d9c1b7f" in (shop / LOCK_FILE).read_text()
    dropped = run("lock", "--relock", "6e4a0d9c1b7f", cwd=shop, check=0)
    assert "  dropped   6e4a0d9c1b7f" in dropped.stdout
    assert "6e4a0d9c1b7f" not in (shop / LOCK_FILE).read_text()
    assert run("check", cwd=shop, check=0).stdout == "12 locked revision(s) unchanged\n"


def test_corrupt_lock_is_an_error(shop):
    (shop / LOCK_FILE).write_text("{nope")
    for command in ("check", "lock"):
        err = run(command, cwd=shop, check=2)
        assert "sqlbundle.lock: the lock file is not valid JSON" in err.stderr


def test_lock_bytes_are_deterministic(shop, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(shop, other)
    run("lock", cwd=shop, check=0, hashseed=1)
    run("lock", cwd=other, check=0, hashseed=4242)
    first = (shop / LOCK_FILE).read_bytes()
    assert first == (other / LOCK_FILE).read_bytes()
    assert first.endswith(b"}\n") and b"\r" not in first
    revisions = list(json.loads(first)["revisions"])
    assert revisions == sorted(revisions) and len(revisions) == 13
    assert not list(shop.glob(".sqlbundle.lock.*"))  # no temporary file left behind


# ---- pure parts -------------------------------------------------------------------------------


def test_normalized_checksum():
    base = normalized_checksum(b"a = 1\nb = 2\n")
    for variant in (b"a = 1\r\nb = 2\r\n", b"a = 1   \nb = 2\t\n", b"a = 1\nb = 2",
                    b"a = 1\nb = 2\n\n\n  \n", b"a = 1 \r\nb = 2\r\n\r\n"):
        assert normalized_checksum(variant) == base, variant
    for variant in (b"a = 1\nb = 3\n", b" a = 1\nb = 2\n", b"\na = 1\nb = 2\n",
                    b"a = 1\n\nb = 2\n", b"a =  1\nb = 2\n"):
        assert normalized_checksum(variant) != base, variant
    assert normalized_checksum(b"") == normalized_checksum(b"\n \r\n")


def test_lock_text_round_trip_and_errors():
    lock = Lock({"b2": LockEntry("b2", "versions/b.py", "1" * 64),
                 "a1": LockEntry("a1", "versions/a.py", "2" * 64)})
    text = render_lock(lock)
    assert text.index('"a1"') < text.index('"b2"') and text.endswith("}\n")
    assert parse_lock(text) == Lock(dict(sorted(lock.entries.items())))
    assert render_lock(parse_lock(text)) == text
    newer = json.loads(text)
    newer["format"] = 2
    with pytest.raises(SqlbundleError, match="format 2, newer"):
        parse_lock(json.dumps(newer))
    with pytest.raises(SqlbundleError, match="not a sqlbundle lock file"):
        parse_lock("[]")
    with pytest.raises(SqlbundleError, match="bad lock entry"):
        parse_lock(json.dumps({**json.loads(text), "revisions": {"x": {"path": "p"}}}))


def test_compare_lock_entries():
    locked = Lock({"a": LockEntry("a", "a.py", "1" * 64), "b": LockEntry("b", "b.py", "2" * 64),
                   "c": LockEntry("c", "c.py", "3" * 64), "d": LockEntry("d", "d.py", "4" * 64)})
    current = {"a": LockEntry("a", "a.py", "1" * 64), "b": LockEntry("b", "b.py", "9" * 64),
               "c": LockEntry("c", "new/c.py", "3" * 64), "e": LockEntry("e", "e.py", "5" * 64)}
    status = compare(locked, current)
    assert [e.locked.revision for e in status.edited] == ["b"]
    assert [(m.locked.path, m.current.path) for m in status.moved] == [("c.py", "new/c.py")]
    assert [g.revision for g in status.gone] == ["d"]
    assert [u.revision for u in status.unlocked] == ["e"]
    assert [u.revision for u in status.unchanged] == ["a", "c"]
    assert not status.ok


def test_plan_and_write_lock(shop):
    project = open_project(shop, use_cache=False)
    plan = plan_project_lock(project)
    assert len(plan.added) == 13 and plan.changed and not plan.refused
    write_lock(project, plan)
    edit(shop / FIRST_FILE, "sa.String(length=100)", "sa.String(length=120)")
    project = open_project(shop, use_cache=False)
    refused = plan_project_lock(project)
    assert [e.locked.revision for e in refused.refused] == [FIRST]
    with pytest.raises(SqlbundleError, match="refusing"):
        write_lock(project, refused)
    accepted = plan_project_lock(project, [FIRST])
    assert [e.locked.revision for e in accepted.relocked] == [FIRST] and not accepted.refused
    assert accepted.lock.entries[FIRST].checksum == \
        normalized_checksum((shop / FIRST_FILE).read_bytes())


def test_compare_files_classification():
    expected = {"a.sql": "A\n", "b.sql": "B\n", "gone.sql": "G\n", "new.sql": "N\n",
                "manifest.json": "{}\n"}
    sha = __import__("hashlib").sha256
    recorded = {"a.sql": sha(b"A\n").hexdigest(), "b.sql": sha(b"old B\n").hexdigest(),
                "gone.sql": sha(b"G\n").hexdigest(), "old.sql": sha(b"O\n").hexdigest(),
                "hand.sql": sha(b"H\n").hexdigest()}
    on_disk = {"a.sql": b"A\n", "b.sql": b"old B\n", "old.sql": b"O\n", "hand.sql": b"edited\n",
               "x.txt": b"x", "manifest.json": b"{}\n"}
    findings = compare_files(expected, on_disk, recorded)
    assert [(f.file, f.status) for f in findings] == [
        ("b.sql", "stale"),  # matches its manifest, a rebuild differs
        ("gone.sql", "missing"),
        ("hand.sql", "edited"),
        ("new.sql", "stale"),  # a rebuild adds it
        ("old.sql", "stale"),  # a rebuild no longer has it
        ("x.txt", "extra"),
    ]


def test_first_diff_cut_and_skips_one_sided_files():
    expected = {"a.sql": "".join(f"{i}\n" for i in range(100)), "b.sql": "x\n"}
    on_disk = {"b.sql": b"y\n"}
    findings = [FileFinding("a.sql", "stale"), FileFinding("b.sql", "edited")]
    diff = first_diff("bundles/x", findings, expected, on_disk)
    assert diff[0] == "--- bundles/x/b.sql (on disk)" and "-y" in diff and "+x" in diff
    on_disk["a.sql"] = b""
    cut = first_diff("bundles/x", findings, expected, on_disk, limit=10)
    assert len(cut) == 10 and cut[-1] == "... (94 more diff line(s))"


def test_find_bundles_and_read_manifest(tmp_path):
    def manifest(folder, **data):
        folder.mkdir(parents=True)
        (folder / "manifest.json").write_text(json.dumps(data))

    good = {"tool": "sqlbundle", "format": 1, "range": "base:heads", "target": "sqlite@3.40",
            "guards": True, "files": {}}
    manifest(tmp_path / "out" / "b", **good)
    manifest(tmp_path / "out" / "a" / "deep", **good)
    manifest(tmp_path / "out" / "b" / "inner", **good)  # inside a bundle: not searched
    manifest(tmp_path / "out" / ".sqlite.tmp-1", **good)  # the writer's temporary folder
    manifest(tmp_path / "out" / "foreign", tool="other")
    found = find_bundles(tmp_path / "out", tmp_path)
    assert [b.name for b in found] == ["out/a/deep", "out/b"]
    assert find_bundles(tmp_path / "nowhere", tmp_path) == []
    manifest(tmp_path / "bad", **{**good, "guards": "yes"})
    with pytest.raises(SqlbundleError, match="no valid 'guards'"):
        read_manifest(tmp_path / "bad" / "manifest.json", "bad/manifest.json")


def test_tenant_bundles_are_written_checked_and_left_alone(shop):
    out = run("bundle", "-d", "postgresql", "--schema", "tenant_a", "--schema", "tenant_b",
              cwd=shop, check=0)
    assert [line.split(":")[0].rsplit("/", 2)[-2:] for line in out.stdout.splitlines()] == [
        ["bundles", "postgresql-tenant_a"], ["bundles", "postgresql-tenant_b"]]
    step = (shop / "bundles" / "postgresql-tenant_b" / FIRST_STEP).read_text()
    assert "SET search_path TO tenant_b;\nBEGIN;" in step
    assert _rebuilt(shop) == [False, False]
    again = run("bundle", "-d", "postgresql", "--schema", "tenant_a", cwd=shop, check=0)
    assert again.stdout.endswith("current (not rewritten)\n")
    edit(shop / FIRST_FILE, "sa.String(length=100)", "sa.String(length=120)")
    stale = run("check", cwd=shop, check=1)
    assert "sqlbundle bundle base:heads -d postgresql@16 --schema tenant_a" in stale.stdout
    bad = run("bundle", "-d", "sqlite", "--schema", "tenant_a", cwd=shop, check=2)
    assert "no statement that sets a session's default schema" in bad.stderr
