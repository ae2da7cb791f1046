"""The generic renderers of indexes and constraints.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ddl

from ..schema.expressions import is_expression
from ..schema.operations import AddConstraint, CreateIndex, DropConstraint, DropIndex
from ..schema.state import CheckState, ExcludeState, ForeignKeyState, PrimaryKeyState, SchemaState
from ..schema.state import UniqueState
from .context import RenderContext, Statement, Unsupported
from .tables import build_index, constraint, detached_index, index_columns, stub_table
from .registry import register
from .ddl import check_name_length, compile_ddl, fk_for_dialect, sql


def check_index(index: Any, ctx: RenderContext) -> None:
    check_name_length(index.name, ctx, "index")
    if not ctx.profile.supports("expression_indexes") and \
            any(is_expression(e) for e in index.expressions):
        raise ctx.unsupported(
            f"index {index.name} is on an expression, which {ctx.profile.title} "
            f"{ctx.profile.version} cannot index",
            hint="index a computed column holding the expression instead (or leave the index "
                 "out for this dialect: branch on op.get_context().dialect.name)")


def index_to_create(op: CreateIndex, before: SchemaState, after: SchemaState,
                    ctx: RenderContext) -> Any:
    """The SQLAlchemy index to compile, on a stub of its table in the replayed state."""
    check_index(op.index, ctx)
    state = before.table(op.table, op.schema) or after.table(op.table, op.schema)
    table = stub_table(sa.MetaData(), op.table, op.schema, state, index_columns(op.index))
    return build_index(table, op.index)


def lacks_create_index_if_not_exists(op: CreateIndex, ctx: RenderContext) -> bool:
    return op.if_not_exists and not ctx.profile.supports("create_index_if_not_exists")


@register(CreateIndex)
def create_index(op: CreateIndex, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    index = index_to_create(op, before, after, ctx)
    if lacks_create_index_if_not_exists(op, ctx):
        raise ctx.unsupported("create_index(if_not_exists=True): the target has no "
                              "CREATE INDEX IF NOT EXISTS", hint="drop if_not_exists")
    text = compile_ddl(ddl.CreateIndex(index, if_not_exists=op.if_not_exists), ctx)
    return [sql(text, autocommit=op.concurrently and ctx.profile.concurrently_outside_transaction)]


def drop_index_parts(op: DropIndex, before: SchemaState) -> tuple[str, Any]:
    """The index's table name (from the replayed state where the operation names none) and a
    detached SQLAlchemy index to compile."""
    owner = op.owner(before)
    table_name = owner.name if owner is not None else op.table
    return table_name, detached_index(op.name, table_name, op.schema, dict(op.kwargs))


def lacks_drop_index_if_exists(op: DropIndex, ctx: RenderContext) -> bool:
    return op.if_exists and not ctx.profile.supports("drop_index_if_exists")


@register(DropIndex)
def drop_index(op: DropIndex, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    table_name, index = drop_index_parts(op, before)
    if lacks_drop_index_if_exists(op, ctx):
        raise ctx.unsupported("drop_index(if_exists=True): the target has no "
                              "DROP INDEX IF EXISTS", hint="drop if_exists")
    text = compile_ddl(ddl.DropIndex(index, if_exists=op.if_exists), ctx)
    concurrently = bool(dict(op.kwargs).get("postgresql_concurrently"))
    return [sql(text,
                autocommit=concurrently and ctx.profile.concurrently_outside_transaction)]


def constraint_on(state: SchemaState, table_name: str, schema: str | None, item: Any,
                  ) -> Any:
    metadata = sa.MetaData()
    table_state = state.table(table_name, schema)
    table = stub_table(metadata, table_name, schema, table_state,
                       tuple(getattr(item, "columns", ())))
    obj = constraint(metadata, item)
    table.append_constraint(obj)
    return obj


@register(AddConstraint)
def add_constraint(op: AddConstraint, before: SchemaState, after: SchemaState,
                   ctx: RenderContext) -> list[Statement]:
    item = op.constraint
    check_name_length(item.name, ctx, "constraint")
    if isinstance(item, ExcludeState) and not ctx.profile.exclude_constraints:
        raise ctx.unsupported("exclude constraints exist only in PostgreSQL")
    if isinstance(item, CheckState) and ctx.profile.ignores_check_constraints and \
            not ctx.profile.supports("check_constraints"):
        ctx.warn("SB202", f"MySQL {ctx.profile.version} parses but ignores CHECK constraint "
                          f"{item.name}")
    if isinstance(item, ForeignKeyState):
        item = fk_for_dialect(item, ctx)
    obj = constraint_on(before, op.table, op.schema, item)
    return [sql(compile_ddl(ddl.AddConstraint(obj), ctx))]


@register(DropConstraint)
def drop_constraint(op: DropConstraint, before: SchemaState, after: SchemaState,
                    ctx: RenderContext) -> list[Statement]:
    kind, item = op.found(before)
    if item is None:
        # The state cannot follow (raw SQL ran before); trust the author's type_.
        kind = {"foreignkey": "foreign"}.get(op.type_hint or "", op.type_hint)
        item = _placeholder(kind, op.name)
    elif item.name is None:
        # Declared without a name: dropped by the one the database gave it (gennames.py),
        # whatever the migration calls it (a batch naming convention's name, say).
        item = replace(item, name=item.generated_name or op.name)
    obj = constraint_on(before, op.table, op.schema, item)
    return [sql(compile_ddl(ddl.DropConstraint(obj, if_exists=op.if_exists), ctx))]


KIND_LABELS = {"primary": "primary key", "foreign": "foreign key", "unique": "unique constraint",
               "check": "check constraint", "exclude": "exclude constraint"}


_KEY_WORDS = {"unique": "UNIQUE", "foreign": "FOREIGN KEY"}


def drop_key_by_columns(op: DropConstraint, kind: str, item: Any,
                        ctx: RenderContext) -> Statement:
    """``DROP PRIMARY KEY`` / ``DROP UNIQUE (cols)`` / ``DROP FOREIGN KEY (cols)``: how Oracle
    and Snowflake drop a key they named themselves, by what it is rather than its name."""
    target = ctx.table_name(op.table, op.schema)
    if kind == "primary":
        return Statement(f"ALTER TABLE {target} DROP PRIMARY KEY")
    columns = ", ".join(ctx.quote(c) for c in item.columns)
    return Statement(f"ALTER TABLE {target} DROP {_KEY_WORDS[kind]} ({columns})")


def unnamed_unsupported(op: DropConstraint, kind: str, ctx: RenderContext) -> Unsupported:
    """A constraint declared without a name that this target named in a way nobody can
    predict, and that the script cannot single out when it runs."""
    return ctx.unsupported(
        f"{KIND_LABELS[kind]} {op.name!r} was declared without a name, so {ctx.profile.title} "
        "named it itself, and the script cannot tell it apart from the others on the table",
        hint="give the constraint a name where it is created (name=...)")


def _placeholder(kind: str | None, name: str) -> Any:
    if kind == "foreign":
        return ForeignKeyState(name, (), "unknown", ())
    if kind == "primary":
        return PrimaryKeyState(name, ())
    if kind == "unique":
        return UniqueState(name, ())
    return CheckState(name, "1=1")
