"""The renderers shared by every dialect: tables, data and raw SQL, enums (a no-op outside
PostgreSQL).

Dialect modules write ``base.<name>`` for every shared renderer and helper, so this module
also re-exports those of ``registry``, ``ddl``, ``columns`` and ``constraints``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ddl

from ..schema.operations import (
    UNSET,
    BulkInsert,
    CreateIndex,
    CreateEnum,
    CreateTable,
    DropEnum,
    DropTable,
    Execute,
    RenameTable,
    SetTableComment,
)
from ..schema.state import SchemaState
from .context import RenderContext, Statement
from .columns import (
    add_column,
    add_column_sql,
    added_column_comment,
    alter_column,
    alter_column_statements,
    check_restated_key,
    column_comment,
    column_extras,
    column_predecessor,
    default_sql,
    drop_column,
    drop_column_exists,
    type_check_changes,
    type_sql,
)
from .constraints import (
    KIND_LABELS,
    check_index,
    create_index,
    drop_constraint,
    drop_index,
    drop_key_by_columns,
    unnamed_unsupported,
)
from .ddl import check_name_length, column_spec, compile_ddl, nstr, sql, table_for_dialect
from .registry import register, render_operation
from .tables import build_index, build_table, table_ref

# The dialect modules write base.<name> for the shared renderers and helpers above.
__all__ = [
    "KIND_LABELS", "UNSET", "CreateIndex", "add_column", "add_column_sql",
    "added_column_comment", "alter_column", "alter_column_statements", "check_name_length",
    "check_restated_key", "column_comment", "column_extras", "column_predecessor", "column_spec",
    "comments_of", "compile_ddl", "create_index", "create_table", "default_sql",
    "drop_column", "drop_column_exists", "drop_constraint", "drop_index", "drop_key_by_columns", "drop_table",
    "nstr", "register",
    "render_operation", "set_table_comment", "table_comment_statements", "type_check_changes",
    "type_sql", "unnamed_unsupported",
]


@register(CreateTable)
def create_table(op: CreateTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    state = table_for_dialect(op.table, ctx)
    check_name_length(state.name, ctx, "table")
    for col in state.columns:
        check_name_length(col.name, ctx, "column")
    table = build_table(state, with_indexes=False)
    # Sequences declared on columns are created with the table, as create_all() does.
    out = [sql(compile_ddl(ddl.CreateSequence(seq), ctx)) for seq in _sequences(state, ctx)]
    out.append(sql(compile_ddl(ddl.CreateTable(table, if_not_exists=op.if_not_exists), ctx)))
    for index in state.indexes:
        check_index(index, ctx)
        out.append(sql(compile_ddl(ddl.CreateIndex(build_index(table, index)), ctx)))
    out.extend(table_comment_statements(table, ctx, comments_of(state)))
    return out


def comments_of(state: Any) -> bool:
    return state.comment is not None or any(c.comment for c in state.columns)


def table_comment_statements(table: sa.Table, ctx: RenderContext, any_comment: bool
                             ) -> list[Statement]:
    """Dialects without inline comments get COMMENT statements after CREATE TABLE."""
    if not any_comment:
        return []
    if not ctx.dialect.supports_comments:
        ctx.warn("SB201", f"comments on {table.name} are not stored: {ctx.profile.title} has "
                          "no comments")
        return []
    if ctx.dialect.inline_comments:
        return []
    out = []
    if table.comment is not None:
        out.append(sql(compile_ddl(ddl.SetTableComment(table), ctx)))
    for column in table.columns:
        if column.comment:
            out.append(sql(compile_ddl(ddl.SetColumnComment(column), ctx)))
    return out


def _sequences(state: Any, ctx: RenderContext) -> list[Any]:
    if not ctx.dialect.supports_sequences:
        return []
    # optional=True sequences are skipped where the database has its own (SERIAL, IDENTITY).
    return [c.sequence for c in state.columns
            if c.sequence is not None
            and not (c.sequence.optional and ctx.dialect.sequences_optional)]


@register(DropTable)
def drop_table(op: DropTable, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    out = [sql(compile_ddl(ddl.DropTable(table_ref(op.name, op.schema), if_exists=op.if_exists),
                           ctx))]
    dropped = before.table(op.name, op.schema)
    if dropped is not None:
        out.extend(sql(compile_ddl(ddl.DropSequence(seq), ctx))
                   for seq in _sequences(dropped, ctx))
    return out


@register(RenameTable)
def rename_table(op: RenameTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    check_name_length(op.new_name, ctx, "table")
    return [sql(f"ALTER TABLE {ctx.table_name(op.old_name, op.schema)} "
                f"RENAME TO {ctx.quote(op.new_name)}")]


@register(SetTableComment)
def set_table_comment(op: SetTableComment, before: SchemaState, after: SchemaState,
                      ctx: RenderContext) -> list[Statement]:
    if not ctx.dialect.supports_comments:
        ctx.warn("SB201", f"table comment on {op.table} is not stored: {ctx.profile.title} has "
                          "no comments")
        return []
    table = build_table(after.require_table(op.table, op.schema), with_indexes=False)
    element = ddl.SetTableComment(table) if op.comment is not None else ddl.DropTableComment(table)
    return [sql(compile_ddl(element, ctx))]


@register(Execute)
def execute(op: Execute, before: SchemaState, after: SchemaState,
            ctx: RenderContext) -> list[Statement]:
    from .data import render_execute

    return render_execute(op, before, ctx)


@register(BulkInsert)
def bulk_insert(op: BulkInsert, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    from .data import render_bulk_insert

    return render_bulk_insert(op, before, ctx)


@register(CreateEnum)
def create_enum(op: CreateEnum, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    return []  # only PostgreSQL has named enum types; elsewhere enums are inline


@register(DropEnum)
def drop_enum(op: DropEnum, before: SchemaState, after: SchemaState,
              ctx: RenderContext) -> list[Statement]:
    return []
