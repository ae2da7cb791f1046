"""The safe forms (``--safe`` / the ``safe`` setting): on tables that existed before the step,
indexes are built and dropped CONCURRENTLY, foreign keys and checks are added NOT VALID and
validated apart, SET NOT NULL goes through a validated check. The end state is the plain
rendering's, on the real server, both ways."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engines import comparable, throwaway
from sqlbundle.assemble.bundle import build_bundle
from sqlbundle.assemble.writer import write_bundle
from sqlbundle.lint.api import lint_project
from test_locks import project

STEPS = [
    ("op.create_index('ix_p_a', 'p', ['a'])", "op.drop_index('ix_p_a', table_name='p')"),
    ("op.create_foreign_key('fk_q_p', 'q', 'p', ['pid'], ['id'])\n"
     "op.create_index('ix_q_pid', 'q', ['pid'], unique=True)",
     "op.drop_index('ix_q_pid', table_name='q')\n"
     "op.drop_constraint('fk_q_p', 'q', type_='foreignkey')"),
    ("op.create_check_constraint('ck_p_c', 'p', 'c > 0')\n"
     "op.alter_column('p', 'n', nullable=False)",
     "op.alter_column('p', 'n', nullable=True)\n"
     "op.drop_constraint('ck_p_c', 'p', type_='check')"),
    ("op.create_unique_constraint('uq_p_b', 'p', ['b'])",
     "op.drop_constraint('uq_p_b', 'p', type_='unique')"),
    ("op.add_column('p', sa.Column('d', sa.Integer))\n"
     "op.execute('UPDATE p SET d = a')\n"
     "op.alter_column('p', 'd', nullable=False)",
     "op.drop_column('p', 'd')"),
]


def _project(root, safe: bool):
    bodies = [f"{up}" for up, _ in STEPS]
    proj = project(root, *bodies)
    # Downgrades: rewrite each file's downgrade() body.
    for i, (_, down) in enumerate(STEPS, 1):
        path = root / "versions" / f"r{i:04d}_m.py"
        text = path.read_text()
        body = "\n".join("    " + line for line in down.splitlines())
        path.write_text(text.replace("def downgrade():\n    pass", f"def downgrade():\n{body}"))
    from sqlbundle.project.model import open_project

    proj = open_project(root, use_cache=False)
    return replace(proj, config=replace(proj.config, safe=safe))


def test_safe_forms_in_the_sql(tmp_path):
    files = build_bundle(_project(tmp_path / "s", True), "base:heads", "postgresql").files
    text = files["upgrade.sql"]
    assert "CREATE INDEX CONCURRENTLY ix_p_a ON p (a);" in text
    assert "CREATE UNIQUE INDEX CONCURRENTLY ix_q_pid ON q (pid);" in text
    assert "FOREIGN KEY(pid) REFERENCES p (id) NOT VALID;" in text
    assert "ALTER TABLE q VALIDATE CONSTRAINT fk_q_p;" in text
    assert "ADD CONSTRAINT p_n_not_null CHECK (n IS NOT NULL) NOT VALID;" in text
    assert "ALTER TABLE p DROP CONSTRAINT p_n_not_null;" in text
    assert "CREATE UNIQUE INDEX CONCURRENTLY uq_p_b ON p (b);\n" in text
    assert "ALTER TABLE p ADD CONSTRAINT uq_p_b UNIQUE USING INDEX uq_p_b;" in text
    assert "DROP INDEX CONCURRENTLY ix_p_a;" in files["rollback/rollback.sql"]
    # The new table's own index is left alone, as are the steps of other targets.
    assert "CREATE TABLE p" in text and sum(
        line.startswith("CREATE") and "CONCURRENTLY" in line for line in text.splitlines()) == 3
    plain = build_bundle(_project(tmp_path / "m", False), "base:heads", "mariadb").files
    safe = build_bundle(_project(tmp_path / "m2", True), "base:heads", "mariadb").files
    assert {k: v for k, v in plain.items() if k.endswith(".sql")} == \
        {k: v for k, v in safe.items() if k.endswith(".sql")}
    # The lock report and lint judge what is written: nothing blocks writes while scanning.
    step = files["0004_r0003_step_3.sql"]
    assert "ALTER TABLE p ALTER COLUMN n SET NOT NULL: ACCESS EXCLUSIVE on p (existing); " \
           "changes the catalog only" in step
    codes = {f.code for f in lint_project(_project(tmp_path / "l", True), "base:heads",
                                          "postgresql").findings}
    assert not codes & {"SBL010", "SBL011", "SBL015", "SBL016", "SBL019"}, codes
    plain_codes = {f.code for f in lint_project(_project(tmp_path / "l2", False), "base:heads",
                                                "postgresql").findings}
    assert {"SBL010", "SBL011", "SBL016", "SBL019"} <= plain_codes


@pytest.mark.engine
def test_the_end_state_is_the_plain_renderings(tmp_path):
    states = {}
    for safe in (False, True):
        proj = _project(tmp_path / f"p{safe}", safe)
        folder = write_bundle(build_bundle(proj, "base:heads", "postgresql"),
                              tmp_path / f"out{safe}")
        with throwaway("postgresql", tmp_path / f"db{safe}") as db:
            db.apply(folder / "upgrade.sql")
            up = comparable(db.schema(), "postgresql")
            assert db.query("SELECT count(*) FROM pg_constraint WHERE NOT convalidated") == [(0,)]
            assert db.query("SELECT count(*) FROM pg_index WHERE NOT indisvalid") == [(0,)]
            db.apply(folder / "rollback" / "rollback.sql")
            down = comparable(db.schema(), "postgresql")
            states[safe] = (up, down)
    assert states[True] == states[False]


def test_check_rebuilds_a_safe_bundle_as_it_was_built(tmp_path):
    import subprocess
    import sys

    root = tmp_path / "p"
    _project(root, False)

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(root), *args],
                              capture_output=True, text=True)

    assert cli("bundle", "-d", "postgresql", "--safe").returncode == 0
    manifest = (root / "bundles" / "postgresql" / "manifest.json").read_text()
    assert '"safe": true' in manifest
    assert cli("check").returncode == 0
    assert cli("check", "--rebuild").returncode == 0  # rebuilt with the safe forms: the same
    assert cli("bundle", "-d", "postgresql").returncode == 0  # plain now: written again
    assert '"safe"' not in (root / "bundles" / "postgresql" / "manifest.json").read_text()
    assert cli("check", "--rebuild").returncode == 0


def test_golden(tmp_path):
    import os
    from pathlib import Path

    text = build_bundle(_project(tmp_path / "p", True), "base:heads",
                        "postgresql").files["upgrade.sql"]
    golden = Path(__file__).resolve().parent / "golden" / "safe" / "postgresql-upgrade.sql"
    if os.environ.get("SQLBUNDLE_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8")
