"""Raw statement text -> ``Statement``: the flags its text implies (procedural block, batch-first,
DML, must run outside a transaction)."""

from __future__ import annotations

import re

from .context import RenderContext, Statement


_BATCH_FIRST = re.compile(
    r"^\s*(CREATE|ALTER)\s+(OR\s+ALTER\s+)?(VIEW|PROCEDURE|PROC|FUNCTION|TRIGGER|SCHEMA)\b",
    re.IGNORECASE,
)


_PROCEDURAL = re.compile(r"^\s*(DO\b|BEGIN\b|DECLARE\b|CREATE\s+(OR\s+REPLACE\s+)?"
                         r"(FUNCTION|PROCEDURE|TRIGGER|PACKAGE)\b)", re.IGNORECASE)
# A routine created after other statements of the same text (DROP FUNCTION IF EXISTS f;
# CREATE FUNCTION f ... BEGIN ... END): the text is a block too.
_LATER_ROUTINE = re.compile(r";\s*CREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE|TRIGGER)\b",
                            re.IGNORECASE)


_DML = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _strip_terminator(text: str) -> str:
    text = text.strip()
    while text.endswith(";"):
        text = text[:-1].rstrip()
    return text


def classify(text: str, ctx: RenderContext) -> Statement:
    """A raw statement with the flags its text implies (batch-first, procedural, DML, must
    run outside a transaction)."""
    procedural = bool(_PROCEDURAL.match(text) or _LATER_ROUTINE.search(text))
    # Statements the target refuses inside a transaction block: the step commits before them.
    outside = ctx.profile.outside_transaction
    return Statement(
        text if procedural else _strip_terminator(text),
        block=procedural,
        batch_first=bool(_BATCH_FIRST.match(text)) and ctx.profile.batch_first,
        dml=bool(_DML.match(text)),
        autocommit=bool(outside is not None and outside.match(text)),
    )
