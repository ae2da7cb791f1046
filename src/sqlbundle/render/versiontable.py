"""Version-table bookkeeping as plain statements (no RETURNING, OUTPUT or bind placeholders).

The table and its layout match Alembic's (``version_num VARCHAR(32)``, primary key
``<table>_pkc``), so databases upgraded by either tool read correctly with the other.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from ..schema.operations import CreateTable
from ..errors import SqlbundleError
from ..history.plan import VersionChange
from ..source.script import Script
from .registry import render_operation
from .context import RenderContext, Statement
from ..schema.state import ColumnState, PrimaryKeyState, SchemaState, TableState


ALEMBIC_LENGTH = 32  # Alembic's VARCHAR(32): a wider column is the version_num_length setting


def version_table_state(name: str, schema: str | None, length: int = ALEMBIC_LENGTH
                        ) -> TableState:
    return TableState(
        name=name,
        schema=schema,
        columns=(ColumnState("version_num", sa.String(length), nullable=False),),
        primary_key=PrimaryKeyState(f"{name}_pkc", ("version_num",)),
    )


def create_statements(ctx: RenderContext, name: str, schema: str | None,
                      length: int = ALEMBIC_LENGTH) -> list[Statement]:
    """CREATE the version table if it is missing (each dialect's own way of saying so)."""
    op = CreateTable(version_table_state(name, schema, length), if_not_exists=True)
    return render_operation(op, SchemaState(), SchemaState(), ctx)


def widen_statements(ctx: RenderContext, name: str, schema: str | None, length: int
                     ) -> list[Statement]:
    """Widen a version table created with Alembic's width to ``length`` (nothing where the
    target does not enforce VARCHAR lengths)."""
    if not ctx.profile.widen_version_column:
        return []
    from ..schema.columnops import AlterColumn

    before = version_table_state(name, schema)
    after = version_table_state(name, schema, length)
    op = AlterColumn(table=name, column="version_num", schema=schema, type=sa.String(length),
                     existing_type=sa.String(ALEMBIC_LENGTH), existing_nullable=False)
    return render_operation(op, SchemaState().with_table(before),
                            SchemaState().with_table(after), ctx)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def change_statements(ctx: RenderContext, name: str, schema: str | None,
                      change: VersionChange) -> list[Statement]:
    return change_writer(ctx, name, schema)(change)


def change_writer(ctx: RenderContext, name: str, schema: str | None,
                  ) -> Callable[[VersionChange], list[Statement]]:
    """``change_statements`` with the names quoted once, for a plan's thousands of steps."""
    table = ctx.table_name(name, schema)
    value = ctx.quote("version_num")
    column = f"{table}.{value}" if ctx.profile.qualified_version_column else value

    def statements(change: VersionChange) -> list[Statement]:
        out: list[Statement] = []
        for rev in change.delete:
            out.append(Statement(f"DELETE FROM {table} WHERE {column} = {_literal(rev)}",
                                 dml=True))
        if change.update:
            old, new = change.update
            out.append(Statement(f"UPDATE {table} SET {value} = {_literal(new)} "
                                 f"WHERE {column} = {_literal(old)}", dml=True))
        for rev in change.insert:
            out.append(Statement(f"INSERT INTO {table} ({value}) VALUES ({_literal(rev)})",
                                 dml=True))
        return out

    return statements


def check_version_ids(change: VersionChange, length: int, script: Script) -> int:
    """The longest revision id ``change`` writes; one longer than the version table's column
    is an error naming the migration and the setting that widens the column."""
    written = list(change.insert) + ([change.update[1]] if change.update else [])
    longest = max(written, key=len, default="")
    if len(longest) > length:
        raise SqlbundleError(
            f"revision id {longest!r} is {len(longest)} characters, longer than the version "
            f"table's version_num column ({length})", path=script.path, line=script.line,
            hint=f"set version_num_length = {len(longest)} (or more) in sqlbundle.toml: a "
                 "database created from base gets the wider column, and the first step that "
                 "writes a longer id widens an existing one")
    return len(longest)
