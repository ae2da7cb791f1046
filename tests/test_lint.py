"""sqlbundle lint: each rule firing and not firing, suppressions, output formats, exit codes,
and the findings on the samples."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from sqlbundle.profile import load_profile
from sqlbundle.lint.api import lint_project
from sqlbundle.lint.report import read_suppressions, sarif_log, text_report
from sqlbundle.lint.rules import RULES
from sqlbundle.project.model import open_project
from sqlbundle.render.context import sa_dialect
from sqlbundle.schema.typechange import type_change

# Rules over a whole step (lint/lockrules.py): tested in test_locks.py, left out where a test
# is about another rule.
STEP_RULES = {"SBL017", "SBL018", "SBL019"}

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

USERS = """\
op.create_table(
    "users",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("bio", sa.Text()),
    sa.Column("visits", sa.BigInteger()),
    sa.Column("balance", sa.Numeric(10, 2)),
)"""
DROP_USERS = 'op.drop_table("users")'
LONG_INDEX = "ix_" + "x" * 70


def _block(body: str | None) -> str:
    return textwrap.indent(textwrap.dedent(body or "pass").strip("\n"), "    ")


def migration(rev: str, parent: str | None, upgrade: str,
              downgrade: str | None = "pass") -> str:
    """A Python migration's text; ``downgrade=None`` leaves the function out."""
    text = (f'"""{rev}"""\nfrom sqlbundle import op\nimport sqlalchemy as sa\n\n'
            f"revision = {rev!r}\ndown_revision = {parent!r}\nbranch_labels = None\n"
            f"depends_on = None\n\n\ndef upgrade():\n{_block(upgrade)}\n")
    if downgrade is not None:
        text += f"\n\ndef downgrade():\n{_block(downgrade)}\n"
    return text


def project(tmp_path: Path, *steps: tuple[str, str | None], dialects=("postgresql",)) -> Path:
    """A project whose first migration creates ``users``; each step is (upgrade, downgrade)
    of one more migration on top of it (downgrade None: no downgrade() at all)."""
    root = tmp_path / "proj"
    (root / "versions").mkdir(parents=True)
    (root / "sqlbundle.toml").write_text(
        f"version_locations = [\"versions\"]\ndialects = {json.dumps(list(dialects))}\n")
    files = [("r00", None, USERS, DROP_USERS)]
    for number, (up, down) in enumerate(steps, 1):
        files.append((f"r{number:02d}", files[-1][0], up, down))
    for rev, parent, up, down in files:
        (root / "versions" / f"{rev}.py").write_text(migration(rev, parent, up, down))
    return root


def lint(root: Path, target: str = "postgresql", range_text: str = "base:heads"):
    return lint_project(open_project(root, use_cache=False), range_text, target)


def codes(root: Path, target: str = "postgresql") -> list[str]:
    return [f.code for f in lint(root, target).findings]


def line_of(root: Path, rev: str, needle: str) -> int:
    lines = (root / "versions" / f"{rev}.py").read_text().splitlines()
    return next(number for number, text in enumerate(lines, 1) if needle in text)


# ---------------------------------------------------------------------------- rules


def test_clean_history_has_no_findings(tmp_path):
    root = project(tmp_path, ('op.add_column("users", sa.Column("age", sa.Integer()))',
                              'op.drop_column("users", "age")'))
    assert codes(root) == []
    assert codes(root, "mariadb") == []


def test_drop_table_and_column_of_existing_tables(tmp_path):
    root = project(tmp_path, ('op.drop_column("users", "bio")',
                              'op.add_column("users", sa.Column("bio", sa.Text()))'),
                   (DROP_USERS, USERS))
    report = lint(root)
    assert [(f.code, f.path, f.line, f.severity) for f in report.findings] == [
        ("SBL002", "versions/r01.py", line_of(root, "r01", "drop_column"), "error"),
        ("SBL001", "versions/r02.py", line_of(root, "r02", "drop_table"), "error"),
    ]
    assert report.findings[1].message == "drop table users: deletes the table and its data"
    # A range lints only its own steps, over the schema the earlier ones built.
    assert [f.code for f in lint(root, range_text="r01:heads").findings] == ["SBL001"]


def test_dropping_what_the_same_step_created_is_not_flagged(tmp_path):
    root = project(tmp_path, ("""
        op.create_table("tmp", sa.Column("id", sa.Integer(), primary_key=True))
        op.add_column("users", sa.Column("scratch", sa.Integer()))
        op.drop_table("tmp")
    """, 'op.drop_column("users", "scratch")'))
    # The column added in the same step is dropped by the downgrade only: fine too.
    assert codes(root) == []


@pytest.mark.parametrize("column, expected", [
    ('sa.Column("plan", sa.String(20), nullable=False)', ["SBL003"]),
    ('sa.Column("plan", sa.String(20), nullable=False, server_default="free")', []),
    ('sa.Column("plan", sa.String(20), nullable=True)', []),
])
def test_not_null_column_without_default_on_existing_table(tmp_path, column, expected):
    root = project(tmp_path, (f'op.add_column("users", {column})',
                              'op.drop_column("users", "plan")'))
    assert codes(root) == expected


def test_not_null_column_on_a_table_created_in_the_same_step_is_fine(tmp_path):
    root = project(tmp_path, ("""
        op.create_table("teams", sa.Column("id", sa.Integer(), primary_key=True))
        op.add_column("teams", sa.Column("name", sa.String(20), nullable=False))
    """, 'op.drop_table("teams")'))
    assert codes(root) == []


@pytest.mark.parametrize("column, new_type, expected", [
    ("name", "sa.String(50)", ["SBL004"]),  # VARCHAR(100) -> VARCHAR(50)
    ("visits", "sa.Integer()", ["SBL004"]),  # BIGINT -> INTEGER
    ("balance", "sa.Numeric(8, 2)", ["SBL004"]),  # precision reduced
    ("balance", "sa.Numeric(12, 1)", ["SBL004"]),  # scale reduced
    ("bio", "sa.String(200)", ["SBL004"]),  # text -> varchar
    ("name", "sa.Integer()", ["SBL004"]),  # another type family
    ("name", "sa.String(200)", []),  # widening VARCHAR: in place on PostgreSQL
    ("name", "sa.Text()", []),
    ("balance", "sa.Numeric(14, 2)", []),  # more precision, same scale: in place
    ("balance", "sa.Numeric(14, 4)", ["SBL005"]),  # a new scale rewrites every value
    ("visits", "sa.Numeric(20, 0)", ["SBL005"]),  # lossless across families, still a rewrite
])
def test_type_changes_on_postgresql(tmp_path, column, new_type, expected):
    root = project(tmp_path, (f'op.alter_column("users", "{column}", type_={new_type})', None))
    assert [c for c in codes(root) if c != "SBL020"] == expected


def test_narrowing_in_a_downgrade_is_a_lossy_downgrade(tmp_path):
    root = project(tmp_path, ('op.alter_column("users", "name", type_=sa.String(200))',
                              'op.alter_column("users", "name", type_=sa.String(100))'))
    (finding,) = lint(root).findings
    assert (finding.code, finding.direction) == ("SBL022", "downgrade")
    assert "VARCHAR(200) to VARCHAR(100) narrows the column" in finding.message


def test_type_change_verdicts_per_dialect():
    def verdict(old, new, target):
        profile = load_profile(target)
        result = type_change(old, new, profile, sa_dialect(profile))
        return result and result[0]

    assert verdict(sa.String(100), sa.String(255), "postgresql") is None
    assert verdict(sa.String(20), sa.String(40), "mariadb") is None  # same length bytes
    assert verdict(sa.String(40), sa.String(80), "mariadb") == "rewrite"  # 1 -> 2 length bytes
    assert verdict(sa.String(100), sa.String(255), "sqlite") == "rewrite"  # table copy
    assert verdict(sa.Integer(), sa.BigInteger(), "postgresql") == "rewrite"
    assert verdict(sa.BigInteger(), sa.Integer(), "mysql") == "narrow"
    assert verdict(sa.Text(), sa.String(10), "postgresql") == "narrow"
    assert verdict(sa.String(10), sa.Integer(), "postgresql") == "family"
    assert verdict(sa.Integer(), sa.String(30), "postgresql") == "rewrite"
    assert verdict(sa.Enum("a", "b", name="e"), sa.Enum("a", name="e"), "postgresql") == "narrow"
    assert verdict(sa.types.NullType(), sa.Integer(), "postgresql") is None  # unknown: quiet
    assert verdict(sa.String(10), sa.VARCHAR(10), "postgresql") is None  # same DDL


def test_renames_in_the_upgrade(tmp_path):
    root = project(tmp_path, ('op.rename_table("users", "members")',
                              'op.rename_table("members", "users")'),
                   ('op.alter_column("members", "name", new_column_name="full_name")',
                    'op.alter_column("members", "full_name", new_column_name="name")'))
    report = lint(root)
    # Renaming back in the downgrade restores what the old code expects: not flagged.
    assert [(f.code, f.direction) for f in report.findings] == [
        ("SBL006", "upgrade"), ("SBL007", "upgrade")]
    assert "code still running uses name" in report.findings[1].message


def test_index_without_concurrently_on_existing_tables(tmp_path):
    root = project(
        tmp_path,
        ('op.create_index("ix_users_name", "users", ["name"])',
         'op.drop_index("ix_users_name", table_name="users")'),
        ('op.create_index("ix_users_bio", "users", ["bio"], postgresql_concurrently=True)',
         'op.drop_index("ix_users_bio", table_name="users")'),
        ("""
            op.create_table("teams", sa.Column("id", sa.Integer(), primary_key=True),
                            sa.Column("name", sa.String(20)))
            op.create_index("ix_teams_name", "teams", ["name"])
         """, 'op.drop_table("teams")'),
        ('op.execute("CREATE INDEX ix_users_visits ON users (visits)")',
         'op.execute("DROP INDEX ix_users_visits")'),
    )
    report = lint(root)
    # (The downgrades' plain DROP INDEX are SBL015's.)
    assert [(f.code, f.path) for f in report.findings if f.code != "SBL015"] == [
        ("SBL010", "versions/r01.py"), ("SBL010", "versions/r04.py")]
    assert "pass postgresql_concurrently=True" in report.findings[0].fix
    assert "SBL010" not in codes(root, "mariadb")  # a PostgreSQL rule


def test_constraints_without_not_valid_on_existing_tables(tmp_path):
    root = project(
        tmp_path,
        ("""
            op.create_table("teams", sa.Column("id", sa.Integer(), primary_key=True))
            op.add_column("users", sa.Column("team_id", sa.Integer()))
            op.create_foreign_key("fk_users_teams", "users", "teams", ["team_id"], ["id"])
         """, """
            op.drop_constraint("fk_users_teams", "users", type_="foreignkey")
            op.drop_column("users", "team_id")
            op.drop_table("teams")
         """),
        ('op.create_check_constraint("ck_users_visits", "users", "visits >= 0")',
         'op.drop_constraint("ck_users_visits", "users", type_="check")'),
        ('op.execute("ALTER TABLE users ADD CONSTRAINT ck_users_balance CHECK (balance >= 0) '
         'NOT VALID")', 'op.execute("ALTER TABLE users DROP CONSTRAINT ck_users_balance")'),
        ("""
            op.create_table("teams2", sa.Column("id", sa.Integer(), primary_key=True),
                            sa.Column("size", sa.Integer()))
            op.create_check_constraint("ck_teams2_size", "teams2", "size > 0")
         """, 'op.drop_table("teams2")'),
    )
    report = lint(root)
    assert [(f.code, f.path) for f in report.findings if f.code not in STEP_RULES] == [
        ("SBL011", "versions/r01.py"), ("SBL011", "versions/r02.py")]
    assert "NOT VALID" in report.findings[0].fix and "VALIDATE CONSTRAINT" in \
        report.findings[0].fix


def test_enum_add_value_in_a_transaction_before_postgresql_12(tmp_path):
    root = project(
        tmp_path,
        ('op.execute("ALTER TYPE mood ADD VALUE \'meh\'")', 'pass'),
        ("""
            with op.get_context().autocommit_block():
                op.execute("ALTER TYPE mood ADD VALUE 'ok'")
         """, 'pass'))
    found = [(f.code, f.path) for f in lint(root, "postgresql@11").findings]
    assert ("SBL012", "versions/r01.py") in found
    assert ("SBL012", "versions/r02.py") not in found
    assert "SBL012" not in codes(root, "postgresql@12")


def test_several_ddl_statements_in_one_step_without_transactional_ddl(tmp_path):
    root = project(tmp_path, ("""
        op.add_column("users", sa.Column("age", sa.Integer()))
        op.create_index("ix_users_age", "users", ["age"])
    """, 'op.drop_column("users", "age")'))
    report = lint(root, "mariadb")
    assert [(f.code, f.direction, f.line) for f in report.findings] == [
        ("SBL013", "upgrade", line_of(root, "r01", "def upgrade"))]
    assert "runs 2 DDL statements" in report.findings[0].message
    assert [c for c in codes(root, "postgresql") if c == "SBL013"] == []


def test_missing_and_empty_downgrades(tmp_path):
    root = project(
        tmp_path,
        ('op.add_column("users", sa.Column("a", sa.Integer()))', None),  # no downgrade()
        ('op.add_column("users", sa.Column("b", sa.Integer()))', '"""Nothing."""\npass'),
        ('op.add_column("users", sa.Column("c", sa.Integer()))',
         'raise NotImplementedError("one way")'),
        ("pass", "pass"),  # a merge-like no-op: nothing to undo
    )
    report = lint(root)
    assert [(f.code, f.path, f.line) for f in report.findings] == [
        ("SBL020", "versions/r01.py", line_of(root, "r01", "def upgrade")),
        ("SBL021", "versions/r02.py", line_of(root, "r02", "def downgrade")),
        ("SBL020", "versions/r03.py", line_of(root, "r03", "def downgrade")),
    ]
    assert report.findings[2].message == ("downgrade() only raises: the migration cannot be "
                                          "rolled back")


def test_downgrades_that_lose_data(tmp_path):
    root = project(
        tmp_path,
        # Drops a table that existed before the upgrade.
        ('op.add_column("users", sa.Column("a", sa.Integer()))', DROP_USERS),
        # Drops a column the upgrade did not add.
        ('op.add_column("users", sa.Column("b", sa.Integer()))', 'op.drop_column("users", "bio")'),
        # Drops what the upgrade created: fine.
        ("""
            op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True))
            op.add_column("users", sa.Column("c", sa.Integer()))
         """, 'op.drop_column("users", "c")\nop.drop_table("t")'),
    )
    found = [(f.code, f.path) for f in lint(root).findings]
    assert found == [("SBL022", "versions/r01.py"), ("SBL022", "versions/r02.py")]


def test_downgrade_that_does_not_replay_is_reported_not_fatal(tmp_path):
    root = project(tmp_path,
                   ('op.add_column("users", sa.Column("a", sa.Integer()))',
                    'op.drop_column("users", "nope")'),
                   ('op.drop_column("users", "bio")', 'op.add_column("users", '
                                                      'sa.Column("bio", sa.Text()))'))
    assert codes(root) == ["SBL023", "SBL002"]


def test_raw_sql_that_does_not_parse(tmp_path):
    # A data-only upgrade may keep an empty downgrade.
    root = project(tmp_path, ('op.execute("UPDATE users SET name = WHERE id = 1")', "pass"))
    (finding,) = lint(root).findings
    assert finding.code == "SBL030" and "does not parse as postgres" in finding.message
    assert finding.line == line_of(root, "r01", "op.execute")


def test_every_name_over_the_identifier_limit_is_reported(tmp_path):
    long_table, long_index = "t" * 64, "ix_" + "x" * 70
    root = project(tmp_path, (f"""
        op.create_table("{long_table}", sa.Column("id", sa.Integer(), primary_key=True))
        op.create_index("{long_index}", "users", ["name"], postgresql_concurrently=True)
    """, f'op.drop_table("{long_table}")'), (DROP_USERS, USERS))
    report = lint(root)
    assert [f.code for f in report.findings] == ["SBL032", "SBL032", "SBL001"]
    assert report.findings[0].message == (f"table name {long_table!r} is 64 characters; "
                                          "PostgreSQL allows 63")
    # MariaDB allows 64: only the index name is too long (and is not rendered).
    assert codes(root, "mariadb") == ["SBL032", "SBL001"]


# ---------------------------------------------------------------------------- suppressions


def test_suppression_on_the_line_or_the_line_above(tmp_path):
    root = project(
        tmp_path,
        ('op.drop_column("users", "bio")  # sqlbundle: ignore[SBL002] reason: unused since 2.0',
         'op.add_column("users", sa.Column("bio", sa.Text()))'),
        ("# sqlbundle: ignore[SBL010, SBL032] reason: tiny table; the name is kept as is\n"
          f'op.create_index("{LONG_INDEX}", "users", ["name"])',
         f'op.drop_index("{LONG_INDEX}", table_name="users")'
         "  # sqlbundle: ignore[SBL015, SBL032] reason: kept as is"),
    )
    report = lint(root)
    assert report.findings == ()
    line = line_of(root, "r02", "ignore[SBL010")
    assert [(f.code, s.line, s.reason) for f, s in report.suppressed] == [
        ("SBL002", line_of(root, "r01", "drop_column"), "unused since 2.0"),
        ("SBL010", line, "tiny table; the name is kept as is"),
        ("SBL032", line, "tiny table; the name is kept as is"),
        ("SBL015", line_of(root, "r02", "drop_index"), "kept as is"),
        ("SBL032", line_of(root, "r02", "drop_index"), "kept as is"),
    ]
    assert "1 finding" not in text_report(report)
    assert text_report(report).endswith("0 finding(s) for postgresql@16: 0 error(s), "
                                        "0 warning(s), 0 info; 5 suppressed\n")


def test_suppression_without_a_reason_does_not_apply(tmp_path):
    root = project(tmp_path, ('op.drop_column("users", "bio")  # sqlbundle: ignore[SBL002]',
                              'op.add_column("users", sa.Column("bio", sa.Text()))'))
    found = [(f.code, f.line) for f in lint(root).findings]
    line = line_of(root, "r01", "drop_column")
    assert found == [("SBL002", line), ("SBL090", line)]


def test_suppression_naming_unknown_rules_and_unused_ones(tmp_path):
    root = project(tmp_path, ("""
        # sqlbundle: ignore[SBL999] reason: typo
        op.add_column("users", sa.Column("age", sa.Integer()))
        # sqlbundle: ignore[SBL001] reason: nothing is dropped here
        op.add_column("users", sa.Column("size", sa.Integer()))
        # sqlbundle: ignore[SBL090] reason: cannot suppress the suppression rules
        # sqlbundle: ignore[SBL010] reason: a PostgreSQL rule
        x = "# sqlbundle: ignore[SBL001] reason: in a string, not a comment"
    """, 'op.drop_column("users", "size")\nop.drop_column("users", "age")'))
    report = lint(root)
    assert [(f.code, f.line) for f in report.findings] == [
        ("SBL091", line_of(root, "r01", "SBL999")),
        ("SBL092", line_of(root, "r01", "nothing is dropped")),
        ("SBL091", line_of(root, "r01", "cannot suppress")),
        ("SBL092", line_of(root, "r01", "a PostgreSQL rule")),
    ]
    # A rule that does not apply to the target is not "unused" there.
    assert sorted(f.code for f in lint(root, "mariadb").findings) == [
        "SBL013", "SBL013", "SBL091", "SBL091", "SBL092"]


def test_read_suppressions_parses_codes_and_reasons():
    python = ("x = 1  # sqlbundle: ignore[sbl001,SBL002] reason:  because  \n"
              "# sqlbundle: ignore reason: no codes\n"
              "# sqlbundle: ignore[SBL004] because\n"
              "s = '# sqlbundle: ignore[SBL003] reason: a string'\n")
    found = read_suppressions(python, "m.py")
    assert [(s.line, s.codes, s.reason) for s in found] == [
        (1, ("SBL001", "SBL002"), "because"), (2, (), "no codes"), (3, ("SBL004",), "")]
    sql = "DROP TABLE t; -- sqlbundle: ignore[SBL001] reason: gone\nSELECT 1;\n"
    assert [(s.line, s.codes, s.reason) for s in read_suppressions(sql, "m.sql", "sql")] == [
        (1, ("SBL001",), "gone")]


def test_sql_migrations_lint_and_take_trailing_suppressions(tmp_path):
    root = project(tmp_path)
    (root / "versions" / "r01.sql").write_text(
        "-- revision: r01\n-- down_revision: r00\n-- source_dialect: postgres\n\n"
        "-- sqlbundle:upgrade\n"
        "\n"
        "ALTER TABLE users DROP COLUMN bio; -- sqlbundle: ignore[SBL002] reason: moved\n"
        "CREATE INDEX ix_users_name ON users (name);\n"
        "\n"
        "-- sqlbundle:upgrade dialect=mysql\n"
        "ALTER TABLE users DROP COLUMN bio; -- sqlbundle: ignore[SBL002] reason: moved too\n")
    report = lint(root)
    # Findings sit on the section's first SQL line; the MySQL section's comment is not
    # "unused" on PostgreSQL, which never reads that section.
    assert [(f.code, f.line) for f in report.findings] == [("SBL010", 7), ("SBL020", 7)]
    assert [(f.code, s.reason) for f, s in report.suppressed] == [("SBL002", "moved")]
    mariadb = lint(root, "mariadb")
    assert [(f.code, f.line) for f in mariadb.findings] == [("SBL020", 11)]
    assert [(f.code, s.reason) for f, s in mariadb.suppressed] == [("SBL002", "moved too")]


# ---------------------------------------------------------------------------- outputs


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, SQLBUNDLE_NO_CACHE="1")
    env.pop("SQLBUNDLE_CONFIG", None)
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_fail_on_info(tmp_path):
    # Only an info finding: sqlglot keeps REINDEX as an opaque command.
    info_only = project(tmp_path, ('op.execute("REINDEX TABLE users")',
                                   'op.execute("SELECT 1")'))
    assert [f.severity for f in lint(info_only).findings] == ["info"]
    assert run("lint", "--fail-on", "warning", cwd=info_only).returncode == 0
    assert run("lint", "--fail-on", "info", cwd=info_only).returncode == 1


def test_exit_codes(tmp_path):
    warnings_only = project(tmp_path / "w", ('op.rename_table("users", "members")',
                                             'op.rename_table("members", "users")'))
    assert run("lint", cwd=warnings_only).returncode == 0
    assert run("lint", "--fail-on", "warning", cwd=warnings_only).returncode == 1
    errors = project(tmp_path / "e", (DROP_USERS, USERS))
    out = run("lint", cwd=errors)
    assert out.returncode == 1
    assert out.stdout.splitlines()[0] == (
        f"versions/r01.py:{line_of(errors, 'r01', 'drop_table')}: error SBL001 drop table users: "
        "deletes the table and its data")
    assert out.stdout.splitlines()[1].startswith("  fix: ")
    clean = project(tmp_path / "c")
    assert run("lint", "--fail-on", "warning", cwd=clean).returncode == 0
    bad = run("lint", "-d", "nosuchdb", cwd=clean)
    assert bad.returncode == 2 and bad.stderr.startswith("error: unknown dialect")
    (clean / "versions" / "r00.py").write_text("def upgrade(:\n")
    assert run("lint", cwd=clean).returncode == 2


def test_json_and_sarif_formats(tmp_path):
    root = project(tmp_path, ('op.drop_column("users", "bio")', "pass"),
                   ("# sqlbundle: ignore[SBL001] reason: archived\n" + DROP_USERS, USERS))
    proc = run("lint", "-f", "json", cwd=root)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["target"] == "postgresql@16" and data["range"] == "base:heads"
    assert [f["code"] for f in data["findings"]] == ["SBL002", "SBL021"]
    assert data["findings"][0]["rule"] == "drop-column"
    assert data["suppressed"][0]["code"] == "SBL001"
    assert data["counts"] == {"error": 1, "warning": 1, "info": 0, "suppressed": 1}

    proc = run("lint", "-f", "sarif", "-d", "postgresql", cwd=root)
    assert proc.returncode == 1
    log = json.loads(proc.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (the_run,) = log["runs"]
    driver = the_run["tool"]["driver"]
    assert driver["name"] == "sqlbundle"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == sorted(RULES) and len(set(rule_ids)) == len(rule_ids)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = the_run["results"]
    assert [r["ruleId"] for r in results] == ["SBL002", "SBL021", "SBL001"]
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith("versions/r0")
        assert location["region"]["startLine"] >= 1
    assert "suppressions" not in results[0]
    assert results[2]["suppressions"] == [{"kind": "inSource", "justification": "archived"}]


def test_output_is_deterministic_and_sorted(tmp_path):
    root = project(tmp_path, ('op.drop_column("users", "bio")\nop.drop_column("users", "name")',
                              "pass"), (DROP_USERS, None))
    first, second = lint(root), lint(root)
    assert first == second
    keys = [(f.path, f.line, f.code) for f in first.findings]
    assert keys == sorted(keys)
    assert sarif_log(first) == sarif_log(second)


# ---------------------------------------------------------------------------- samples


def test_shop_sample_on_postgresql():
    report = lint(SAMPLES / "shop", "postgresql")
    assert [(f.code, Path(f.path).name.split("_")[0], f.direction) for f in report.findings] == [
        ("SBL018", "2a7d5c90e3b1", "upgrade"),  # product_reviews.customer_id has no index
        ("SBL011", "6e4a0d9c1b7f", "upgrade"),  # foreign key on existing customers
        ("SBL018", "6e4a0d9c1b7f", "upgrade"),  # ... without an index
        ("SBL019", "6e4a0d9c1b7f", "upgrade"),  # ... validated after ADD COLUMN's lock
        ("SBL022", "71bc6e0f4a9d", "downgrade"),  # VARCHAR(255) back to VARCHAR(100)
        ("SBL006", "9e05a7b3c2d8", "upgrade"),  # order_items renamed to order_lines
        ("SBL019", "b3187d2f6e45", "upgrade"),  # SET NOT NULL after ADD COLUMN's lock
        ("SBL011", "d61f8b4e07a2", "upgrade"),  # check constraint on existing payments
        ("SBL019", "d61f8b4e07a2", "upgrade"),  # ... validated after ADD COLUMN's lock
        ("SBL018", "e2d84c9a1f60", "upgrade"),  # orders.shipping_method_id
        ("SBL018", "e2d84c9a1f60", "upgrade"),  # order_items.product_id
    ]
    assert not report.fails("error") and report.fails("warning")


def test_shop_sample_on_other_dialects():
    assert [f.code for f in lint(SAMPLES / "shop", "sqlite").findings
            if f.code != "SBL018"] == ["SBL005", "SBL022", "SBL006"]
    mariadb = [f.code for f in lint(SAMPLES / "shop", "mariadb").findings]
    assert sorted(set(mariadb)) == ["SBL006", "SBL013", "SBL022"]


def test_shop_sample_cli_default_dialect_exits_0():
    proc = run("lint", cwd=SAMPLES / "shop")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.endswith("11 finding(s) for postgresql@16: 0 error(s), 11 warning(s), "
                                "0 info; 0 suppressed\n")


# ---------------------------------------------------------------------------- squawk

SQUAWK = shutil.which("squawk") or shutil.which("squawk", path=str(Path(sys.executable).parent))
# sqlbundle rule -> the squawk rule that reports the same thing on the rendered SQL.
SQUAWK_TWINS = {"SBL001": "ban-drop-table", "SBL002": "ban-drop-column",
                "SBL006": "renaming-table", "SBL007": "renaming-column",
                "SBL010": "require-concurrent-index-creation",
                "SBL011": "constraint-missing-not-valid",
                "SBL004": "changing-column-type", "SBL005": "changing-column-type"}


@pytest.mark.skipif(SQUAWK is None, reason="squawk (pip install squawk-cli) is not installed")
def test_squawk_agrees_on_the_shop_sample(tmp_path):
    """Squawk, a PostgreSQL migration linter, reads the SQL sqlbundle renders: every lint
    finding that has a squawk twin is reported by squawk too. (Squawk says more: it cannot
    tell a table created in the same step, or a downgrade dropping what its upgrade made.)"""
    from sqlbundle.compile.steps import compile_range

    shop = open_project(SAMPLES / "shop", use_cache=False)
    for direction, range_text in (("upgrade", "base:heads"), ("downgrade", "heads:base")):
        for step in compile_range(shop, range_text, "postgresql", direction).steps:
            text = "".join(f"{s.sql};\n" for s in step.statements)
            (tmp_path / f"{step.step.revision}-{direction}.sql").write_text(text)
    proc = subprocess.run([SQUAWK, "--reporter", "json",
                           *sorted(str(p) for p in tmp_path.glob("*.sql"))],
                          capture_output=True, text=True)
    squawk = {(Path(v["file"]).stem, v["rule_name"]) for v in json.loads(proc.stdout)}
    twins = [(f.revision, f.direction, f.code) for f in lint(SAMPLES / "shop").findings
             if f.code in SQUAWK_TWINS]
    assert twins  # the comparison is not vacuous
    for revision, direction, code in twins:
        assert (f"{revision}-{direction}", SQUAWK_TWINS[code]) in squawk


def test_sql_sqlglot_cannot_check_and_operations_the_target_cannot_render(tmp_path):
    root = project(
        tmp_path,
        ('op.execute("ALTER TYPE mood ADD VALUE \'meh\'")', "pass"),
        ("""
            op.add_column("users", sa.Column("boss_id", sa.Integer()))
            op.create_foreign_key("fk_users_boss", "users", "users", ["boss_id"], ["id"],
                                  deferrable=True, initially="DEFERRED")
         """, """
            op.drop_constraint("fk_users_boss", "users", type_="foreignkey")
            op.drop_column("users", "boss_id")
         """))
    report = lint(root, "postgresql")
    assert [(f.code, f.severity, f.path) for f in report.findings
            if f.code not in STEP_RULES] == [
        ("SBL031", "info", "versions/r01.py"),  # sqlglot keeps ALTER TYPE as a Command
        ("SBL021", "warning", "versions/r01.py"),  # ADD VALUE is not undone
        ("SBL011", "warning", "versions/r02.py")]
    assert report.fails("warning") and not report.fails("error")
    mariadb = [(f.code, f.path) for f in lint(root, "mariadb").findings]
    assert ("SBL033", "versions/r02.py") in mariadb
    message = next(f.message for f in lint(root, "mariadb").findings if f.code == "SBL033")
    assert "DEFERRABLE" in message


def test_locks_on_existing_tables_drop_index_and_set_not_null(tmp_path):
    # SBL015: DROP INDEX without CONCURRENTLY locks the table against every query; SBL016:
    # SET NOT NULL scans the table under that lock. Neither on a table the step creates.
    root = project(
        tmp_path,
        ('op.create_index("ix_users_bio", "users", ["bio"], postgresql_concurrently=True)',
         'op.drop_index("ix_users_bio", table_name="users", postgresql_concurrently=True)'),
        ('op.drop_index("ix_users_bio", table_name="users")',
         'op.create_index("ix_users_bio", "users", ["bio"], postgresql_concurrently=True)'),
        ('op.alter_column("users", "bio", nullable=False, existing_type=sa.Text())',
         'op.alter_column("users", "bio", nullable=True, existing_type=sa.Text())'),
        ("""
            op.create_table("notes", sa.Column("id", sa.Integer(), primary_key=True),
                            sa.Column("body", sa.Text()))
            op.create_index("ix_notes_body", "notes", ["body"])
            op.drop_index("ix_notes_body", table_name="notes")
            op.alter_column("notes", "body", nullable=False, existing_type=sa.Text())
         """, 'op.drop_table("notes")'))
    found = [(f.code, f.path) for f in lint(root).findings if f.code in ("SBL015", "SBL016")]
    assert found == [("SBL015", "versions/r02.py"), ("SBL016", "versions/r03.py")]
    assert not [f for f in lint(root, "mariadb").findings if f.code in ("SBL015", "SBL016")]
