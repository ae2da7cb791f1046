"""The safe forms (the ``safe`` setting, ``--safe``): statements on a table that existed before
the step rewritten so that no lock that blocks writes is held while a whole table is read.

- ``CREATE [UNIQUE] INDEX`` and ``DROP INDEX`` become ``CONCURRENTLY``, outside the step's
  transaction; a named ``UNIQUE`` or ``PRIMARY KEY`` constraint is built as a unique index
  concurrently, then attached (``ADD CONSTRAINT ... USING INDEX``);
- a named foreign key or check is added ``NOT VALID`` (a brief lock, no scan) and validated
  in a segment of its own (``VALIDATE CONSTRAINT`` holds SHARE UPDATE EXCLUSIVE only);
- ``SET NOT NULL`` goes through a ``CHECK (column IS NOT NULL) NOT VALID``, validated on its
  own, after which the target sets NOT NULL without a scan, and the check is dropped.

Which of these a target can do is data in its profile (features ``concurrent_indexes``,
``not_valid_constraints``, ``not_null_from_check``); elsewhere statements pass unchanged. The
end state is the plain rendering's (tests prove it on PostgreSQL).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..profile import Profile
from ..schema.lineage import Key, Lineage
from ..schema.operations import Operation
from ..schema.state import SchemaState
from .context import Statement
from .sqlkinds import ALTER_TABLE, NAME, classify

_INDEX = re.compile(r"(\s*(?:CREATE\s+(?:UNIQUE\s+)?|DROP\s+)INDEX)\b(?!\s+CONCURRENTLY)", re.I)
_CONSTRAINT = re.compile(rf"\s*ADD\s+CONSTRAINT\s+({NAME})\s", re.I)
# A named key on plain columns, nothing after them (no INCLUDE, no deferral, no options).
_KEY = re.compile(rf"\s*ADD\s+CONSTRAINT\s+({NAME})\s+(UNIQUE|PRIMARY\s+KEY)\s*"
                  rf"\(((?:\s*{NAME}\s*,)*\s*{NAME}\s*)\)\s*$", re.I)
_SET_NOT_NULL = re.compile(rf"\s*ALTER\s+(?:COLUMN\s+)?({NAME})\s+SET\s+NOT\s+NULL\s*$", re.I)
NOT_NULL_SUFFIX = "_not_null"  # the temporary check's name: <table>_<column>_not_null


class SafeForms:
    """The safe forms of one step's statements, operation by operation (what existed before
    the step is followed through it)."""

    def __init__(self, start: SchemaState, profile: Profile) -> None:
        self.lineage = Lineage(start)
        self.profile = profile

    def __call__(self, op: Operation, before: SchemaState, after: SchemaState,
                 rendered: tuple[Statement, ...], quote: object) -> tuple[Statement, ...]:
        out = tuple(safe_forms(rendered, self.lineage, self.profile, quote,
                               op_table_key(op, before)))
        self.lineage.follow(op, before, after)
        return out


def safe_forms(statements: tuple[Statement, ...], lineage: Lineage, profile: Profile,
               quote: object, table: Key | None = None) -> list[Statement]:
    """``statements`` (one operation's, in order) in their safe forms where they change a
    table that existed before the step. ``quote`` quotes a new identifier for the target;
    ``table``: the operation's table, for statements that do not name it (DROP INDEX)."""
    out: list[Statement] = []
    for statement in statements:
        out.extend(_safe(statement, lineage, profile, quote, table))
    return out


def _safe(statement: Statement, lineage: Lineage, profile: Profile, quote: object,
          table_key: Key | None) -> list[Statement]:
    if statement.autocommit or statement.block:
        return [statement]
    parts, key = classify(statement.sql)
    key = key or table_key
    if parts and parts[0][0] == "create_table" and key is not None:
        lineage.created(key)  # its own indexes follow: a new table needs no safe form
    if len(parts) != 1 or key is None or lineage.origin_table(key) is None:
        return [statement]  # several changes at once, or a table the step creates
    kind, clause = parts[0]
    sql = statement.sql
    if kind in ("create_index", "drop_index") and profile.supports("concurrent_indexes") \
            and _INDEX.match(sql) and not re.search(r"\bCASCADE\s*$", sql, re.I):
        return [replace(statement, sql=_INDEX.sub(r"\1 CONCURRENTLY", sql, count=1),
                        autocommit=True)]
    if not profile.supports("not_valid_constraints"):
        return [statement]
    table = ALTER_TABLE.match(sql)
    if table is None:  # not an ALTER TABLE: nothing below applies
        return [statement]
    named = _CONSTRAINT.match(clause)
    if kind in ("add_foreign_key", "add_check") and named:
        return [replace(statement, sql=f"{sql.rstrip()} NOT VALID"),
                Statement(f"ALTER TABLE {table.group(1)} VALIDATE CONSTRAINT {named.group(1)}",
                          autocommit=True)]
    keyed = _KEY.match(clause)
    if kind in ("add_unique", "add_primary_key") and keyed and \
            profile.supports("concurrent_indexes"):
        name, columns = keyed.group(1), keyed.group(3)
        what = "PRIMARY KEY" if kind == "add_primary_key" else "UNIQUE"
        return [Statement(f"CREATE UNIQUE INDEX CONCURRENTLY {name} ON {table.group(1)} "
                          f"({columns})", autocommit=True),
                replace(statement, sql=f"ALTER TABLE {table.group(1)} ADD CONSTRAINT {name} "
                                       f"{what} USING INDEX {name}")]
    column = _SET_NOT_NULL.match(clause)
    if kind == "set_not_null" and column and profile.supports("not_null_from_check"):
        name = _check_name(key[1], column.group(1).strip('"'), profile)
        check = quote(name)  # type: ignore[operator]
        alter = f"ALTER TABLE {table.group(1)}"
        return [Statement(f"{alter} ADD CONSTRAINT {check} CHECK ({column.group(1)} IS NOT "
                          "NULL) NOT VALID"),
                Statement(f"{alter} VALIDATE CONSTRAINT {check}", autocommit=True),
                statement,
                Statement(f"{alter} DROP CONSTRAINT {check}")]
    return [statement]


def _check_name(table: str, column: str, profile: Profile) -> str:
    name = f"{table}_{column}{NOT_NULL_SUFFIX}"
    limit = profile.identifier_limit
    if limit and len(name) > limit:
        name = name[: limit - len(NOT_NULL_SUFFIX)] + NOT_NULL_SUFFIX
    return name


def op_table_key(op: Operation, before: SchemaState) -> Key | None:
    """The table an operation changes (for statements that do not name it)."""
    owner = getattr(op, "owner", None)  # DROP INDEX names no table on PostgreSQL
    if callable(owner):
        table = owner(before)
        if table is not None:
            return table.key
    table = getattr(op, "table", None)
    if isinstance(table, str):
        return (getattr(op, "schema", None), table)
    return None
