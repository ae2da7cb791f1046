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

from .build import CompiledPlan
from .render.context import Diagnostic

# Valid statements sqlglot keeps only as a Command (its gap, not ours), per sqlglot dialect.
KNOWN_GAPS = {
    "oracle": (re.compile(r"^ALTER TABLE \S+ MODIFY ", re.IGNORECASE),),
}


@dataclass(frozen=True)
class CheckCounts:
    dialect: str
    parsed: int = 0  # parsed into a real expression tree
    known_gaps: int = 0  # valid, kept as Command by sqlglot (listed in KNOWN_GAPS)
    failed: int = 0  # rejected or opaque: each one is a diagnostic
    skipped: int = 0  # procedural blocks and framing


def check_plan(compiled: CompiledPlan) -> tuple[CheckCounts, list[Diagnostic]]:
    """Parse every migration statement of ``compiled`` with sqlglot."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    # sqlglot logs its fallbacks; they become our diagnostics instead.
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    read = compiled.profile.sqlglot_dialect
    gaps = KNOWN_GAPS.get(read, ())
    parsed = known = failed = skipped = 0
    diagnostics: list[Diagnostic] = []
    for step in compiled.steps:
        # Version bookkeeping is one fixed form per dialect, parsed by the golden tests; checking
        # it on every step would double the cost on long histories.
        statements = step.creates_version_table + step.statements
        for statement in statements:
            if statement.block:
                skipped += 1
                continue
            problem = None
            try:
                trees = [t for t in sqlglot.parse(statement.sql, read=read,
                                                  error_level=sqlglot.ErrorLevel.RAISE) if t]
            except (ParseError, TokenError) as exc:
                problem = f"does not parse as {read}: {str(exc).splitlines()[0][:160]}"
                trees = []
            if problem is None and any(isinstance(t, exp.Command) for t in trees):
                if any(g.match(statement.sql) for g in gaps):
                    known += 1
                    continue
                problem = f"sqlglot can only keep this as an opaque command in {read}"
            if problem is None:
                parsed += 1
                continue
            failed += 1
            first = " ".join(statement.sql.split())[:100]
            diagnostics.append(Diagnostic(
                "SB300", f"revision {step.step.revision}: statement {first!r} {problem}",
                step.script.path, None))
    counts = CheckCounts(compiled.profile.target, parsed, known, failed, skipped)
    return counts, diagnostics
