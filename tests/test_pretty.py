"""--pretty lays out long statements only when the tokens stay exactly the same."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sqlbundle.compile.steps import compile_range
from sqlbundle.assemble.pretty import _tokens, format_statement
from sqlbundle.project.model import open_project
from sqlbundle.assemble.framing import render_script

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden" / "pretty"
UPDATE = os.environ.get("SQLBUNDLE_UPDATE_GOLDEN") == "1"


def test_long_insert_is_laid_out_with_the_same_tokens():
    sql = ("INSERT INTO shipping_methods (code, name, description, fee) "
           "VALUES ('standard', 'Standard delivery', '3-5 business days', 4.95)")
    pretty = format_statement(sql, "postgres")
    assert pretty.startswith("INSERT INTO shipping_methods (\n  code,\n  name,")
    assert _tokens(pretty, "postgres") == _tokens(sql, "postgres")


def test_formatting_that_would_change_meaning_is_not_used():
    # sqlglot's PostgreSQL printer turns SERIAL into an identity column: not whitespace-only.
    sql = ("CREATE TABLE customers (id SERIAL NOT NULL, email VARCHAR(255) NOT NULL, "
           "CONSTRAINT pk_customers PRIMARY KEY (id))")
    assert format_statement(sql, "postgres") == sql


def test_short_and_unparsable_statements_are_kept():
    assert format_statement("DROP TABLE t", "postgres") == "DROP TABLE t"
    weird = "ALTER TABLE products MODIFY name VARCHAR2(255 CHAR) " + "/* x */ " * 10
    assert format_statement(weird, "oracle") == weird


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mssql"])
def test_golden_pretty_output(dialect):
    project = open_project(SAMPLES / "shop", use_cache=False)
    text = render_script(compile_range(project, "base:heads", dialect), "Upgrade", pretty=True)
    path = GOLDEN / f"shop-upgrade-{dialect}.sql"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert text == path.read_text("utf-8"), f"{path} is stale; regenerate and review"
    plain = render_script(compile_range(project, "base:heads", dialect), "Upgrade")
    assert text != plain
    # Same statements, only whitespace differs.
    assert "".join(text.split()) == "".join(plain.split())
