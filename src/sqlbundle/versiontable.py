"""Version-table bookkeeping as plain statements (no RETURNING, OUTPUT or bind placeholders).

The table and its layout match Alembic's (``version_num VARCHAR(32)``, primary key
``<table>_pkc``), so databases upgraded by either tool read correctly with the other.
"""

from __future__ import annotations

import sqlalchemy as sa

from .operations import CreateTable
from .plan import VersionChange
from .render.base import render_operation
from .render.context import RenderContext, Statement
from .state import ColumnState, PrimaryKeyState, SchemaState, TableState


def version_table_state(name: str, schema: str | None) -> TableState:
    return TableState(
        name=name,
        schema=schema,
        columns=(ColumnState("version_num", sa.String(32), nullable=False),),
        primary_key=PrimaryKeyState(f"{name}_pkc", ("version_num",)),
    )


def create_statements(ctx: RenderContext, name: str, schema: str | None) -> list[Statement]:
    """CREATE the version table if it is missing (each dialect's own way of saying so)."""
    op = CreateTable(version_table_state(name, schema), if_not_exists=True)
    return render_operation(op, SchemaState(), SchemaState(), ctx)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def change_statements(ctx: RenderContext, name: str, schema: str | None,
                      change: VersionChange) -> list[Statement]:
    table = ctx.table_name(name, schema)
    column = f"{table}.{ctx.quote('version_num')}" if ctx.name != "sqlite" else \
        ctx.quote("version_num")
    out: list[Statement] = []
    for rev in change.delete:
        out.append(Statement(f"DELETE FROM {table} WHERE {column} = {_literal(rev)}", dml=True))
    if change.update:
        old, new = change.update
        out.append(Statement(
            f"UPDATE {table} SET {ctx.quote('version_num')} = {_literal(new)} "
            f"WHERE {column} = {_literal(old)}", dml=True))
    for rev in change.insert:
        out.append(Statement(f"INSERT INTO {table} ({ctx.quote('version_num')}) "
                             f"VALUES ({_literal(rev)})", dml=True))
    return out
