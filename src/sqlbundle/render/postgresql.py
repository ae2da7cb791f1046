"""PostgreSQL: named ENUM types created before first use, create-if-missing as a DO block, and
what ``alter_column(type_=...)`` does to them (``pgenums``)."""

from __future__ import annotations

from typing import Any

from ..schema.enumtypes import creates_type, enum_key, labels, reused_type_check
from ..schema.operations import AddColumn, AlterColumn, CreateEnum, CreateTable, DropEnum
from ..schema.state import SchemaState
from . import base
from .context import RenderContext, Statement, sets_up
from .literals import LiteralRules, register_literals
from .pgenums import alter_column_enum, commit_new_labels, create_type, create_type_sql

__all__ = ["commit_new_labels"]


def _new_types(columns: Any, before: SchemaState, ctx: RenderContext) -> list[Statement]:
    """CREATE TYPE for the named enums ``columns`` use that do not exist yet; not for
    ``ENUM(create_type=False)``, which the author manages."""
    out: list[Statement] = []
    seen: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for col in columns:
        key = enum_key(col.type)
        if key is None or not creates_type(col.type):
            continue
        reused_type_check(col, before.enums.get(key, seen.get(key)), before, ctx)
        if key in before.enums or key in seen:
            continue
        seen[key] = labels(col.type)
        out.append(Statement(create_type_sql(key[1], key[0], labels(col.type), ctx)))
    return out


@sets_up("postgresql")
def _setup(dialect: Any, profile: Any, version: tuple[int, ...]) -> None:
    dialect.supports_virtual_generated_columns = version >= (18,)


@base.register(CreateTable, "postgresql")
def create_table(op: CreateTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    types = _new_types(op.table.columns, before, ctx)
    return types + base.create_table(op, before, after, ctx)


@base.register(AddColumn, "postgresql")
def add_column(op: AddColumn, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    types = _new_types([op.column], before, ctx)
    return types + base.add_column(op, before, after, ctx)


@base.register(AlterColumn, "postgresql")
def alter_column(op: AlterColumn, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    statements = alter_column_enum(op, before, after, ctx)
    return base.alter_column(op, before, after, ctx) if statements is None else statements


@base.register(CreateEnum, "postgresql")
def create_enum(op: CreateEnum, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    return [create_type(op.name, op.schema, op.values, ctx, if_missing=op.checkfirst)]


@base.register(DropEnum, "postgresql")
def drop_enum(op: DropEnum, before: SchemaState, after: SchemaState,
              ctx: RenderContext) -> list[Statement]:
    # Not in the state: the history dropped it with its last column already (see enumtypes).
    key = (op.schema, op.name)
    gone = key not in before.enums and key in before.implicit_enums
    exists = " IF EXISTS" if op.checkfirst or gone else ""
    return [Statement(f"DROP TYPE{exists} {ctx.table_name(op.name, op.schema)}")]


# How values are written as literals here (applied by render/literals.py).
register_literals("postgresql", LiteralRules(
    pg_strings=True, true_false=("TRUE", "FALSE"),
    nonfinite={"nan": "'NaN'::float8", "inf": "'Infinity'::float8", "-inf": "'-Infinity'::float8"},
    binary=lambda b: f"'\\x{b.hex()}'::bytea",
    date="DATE '{d}'", datetime="TIMESTAMP '{d} {t}'",
    datetime_tz="TIMESTAMP WITH TIME ZONE '{d} {t}{z}'",
    time="TIME '{t}'", time_tz="TIME WITH TIME ZONE '{t}{z}'", interval="INTERVAL '{i}'",
    json_cast=True, uuid="'{}'::uuid",
))
