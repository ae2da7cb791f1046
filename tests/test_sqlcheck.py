"""sqlglot checks every rendered statement; --strict turns findings into errors."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sqlbundle.compile.steps import compile_range
from sqlbundle.project.model import open_project
from sqlbundle.compile.sqlcheck import check_plan

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DIALECTS = ("postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle")


@pytest.mark.parametrize("sample", ["shop", "alembic_project", "raw_sql"])
@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_sample_statement_parses(sample, dialect):
    project = open_project(SAMPLES / sample, use_cache=False)
    parsed = 0
    for range_text, direction in (("base:heads", "upgrade"), ("heads:base", "downgrade")):
        counts, diagnostics = check_plan(compile_range(project, range_text, dialect, direction))
        assert counts.failed == 0 and diagnostics == [], diagnostics
        parsed += counts.parsed
    assert parsed > 15


def project_with_raw_sql(tmp_path: Path, sql: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "sqlbundle.toml").write_text("")
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "a1.py").write_text(textwrap.dedent(f'''\
        """raw"""
        from sqlbundle import op

        revision = "a1"
        down_revision = None


        def upgrade():
            op.execute({sql!r})


        def downgrade():
            pass
        '''))
    return tmp_path


def test_statement_sqlglot_rejects_is_a_diagnostic(tmp_path):
    root = project_with_raw_sql(tmp_path, "CREAT TABLE oops (id int)")
    counts, diagnostics = check_plan(compile_range(open_project(root, use_cache=False),
                                                   "heads", "postgresql"))
    assert counts.failed == 1
    [diagnostic] = diagnostics
    assert str(diagnostic).startswith("versions/a1.py: warning SB300: revision a1: statement "
                                      "'CREAT TABLE oops (id int)'")


def test_strict_turns_diagnostics_into_an_error(tmp_path):
    root = project_with_raw_sql(tmp_path, "CREAT TABLE oops (id int)")
    env = dict(os.environ, SQLBUNDLE_NO_CACHE="1")
    run = [sys.executable, "-m", "sqlbundle", "-C", str(root), "upgrade", "heads", "-d",
           "postgresql"]
    relaxed = subprocess.run(run, capture_output=True, text=True, env=env)
    assert relaxed.returncode == 0 and "SB300" in relaxed.stderr
    strict = subprocess.run(run + ["--strict"], capture_output=True, text=True, env=env)
    assert strict.returncode == 2 and strict.stdout == ""
    assert "--strict is on" in strict.stderr and "Traceback" not in strict.stderr


def test_parsed_statements_are_remembered_per_dialect(tmp_path):
    from sqlbundle.compile.sqlcheck import ParsedMemo

    project = open_project(SAMPLES / "shop", use_cache=False)
    compiled = compile_range(project, "base:heads", "postgresql")
    memo = ParsedMemo(tmp_path, "postgresql@16", "0.1.0")
    first, _ = check_plan(compiled, memo)
    memo.save()
    saved = (tmp_path / "sqlcheck-postgresql@16.txt").read_text().splitlines()
    assert saved[0].startswith("sqlbundle 0.1.0 sqlglot ") and len(saved) == first.parsed + 1
    again = ParsedMemo(tmp_path, "postgresql@16", "0.1.0")
    assert all(s.sql in again for step in compiled.steps for s in step.statements)
    # Another sqlbundle or sqlglot version starts afresh.
    assert not ParsedMemo(tmp_path, "postgresql@16", "0.2.0").known
    # A statement that fails is never remembered, so it is reported every time.
    root = project_with_raw_sql(tmp_path / "p", "CREAT TABLE oops (id int)")
    bad = compile_range(open_project(root, use_cache=False), "heads", "postgresql")
    memo = ParsedMemo(tmp_path / "m", "postgresql@16", "0.1.0")
    assert check_plan(bad, memo)[0].failed == 1
    memo.save()
    assert check_plan(bad, ParsedMemo(tmp_path / "m", "postgresql@16", "0.1.0"))[0].failed == 1
