"""Snowflake: SQLAlchemy's generic compiler, plus what Snowflake spells its own way.

An auto-incrementing integer key is ``INTEGER AUTOINCREMENT``. Standard tables have no
secondary indexes: a plain index is reported (diagnostic) and not created, a unique index is an
error because nothing would enforce it. Comments are ``COMMENT ON`` statements, removed with
``UNSET COMMENT``; a backslash inside a string literal starts an escape, so it is doubled. A
constraint declared without a name (Snowflake calls it SYS_CONSTRAINT_<uuid>) is dropped by its
columns.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.sql.compiler import DDLCompiler, SQLCompiler

from ..schema.operations import CreateIndex, CreateTable, DropConstraint, DropIndex
from ..schema.state import SchemaState, TableState
from . import base
from .context import RenderContext, Statement
from .literals import QUOTES, LiteralRules, register_literals


class SnowflakeCompiler(SQLCompiler):
    def render_literal_value(self, value: Any, type_: Any) -> str:
        text = super().render_literal_value(value, type_)
        return text.replace("\\", "\\\\") if isinstance(value, str) else text


class SnowflakeDDLCompiler(DDLCompiler):
    def visit_drop_table_comment(self, drop: Any, **kw: Any) -> str:
        return f"ALTER TABLE {self.preparer.format_table(drop.element)} UNSET COMMENT"

    def visit_drop_column_comment(self, drop: Any, **kw: Any) -> str:
        column = drop.element
        return (f"ALTER TABLE {self.preparer.format_table(column.table)} ALTER COLUMN "
                f"{self.preparer.format_column(column)} UNSET COMMENT")


class SnowflakeDialect(DefaultDialect):
    """The generic dialect with Snowflake's comments and string escapes (no SQLAlchemy
    dialect for Snowflake ships with SQLAlchemy)."""

    statement_compiler = SnowflakeCompiler
    ddl_compiler = SnowflakeDDLCompiler
    supports_comments = True
    inline_comments = False


class _AutoIncrementInteger(sa.types.UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw: object) -> str:
        return "INTEGER AUTOINCREMENT"


def _with_autoincrement(table: TableState) -> TableState:
    col = table.serial_column()
    if col is None:
        return table
    return replace(table, columns=tuple(replace(c, type=_AutoIncrementInteger())
                                        if c.name == col.name else c for c in table.columns))


@base.register(CreateTable, "snowflake")
def create_table(op: CreateTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    return base.create_table(replace(op, table=_with_autoincrement(op.table)), before, after, ctx)


@base.register(CreateIndex, "snowflake")
def create_index(op: CreateIndex, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    if op.index.unique:
        raise ctx.unsupported(f"unique index {op.index.name}: Snowflake has no indexes to "
                              "enforce uniqueness", hint="declare a unique constraint "
                              "(Snowflake records but does not enforce it)")
    ctx.warn("SB203", f"index {op.index.name} is not created: Snowflake standard tables have "
                      "no secondary indexes")
    return []


@base.register(DropIndex, "snowflake")
def drop_index(op: DropIndex, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    ctx.warn("SB203", f"index {op.name} was never created on Snowflake; nothing to drop")
    return []


@base.register(DropConstraint, "snowflake")
def drop_constraint(op: DropConstraint, before: SchemaState, after: SchemaState,
                    ctx: RenderContext) -> list[Statement]:
    kind, item = op.found(before)
    if item is None or item.name is not None:
        return base.drop_constraint(op, before, after, ctx)
    if kind not in ("primary", "unique", "foreign"):
        raise base.unnamed_unsupported(op, kind, ctx)
    return [base.drop_key_by_columns(op, kind, item, ctx)]


# How values are written as literals here (applied by render/literals.py).
# Backslash starts an escape inside Snowflake strings, so it is doubled.
register_literals("snowflake", LiteralRules(
    escapes={**QUOTES, ord("\\"): "\\\\"}, char_fn="CHR({})", true_false=("TRUE", "FALSE"),
    binary=lambda b: f"TO_BINARY('{b.hex().upper()}', 'HEX')",
    date="DATE '{d}'", datetime="TO_TIMESTAMP_NTZ('{d} {t}')",
    datetime_tz="TO_TIMESTAMP_TZ('{d} {t} {z}')", time="TO_TIME('{t}')",
))
