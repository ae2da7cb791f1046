"""``--pretty``: lay out long statements, but only when that changes nothing but whitespace.

sqlglot's pretty printer regenerates a statement from its parse tree, which can change meaning
(``SERIAL`` becomes an identity column, quoting changes). So the formatted text is used only when
its tokens (type, text and attached comments) are exactly the original's; otherwise the statement
is kept as rendered.
"""

from __future__ import annotations

import logging

MIN_LENGTH = 80  # shorter statements stay on one line


def _tokens(sql: str, dialect: str) -> list[tuple[str, str]] | None:
    import sqlglot
    from sqlglot.errors import TokenError

    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
    except TokenError:
        return None
    # Comments count: a layout that loses one is not whitespace-only.
    return [(t.token_type.name, t.text, tuple(c.strip() for c in t.comments)) for t in tokens]


def format_statement(sql: str, dialect: str) -> str:
    """``sql`` laid out by sqlglot when that is provably whitespace-only, else unchanged."""
    import sqlglot
    from sqlglot.errors import ParseError, TokenError

    if len(sql) < MIN_LENGTH:
        return sql
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    try:
        trees = sqlglot.parse(sql, read=dialect)
        if len(trees) != 1 or trees[0] is None:
            return sql
        pretty = trees[0].sql(dialect, pretty=True)
    except (ParseError, TokenError, ValueError):
        return sql
    before, after = _tokens(sql, dialect), _tokens(pretty, dialect)
    if before is None or before != after:
        return sql
    return pretty
