"""Raw SQL written once, for every target: sqlglot transpiles it, and refuses what it cannot say.

Transpilation runs with sqlglot's unsupported level set to raise. sqlglot also passes some
constructs through unchanged that the target does not have (``SERIAL`` on SQLite, ``BOOLEAN``
on Oracle before 23) or rewrites them into something the target rejects (NULL ordering inside
an index turned into a ``CASE`` expression); those are checked here and refused too, with a
hint to write a dialect-specific section. Never a silent change.
"""

from __future__ import annotations

import logging

from .dialects import Profile
from .errors import SqlbundleError

# Names people write for a source dialect -> sqlglot's dialect names.
ALIASES = {
    "postgresql": "postgres", "postgres": "postgres", "pg": "postgres",
    "mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite", "mssql": "tsql", "tsql": "tsql",
    "sqlserver": "tsql", "oracle": "oracle", "duckdb": "duckdb", "snowflake": "snowflake",
}

# Column types sqlglot leaves as written although the target has no such type.
_MISSING_TYPES = {
    "sqlite": {"SERIAL", "BIGSERIAL", "SMALLSERIAL"},
    "tsql": {"SERIAL", "BIGSERIAL", "SMALLSERIAL", "BOOLEAN"},
    "oracle": {"SERIAL", "BIGSERIAL", "SMALLSERIAL"},
    "duckdb": {"SERIAL", "BIGSERIAL", "SMALLSERIAL"},
    "snowflake": {"SERIAL", "BIGSERIAL", "SMALLSERIAL"},
}


def _target_null_order(index: object, write: str) -> None:
    """Index columns written without NULLS FIRST/LAST take the target's own default, so
    sqlglot does not emulate the source's NULL ordering (which means nothing for an index)."""
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect

    ordering = Dialect.get_or_raise(write).NULL_ORDERING
    for ordered in index.find_all(exp.Ordered):
        desc = bool(ordered.args.get("desc"))
        if ordering == "nulls_are_small":
            first = not desc
        elif ordering == "nulls_are_large":
            first = desc
        else:  # nulls_are_last
            first = False
        ordered.set("nulls_first", first)


class TranspileError(SqlbundleError):
    """sqlglot cannot express this SQL in the target dialect."""


def split_statements(sql: str, dialect: str) -> list[str]:
    """The statements of ``sql`` exactly as written (no sqlglot rewrite), split at top-level
    semicolons found by sqlglot's tokenizer (so quoted ';' and dollar-quoted bodies stay)."""
    import sqlglot
    from sqlglot.errors import TokenError
    from sqlglot.tokens import TokenType

    try:
        tokens = sqlglot.Dialect.get_or_raise(sqlglot_name(dialect)).tokenize(sql)
    except TokenError:
        return [sql.strip()]
    pieces: list[str] = []
    start = 0
    has_code = False
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if has_code:
                pieces.append(sql[start:token.start].strip())
            start, has_code = token.end + 1, False
        else:
            has_code = True
    if has_code:
        pieces.append(sql[start:].strip())
    return [p for p in pieces if p]


def sqlglot_name(dialect: str) -> str:
    name = ALIASES.get(dialect.lower())
    if name is None:
        raise SqlbundleError(f"unknown source dialect {dialect!r}",
                             hint="known: " + ", ".join(sorted(ALIASES)))
    return name


def transpile(sql: str, source: str, profile: Profile, *, path: str | None = None,
              line: int | None = None) -> list[str]:
    """``sql`` (one or more statements in ``source``) as statements for ``profile``."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, ParseError, TokenError, UnsupportedError

    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    read = sqlglot_name(source)
    write = profile.sqlglot_dialect
    hint = (f"write this statement for {profile.name} in a '-- sqlbundle:upgrade "
            f"dialect={profile.name}' section (or downgrade), or in "
            "op.execute() under a dialect check")

    def fail(message: str) -> TranspileError:
        return TranspileError(f"{message} (from {read} to {profile.target})", path=path,
                              line=line, hint=hint)

    out: list[str] = []
    for piece in split_statements(sql, read):
        first = " ".join(piece.split())[:80]  # as the author wrote it
        try:
            tree = sqlglot.parse_one(piece, read=read)
        except (ParseError, TokenError) as exc:
            raise fail(f"{first!r} does not parse as {read}: "
                       f"{str(exc).splitlines()[0][:200]}") from None
        if tree is None or isinstance(tree, exp.Semicolon):
            continue  # only comments
        if isinstance(tree, exp.Command):
            raise fail(f"sqlglot can only keep {first!r} as opaque text, so it cannot be "
                       "translated")
        if read == write:
            out.append(tree.sql(write))
            continue
        if isinstance(tree, exp.Create) and (tree.args.get("kind") or "").upper() == "INDEX" \
                and "NULLS" not in tree.sql(read).upper():
            _target_null_order(tree, write)
        try:
            text = tree.sql(write, unsupported_level=ErrorLevel.RAISE)
        except UnsupportedError as exc:
            raise fail(f"{first!r}: {exc}") from None
        missing = _MISSING_TYPES.get(write, set())
        if profile.name == "oracle" and not profile.supports("boolean"):
            missing = missing | {"BOOLEAN"}
        rewritten = sqlglot.parse_one(text, read=write)
        for dtype in rewritten.find_all(exp.DataType):
            # Types sqlglot does not know come back as user-defined, named by "kind".
            name = str(dtype.args.get("kind") or getattr(dtype.this, "name", dtype.this))
            if name.upper() in missing:
                raise fail(f"{first!r} becomes type {name.upper()}, which "
                           f"{profile.title} does not have")
        if isinstance(tree, exp.Create) and (tree.args.get("kind") or "").upper() == "INDEX":
            if any(True for _ in rewritten.find_all(exp.Case)) and \
                    not any(True for _ in tree.find_all(exp.Case)):
                raise fail(f"{first!r}: sqlglot would turn NULL ordering into an expression "
                           "index")
        out.append(text)
    return out
