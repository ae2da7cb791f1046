"""`sqlbundle diff` (bundle folders and git revisions) and `sqlbundle show --sql` tickets."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sqlbundle.review.diff import diff_files, unified_text

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SHOP = SAMPLES / "shop"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "sqlbundle tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "sqlbundle tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NEW_MIGRATION = '''"""add phone to customers

Revision ID: aa11bb22cc33
Revises: 6e4a0d9c1b7f
"""
from alembic import op
import sqlalchemy as sa

revision = "aa11bb22cc33"
down_revision = "6e4a0d9c1b7f"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("customers", sa.Column("phone", sa.String(30), nullable=True))


def downgrade():
    op.drop_column("customers", "phone")
'''


def run(*args, cwd=None, check=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600", SQLBUNDLE_NO_CACHE="1", **GIT_ENV)
    env.pop("SQLBUNDLE_CONFIG", None)
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True)
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def one_error(proc) -> str:
    """The stderr of a failed command: one 'error:' message (maybe with a hint line)."""
    lines = proc.stderr.splitlines()
    assert lines and lines[0].startswith("error: "), proc.stderr
    assert all(line.startswith("  hint: ") for line in lines[1:]), proc.stderr
    return proc.stderr


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main",
                    *args], cwd=repo, env=dict(os.environ, **GIT_ENV), check=True,
                   capture_output=True)


# ----------------------------------------------------------------------------- bundle folders


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """Bundles of two ranges of the shop history: up to 9e05a7b3c2d8 (7 steps) and all."""
    root = tmp_path_factory.mktemp("bundles")
    run("-C", SHOP, "bundle", "base:9e05a7b3c2d8", "-d", "postgresql", "--out", root / "old",
        check=0)
    run("-C", SHOP, "bundle", "base:heads", "-d", "postgresql", "--out", root / "new",
        check=0)
    return root


def test_diff_of_bundles_from_different_ranges(bundles):
    old, new = bundles / "old" / "postgresql", bundles / "new" / "postgresql"
    proc = run("diff", old, new, check=1)
    out = proc.stdout
    # A step file in both: only its header changes.
    assert "--- a/0001_3f9a1c7e2b04_create_customers_table.sql\n" \
           "+++ b/0001_3f9a1c7e2b04_create_customers_table.sql\n" in out
    assert "\n--- Upgrade step 1 of bundle base:9e05a7b3c2d8 for postgresql@16 (PostgreSQL)\n" \
           "+-- Upgrade step 1 of bundle base:heads for postgresql@16 (PostgreSQL)\n" in out
    # A step only in the new bundle: added, with its SQL.
    assert "--- /dev/null\n+++ b/0008_b3187d2f6e45_add_line_total_to_order_lines.sql\n" in out
    assert "\n+ALTER TABLE order_lines ADD COLUMN line_total NUMERIC(12, 2);\n" in out
    # Rollback files keep their names when migrations are added (numbered down from 9999):
    # the new rollback steps are added, the old ones change only in their headers.
    assert "--- /dev/null\n+++ b/rollback/9988_f08c3e6b9a54_merge_payments_and_reviews.sql\n" \
        in out
    assert "--- a/rollback/9999_3f9a1c7e2b04_create_customers_table.sql\n" \
           "+++ b/rollback/9999_3f9a1c7e2b04_create_customers_table.sql\n" in out
    assert "+++ b/upgrade.sql\n" in out
    # Only SQL files are compared, in path order, and the output is deterministic.
    assert "manifest.json" not in out and "README.md" not in out
    headers = [line[6:] for line in out.splitlines() if line.startswith("+++ b/")]
    assert headers == sorted(headers)
    assert run("diff", old, new, check=1).stdout == out


def test_diff_of_identical_bundles(bundles):
    proc = run("diff", bundles / "new" / "postgresql", bundles / "new" / "postgresql", check=0)
    assert proc.stdout == "no differences\n"
    md = run("diff", bundles / "new", bundles / "new", "--format", "markdown", check=0).stdout
    assert "No differences" in md


def test_diff_markdown_ticket(bundles):
    proc = run("diff", bundles / "old", bundles / "new", "--format", "markdown", check=1)
    md = proc.stdout
    # Folders of bundles compare dialect by dialect.
    assert md.startswith("# SQL changes: ")
    assert "files differ: 12 added, 16 changed**" in md
    assert "Added:\n\n- `postgresql/0008_b3187d2f6e45_add_line_total_to_order_lines.sql`" in md
    assert "## `postgresql/0008_b3187d2f6e45_add_line_total_to_order_lines.sql` (added)\n\n" \
           "```diff\n--- /dev/null\n" in md
    assert md.count("```diff\n") == 28
    assert md.count("```") == 2 * 28


def test_diff_errors(bundles, tmp_path):
    proc = run("diff", bundles / "new" / "postgresql", SHOP, check=2)
    assert "not a bundle folder" in one_error(proc)
    proc = run("diff", bundles / "new", tmp_path / "missing", check=2)
    assert "no such directory" in one_error(proc)
    proc = run("diff", bundles / "new", check=2)
    assert "two bundle folders" in one_error(proc)
    proc = run("diff", bundles / "old", bundles / "new", "-d", "sqlite", check=2)
    assert "only with --git" in one_error(proc)


def test_diff_files_statuses_and_missing_newline():
    result = diff_files({"a.sql": "x\ny\n", "gone.sql": "z\n", "same.sql": "s\n"},
                        {"a.sql": "x\nY", "new.sql": "n\n", "same.sql": "s\n"},
                        old_label="one", new_label="two")
    assert [(c.path, c.status) for c in result.changes] == [
        ("a.sql", "changed"), ("gone.sql", "removed"), ("new.sql", "added")]
    assert result.compared == 4 and not result.identical
    assert result.summary() == "3 files differ: 1 added, 1 removed, 1 changed"
    assert unified_text(result) == (
        "--- a/a.sql\n+++ b/a.sql\n@@ -1,2 +1,2 @@\n x\n-y\n+Y\n\\ No newline at end of file\n"
        "--- a/gone.sql\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n"
        "--- /dev/null\n+++ b/new.sql\n@@ -0,0 +1 @@\n+n\n")
    assert diff_files({"a": "1\n"}, {"a": "1\n"}).identical


# ----------------------------------------------------------------------------- git revisions


@pytest.fixture
def repo(tmp_path):
    """A git repository holding the shop project at its root, then one more migration."""
    root = tmp_path / "repo"
    shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns(".sqlbundle-cache", "bundles"))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "shop")
    (root / "versions" / "aa11bb22cc33_add_phone_to_customers.py").write_text(NEW_MIGRATION)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "add phone")
    return root


@needs_git
def test_diff_git_revisions_shows_the_new_step(repo):
    proc = run("-C", repo, "diff", "--git", "HEAD~1", "--git", "HEAD", "-d", "postgresql",
               check=1)
    out = proc.stdout
    assert "--- /dev/null\n+++ b/postgresql/0014_aa11bb22cc33_add_phone_to_customers.sql\n" in out
    assert "\n+ALTER TABLE customers ADD COLUMN phone VARCHAR(30);\n" in out
    assert "+++ b/postgresql/rollback/9986_aa11bb22cc33_add_phone_to_customers.sql\n" in out
    # Adding one migration touches only the new files and the all-in-one files.
    changed = [line[6:] for line in out.splitlines() if line.startswith("+++ b/")]
    assert sorted(changed) == [
        "postgresql/0014_aa11bb22cc33_add_phone_to_customers.sql",
        "postgresql/rollback/9986_aa11bb22cc33_add_phone_to_customers.sql",
        "postgresql/rollback/rollback.sql", "postgresql/upgrade.sql"]
    assert "\n+ALTER TABLE customers DROP COLUMN phone;\n" in out
    assert "\n+-- Upgrade step 14 of bundle base:heads for postgresql@16 (PostgreSQL)\n" in out
    assert "sqlite/" not in out and "mariadb/" not in out
    # The temporary checkouts are gone and the repository is untouched.
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True,
                            text=True, check=True).stdout
    assert status == ""

    md = run("-C", repo, "diff", "--git", "HEAD~1", "--git", "HEAD", "-d", "sqlite",
             "--format", "markdown", check=1).stdout
    assert md.startswith("# SQL changes: `HEAD~1` → `HEAD`")
    assert "- `sqlite/0014_aa11bb22cc33_add_phone_to_customers.sql`" in md
    assert "```diff\n" in md

    same = run("-C", repo, "diff", "--git", "HEAD~1", "--git", "HEAD", "-d", "postgresql",
               "--range", "base:6e4a0d9c1b7f", check=0)
    assert same.stdout == "no differences\n"


@needs_git
def test_diff_git_against_the_working_tree_in_a_subfolder(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(SHOP, root / "db", ignore=shutil.ignore_patterns(".sqlbundle-cache"))
    (root / "README").write_text("not the project\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "shop")
    project = root / "db"
    # Unchanged working tree: identical, for every configured dialect.
    assert run("diff", "--git", "HEAD", cwd=project, check=0).stdout == "no differences\n"
    # An uncommitted migration shows up against HEAD, for each configured dialect.
    (project / "versions" / "aa11bb22cc33_add_phone_to_customers.py").write_text(NEW_MIGRATION)
    out = run("-C", project, "diff", "--git", "HEAD", check=1).stdout
    for dialect in ("mariadb", "postgresql", "sqlite"):
        assert f"+++ b/{dialect}/0014_aa11bb22cc33_add_phone_to_customers.sql\n" in out


@needs_git
def test_diff_git_errors(repo, tmp_path):
    proc = run("-C", repo, "diff", "--git", "no-such-ref", check=2)
    assert "unknown git revision 'no-such-ref'" in one_error(proc)
    assert proc.stdout == ""
    proc = run("-C", repo, "diff", "--git", "HEAD", "--git", "nope~3", check=2)
    assert "unknown git revision 'nope~3'" in one_error(proc)
    proc = run("-C", repo, "diff", "--git", "HEAD~1", "--git", "HEAD", "--git", "HEAD", check=2)
    assert "at most two" in one_error(proc)
    proc = run("-C", repo, "diff", "--git", "HEAD", repo, repo, check=2)
    assert "not both" in one_error(proc)
    plain = tmp_path / "plain"
    shutil.copytree(SHOP, plain)
    proc = run("-C", plain, "diff", "--git", "HEAD", check=2)
    err = one_error(proc)
    assert "not a git repository" in err or "unknown git revision" in err


# ----------------------------------------------------------------------------- show --sql


def test_show_sql_markdown_ticket():
    md = run("-C", SHOP, "show", "8d2e5b6a9c31", "--sql", "-d", "postgresql",
             "--format", "markdown", check=0).stdout
    assert md.startswith("# create categories and products\n")
    assert "| Revision | `8d2e5b6a9c31` |" in md
    assert "| Parents | `3f9a1c7e2b04` |" in md
    assert "`versions/8d2e5b6a9c31_create_categories_and_products.py`" in md
    assert "## PostgreSQL (`postgresql@16`)" in md
    upgrade = md.split("### Upgrade\n\n```sql\n", 1)[1].split("```", 1)[0]
    rollback = md.split("### Rollback\n\n```sql\n", 1)[1].split("```", 1)[0]
    assert "CREATE TABLE categories (" in upgrade and "DROP TABLE" not in upgrade
    assert "UPDATE alembic_version SET version_num = '8d2e5b6a9c31' WHERE " \
           "alembic_version.version_num = '3f9a1c7e2b04';" in upgrade
    assert "DROP TABLE categories;" in rollback and "CREATE TABLE" not in rollback
    assert "UPDATE alembic_version SET version_num = '3f9a1c7e2b04'" in rollback
    # Only this revision's step: nothing from its neighbours.
    assert "customers" not in upgrade and "shipping_methods" not in upgrade
    assert 'psql -X -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f 8d2e5b6a9c31_upgrade.sql' in md
    assert "-f 8d2e5b6a9c31_rollback.sql" in md
    assert "rollback loses data: drop table categories; drop table products" in md


def test_show_sql_plain_text():
    out = run("-C", SHOP, "show", "8d2e5b6a9c31", "--sql", "-d", "postgresql", check=0).stdout
    assert out.startswith("-- Upgrade of 8d2e5b6a9c31: create categories and products\n")
    up, down = out.split("-- Rollback of 8d2e5b6a9c31: create categories and products\n")
    assert "-- range: 3f9a1c7e2b04:8d2e5b6a9c31\n" in up and "CREATE TABLE categories" in up
    assert "-- range: 8d2e5b6a9c31:3f9a1c7e2b04\n" in down and "DROP TABLE categories" in down
    assert "```" not in out


def test_show_sql_merge_revision():
    md = run("-C", SHOP, "show", "f08c3e6b9a54", "--sql", "-d", "postgresql",
             "--format", "markdown", check=0).stdout
    assert md.startswith("# merge payments and reviews\n")
    assert "| Revision | `f08c3e6b9a54` (merge) |" in md
    assert "| Parents | `d61f8b4e07a2`, `2a7d5c90e3b1` |" in md
    upgrade = md.split("### Upgrade\n\n```sql\n", 1)[1].split("```", 1)[0]
    rollback = md.split("### Rollback\n\n```sql\n", 1)[1].split("```", 1)[0]
    assert "DELETE FROM alembic_version WHERE alembic_version.version_num = '2a7d5c90e3b1';" \
        in upgrade
    assert "UPDATE alembic_version SET version_num = 'f08c3e6b9a54' WHERE " \
           "alembic_version.version_num = 'd61f8b4e07a2';" in upgrade
    assert "INSERT INTO alembic_version (version_num) VALUES ('2a7d5c90e3b1');" in rollback
    out = run("-C", SHOP, "show", "f08c3e6b9a54", "--sql", "-d", "postgresql", check=0).stdout
    assert "-- range: d61f8b4e07a2,2a7d5c90e3b1:f08c3e6b9a54\n" in out
    assert "-- range: f08c3e6b9a54:d61f8b4e07a2,2a7d5c90e3b1\n" in out


def test_show_sql_base_revision_and_several_dialects():
    md = run("-C", SHOP, "show", "3f9a1c7e2b04", "--format", "markdown", "-d", "sqlite",
             "-d", "mariadb", check=0).stdout
    assert "| Revision | `3f9a1c7e2b04` (base) |" in md
    assert "| Parents | none (a base revision) |" in md
    assert "## SQLite (`sqlite@3.40`)" in md and "## MariaDB (`mariadb@10.11`)" in md
    assert md.count("CREATE TABLE customers (") == 2
    assert md.count("DROP TABLE customers;") == 2
    assert "CREATE TABLE IF NOT EXISTS alembic_version" in md
    assert "MariaDB commits every DDL statement implicitly" in md
    out = run("-C", SHOP, "show", "3f9a1c7e2b04", "--sql", "-d", "sqlite", check=0).stdout
    assert "-- range: base:3f9a1c7e2b04\n" in out and "-- range: 3f9a1c7e2b04:base\n" in out
    assert "DELETE FROM alembic_version WHERE version_num = '3f9a1c7e2b04';" in out


def test_show_sql_json_and_plain_show_unchanged():
    import json

    data = json.loads(run("-C", SHOP, "show", "8d2e5b6a9c31", "--sql", "-d", "postgresql",
                          "--format", "json", check=0).stdout)
    assert data["revision"] == "8d2e5b6a9c31" and data["kind"] == "revision"
    assert data["targets"][0]["target"] == "postgresql@16"
    assert "CREATE TABLE categories" in data["targets"][0]["upgrade_sql"]
    plain = run("-C", SHOP, "show", "8d2e5b6a9c31", check=0).stdout
    assert plain.startswith("Revision:")
    assert "Message:       create categories and products\n" in plain
    assert "CREATE TABLE" not in plain
    meta = json.loads(run("-C", SHOP, "show", "8d2e5b6a9c31", "-f", "json", check=0).stdout)
    assert meta["down_revisions"] == ["3f9a1c7e2b04"]
    proc = run("-C", SHOP, "show", "8d2e5b6a9c31", "--sql", "-d", "nosuchdb", check=2)
    one_error(proc)
