"""Stated alter_column hints win, as in Alembic (issue 11, item 15).

On MySQL and MariaDB (``MODIFY``/``CHANGE``) and SQL Server (``ALTER COLUMN``) Alembic restates
the whole column from the call's ``existing_*=`` hints, with its own defaults for what is not
stated (NULL, no DEFAULT, no COMMENT, no AUTO_INCREMENT). A database Alembic built looks like
that, so sqlbundle's SQL and replayed schema must too: twin() on MariaDB over a matrix of hints
that disagree and agree with the history, then a later step that sqlbundle renders from the
replayed schema (so a state that did not follow the SQL shows up as a schema difference).
PostgreSQL and SQLite alter one property at a time, so the same hints change nothing there
(twin() on both). SQL Server has no engine here: exact SQL, parsed by sqlglot. Lint says what
else each step changes (SBL008). Migrations importing sqlbundle's own ``op`` keep taking what
they do not change from the history.
"""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from test_ops import make_project, sqls
from twin import meaning, twin
from sqlbundle.compile.steps import replayed_state
from sqlbundle.errors import SqlbundleError
from sqlbundle.schema.hints import imports_alembic
from sqlbundle.lint.api import lint_project
from sqlbundle.project.model import open_project

TABLE = """
op.create_table(
    "{name}",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(36), nullable=False, server_default="x", comment="the code"),
    sa.Column("ts", sa.DateTime, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")),
    sa.Column("n", sa.Integer),
)
"""

# name: (column, alter_column keywords, the column's name afterwards)
DISAGREE = {
    "type_only": ("code", 'type_=sa.String(50)', "code"),
    "type_other_hints": ("code", 'type_=sa.String(50), existing_nullable=True, '
                         'existing_server_default="y", existing_comment="other"', "code"),
    "wider_existing_type": ("code", 'nullable=False, existing_type=sa.String(255)', "code"),
    "nullable_only": ("code", 'nullable=True, existing_type=sa.String(36)', "code"),
    "type_and_default": ("code", 'type_=sa.String(50), server_default="z", '
                         'existing_nullable=False', "code"),
    "comment_only": ("code", 'comment="new", existing_type=sa.String(36)', "code"),
    "rename": ("code", 'new_column_name="title", existing_type=sa.String(36)', "title"),
    "datetime_default": ("ts", 'server_default=sa.text("CURRENT_TIMESTAMP"), '
                         'existing_type=sa.DateTime()', "ts"),
    "key_type_only": ("id", 'type_=sa.BigInteger()', "id"),
    "key_type_not_null": ("id", 'type_=sa.BigInteger(), existing_nullable=False', "id"),
}
AGREE = {
    "type_full": ("code", 'type_=sa.String(50), existing_nullable=False, '
                  'existing_server_default="x", existing_comment="the code"', "code"),
    "rename_full": ("code", 'new_column_name="title", existing_type=sa.String(36), '
                    'existing_nullable=False, existing_server_default="x", '
                    'existing_comment="the code"', "title"),
    "key_full": ("id", 'type_=sa.BigInteger(), existing_nullable=False, '
                 'existing_autoincrement=True', "id"),
    "key_autoincrement": ("id", 'type_=sa.BigInteger(), existing_nullable=False, '
                          'autoincrement=True', "id"),
    # None is Alembic's "not given": existing_autoincrement= decides.
    "key_autoincrement_none": ("id", 'type_=sa.BigInteger(), existing_nullable=False, '
                               'autoincrement=None, existing_autoincrement=True', "id"),
    "key_autoincrement_off": ("id", 'autoincrement=False, existing_type=sa.Integer(), '
                              'existing_nullable=False', "id"),
    "datetime_nullable": ("ts", 'nullable=True, existing_type=sa.DateTime(), '
                          'existing_server_default=sa.text("CURRENT_TIMESTAMP")', "ts"),
    # A default alone is ALTER COLUMN ... SET/DROP DEFAULT: the hints restate nothing.
    "default_only": ("code", 'server_default="y", existing_type=sa.String(99), '
                     'existing_nullable=True', "code"),
    "datetime_drop_default": ("ts", 'server_default=None, existing_type=sa.DateTime()', "ts"),
}
CASES = {**DISAGREE, **AGREE}


def _history(cases: dict, *, batch: bool = False, follow: bool = True) -> list:
    """Revision 1 creates a table per case, revision 2 alters each, revision 3 (``follow``)
    drops each altered column's default without hints, which sqlbundle renders from the
    replayed schema on MySQL (a full MODIFY) while Alembic only drops the default."""
    create = "\n".join(TABLE.format(name=f"t_{name}") for name in cases)
    alters = []
    for name, (column, keywords, _) in cases.items():
        if batch:
            alters.append(f'with op.batch_alter_table("t_{name}", '
                          f'copy_from=original("t_{name}")) as b:\n'
                          f'    b.alter_column("{column}", {keywords})')
        else:
            alters.append(f'op.alter_column("t_{name}", "{column}", {keywords})')
    bodies = [create, "\n".join(alters)]
    if follow:
        bodies.append("\n".join(f'op.alter_column("t_{name}", "{after}", server_default=None)'
                                for name, (_, _, after) in cases.items()))
    return bodies


# The tables as revision 1 creates them, for Alembic's batch mode on SQLite (offline it cannot
# reflect; copy_from stands in for the database).
ORIGINAL = """
def original(name):
    return sa.Table(
        name, sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(36), nullable=False, server_default="x", comment="the code"),
        sa.Column("ts", sa.DateTime, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")),
        sa.Column("n", sa.Integer),
    )
"""


def _columns(schema: dict, table: str) -> dict:
    return {c["name"]: c for c in schema["tables"][table]["columns"]}


# ------------------------------------------------------------------------------ real engines


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["mariadb", "postgresql"])
def test_hints_match_alembic(tmp_path, engine_name):
    result = twin(tmp_path, engine_name, *_history(CASES))
    if engine_name == "mariadb":
        # What Alembic's MODIFY/CHANGE left, which the history alone would not say.
        assert _columns(result.schema, "t_type_only")["code"]["nullable"] is True
        assert _columns(result.schema, "t_type_only")["code"]["comment"] is None
        assert _columns(result.schema, "t_wider_existing_type")["code"]["type"] == "VARCHAR(255)"
        assert _columns(result.schema, "t_datetime_default")["ts"]["nullable"] is True
        key = _columns(result.schema, "t_key_type_only")["id"]
        assert (key["nullable"], key["autoincrement"]) == (False, False)
        assert _columns(result.schema, "t_key_full")["id"]["autoincrement"] is True
        assert _columns(result.schema, "t_type_full")["code"]["nullable"] is False
    else:  # one property at a time: the hints change nothing
        assert _columns(result.schema, "t_type_only")["code"]["nullable"] is False
        assert _columns(result.schema, "t_wider_existing_type")["code"]["type"] == "VARCHAR(36)"


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["mariadb", "postgresql", "sqlite"])
def test_batch_hints_match_alembic(tmp_path, engine_name):
    """batch_alter_table: the same ops on MariaDB and PostgreSQL; on SQLite a table copy, where
    Alembic builds the copy from the table (copy_from) and ignores the hints."""
    cases = {k: v for k, v in CASES.items() if k != "key_autoincrement"}
    result = twin(tmp_path, engine_name, *_history(cases, batch=True, follow=False),
                  preamble=ORIGINAL)
    code = _columns(result.schema, "t_type_only")["code"]
    assert code["nullable"] is (engine_name == "mariadb")


@pytest.mark.engine
def test_sqlite_alter_column_keeps_what_the_history_says(tmp_path):
    """Outside batch mode Alembic's SQLite output does not run (ALTER COLUMN); sqlbundle copies
    the table from the replayed schema, where hints change nothing."""
    _, schema, _ = meaning(tmp_path, "sqlite", *_history(DISAGREE, follow=False))
    code = _columns(schema, "t_type_only")["code"]
    assert (code["type"], code["nullable"], code["default"]) == ("VARCHAR(50)", False, "'x'")
    assert _columns(schema, "t_wider_existing_type")["code"]["type"] == "VARCHAR(36)"
    assert _columns(schema, "t_datetime_default")["ts"]["nullable"] is False


@pytest.mark.engine
def test_mariadb_without_a_type_restates_from_the_history(tmp_path):
    """No type_= or existing_type=: Alembic refuses (MODIFY needs a type); sqlbundle restates
    the column from the replayed schema, so nothing else changes."""
    sql, schema, _ = meaning(tmp_path, "mariadb", TABLE.format(name="t"), """
        op.alter_column("t", "n", nullable=False, existing_server_default="9")
        op.alter_column("t", "code", new_column_name="title")
    """)
    assert "MODIFY n INTEGER NOT NULL'" in sql  # a segment: run through PREPARE
    title = _columns(schema, "t")["title"]
    assert (title["type"], title["nullable"], title["default"], title["comment"]) == \
        ("VARCHAR(36)", False, "'x'", "the code")


def test_each_target_replays_what_its_sql_does(tmp_path):
    """One replayed schema per target: the same call leaves the column NULL where Alembic
    restates it, and NOT NULL where it alters one property."""
    root = make_project(tmp_path, *_history({"type_only": CASES["type_only"]}, follow=False))
    project = open_project(root, use_cache=False)
    nullable = {}
    for target in ("mysql", "mariadb", "mssql", "postgresql", "sqlite", "oracle"):
        table = replayed_state(project, "heads", target).table("t_type_only")
        code = table.column("code")
        nullable[target] = (code.nullable, code.server_default is not None, code.comment)
    assert nullable == {
        "mysql": (True, False, None), "mariadb": (True, False, None),
        # SQL Server's ALTER COLUMN restates type and nullability only.
        "mssql": (True, True, "the code"),
        "postgresql": (False, True, "the code"), "sqlite": (False, True, "the code"),
        "oracle": (False, True, "the code"),
    }


# ------------------------------------------------------------------------------ exact SQL


def _alters(tmp_path, target: str, cases: dict, source: str = "alembic") -> list[str]:
    root = make_project(tmp_path, *_history(cases, follow=False), source=source)
    return sqls(root, target)


def test_mysql_sql_restates_as_alembic_does(tmp_path):
    out = _alters(tmp_path, "mysql", {k: CASES[k] for k in (
        "type_only", "type_other_hints", "wider_existing_type", "rename", "datetime_default",
        "key_type_not_null", "type_full", "key_full")})
    assert out == [
        "ALTER TABLE t_type_only MODIFY code VARCHAR(50)",
        "ALTER TABLE t_type_other_hints MODIFY code VARCHAR(50) COMMENT 'other' DEFAULT 'y'",
        "ALTER TABLE t_wider_existing_type MODIFY code VARCHAR(255) NOT NULL",
        "ALTER TABLE t_rename CHANGE code title VARCHAR(36)",
        "ALTER TABLE t_datetime_default MODIFY ts DATETIME DEFAULT CURRENT_TIMESTAMP",
        "ALTER TABLE t_key_type_not_null MODIFY id BIGINT NOT NULL",
        "ALTER TABLE t_type_full MODIFY code VARCHAR(50) NOT NULL COMMENT 'the code' "
        "DEFAULT 'x'",
        "ALTER TABLE t_key_full MODIFY id BIGINT NOT NULL AUTO_INCREMENT",
    ]


def test_mysql_refuses_a_key_restated_as_null(tmp_path):
    """MySQL rejects MODIFY id ... NULL on a primary key (MariaDB keeps it NOT NULL): a database
    Alembic upgraded cannot have run it, so the call must have said existing_nullable=."""
    with pytest.raises(SqlbundleError) as raised:
        _alters(tmp_path, "mysql", {"key_type_only": CASES["key_type_only"]})
    assert "existing_nullable=False" in raised.value.hint
    assert raised.value.line is not None
    assert _alters(tmp_path / "m", "mariadb", {"key_type_only": CASES["key_type_only"]}) == \
        ["ALTER TABLE t_key_type_only MODIFY id BIGINT NOT NULL"]
    root = make_project(tmp_path / "l", *_history({"k": CASES["key_type_only"]}, follow=False))
    report = lint_project(open_project(root, use_cache=False), "base:heads", "mysql")
    [finding] = [f for f in report.findings if f.code == "SBL033"]
    assert "existing_nullable=False" in finding.fix


MSSQL = {
    "type_only": ("code", 'type_=sa.String(50)', "code"),
    "type_not_null": ("code", 'type_=sa.String(50), existing_nullable=False', "code"),
    "null_existing_type": ("code", 'nullable=True, existing_type=sa.String(255)', "code"),
    "not_null_no_type": ("n", 'nullable=False', "n"),
    "type_and_null": ("code", 'type_=sa.String(50), nullable=True, existing_nullable=False',
                      "code"),
    "agree": ("code", 'type_=sa.String(36), existing_nullable=False', "code"),
}


def test_mssql_alter_column_restates_as_alembic_does(tmp_path):
    out = _alters(tmp_path, "mssql", MSSQL)
    assert out == [
        # No existing_nullable=: Alembic writes no NULL/NOT NULL and the column becomes NULL
        # (ANSI_NULL_DFLT_ON); written out here.
        "ALTER TABLE t_type_only ALTER COLUMN code VARCHAR(50) NULL",
        "ALTER TABLE t_type_not_null ALTER COLUMN code VARCHAR(50) NOT NULL",
        "ALTER TABLE t_null_existing_type ALTER COLUMN code VARCHAR(255) NULL",
        # No type stated (Alembic refuses): the type comes from the history.
        "ALTER TABLE t_not_null_no_type ALTER COLUMN n INTEGER NOT NULL",
        "ALTER TABLE t_type_and_null ALTER COLUMN code VARCHAR(50) NULL",
        # Restated as the history has it: nothing changes, nothing to write.
    ]
    for statement in out:
        tree = sqlglot.parse_one(statement, read="tsql")
        assert not isinstance(tree, exp.Command), statement
    with pytest.raises(SqlbundleError, match="SQL Server refuses"):
        _alters(tmp_path / "k", "mssql", {"key_type_only": CASES["key_type_only"]})


def test_sqlbundle_op_takes_what_it_does_not_change_from_the_history(tmp_path):
    cases = {k: CASES[k] for k in ("type_only", "rename")}
    cases["key"] = ("id", "type_=sa.BigInteger(), autoincrement=None", "id")
    out = _alters(tmp_path, "mysql", cases, source="sqlbundle")
    assert out == [
        "ALTER TABLE t_type_only MODIFY code VARCHAR(50) NOT NULL COMMENT 'the code' "
        "DEFAULT 'x'",
        "ALTER TABLE t_rename CHANGE code title VARCHAR(36) NOT NULL COMMENT 'the code' "
        "DEFAULT 'x'",
        "ALTER TABLE t_key MODIFY id BIGINT NOT NULL AUTO_INCREMENT",
    ]
    assert _alters(tmp_path / "s", "mssql", {"t": MSSQL["type_only"]}, source="sqlbundle") == \
        ["ALTER TABLE t_t ALTER COLUMN code VARCHAR(50) NOT NULL"]


@pytest.mark.parametrize("target, expected", [
    ("postgresql", ["ALTER TABLE t_type_only ALTER COLUMN code TYPE VARCHAR(50)",
                    "ALTER TABLE t_rename RENAME COLUMN code TO title"]),
    # Oracle's MODIFY changes only what it names, as Alembic writes it.
    ("oracle", ["ALTER TABLE t_type_only MODIFY code VARCHAR2(50 CHAR)",
                "ALTER TABLE t_rename RENAME COLUMN code TO title"]),
])
def test_one_property_at_a_time_ignores_the_hints(tmp_path, target, expected):
    assert _alters(tmp_path, target, {k: CASES[k] for k in (
        "type_only", "wider_existing_type", "rename")}) == expected


# ------------------------------------------------------------------------------ lint


def _findings(tmp_path, target: str, cases: dict) -> list[tuple[str, str, str]]:
    root = make_project(tmp_path, *_history(cases, follow=False))
    report = lint_project(open_project(root, use_cache=False), "base:heads", target)
    return [(f.code, f.message, f.fix) for f in report.findings if f.code == "SBL008"]


def test_lint_says_what_else_the_step_changes(tmp_path):
    found = _findings(tmp_path, "mariadb", DISAGREE)
    also = ": Alembic restates the whole column on MariaDB, so this step also "
    null = "makes the column NULL (no existing_nullable=)"
    no_default = "drops the default 'x' (no existing_server_default=)"
    no_comment = "drops the comment 'the code' (no existing_comment=)"
    expected = {
        "t_type_only.code": [null, no_default, no_comment],
        "t_type_other_hints.code": [
            "makes the column NULL (existing_nullable=)",
            "changes the default from 'x' to 'y' (existing_server_default=)",
            "changes the comment from 'the code' to 'other' (existing_comment=)"],
        "t_wider_existing_type.code": ["changes VARCHAR(36) to VARCHAR(255) (existing_type=)",
                                       no_default, no_comment],
        "t_comment_only.code": [null, no_default],
        "t_nullable_only.code": [no_default, no_comment],
        "t_type_and_default.code": [no_comment],
        "t_rename.code": [null, no_default, no_comment],
        "t_datetime_default.ts": [null],
        # MariaDB keeps a primary key NOT NULL; AUTO_INCREMENT goes.
        "t_key_type_only.id": ["drops AUTO_INCREMENT (no existing_autoincrement=)"],
        "t_key_type_not_null.id": ["drops AUTO_INCREMENT (no existing_autoincrement=)"],
    }
    assert sorted(message for _, message, _ in found) == sorted(
        f"alter column {where}{also}{what}" for where, whats in expected.items()
        for what in whats)
    fixes = {fix.split(";")[0] for _, _, fix in found}
    assert fixes == {
        "pass existing_type=sa.String(length=36), the type the history has",
        "pass existing_nullable=False, as the history has it",
        'pass existing_server_default="x", the default the history has',
        'pass existing_comment="the code", the comment the history has',
        "pass existing_autoincrement=True, as the history has it",
    }
    assert all(f.endswith("suppress with a reason") for _, _, f in found)


def test_lint_is_quiet_where_the_hints_agree_or_do_not_restate(tmp_path):
    assert _findings(tmp_path, "mariadb", AGREE) == []
    assert _findings(tmp_path / "pg", "postgresql", DISAGREE) == []
    assert _findings(tmp_path / "ms", "mssql", {"agree": MSSQL["agree"]}) == []
    [(code, message, _)] = _findings(tmp_path / "ms2", "mssql", {"t": MSSQL["type_only"]})
    assert message.endswith("SQL Server, so this step also makes the column NULL "
                            "(no existing_nullable=)")


# ------------------------------------------------------------------------------ which op


@pytest.mark.parametrize("source, alembic", [
    ("from alembic import op", True),
    ("from alembic import context, op  # both", True),
    ("from alembic import (\n    context,\n    op,\n)", True),
    ("from alembic.op import alter_column", True),
    ("import alembic", True),
    ("    import alembic.op as op", True),
    ("from sqlbundle import op\nfrom alembic import context", False),
    ("import alembic_utils\nfrom alembic_utils import op", False),
    ("# from alembic import op\nfrom sqlbundle import op", False),
])
def test_which_op_a_migration_calls(source, alembic):
    assert imports_alembic(source) is alembic
