"""Raw SQL text as sqlglot reads it: dialect names, statements split as written.

The replayed schema follows raw DDL (``rawddl``) and the renderers transpile raw SQL
(``render.transpile``); both read SQL text through these helpers.
"""

from __future__ import annotations

import logging
from typing import Any, Literal, overload

from ..errors import SqlbundleError

# Names people write for a source dialect -> sqlglot's dialect names.
ALIASES = {
    "postgresql": "postgres", "postgres": "postgres", "pg": "postgres",
    "mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite", "mssql": "tsql", "tsql": "tsql",
    "sqlserver": "tsql", "oracle": "oracle", "duckdb": "duckdb", "snowflake": "snowflake",
}

def quiet_sqlglot() -> None:
    """sqlglot logs its fallbacks; they become our diagnostics instead."""
    logging.getLogger("sqlglot").setLevel(logging.ERROR)


@overload
def split_statements(sql: str, dialect: str) -> list[str]: ...
@overload
def split_statements(sql: str, dialect: str, with_offsets: Literal[True]
                     ) -> list[tuple[str, int]]: ...


def split_statements(sql: str, dialect: str, with_offsets: bool = False) -> Any:
    """The statements of ``sql`` exactly as written (no sqlglot rewrite), split at top-level
    semicolons found by sqlglot's tokenizer (so quoted ';' and dollar-quoted bodies stay);
    with ``with_offsets``, each with the number of lines of ``sql`` before it."""
    import sqlglot
    from sqlglot.errors import TokenError
    from sqlglot.tokens import TokenType

    try:
        tokens = sqlglot.Dialect.get_or_raise(sqlglot_name(dialect)).tokenize(sql)
    except TokenError:
        tokens = []
        spans = [(0, len(sql))]
    else:
        spans = []
        start = 0
        has_code = False
        for token in tokens:
            if token.token_type == TokenType.SEMICOLON:
                if has_code:
                    spans.append((start, token.start))
                start, has_code = token.end + 1, False
            else:
                has_code = True
        if has_code:
            spans.append((start, len(sql)))
    out = []
    for begin, end in spans:
        piece = sql[begin:end]
        text = piece.strip()
        if text:
            skipped = len(piece) - len(piece.lstrip())
            out.append((text, sql.count("\n", 0, begin + skipped)))
    return out if with_offsets else [text for text, _ in out]


def sqlglot_name(dialect: str) -> str:
    name = ALIASES.get(dialect.lower())
    if name is None:
        raise SqlbundleError(f"unknown source dialect {dialect!r}",
                             hint="known: " + ", ".join(sorted(ALIASES)))
    return name
