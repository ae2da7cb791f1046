"""``bundle --phases``: expand and contract. Pre-deploy files only add (the running application
does not notice), post-deploy files drop and tighten and move the version rows; the end state
is the plain bundle's. Steps that cannot be split are refused with the reason."""

from __future__ import annotations

import subprocess
import sys

import pytest

from engines import comparable, throwaway
from sqlbundle.assemble.bundle import build_bundle
from sqlbundle.assemble.phases import build_phases
from sqlbundle.assemble.writer import write_bundle
from sqlbundle.errors import ScriptError
from test_locks import project

STEPS = (
    "op.add_column('p', sa.Column('email', sa.String(80)))\n"
    "op.create_index('ix_p_email', 'p', ['email'])\n"
    "op.drop_column('p', 'b')",
    "op.execute('UPDATE p SET n = 0 WHERE n IS NULL')\n"
    "op.alter_column('p', 'n', nullable=False)\n"
    "op.create_foreign_key('fk_q_p', 'q', 'p', ['pid'], ['id'])",
)


def test_the_split(tmp_path):
    bundle = build_phases(project(tmp_path / "p", *STEPS), "r0000:heads", "postgresql")
    names = sorted(bundle.files)
    assert names == ["README.md", "manifest.json", "post-deploy/0001_r0001_step_1.sql",
                     "post-deploy/0002_r0002_step_2.sql", "pre-deploy/0001_r0001_step_1.sql",
                     "pre-deploy/0002_r0002_step_2.sql"]
    pre1 = bundle.files["pre-deploy/0001_r0001_step_1.sql"]
    assert "ADD COLUMN email" in pre1 and "CREATE INDEX ix_p_email" in pre1
    assert "DROP COLUMN" not in pre1 and "alembic_version SET" not in pre1
    assert "BEGIN;\nSET LOCAL lock_timeout = '5000ms';" in pre1  # the project's timeouts too
    post1 = bundle.files["post-deploy/0001_r0001_step_1.sql"]
    assert "ALTER TABLE p DROP COLUMN b" in post1
    assert "UPDATE alembic_version SET version_num = 'r0001'" in post1
    assert "UPDATE p SET n = 0" in bundle.files["pre-deploy/0002_r0002_step_2.sql"]
    post2 = bundle.files["post-deploy/0002_r0002_step_2.sql"]
    assert "SET NOT NULL" in post2 and "VALIDATE CONSTRAINT fk_q_p" in post2
    assert "| 1 | `r0001` | `pre-deploy/0001_r0001_step_1.sql` |" in bundle.files["README.md"]


@pytest.mark.parametrize("body, why", [
    ("op.alter_column('p', 'n', new_column_name='m')", "a rename breaks the code"),
    ("op.drop_column('p', 'b')\nop.add_column('p', sa.Column('b', sa.Integer))",
     "cannot run in its phase"),
    ("op.execute('VACUUM p')", "neither only additive nor only destructive"),
])
def test_refused_with_the_reason(tmp_path, body, why):
    with pytest.raises(ScriptError) as err:
        build_phases(project(tmp_path / "p", body), "r0000:heads", "postgresql")
    assert why in err.value.message
    assert err.value.path == "versions/r0001_m.py" and err.value.line


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb", "sqlite"])
def test_applied_in_two_phases(tmp_path, engine_name):
    proj = project(tmp_path / "p", *STEPS)
    base = write_bundle(build_bundle(proj, "base:r0000", engine_name), tmp_path / "base")
    plain = write_bundle(build_bundle(proj, "r0000:heads", engine_name), tmp_path / "plain")
    phased = write_bundle(build_phases(proj, "r0000:heads", engine_name), tmp_path / "phased")
    with throwaway(engine_name, tmp_path / "a") as db:
        db.apply(base / "upgrade.sql")
        db.apply(plain / "upgrade.sql")
        expected = comparable(db.schema(), engine_name)
    with throwaway(engine_name, tmp_path / "b") as db:
        db.apply(base / "upgrade.sql")
        post = sorted((phased / "post-deploy").glob("*.sql"))
        db.apply(post[0], expect_error=True)  # a post-deploy part before its pre-deploy part
        for f in sorted((phased / "pre-deploy").glob("*.sql")):
            db.apply(f)
        # The application still running sees everything it had: column b is there.
        columns = {c["name"] for c in db.schema()["tables"]["p"]["columns"]}
        assert {"b", "email"} <= columns
        assert db.version_rows() == ["r0000"]
        db.apply(sorted((phased / "pre-deploy").glob("*.sql"))[0], expect_error=True)
        for f in post:
            db.apply(f)
        assert db.version_rows() == ["r0002"]
        assert comparable(db.schema(), engine_name) == expected


def test_cli_writes_and_checks_it(tmp_path):
    root = tmp_path / "p"
    project(root, *STEPS)

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(root), *args],
                              capture_output=True, text=True)

    made = cli("bundle", "r0000:heads", "-d", "postgresql", "--phases")
    assert made.returncode == 0, made.stderr
    assert (root / "bundles" / "postgresql-phases" / "pre-deploy").is_dir()
    assert cli("check").returncode == 0
    refused = cli("bundle", "-d", "postgresql", "--phases")  # from base: the FK step is fine
    assert refused.returncode == 0, refused.stderr


def test_postgresql_adds_constraints_not_valid_before_and_validates_after(tmp_path):
    bundle = build_phases(project(tmp_path / "p", *STEPS), "r0000:heads", "postgresql")
    pre = bundle.files["pre-deploy/0002_r0002_step_2.sql"]
    post = bundle.files["post-deploy/0002_r0002_step_2.sql"]
    assert "FOREIGN KEY(pid) REFERENCES p (id) NOT VALID;" in pre
    assert "ALTER TABLE q VALIDATE CONSTRAINT fk_q_p;" in post and "FOREIGN KEY" not in post
    # Elsewhere the whole constraint is added after the deploy.
    maria = build_phases(project(tmp_path / "m", *STEPS), "r0000:heads", "mariadb").files
    assert "FOREIGN KEY" in maria["post-deploy/0002_r0002_step_2.sql"]
    assert "FOREIGN KEY" not in maria["pre-deploy/0002_r0002_step_2.sql"]


def test_golden(tmp_path):
    import os
    from pathlib import Path

    bundle = build_phases(project(tmp_path / "p", *STEPS), "r0000:heads", "postgresql")
    folder = Path(__file__).resolve().parent / "golden" / "phases" / "postgresql"
    texts = {name: text for name, text in bundle.files.items() if name != "manifest.json"}
    if os.environ.get("SQLBUNDLE_UPDATE_GOLDEN"):
        for name, text in texts.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, "utf-8")
    on_disk = {p.relative_to(folder).as_posix(): p.read_text("utf-8")
               for p in folder.rglob("*") if p.is_file()}
    assert texts == on_disk
