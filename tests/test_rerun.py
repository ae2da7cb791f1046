"""A step that leaves its transaction can fail halfway; written for PostgreSQL, it runs again:
the segments an earlier run finished are skipped, an INVALID index a failed concurrent build
left is dropped and built again, and the end state is that of one clean run."""

from __future__ import annotations

import pytest

from engines import comparable, throwaway
from sqlbundle.assemble.bundle import build_bundle
from sqlbundle.assemble.writer import write_bundle
from test_locks import project

SPLIT = """
op.add_column('p', sa.Column('d', sa.Integer))
with op.get_context().autocommit_block():
    op.create_index('ix_p_a', 'p', ['a'], postgresql_concurrently=True)
op.add_column('p', sa.Column('e', sa.Integer))
"""


def _bundle(tmp_path, *bodies):
    folder = write_bundle(build_bundle(project(tmp_path / "p", *bodies), "base:heads",
                                       "postgresql"), tmp_path / "out")
    return folder, sorted(f for f in folder.glob("0*.sql"))


def test_only_steps_that_leave_their_transaction_are_segmented(tmp_path):
    folder, files = _bundle(tmp_path, SPLIT, "op.add_column('p', sa.Column('f', sa.Integer))")
    split = files[1].read_text()
    assert split.count("\\if :sqlbundle_done") == 2  # ADD COLUMN d; the index (e ends it)
    assert "DROP INDEX CONCURRENTLY ix_p_a;" in split  # only when an INVALID one is there
    assert split.index("RAISE EXCEPTION") < split.index("CREATE TABLE IF NOT EXISTS "
                                                         "alembic_version_progress")
    assert "alembic_version_progress" not in files[2].read_text()
    assert "alembic_version_progress" not in files[0].read_text()


@pytest.mark.engine
def test_a_step_killed_between_segments_runs_again(tmp_path):
    folder, files = _bundle(tmp_path, SPLIT)
    text = files[1].read_text()
    with throwaway("postgresql", tmp_path / "clean") as db:
        for f in files:
            db.apply(f)
        clean = comparable(db.schema(), "postgresql")
    with throwaway("postgresql", tmp_path / "db") as db:
        db.apply(files[0])
        # The run stops after the first segment (the client killed, the server restarted).
        db.apply(text[: text.index("-- segment 2 of")])
        assert db.version_rows() == ["r0000"]
        assert db.query("SELECT count(*) FROM alembic_version_progress") == [(1,)]
        again = db.apply(files[1])
        assert "segment 1 was finished by an earlier run, skipped" in again.stdout
        assert db.version_rows() == ["r0001"]
        assert comparable(db.schema(), "postgresql") == clean
        assert "alembic_version_progress" not in db.table_names()
        db.apply(files[1], expect_error=True)  # the guard still stops a third run


@pytest.mark.engine
def test_an_invalid_index_from_a_failed_concurrent_build_is_rebuilt(tmp_path):
    folder, files = _bundle(
        tmp_path, "op.execute('INSERT INTO q (id, pid) VALUES (2, 1)')",
        "with op.get_context().autocommit_block():\n"
        "    op.create_index('ux_q_pid', 'q', ['pid'], unique=True, "
        "postgresql_concurrently=True)")
    with throwaway("postgresql", tmp_path / "db") as db:
        db.apply(files[0])
        db.apply(files[1])
        failed = db.apply(files[2], expect_error=True)  # duplicate pid: the build fails
        assert "could not create unique index" in failed.stderr
        assert db.query("SELECT indisvalid FROM pg_index WHERE indexrelid = "
                        "'ux_q_pid'::regclass") == [(False,)]
        assert db.version_rows() == ["r0001"]
        db.query("DELETE FROM q WHERE id = 2")
        db.apply(files[2])
        assert db.query("SELECT indisvalid FROM pg_index WHERE indexrelid = "
                        "'ux_q_pid'::regclass") == [(True,)]
        assert db.version_rows() == ["r0002"]


def test_golden(tmp_path):
    import os
    from pathlib import Path

    folder, files = _bundle(tmp_path, SPLIT)
    text = files[1].read_text()
    text = "\n".join(line for line in text.splitlines() if not line.startswith("-- source:"))
    golden = Path(__file__).resolve().parent / "golden" / "rerun" / "postgresql-step.sql"
    if os.environ.get("SQLBUNDLE_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text + "\n", "utf-8")
    assert text + "\n" == golden.read_text("utf-8")


@pytest.mark.engine
def test_mariadb_a_step_stopped_between_statements_runs_again(tmp_path):
    """MariaDB commits every DDL statement: each is a segment, run through PREPARE as itself
    or, when an earlier run did it, as DO 0."""
    bodies = ("op.add_column('p', sa.Column('d', sa.Integer))\n"
              "op.execute('UPDATE p SET d = a + 1')\n"
              "op.alter_column('p', 'd', nullable=False, existing_type=sa.Integer)\n"
              "op.create_index('ix_p_d', 'p', ['d'])",)
    folder = write_bundle(build_bundle(project(tmp_path / "p", *bodies), "base:heads",
                                       "mariadb"), tmp_path / "out")
    files = sorted(folder.glob("0*.sql"))
    text = files[1].read_text()
    assert text.count("PREPARE sqlbundle_segment FROM") == 5  # 4 statements and the clean-up
    with throwaway("mariadb", tmp_path / "clean") as db:
        for f in files:
            db.apply(f)
        clean = comparable(db.schema(), "mariadb")
        rows = db.query("SELECT id, d FROM p")
    with throwaway("mariadb", tmp_path / "db") as db:
        db.apply(files[0])
        db.apply(text[: text.index("-- segment 3 of")])  # stopped after the UPDATE
        db.apply(files[1])  # the column is not added twice, the rows not updated twice
        assert db.query("SELECT id, d FROM p") == rows == [(1, 2)]
        assert db.version_rows() == ["r0001"]
        assert comparable(db.schema(), "mariadb") == clean
        assert "alembic_version_progress" not in db.table_names()
        db.apply(files[1], expect_error=True)  # the guard stops a third run
