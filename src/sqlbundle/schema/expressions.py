"""SQL expressions inside DDL (CHECK conditions, partial-index predicates) and raw SQL text.

An expression is kept as the SQLAlchemy construct the author wrote, so that each target's own
compiler writes it (identifier quoting, functions, literals) when it is rendered: compiled
once at record time, ``sa.column("table") >= 0`` would carry one dialect's quoting to all.
Text follows SQLAlchemy: a string condition is ``text()`` (``\\:name`` is a literal colon);
raw SQL passed to ``op.execute()`` keeps ``:name`` as written but loses the ``\\`` of an
escaped ``\\:name``, which Alembic users must write.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import visitors
from sqlalchemy.sql.compiler import BIND_PARAMS_ESC


def unescape_binds(text: str) -> str:
    """``\\:name`` -> ``:name``, exactly as SQLAlchemy's compiler undoes it in ``text()``."""
    return BIND_PARAMS_ESC.sub(lambda m: m.group(1), text) if "\\" in text else text


def _detach(element: Any) -> Any:
    # A Column of some Table becomes a bare column of the same name, so the expression can
    # join any rebuilt table (and is never attached to, or pickled with, the author's Table).
    if isinstance(element, sa.Column):
        return sa.column(element.name, element.type)
    return None


def ddl_expression(value: Any) -> Any:
    """What the replayed state keeps of a DDL condition: a string becomes ``text()`` (as
    SQLAlchemy and Alembic read it), a construct a copy free of table ties."""
    if isinstance(value, str):
        return sa.text(value)
    if isinstance(value, sa.TextClause):
        return value
    return visitors.replacement_traverse(value, {}, _detach)


def expression_clause(value: Any) -> Any:
    """The construct a renderer hands to SQLAlchemy: raw SQL text (followed from raw DDL) as
    written, anything else as kept."""
    return sa.literal_column(value) if isinstance(value, str) else value


def is_expression(element: Any) -> bool:
    """Whether an index element is an expression (a function, an operation) rather than a
    column, a column with its ordering, or text (written as the author wrote it)."""
    # Text in any of its forms (text(), literal_column(), desc("name")) is the author's.
    if isinstance(element, (str, sa.TextClause, sa.sql.elements._textual_label_reference)):
        return False
    if isinstance(element, sa.sql.elements.UnaryExpression) and element.modifier in _ORDERING:
        return is_expression(element.element)
    return not isinstance(element, sa.sql.expression.ColumnClause)


_ORDERING = (sa.sql.operators.asc_op, sa.sql.operators.desc_op,
             sa.sql.operators.nulls_first_op, sa.sql.operators.nulls_last_op)


def condition_text(value: Any) -> str | None:
    """The SQL of a condition written as text (a string, or ``text()``); None for a construct,
    whose columns are known without reading SQL."""
    if isinstance(value, str):
        return value
    if isinstance(value, sa.TextClause):
        return value.text
    return None


def construct_columns(value: Any) -> list[str]:
    """Names of the columns a construct mentions, in the order they appear."""
    return [e.name for e in visitors.iterate(value)
            if isinstance(e, sa.sql.expression.ColumnClause) and not e.is_literal]


def with_condition_text(value: Any, text: str) -> Any:
    """``text`` in the form ``value`` had (a string stays a string, ``text()`` stays one)."""
    return text if isinstance(value, str) else sa.text(text)


def construct_renamed(value: Any, old: str, new: str) -> Any:
    """The construct with column ``old`` called ``new`` (the same object when it has none)."""
    if old not in construct_columns(value):
        return value

    def swap(element: Any) -> Any:
        if isinstance(element, sa.sql.expression.ColumnClause) and not element.is_literal \
                and element.name == old:
            return sa.column(new, element.type)
        return None

    return visitors.replacement_traverse(value, {}, swap)


def condition_sql(value: Any) -> str:
    """A condition as generic SQL text (literal values inlined): for comparing conditions and
    searching them for names, never for output (each target compiles its own)."""
    text = condition_text(value)
    if text is not None:
        return text
    return str(value.compile(compile_kwargs={"literal_binds": True, "include_table": False}))
