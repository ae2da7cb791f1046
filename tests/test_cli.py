"""The command line, run as a user runs it: a subprocess, real files, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def run(*args, cwd=None, check=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600", SQLBUNDLE_NO_CACHE="1")
    env.pop("SQLBUNDLE_CONFIG", None)
    env.pop("PYTHONUNBUFFERED", None)  # buffered output, as in a user's shell
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True)
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture
def project(tmp_path):
    run("init", tmp_path / "p", check=0)
    return tmp_path / "p"


def test_init_creates_config_versions_and_templates(project):
    assert (project / "sqlbundle.toml").is_file()
    assert (project / "versions").is_dir()
    assert (project / "templates" / "migration.py.j2").is_file()
    again = run("init", project, check=2)
    assert again.stderr.startswith("error: ") and "already a project" in again.stderr


def test_revision_merge_heads_history_show(project):
    run("revision", "-m", "create users", "--rev-id", "aaaa1111", cwd=project, check=0)
    run("revision", "-m", "add email", "--rev-id", "bbbb2222", cwd=project, check=0)
    out = run("revision", "-m", "Audit log!", "--rev-id", "cccc3333", "--head", "aaaa1111",
              "--splice", "--branch-label", "audit", cwd=project, check=0)
    assert "versions/cccc3333_audit_log.py" in out.stdout
    text = (project / "versions" / "cccc3333_audit_log.py").read_text()
    assert 'revision = "cccc3333"' in text and 'down_revision = "aaaa1111"' in text
    assert 'branch_labels = ("audit",)' in text
    assert "Create Date: 2026-01-01 00:00:00" in text

    heads = run("heads", cwd=project, check=0)
    assert heads.stdout == "bbbb2222 (head), add email\ncccc3333 (audit) (head), Audit log!\n"

    # One head is needed: the error names both and suggests merge.
    err = run("revision", "-m", "next", cwd=project, check=2)
    assert "'head' is ambiguous: the history has 2 heads" in err.stderr
    assert "sqlbundle merge bbbb2222 cccc3333" in err.stderr

    run("merge", "heads", "-m", "join", "--rev-id", "dddd4444", cwd=project, check=0)
    merged = (project / "versions" / "dddd4444_join.py").read_text()
    assert 'down_revision = ("bbbb2222", "cccc3333")' in merged

    history = run("history", cwd=project, check=0).stdout.splitlines()
    assert history == [  # Alembic's order: a merge's parents in the order it names them
        "bbbb2222, cccc3333 -> dddd4444 (head, mergepoint), join",
        "aaaa1111 -> bbbb2222, add email",
        "aaaa1111 -> cccc3333 (audit), Audit log!",
        "<base> -> aaaa1111 (branchpoint), create users",
    ]
    # As Alembic: the start is listed, and only what builds on it.
    ranged = run("history", "-r", "bbbb2222:heads", cwd=project, check=0).stdout.splitlines()
    assert [line.split(" -> ")[1].split()[0].rstrip(",") for line in ranged] == ["dddd4444", "bbbb2222"]

    shown = json.loads(run("show", "audit@head", "--format", "json", cwd=project, check=0).stdout)
    assert shown["revision"] == "dddd4444"
    assert shown["down_revisions"] == ["bbbb2222", "cccc3333"]
    assert shown["path"] == "versions/dddd4444_join.py"

    text_show = run("show", "aaaa", cwd=project, check=0).stdout
    assert "Children:      bbbb2222, cccc3333" in text_show

    branches = json.loads(run("branches", "-f", "json", cwd=project, check=0).stdout)
    assert [b["revision"] for b in branches] == ["aaaa1111"]


def test_sql_revision(project):
    run("revision", "-m", "raw", "--rev-id", "eeee5555", "--sql", cwd=project, check=0)
    text = (project / "versions" / "eeee5555_raw.sql").read_text()
    assert text.startswith("-- revision: eeee5555\n-- down_revision: none\n")
    listed = json.loads(run("heads", "-f", "json", cwd=project, check=0).stdout)
    assert listed[0]["kind"] == "sql"


def test_depends_on_and_duplicate_rev_id(project):
    run("revision", "-m", "a", "--rev-id", "aaaa1111", cwd=project, check=0)
    run("revision", "-m", "b", "--rev-id", "bbbb2222", "--head", "base",
        "--branch-label", "other", "--depends-on", "aaaa", cwd=project, check=0)
    assert 'depends_on = "aaaa1111"' in (project / "versions" / "bbbb2222_b.py").read_text()
    dup = run("revision", "-m", "c", "--rev-id", "aaaa1111", "--head", "bbbb2222", cwd=project,
              check=2)
    assert "duplicate revision id 'aaaa1111'" in dup.stderr
    assert len(list((project / "versions").glob("*.py"))) == 2  # nothing written


def test_graph_prints_mermaid():
    out = run("-C", SAMPLES / "shop", "graph", check=0).stdout
    assert out.startswith("flowchart TD\n")
    assert "    r_b3187d2f6e45 --> r_4c9e2a71d8f3\n" in out
    assert "    r_d61f8b4e07a2 --> r_f08c3e6b9a54\n" in out
    assert "    r_2a7d5c90e3b1 --> r_f08c3e6b9a54\n" in out
    assert 'r_4c9e2a71d8f3["4c9e2a71d8f3 #91;payments#93;<br/>create payments table"]' in out
    deps = run("-C", SAMPLES / "alembic_project", "graph", check=0).stdout
    assert "r_8f40c2e7a19b -.->|depends on| r_60d7b3f9e2a4" in deps


def test_alembic_project_is_read_from_alembic_ini():
    out = run("-C", SAMPLES / "alembic_project", "heads", check=0)
    assert out.stdout.startswith("b85d27e0c3f9 ")


@pytest.mark.parametrize(
    "args, message",
    [
        (["show", "zzzz"], "error: no revision or branch label matches 'zzzz'"),
        # As Alembic: a backwards history range is an error, not an empty listing.
        (["history", "-r", "heads:base"], "is not below base on the same line of descent"),
        (["show", "head-99"], "is a merge of"),
        (["show", "3f9a1c7e2b04-2"], "walks below base"),  # -1 is base
        (["dialects", "--format", "yaml"], None),
    ],
)
def test_user_errors_exit_2_without_traceback(args, message):
    proc = run("-C", SAMPLES / "shop", *args)
    assert proc.returncode == 2
    if message:
        assert proc.stderr.splitlines()[0] == message or message in proc.stderr


def test_broken_migration_file_is_one_message(tmp_path):
    shutil.copytree(SAMPLES / "shop", tmp_path / "shop")
    bad = tmp_path / "shop" / "versions" / "c47b0e1d5f82_create_shipping_methods.py"
    bad.write_text(bad.read_text().replace("def upgrade() -> None:", "def upgrade( -> None:"))
    proc = run("-C", tmp_path / "shop", "heads", check=2)
    assert proc.stderr.startswith(
        "error: versions/c47b0e1d5f82_create_shipping_methods.py:")
    assert "syntax error" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_missing_parent_and_cycle_in_files(tmp_path):
    versions = tmp_path / "versions"
    versions.mkdir()
    (tmp_path / "sqlbundle.toml").write_text("")
    (versions / "a.py").write_text('revision = "a1"\ndown_revision = "c1"\n')
    (versions / "b.py").write_text('revision = "b1"\ndown_revision = "a1"\n')
    (versions / "c.py").write_text('revision = "c1"\ndown_revision = "b1"\n')
    proc = run("heads", cwd=tmp_path, check=2)
    assert "the revision history has a cycle" in proc.stderr
    assert "versions/a.py:2" in proc.stderr  # the down_revision line closing the cycle
    (versions / "c.py").write_text('revision = "c1"\ndown_revision = "zz"\n')
    proc = run("heads", cwd=tmp_path, check=2)
    assert proc.stderr.startswith(
        "error: versions/c.py:2: revision c1 names down_revision 'zz', which does not exist")


def test_bad_config_is_one_message(tmp_path):
    (tmp_path / "sqlbundle.toml").write_text("version_table = 3\n")
    proc = run("heads", cwd=tmp_path, check=2)
    assert "sqlbundle.toml version_table: expected a non-empty string, got 3" in proc.stderr


def test_unknown_dialect_lists_known(tmp_path):
    proc = run("init", tmp_path / "x", "--dialect", "db2", check=2)
    assert "unknown dialect 'db2'" in proc.stderr
    assert ("known dialects: duckdb, mariadb, mssql, mysql, oracle, postgresql, snowflake, "
            "sqlite") in proc.stderr
    assert not (tmp_path / "x").exists()


def test_no_project(tmp_path):
    proc = run("heads", cwd=tmp_path, check=2)
    assert "no sqlbundle project found" in proc.stderr


def test_unwritable_versions_folder(project):
    if os.geteuid() == 0:
        # root ignores permissions; make the target a file instead of a folder.
        shutil.rmtree(project / "versions")
        (project / "versions").write_text("not a folder")
    else:
        (project / "versions").chmod(0o500)
    proc = run("revision", "-m", "x", cwd=project, check=2)
    assert proc.stderr.startswith("error: ")


def test_graph_commands_do_not_import_migrations_sqlalchemy_or_sqlglot():
    # main() ends the process itself; atexit handlers still run, so one reports.
    code = (
        "import atexit, sys\n"
        "def report():\n"
        "    print('LOADED', [m for m in sys.modules if m.split('.')[0] in"
        " ('sqlalchemy','sqlglot','alembic') or m.startswith('sqlbundle_migration')])\n"
        "atexit.register(report)\n"
        "from sqlbundle.cli import main\n"
        "sys.argv=['sqlbundle','-C',%r,'history']\n"
        "main()\n"
    ) % str(SAMPLES / "shop")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, SQLBUNDLE_NO_CACHE="1"))
    assert "LOADED []" in out.stdout, out.stdout + out.stderr


def test_version_flag():
    assert run("--version", check=0).stdout.startswith("sqlbundle ")


def test_non_literal_metadata_is_read_by_running_the_top_level_and_said(tmp_path):
    (tmp_path / "sqlbundle.toml").write_text("")
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a.py").write_text('revision = "a1"\ndown_revision = None\n')
    (versions / "b.py").write_text('PARENT = "a" + "1"\nrevision = "b1"\ndown_revision = PARENT\n')
    proc = run("heads", cwd=tmp_path, check=0)
    assert proc.stdout.startswith("b1 (head)")
    assert "note: versions/b.py:2: metadata is not a literal" in proc.stderr


def test_printed_script_arrives_whole_through_a_pipe():
    # main() ends the process without the interpreter's teardown; what it printed must still
    # be flushed in full, and the exit code kept.
    golden = Path(__file__).resolve().parent / "golden" / "shop" / "downgrade-postgresql.sql"
    proc = run("-C", SAMPLES / "shop", "downgrade", "heads:base", "-d", "postgresql", check=0)
    assert proc.stdout == golden.read_text("utf-8")
    assert run("-C", SAMPLES / "shop", "downgrade", "nosuch:base", "-d", "postgresql",
               check=2).stderr.startswith("error: ")


@pytest.mark.parametrize("command", [["lint", "-d", "sqlite"], ["lint", "-f", "sarif"],
                                     ["upgrade", "base:heads", "-d", "sqlite"]])
def test_a_warm_rerun_loads_neither_sqlalchemy_nor_sqlglot(tmp_path, command):
    # The whole output is kept: a second run of the same command answers from it (most of a
    # warm run's time would otherwise go to importing SQLAlchemy), with the same bytes.
    root = tmp_path / "shop"
    shutil.copytree(SAMPLES / "shop", root)
    code = (
        "import atexit, sys\n"
        "def report():\n"
        "    print('LOADED', sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in"
        " ('sqlalchemy','sqlglot')}), file=sys.stderr)\n"
        "atexit.register(report)\n"
        "from sqlbundle.cli import main\n"
        "sys.argv=['sqlbundle','-C',%r,*%r]\n"
        "main()\n"
    ) % (str(root), command)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQLBUNDLE_")}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "LOADED ['sqlalchemy'" in first.stderr, first.stderr
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "LOADED []" in again.stderr, again.stderr
    assert (again.stdout, again.returncode) == (first.stdout, first.returncode)


def test_new_migrations_in_an_alembic_project_import_alembics_op(tmp_path):
    # Both tools load the file: Alembic itself (the oracle) lists and renders it.
    root = tmp_path / "proj"
    shutil.copytree(SAMPLES / "alembic_project", root)
    run("-C", root, "revision", "-m", "add notes", "--rev-id", "cafe00000001", check=0)
    (path,) = (root / "migrations" / "versions").glob("cafe00000001_*.py")
    text = path.read_text()
    assert "from alembic import op\n" in text and "sqlbundle" not in text
    path.write_text(text.replace("    pass", "    op.create_table('notes', "
                                 "sa.Column('id', sa.Integer(), primary_key=True))", 1))
    ours = run("-C", root, "upgrade", "base:heads", "-d", "postgresql", check=0).stdout
    assert "CREATE TABLE notes" in ours
    ini = root / "alembic-pg.ini"  # offline, for PostgreSQL (the sample's URL is SQLite's)
    ini.write_text((root / "alembic.ini").read_text().replace(
        "sqlalchemy.url = sqlite:///blog.db", "sqlalchemy.url = postgresql://"))
    alembic = subprocess.run([sys.executable, "-m", "alembic", "-c", str(ini), "upgrade",
                              "head", "--sql"], capture_output=True, text=True, cwd=root)
    assert alembic.returncode == 0, alembic.stderr
    assert "CREATE TABLE notes" in alembic.stdout
    # The setting decides over the default; a project without an ini keeps sqlbundle's op.
    (root / "sqlbundle.toml").write_text((root / "sqlbundle.toml").read_text()
                                         + '\nop_import = "sqlbundle"\n')
    run("-C", root, "revision", "-m", "more", "--rev-id", "cafe00000002", check=0)
    (path,) = (root / "migrations" / "versions").glob("cafe00000002_*.py")
    assert "from sqlbundle import op\n" in path.read_text()


def test_bad_dialect_in_the_config_names_the_file_and_key(tmp_path):
    (tmp_path / "versions").mkdir()
    (tmp_path / "sqlbundle.toml").write_text('dialects = ["postgresql", "postgress"]\n')
    out = run("heads", cwd=tmp_path, check=2)
    first = out.stderr.splitlines()[0]
    assert first.startswith("error: ") and "sqlbundle.toml" in first, out.stderr
    assert "dialects" in first and "postgress" in first, out.stderr
    (tmp_path / "sqlbundle.toml").write_text('op_import = "django"\n')
    out = run("heads", cwd=tmp_path, check=2)
    assert "op_import" in out.stderr and "sqlbundle.toml" in out.stderr


def test_a_deleted_working_folder_is_one_clear_message(tmp_path):
    proc = subprocess.run(
        ["sh", "-c", f"mkdir gone && cd gone && rmdir ../gone && exec {sys.executable} -m "
                     "sqlbundle heads"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: the current folder no longer exists"), proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
