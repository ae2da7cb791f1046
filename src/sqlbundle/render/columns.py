"""The generic renderers of columns: add, drop, alter, and the SQL of a column's type,
default and comment.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ddl

from ..schema.operations import (
    UNSET,
    AddColumn,
    AddConstraint,
    AlterColumn,
    CreateIndex,
    DropColumn,
    DropConstraint,
)
from ..schema.state import SchemaState
from .compiler import UNBOUND_HINT, UnboundParameter, ddl_compiler
from .context import RenderContext, Statement
from .constraints import add_constraint, create_index
from .ddl import check_name_length, column_spec, compile_ddl, sql
from .registry import register, render_operation
from .tables import build_table


def add_column_sql(op: AddColumn, after: SchemaState, ctx: RenderContext, keyword: str) -> str:
    exists = " IF NOT EXISTS" if op.if_not_exists else ""
    return (f"ALTER TABLE {ctx.table_name(op.table, op.schema)} {keyword}{exists} "
            f"{added_column_spec(op, ctx)}{position_clause(op, after, ctx)}")


def column_predecessor(op: AddColumn, after: SchemaState) -> str | None:
    """For a column a batch placed (``insert_before``/``insert_after``) anywhere but last: the
    column it follows, "" when it comes first; None when ADD COLUMN's "last" is right."""
    if op.position is None:
        return None
    names = [c.name for c in after.require_table(op.table, op.schema).columns]
    at = names.index(op.column.name)
    return None if at == len(names) - 1 else (names[at - 1] if at else "")


def position_clause(op: AddColumn, after: SchemaState, ctx: RenderContext) -> str:
    """MySQL's ``FIRST`` / ``AFTER x``; elsewhere ADD COLUMN can only append, and a copy of
    the table (what Alembic's recreate does) would restart an auto-increment's sequence and
    rename its constraints, so a placed column is an error there."""
    previous = column_predecessor(op, after)
    if previous is None:
        return ""
    if not ctx.profile.supports("add_column_position"):
        raise ctx.unsupported(
            f"{ctx.profile.title} cannot place column {op.column.name} "
            f"({'first' if not previous else 'after ' + previous}): ADD COLUMN appends, and "
            "copying the table to reorder it would lose its sequences and constraint names",
            hint="drop insert_before/insert_after for this target (the column goes last)")
    return " FIRST" if not previous else f" AFTER {ctx.quote(previous)}"


# What follows the name in the specification of a plain column (a SQLAlchemy type, no default,
# identity or sequence), per target: it depends only on the type's class and arguments and a
# few flags, so a history adding thousands of such columns compiles each kind once.
_SPEC_TAILS: dict[tuple[Any, ...], str] = {}


def _plain_column_key(col: Any, ctx: RenderContext) -> tuple[Any, ...] | None:
    type_ = col.type
    if (col.server_default is not None or col.identity is not None or col.computed is not None
            or col.sequence is not None
            or not type(type_).__module__.startswith("sqlalchemy.")
            or isinstance(type_, (sa.types.SchemaType, sa.types.TypeDecorator,
                                  sa.types.UserDefinedType))):
        return None
    return (ctx.profile.target, type(type_), repr(type_), col.nullable, col.autoincrement,
            col.comment)


def inline_checks(op: AddColumn) -> list[Any]:
    """The CHECKs declared on the added column itself: written in its ADD COLUMN, as Alembic
    does (MariaDB names an unnamed one after the column)."""
    return [c for c in op.checks if c.inline and c.column == op.column.name]


def added_column_spec(op: AddColumn, ctx: RenderContext) -> str:
    from .tables import build_column

    checks = inline_checks(op)
    key = _plain_column_key(op.column, ctx) if not checks else None
    name = ctx.quote(op.column.name)
    if key is not None and key in _SPEC_TAILS:
        return name + _SPEC_TAILS[key]
    # A table holding just the new column is enough to compile its specification.
    column = build_column(op.column, checks=checks)
    table = sa.Table(op.table, sa.MetaData(), column, schema=op.schema)
    spec = column_spec(table, op.column.name, ctx)
    if checks:
        compiler = ctx.dialect.ddl_compiler(ctx.dialect, None)
        spec += " " + " ".join(compiler.process(c) for c in column.constraints
                               if isinstance(c, sa.CheckConstraint))
    if key is not None and spec.startswith(name):
        _SPEC_TAILS[key] = spec[len(name):]
    return spec


def added_column_comment(op: AddColumn, ctx: RenderContext) -> list[Statement]:
    """The comment of an added column, where ADD COLUMN cannot carry it (as for CREATE TABLE)."""
    if not op.column.comment:
        return []
    if not ctx.dialect.supports_comments:
        ctx.warn("SB201", f"comment on {op.table}.{op.column.name} is not stored: "
                          f"{ctx.profile.title} has no comments")
        return []
    if ctx.dialect.inline_comments:
        return []
    from .tables import build_column

    table = sa.Table(op.table, sa.MetaData(), build_column(op.column), schema=op.schema)
    return [sql(compile_ddl(ddl.SetColumnComment(table.c[op.column.name]), ctx))]


def column_extras(op: AddColumn, after: SchemaState, ctx: RenderContext) -> list[Statement]:
    """The comment, constraints and indexes declared on an added column, as their own
    statements."""
    out: list[Statement] = added_column_comment(op, ctx)
    inline = inline_checks(op)
    # By identity: conditions are SQLAlchemy constructs, whose == builds SQL.
    items: list[Any] = list(op.foreign_keys) + [c for c in op.checks
                                                if not any(c is i for i in inline)]
    if op.unique is not None:
        items.append(op.unique)
    for item in items:
        out.extend(add_constraint(AddConstraint(op.table, item, op.schema), after, after, ctx))
    if op.index is not None:
        out.extend(create_index(CreateIndex(op.table, op.index, op.schema), after, after, ctx))
    return out


@register(AddColumn)
def add_column(op: AddColumn, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    check_name_length(op.column.name, ctx, "column")
    if op.if_not_exists and not ctx.profile.supports("add_column_if_not_exists"):
        raise ctx.unsupported("add_column(if_not_exists=True) cannot be expressed",
                              hint="drop if_not_exists, or guard the migration yourself")
    if op.primary_key:
        raise ctx.unsupported("adding a primary-key column to an existing table",
                              hint="add the column, then op.create_primary_key()")
    return [sql(add_column_sql(op, after, ctx, "ADD COLUMN"))] + column_extras(op, after, ctx)


def drop_column_exists(op: DropColumn, ctx: RenderContext) -> str:
    if op.if_exists and not ctx.profile.supports("drop_column_if_exists"):
        raise ctx.unsupported("drop_column(if_exists=True): the target has no "
                              "DROP COLUMN IF EXISTS", hint="drop if_exists")
    return " IF EXISTS" if op.if_exists else ""


@register(DropColumn)
def drop_column(op: DropColumn, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    exists = drop_column_exists(op, ctx)
    return [sql(f"ALTER TABLE {ctx.table_name(op.table, op.schema)} DROP COLUMN{exists} "
                f"{ctx.quote(op.column)}")]


def resolved_type(op: AlterColumn, before: SchemaState, after: SchemaState) -> Any:
    table = after.table(op.table, op.schema)
    name = op.new_name or op.column
    col = table.column(name) if table else None
    return col.type if col is not None else (op.type or op.existing_type)


def type_check_changes(op: AlterColumn, before: SchemaState, after: SchemaState,
                       ctx: RenderContext) -> tuple[list[Statement], list[Statement]]:
    """(to run first, to run last): the CHECK constraints that go and come with the column's
    type (a non-native Enum's or a Boolean's), as Alembic drops ``existing_type``'s and adds
    ``type_``'s. Dialects that rebuild the table get them from the state instead."""
    if op.type is UNSET:
        return [], []
    from ..schema.enumtypes import type_checks

    table = before.require_table(op.table, op.schema)
    column = table.column(op.column)
    # Only the types' own CHECKs: a rename in the same call rewrites others, which stay.
    old = [c for c in type_checks(table.name, column.name, column.type, table.schema)
           if c in table.checks]
    new = list(op.type_checks)
    if old == new:
        return [], []
    drops: list[Statement] = []
    for check in old:
        if check in new:
            continue
        if check.name is None:
            raise ctx.unsupported(
                f"the CHECK constraint that the old type of {op.table}.{op.column} added has "
                "no name, so it cannot be dropped", hint="name the type (sa.Enum(..., name=...)"
                "), or drop the constraint by its database name with op.drop_constraint first")
        drops += render_operation(DropConstraint(op.table, check.name, op.schema), before,
                                  before, ctx)
    adds: list[Statement] = []
    for check in new:
        if check not in old:
            adds += render_operation(AddConstraint(op.table, check, op.schema), after, after, ctx)
    return drops, adds


@register(AlterColumn)
def alter_column(op: AlterColumn, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    drops, adds = type_check_changes(op, before, after, ctx)
    return drops + alter_column_statements(op, before, after, ctx) + adds


def alter_column_statements(op: AlterColumn, before: SchemaState, after: SchemaState,
                            ctx: RenderContext) -> list[Statement]:
    """PostgreSQL-style ALTER COLUMN; dialects that differ register their own."""
    old = before.require_table(op.table, op.schema).column(op.column)
    table = build_table(after.require_table(op.table, op.schema), with_indexes=False,
                        with_foreign_keys=False)
    name = op.new_name or op.column
    target = ctx.table_name(op.table, op.schema)
    column = ctx.quote(op.column)
    new = after.require_table(op.table, op.schema).column(name)
    out: list[Statement] = []
    if op.type is not UNSET and op.type is not None and _type_sql(old.type, ctx) != \
            _type_sql(new.type, ctx):
        using = f" USING {op.using}" if op.using else ""
        out.append(sql(f"ALTER TABLE {target} ALTER COLUMN {column} TYPE "
                       f"{_type_sql(new.type, ctx)}{using}"))
    if op.nullable is not UNSET and old.nullable != new.nullable:
        verb = "DROP NOT NULL" if new.nullable else "SET NOT NULL"
        out.append(sql(f"ALTER TABLE {target} ALTER COLUMN {column} {verb}"))
    if op.server_default is not UNSET:
        if new.server_default is None:
            out.append(sql(f"ALTER TABLE {target} ALTER COLUMN {column} DROP DEFAULT"))
        else:
            out.append(sql(f"ALTER TABLE {target} ALTER COLUMN {column} SET DEFAULT "
                           f"{default_sql(table, name, ctx)}"))
    if op.new_name and op.new_name != op.column:
        check_name_length(op.new_name, ctx, "column")
        out.append(sql(f"ALTER TABLE {target} RENAME COLUMN {column} TO "
                       f"{ctx.quote(op.new_name)}"))
    if op.comment is not UNSET:  # after the rename: it names the column by its new name
        out.extend(column_comment(table, name, ctx))
    return out


def check_restated_key(op: AlterColumn, before: SchemaState, ctx: RenderContext) -> None:
    """A primary-key column restated as NULL because the call did not say existing_nullable=
    (as Alembic does): MariaDB keeps it NOT NULL, MySQL and SQL Server refuse the statement."""
    if "nullable" not in op.implied or not op.nullable or \
            ctx.profile.supports("null_primary_key_stays_not_null"):
        return
    pk = before.require_table(op.table, op.schema).primary_key
    if pk is not None and op.column in pk.columns:
        raise ctx.unsupported(
            f"alter_column on primary-key column {op.table}.{op.column} states no "
            f"existing_nullable=, so Alembic restates the column as NULL, which "
            f"{ctx.profile.title} refuses for a primary key",
            hint="pass existing_nullable=False")


def _type_sql(type_: Any, ctx: RenderContext) -> str:
    from .tables import plain_type

    try:
        return ctx.dialect.type_compiler_instance.process(plain_type(type_))
    except sa.exc.CompileError as exc:
        raise ctx.unsupported(f"type {type_!r} cannot be rendered: {exc}") from None


def type_sql(type_: Any, ctx: RenderContext) -> str:
    return _type_sql(type_, ctx)


def default_sql(table: sa.Table, name: str, ctx: RenderContext) -> str:
    try:
        text = ddl_compiler(ctx.dialect).get_column_default_string(table.c[name])
    except UnboundParameter as exc:
        raise ctx.unsupported(f"cannot render the default of {table.name}.{name}: {exc}",
                              hint=UNBOUND_HINT) from None
    if text is None:
        raise ctx.unsupported(f"default of {table.name}.{name} cannot be rendered")
    return text


def column_comment(table: sa.Table, name: str, ctx: RenderContext) -> list[Statement]:
    if not ctx.dialect.supports_comments:
        ctx.warn("SB201", f"comment on {table.name}.{name} is not stored: {ctx.profile.title} "
                          "has no comments")
        return []
    column = table.c[name]
    element = ddl.SetColumnComment(column) if column.comment else ddl.DropColumnComment(column)
    return [sql(compile_ddl(element, ctx))]
