"""Raw SQL written once, for every target: sqlglot transpiles it, and refuses what it cannot say.

Transpilation runs with sqlglot's unsupported level set to raise. sqlglot also passes some
constructs through unchanged that the target does not have (``SERIAL`` on SQLite, ``BOOLEAN``
on Oracle before 23) or rewrites them into something the target rejects (NULL ordering inside
an index turned into a ``CASE`` expression); those are checked here and refused too, with a
hint to write a dialect-specific section. Never a silent change.
"""

from __future__ import annotations

from typing import Any

from ..profile import Profile, known_dialects
from ..errors import SqlbundleError
from ..schema.sqltext import (  # noqa: F401 - the renderers' names for them
    ALIASES,
    quiet_sqlglot,
    split_statements,
    sqlglot_name,
)

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


def _keep_declared_types(tree: Any, read: str, names: frozenset[str]) -> None:
    """Column definitions keep the type ``names`` as written (casts keep sqlglot's)."""
    from sqlglot import exp

    for column in tree.find_all(exp.ColumnDef):
        dtype = column.args.get("kind")
        if isinstance(dtype, exp.DataType) and dtype.this.name in names:
            column.set("kind", exp.DataType(this=exp.DataType.Type.USERDEFINED,
                                            kind=dtype.sql(read)))


class TranspileError(SqlbundleError):
    """sqlglot cannot express this SQL in the target dialect."""


def same_database(source: str, profile: Profile) -> bool:
    """Raw SQL written for ``source`` is the target's own text: kept exactly as written.
    MySQL and MariaDB share sqlglot's dialect but not every statement."""
    # A source named after a profile denotes that database, even where sqlglot's dialect
    # covers two of them.
    own = source.lower() if source.lower() in known_dialects() else profile.name
    return sqlglot_name(source) == profile.sqlglot_dialect and own == profile.name


def hint_for(profile: Profile) -> str:
    """The way out when a statement cannot be written for ``profile``."""
    return (f"write this statement for {profile.name} in a '-- sqlbundle:upgrade "
            f"dialect={profile.name}' section (or downgrade), or in op.execute() under a "
            "dialect check")


def failure(message: str, read: str, profile: Profile, path: str | None, line: int | None
            ) -> TranspileError:
    return TranspileError(f"{message} (from {read} to {profile.target})", path=path,
                          line=line, hint=hint_for(profile))


def shown(text: str) -> str:
    """A statement as the author wrote it, on one line, for messages."""
    return repr(" ".join(text.split())[:80])


def transpile(sql: str, source: str, profile: Profile, *, path: str | None = None,
              line: int | None = None) -> list[str]:
    """``sql`` (one or more statements in ``source``) as statements for ``profile``, each
    translated by sqlglot alone."""
    from ..schema.rawddl import raw_statements

    read = sqlglot_name(source)
    out: list[str] = []
    for statement in raw_statements(sql, read):
        if statement.tree is None:
            raise failure(f"{shown(statement.text)} does not parse as {read}: "
                          f"{statement.error}", read, profile, path, line)
        out.append(transpile_tree(statement.tree, statement.text, read, profile, path=path,
                                  line=line))
    return out


def transpile_tree(tree: Any, text: str, read: str, profile: Profile, *,
                   path: str | None = None, line: int | None = None) -> str:
    """One parsed statement (``text`` as written in ``read``) for ``profile``; refused where
    sqlglot cannot say it or says something the target does not have."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, ParseError, TokenError, UnsupportedError

    quiet_sqlglot()
    write = profile.sqlglot_dialect
    first = shown(text)

    def fail(message: str) -> TranspileError:
        return failure(message, read, profile, path, line)

    if isinstance(tree, exp.Command):
        raise fail(f"sqlglot can only keep {first} as opaque text, so it cannot be translated")
    if read == write:
        return tree.sql(write)
    tree = tree.copy()  # parsed trees are shared (rawddl's cache)
    is_index = isinstance(tree, exp.Create) and (tree.args.get("kind") or "").upper() == "INDEX"
    if is_index and "NULLS" not in tree.sql(read).upper():
        _target_null_order(tree, write)
    if profile.declared_types:
        _keep_declared_types(tree, read, profile.declared_types)
    try:
        out = tree.sql(write, unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as exc:
        raise fail(f"{first}: {exc}") from None
    # Types sqlglot leaves as written although the target has no such type (missing_types),
    # or has a different type of that name (other_types).
    missing = profile.missing_types | {type_name for type_name, feature in profile.type_features.items()
                         if not profile.supports(feature)}
    try:
        rewritten = sqlglot.parse_one(out, read=write)
    except (ParseError, TokenError) as exc:
        raise fail(f"{first}: sqlglot writes it as {out[:80]!r}, which is not {write} "
                   f"({str(exc).splitlines()[0][:120]})") from None
    for dtype in rewritten.find_all(exp.DataType):
        # Types sqlglot does not know come back as user-defined, named by "kind".
        name = str(dtype.args.get("kind") or getattr(dtype.this, "name", dtype.this))
        if name.upper() in missing:
            raise fail(f"{first} becomes type {name.upper()}, which {profile.title} does not "
                       "have")
        other = profile.other_types.get(name.upper())
        if other is not None and read != write:
            raise fail(f"{first} becomes type {name.upper()}, which on {profile.title} is "
                       f"{other}")
    if is_index and any(True for _ in rewritten.find_all(exp.Case)) and \
            not any(True for _ in tree.find_all(exp.Case)):
        raise fail(f"{first}: sqlglot would turn NULL ordering into an expression index")
    return out
