"""PostgreSQL enum types under ``alter_column(type_=...)``, which Alembic renders as nothing.

* Labels only added: ``ALTER TYPE ... ADD VALUE IF NOT EXISTS``, with ``BEFORE`` where the label
  is not the last. IF NOT EXISTS: the statement may run outside the step's transaction (below),
  so a re-run after a later failure must not stop on it; nor on a label raw SQL added already.
* Labels removed, renamed or reordered, which PostgreSQL cannot do in place: the documented
  swap. The old type is renamed aside, the new one created, every column of the replayed schema
  using it converted (``USING col::text::type``: rows holding a removed label make it fail, as
  they should), the old type dropped.
* A column moving to another named enum type (or from a string): ``ALTER COLUMN ... TYPE ...
  USING col::text::type``, creating the type first when the history does not have it yet.

Converting a column away from an enum type trips over what PostgreSQL stored typed with the
old type: the column's default is dropped and set again around it, and partial or expression
indexes and CHECK constraints that mention the column are dropped and made again.

``ADD VALUE`` must run outside a transaction before PostgreSQL 12 (the profile's
``alter_type_add_value_in_transaction``, which lint rule SBL012 reads too). On every version a
new label cannot be used before it is committed ("unsafe use of new value"):
``commit_new_labels`` moves an ``ADD VALUE`` that a later statement of its step uses out of the
step's transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ..schema.expressions import condition_sql
from ..schema.enumtypes import Key, added_labels, enum_key, labels, users
from ..schema.operations import (
    UNSET,
    AddConstraint,
    AlterColumn,
    CreateIndex,
    DropConstraint,
    DropIndex,
)
from ..schema.state import ColumnState, SchemaState, TableState
from . import base
from .context import RenderContext, Statement
from .tables import build_table

TEMP_PREFIX = "_sqlbundle_old_"  # the old type while the swap runs


@dataclass(frozen=True)
class EnumValueAdded(Statement):
    """``ALTER TYPE ... ADD VALUE``: ``type_sql`` is the type as written, ``label`` the new one."""

    type_sql: str = ""
    label: str = ""


def enum_label(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def create_type_sql(name: str, schema: str | None, values: tuple[str, ...],
                    ctx: RenderContext) -> str:
    return f"CREATE TYPE {ctx.table_name(name, schema)} AS ENUM " \
           f"({', '.join(enum_label(v) for v in values)})"


def create_type(name: str, schema: str | None, values: tuple[str, ...], ctx: RenderContext,
                if_missing: bool = False) -> Statement:
    statement = create_type_sql(name, schema, values, ctx)
    if not if_missing:
        return Statement(statement)
    # "Create if missing" must be decided by the database at apply time, not here.
    schema_test = (f"n.nspname = '{schema}'" if schema
                   else "n.nspname = ANY (current_schemas(false))")
    block = (
        "DO $sqlbundle$\nBEGIN\n"
        "    IF NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace\n"
        f"                   WHERE t.typname = '{name}' AND {schema_test}) THEN\n"
        f"        {statement};\n"
        "    END IF;\nEND\n$sqlbundle$"
    )
    return Statement(block, block=True)


def commit_new_labels(statements: list[Statement]) -> list[Statement]:
    """Each ``ADD VALUE`` that a later statement of the step uses (its label as a literal, or a
    cast to its type) runs outside the step's transaction, so the label is committed first."""
    if not any(isinstance(s, EnumValueAdded) for s in statements):
        return statements
    out = list(statements)
    for index, statement in enumerate(out):
        if not isinstance(statement, EnumValueAdded) or statement.autocommit:
            continue
        literal, cast = enum_label(statement.label), f"::{statement.type_sql}"
        if any(literal in later.sql or cast in later.sql for later in out[index + 1:]):
            out[index] = replace(statement, autocommit=True)
    return out


@dataclass(frozen=True)
class _Column:
    """A column to convert: its table after the operation, its name in SQL at that point (the
    operation's own column is renamed last), its states before and after."""

    table: TableState
    sql_name: str
    before: ColumnState
    after: ColumnState
    own: bool  # the altered column itself


def alter_column_enum(op: AlterColumn, before: SchemaState, after: SchemaState,
                      ctx: RenderContext) -> list[Statement] | None:
    """The statements for an ``alter_column`` whose type change involves a named enum type
    (None when it does not: the generic renderer applies)."""
    if op.type is UNSET or op.type is None:
        return None
    table = after.require_table(op.table, op.schema)
    name = op.new_name or op.column
    old = before.require_table(op.table, op.schema).column(op.column)
    new = table.column(name)
    old_key, new_key = enum_key(old.type), enum_key(new.type)
    if old_key is None and new_key is None:
        return None
    own = _Column(table, op.column, old, new, True)
    types: list[Statement] = []
    temp = None
    if new_key is not None:
        types, temp = _label_changes(new_key, old, new, before, after, ctx)
    if temp is not None:
        convert = [_user(t, c, op, before) for t, c in users(after, new_key)]
    else:
        convert = [own] if old_key != new_key else []
    checks_gone, checks_come = base.type_check_changes(op, before, after, ctx)
    undo, redo = _dependents(convert, before, ctx)
    out = checks_gone + undo + types + _converted(convert, op, after, ctx)
    if temp is not None:
        out.append(Statement(f"DROP TYPE {ctx.table_name(temp, new_key[0])}"))
    # Made again as they were, before a rename of the column (which PostgreSQL follows).
    rest = base.alter_column_statements(replace(op, type=UNSET), before, after, ctx)
    return out + redo + rest + checks_come


def _user(table: TableState, col: ColumnState, op: AlterColumn, before: SchemaState) -> _Column:
    own = table.name == op.table and table.schema == op.schema and \
        col.name == (op.new_name or op.column)
    sql_name = op.column if own else col.name
    old = before.require_table(table.name, table.schema).column(sql_name)
    return _Column(table, sql_name, old if old is not None else col, col, own)


def _label_changes(key: Key, old: ColumnState, new: ColumnState, before: SchemaState,
                   after: SchemaState, ctx: RenderContext) -> tuple[list[Statement], str | None]:
    """Statements that give type ``key`` its new labels, and the old type's temporary name
    when that takes a swap (its users must then be converted and it dropped)."""
    was = before.enums.get(key) or (labels(old.type) if enum_key(old.type) == key else None)
    now = after.enums.get(key) or labels(new.type)
    type_sql = ctx.table_name(key[1], key[0])
    if was is None:
        if key in after.enums:  # the history creates it here, implicitly; raw SQL run
            # before may have created it already (the state cannot tell)
            return [create_type(key[1], key[0], now, ctx, if_missing=before.opaque)], None
        return [], None  # create_type=False: the author's type
    if was == now:
        return [], None
    added = added_labels(was, now)
    if added is not None:
        outside = not ctx.profile.supports("alter_type_add_value_in_transaction")
        return [EnumValueAdded(
            f"ALTER TYPE {type_sql} ADD VALUE IF NOT EXISTS {enum_label(label)}"
            + (f" BEFORE {enum_label(anchor)}" if anchor is not None else ""),
            autocommit=outside, type_sql=type_sql, label=label) for label, anchor in added], None
    temp = (TEMP_PREFIX + key[1])[:ctx.profile.identifier_limit or None]
    return [Statement(f"ALTER TYPE {type_sql} RENAME TO {ctx.quote(temp)}"),
            Statement(create_type_sql(key[1], key[0], now, ctx))], temp


def _converted(columns: list[_Column], op: AlterColumn, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    """ALTER COLUMN ... TYPE for each column, its default dropped before and set again after
    (PostgreSQL cannot cast a default between two enum types)."""
    out: list[Statement] = []
    built: dict[Any, Any] = {}
    for col in columns:
        target = ctx.table_name(col.table.name, col.table.schema)
        column = ctx.quote(col.sql_name)
        if col.before.server_default is not None:
            out.append(Statement(f"ALTER TABLE {target} ALTER COLUMN {column} DROP DEFAULT"))
        type_sql = base.type_sql(col.after.type, ctx)
        using = op.using if col.own and op.using else (
            f"{column}::text::{type_sql}" if enum_key(col.after.type) else None)
        out.append(Statement(f"ALTER TABLE {target} ALTER COLUMN {column} TYPE {type_sql}"
                             + (f" USING {using}" if using else "")))
        # The altered column's own new default, if any, is the generic renderer's to set.
        if col.after.server_default is not None and not (col.own and op.server_default
                                                         is not UNSET):
            if col.table.key not in built:
                built[col.table.key] = build_table(col.table, with_indexes=False,
                                                   with_foreign_keys=False)
            default = base.default_sql(built[col.table.key], col.after.name, ctx)
            out.append(Statement(f"ALTER TABLE {target} ALTER COLUMN {column} SET DEFAULT "
                                 f"{default}"))
    return out


def _mentions(text: str, names: set[str]) -> bool:
    return any(re.search(rf"(?<![\w$]){re.escape(n)}(?![\w$])", text) for n in names)


def _dependents(columns: list[_Column], before: SchemaState, ctx: RenderContext
                ) -> tuple[list[Statement], list[Statement]]:
    """(drop, make again): partial and expression indexes and CHECK constraints that mention a
    column leaving an enum type. PostgreSQL keeps their constants typed with the old type, so
    converting the column fails on them ("operator does not exist")."""
    names: dict[tuple[str | None, str], set[str]] = {}
    kept: dict[tuple[str | None, str], tuple[Any, ...]] = {}  # checks the change keeps
    for col in columns:
        if enum_key(col.before.type) is not None:
            names.setdefault(col.table.key, set()).add(col.sql_name)
            kept[col.table.key] = col.table.checks
    undo: list[Statement] = []
    redo: list[Statement] = []
    for key in sorted(names, key=lambda k: (k[0] or "", k[1])):
        old = before.tables[key]
        for index in old.indexes:
            kwargs = dict(index.kwargs)
            parts = [str(e) for e in index.expressions if not isinstance(e, str)]
            parts += [str(v) for k, v in kwargs.items() if k.endswith("_where") and v is not None]
            if not parts or not _mentions(" ".join(parts), names[key]):
                continue
            undo += base.render_operation(DropIndex(index.name, old.name, old.schema), before,
                                          before, ctx)
            redo += base.render_operation(CreateIndex(old.name, index, old.schema), before,
                                          before, ctx)
        for check in old.checks:
            if check not in kept[key] or not _mentions(condition_sql(check.sqltext), names[key]):
                continue
            if check.name is None:
                raise ctx.unsupported(
                    f"CHECK constraint ({condition_sql(check.sqltext)}) on {old.display} mentions "
                    "a column whose enum type changes, and has no name, so it cannot be dropped "
                    "and made again around the change", hint="name the constraint")
            undo += base.render_operation(DropConstraint(old.name, check.name, old.schema),
                                          before, before, ctx)
            redo += base.render_operation(AddConstraint(old.name, check, old.schema), before,
                                          before, ctx)
    return undo, redo
