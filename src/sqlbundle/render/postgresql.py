"""PostgreSQL: named ENUM types created before first use, create-if-missing as a DO block."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..operations import AddColumn, CreateEnum, CreateTable, DropEnum
from ..state import SchemaState
from . import base
from .context import RenderContext, Statement


def _enum_label(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def create_type_sql(name: str, schema: str | None, values: tuple[str, ...],
                    ctx: RenderContext) -> str:
    labels = ", ".join(_enum_label(v) for v in values)
    return f"CREATE TYPE {ctx.table_name(name, schema)} AS ENUM ({labels})"


def native_enums(columns: Any) -> list[sa.Enum]:
    # ENUM(create_type=False) means the author manages the type themselves.
    return [c.type for c in columns
            if isinstance(c.type, sa.Enum) and c.type.native_enum and c.type.name
            and getattr(c.type, "create_type", True)]


def _new_types(columns: Any, schema: str | None, before: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    out: list[Statement] = []
    seen: set[tuple[str | None, str]] = set()
    for enum in native_enums(columns):
        key = (enum.schema or schema, enum.name)
        if key in before.enums or key in seen:
            continue
        seen.add(key)
        out.append(Statement(create_type_sql(enum.name, key[0], tuple(enum.enums), ctx)))
    return out


@base.register(CreateTable, "postgresql")
def create_table(op: CreateTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    types = _new_types(op.table.columns, op.table.schema, before, ctx)
    return types + base.create_table(op, before, after, ctx)


@base.register(AddColumn, "postgresql")
def add_column(op: AddColumn, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    types = _new_types([op.column], op.schema, before, ctx)
    return types + base.add_column(op, before, after, ctx)


@base.register(CreateEnum, "postgresql")
def create_enum(op: CreateEnum, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    statement = create_type_sql(op.name, op.schema, op.values, ctx)
    if not op.checkfirst:
        return [Statement(statement)]
    # "Create if missing" must be decided by the database at apply time, not here.
    schema_test = (f"n.nspname = '{op.schema}'" if op.schema
                   else "n.nspname = ANY (current_schemas(false))")
    block = (
        "DO $sqlbundle$\nBEGIN\n"
        "    IF NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace\n"
        f"                   WHERE t.typname = '{op.name}' AND {schema_test}) THEN\n"
        f"        {statement};\n"
        "    END IF;\nEND\n$sqlbundle$"
    )
    return [Statement(block, block=True)]


@base.register(DropEnum, "postgresql")
def drop_enum(op: DropEnum, before: SchemaState, after: SchemaState,
              ctx: RenderContext) -> list[Statement]:
    exists = " IF EXISTS" if op.checkfirst else ""
    return [Statement(f"DROP TYPE{exists} {ctx.table_name(op.name, op.schema)}")]
