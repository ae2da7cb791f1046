"""Checking rendered statements with sqlglot in the target dialect.

Every statement sqlbundle renders from migrations is parsed; one sqlglot rejects, or can only
keep as an opaque ``Command``, becomes a diagnostic naming the revision, file and statement.
Procedural framing (guards, T-SQL/PL/SQL blocks) is skipped: sqlglot cannot parse it and the
engine tests prove it. Known sqlglot gaps for valid SQL are listed, not hidden.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ..cache.parsed import ParsedMemo
from .steps import CompiledPlan
from ..render.context import Diagnostic

# Valid statements sqlglot keeps only as a Command (its gap, not ours), per sqlglot dialect.
_PG_NAME = r'(?:"(?:[^"]|"")+"|\w+)'
_PG_TYPE = rf"{_PG_NAME}(?:\.{_PG_NAME})?"
_PG_LABEL = r"'(?:[^']|'')*'"
KNOWN_GAPS = {
    "oracle": (re.compile(r"^ALTER TABLE \S+ MODIFY ", re.IGNORECASE),),
    # Documented: a constraint without a name is dropped by its kind and columns.
    "snowflake": (re.compile(r"^ALTER TABLE \S+ DROP (PRIMARY KEY$|UNIQUE \(|FOREIGN KEY \()",
                             re.IGNORECASE),),
    # Exactly the forms render/pgenums writes: enum labels added, a type renamed aside.
    "postgres": (
        re.compile(rf"^ALTER TYPE {_PG_TYPE} ADD VALUE IF NOT EXISTS {_PG_LABEL}"
                   rf"(?: BEFORE {_PG_LABEL})?$"),
        re.compile(rf"^ALTER TYPE {_PG_TYPE} RENAME TO {_PG_NAME}$"),
        # What render/safe writes after a constraint added NOT VALID.
        re.compile(rf"^ALTER TABLE {_PG_TYPE} VALIDATE CONSTRAINT {_PG_NAME}$"),
    ),
    # Exactly the forms render/duckdb writes for named enum types (duckdb's own docs have them).
    "duckdb": (
        re.compile(rf"^CREATE TYPE (?:IF NOT EXISTS )?{_PG_TYPE} AS ENUM "
                   rf"\((?:{_PG_LABEL}(?:, {_PG_LABEL})*)?\)$"),
        re.compile(rf"^DROP TYPE (?:IF EXISTS )?{_PG_TYPE}$"),
    ),
}


@dataclass(frozen=True)
class CheckCounts:
    dialect: str
    parsed: int = 0  # parsed into a real expression tree
    known_gaps: int = 0  # valid, but unreadable or a Command to sqlglot (listed in KNOWN_GAPS)
    failed: int = 0  # rejected or opaque: each one is a diagnostic
    skipped: int = 0  # procedural blocks and framing


def check_plan(compiled: CompiledPlan, memo: ParsedMemo | None = None
               ) -> tuple[CheckCounts, list[Diagnostic]]:
    """Parse every migration statement of ``compiled`` with sqlglot (skipping statements
    ``memo`` already saw parse cleanly; sqlglot is only imported when something is left)."""
    read = compiled.profile.sqlglot_dialect
    gaps = KNOWN_GAPS.get(read, ())
    parsed = known = failed = skipped = 0
    diagnostics: list[Diagnostic] = []
    # Version bookkeeping is one fixed form per dialect, parsed by the golden tests; checking
    # it on every step would double the cost on long histories.
    todo = list(dict.fromkeys(
        statement.sql for step in compiled.steps
        for statement in step.creates_version_table + step.statements
        if not statement.block and (memo is None or statement.sql not in memo)))
    outcome = dict(zip(todo, _parse_all(todo, read)))
    for step in compiled.steps:
        statements = step.creates_version_table + step.statements
        for statement in statements:
            if statement.block:
                skipped += 1
                continue
            if statement.sql not in outcome:
                parsed += 1  # parsed cleanly by an earlier build
                continue
            problem, opaque = outcome[statement.sql]
            if (problem is not None or opaque) and any(g.match(statement.sql) for g in gaps):
                known += 1  # valid SQL sqlglot cannot read (or keeps only as a Command)
                continue
            if problem is None and opaque:
                problem = f"sqlglot can only keep this as an opaque command in {read}"
            if problem is None:
                parsed += 1
                if memo is not None:
                    memo.add(statement.sql)
                continue
            failed += 1
            first = " ".join(statement.sql.split())[:100]
            diagnostics.append(Diagnostic(
                "SB300", f"revision {step.step.revision}: statement {first!r} {problem}",
                step.script.path, None))
    counts = CheckCounts(compiled.profile.target, parsed, known, failed, skipped)
    return counts, diagnostics


# A parse costs about as much as replaying a few operations (parallel.process_all's unit):
# a fresh clone's thousands of statements are parsed on two processes.
_PARSE_COST = 4.0


def _parse_all(statements: list[str], read: str) -> list[tuple[str | None, bool]]:
    from .parallel import process_all

    def parse(sql: str, state: None) -> tuple[None, tuple[str | None, bool]]:
        return None, _parse(sql, read)

    return process_all(statements, None, [(_PARSE_COST, 0.0)] * len(statements), parse,
                       lambda sql, state: None)[0]


def _parse(sql: str, read: str) -> tuple[str | None, bool]:
    """(problem or None, whether sqlglot could only keep it as an opaque Command)."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    # sqlglot logs its fallbacks; they become our diagnostics instead.
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    try:
        trees = [t for t in sqlglot.parse(sql, read=read, error_level=sqlglot.ErrorLevel.RAISE)
                 if t]
    except (ParseError, TokenError) as exc:
        return f"does not parse as {read}: {str(exc).splitlines()[0][:160]}", False
    return None, any(isinstance(t, exp.Command) for t in trees)
