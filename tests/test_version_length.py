"""Revision ids longer than the version table's column: an error at build time with the fix,
and the ``version_num_length`` setting that widens the column where it is needed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from engines import throwaway
from sqlbundle.assemble.bundle import build_bundle
from sqlbundle.assemble.writer import write_bundle
from sqlbundle.compile.steps import compile_range
from sqlbundle.errors import SqlbundleError
from sqlbundle.project.model import open_project

LONG = "add_customer_loyalty_points_and_tiers_0042"  # 42 characters


def project(tmp_path: Path, length: int | None = None):
    root = tmp_path / "proj"
    (root / "versions").mkdir(parents=True)
    setting = f"version_num_length = {length}\n" if length else ""
    (root / "sqlbundle.toml").write_text(f'version_locations = ["versions"]\n{setting}')
    for rev, parent, table in (("a1", None, "one"), (LONG, "a1", "two")):
        (root / "versions" / f"{rev[:8]}.py").write_text(
            f"from alembic import op\nimport sqlalchemy as sa\n\nrevision = {rev!r}\n"
            f"down_revision = {parent!r}\n\n\ndef upgrade():\n    op.create_table("
            f"{table!r}, sa.Column('id', sa.Integer(), primary_key=True))\n\n\n"
            f"def downgrade():\n    op.drop_table({table!r})\n")
    return open_project(root, use_cache=False)


def test_a_long_revision_id_is_an_error_with_the_fix(tmp_path):
    with pytest.raises(SqlbundleError) as err:
        compile_range(project(tmp_path), "base:heads", "postgresql")
    text = str(err.value)
    assert f"revision id {LONG!r} is 42 characters" in text and "(32)" in text
    assert "versions/add_cust.py" in text and "version_num_length = 42" in text


def test_the_setting_creates_a_wide_table_or_widens_an_existing_one(tmp_path):
    wide = project(tmp_path, 64)
    first = compile_range(wide, "base:heads", "postgresql").steps
    assert "version_num VARCHAR(64) NOT NULL" in first[0].creates_version_table[0].sql
    assert len(first[1].creates_version_table) == 0  # created wide: nothing to widen
    later = compile_range(wide, "a1:heads", "postgresql").steps
    assert [s.sql for s in later[0].creates_version_table] == [
        "ALTER TABLE alembic_version ALTER COLUMN version_num TYPE VARCHAR(64)"]
    mysql = compile_range(wide, "a1:heads", "mysql").steps[0].creates_version_table
    assert "MODIFY version_num VARCHAR(64) NOT NULL" in mysql[0].sql
    assert compile_range(wide, "a1:heads", "sqlite").steps[0].creates_version_table == ()


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb", "sqlite"])
def test_an_alembic_width_table_is_widened_by_the_step_that_needs_it(tmp_path, engine_name):
    narrow = project(tmp_path)  # the database was created with Alembic's VARCHAR(32)
    first = compile_range(replace(narrow, config=replace(narrow.config,
                                                          version_num_length=32)),
                          "base:a1", engine_name)
    wide = replace(narrow, config=replace(narrow.config, version_num_length=64))
    folder = write_bundle(build_bundle(wide, "a1:heads", engine_name), tmp_path / "out")
    from sqlbundle.assemble.framing import render_script

    with throwaway(engine_name, tmp_path / "db") as db:
        db.apply(render_script(first))
        db.apply(folder / "upgrade.sql")
        assert db.version_rows() == [LONG]
