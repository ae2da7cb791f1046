"""MySQL and MariaDB: ALTER COLUMN as MODIFY/CHANGE with the full definition from the state.

On MariaDB a CHECK declared on a column belongs to the column's definition: MODIFY/CHANGE
restate it (or it is gone), and dropping it means restating the column without it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from ..schema.operations import (
    AddColumn,
    AlterColumn,
    CreateTable,
    DropConstraint,
    DropIndex,
    RenameTable,
)
from ..schema.state import ColumnState, SchemaState, TableState
from . import base
from .context import RenderContext, Statement, sets_up
from .literals import LiteralRules, register_literals
from .tables import build_table

DIALECTS = ("mysql", "mariadb")
# Where a CHECK declared on a column is part of the column's definition (MySQL 8 keeps it as a
# table constraint).
_CHECKS_IN_COLUMN = ("mariadb",)
_NOW = ("current_timestamp", "now", "localtimestamp")  # functions MySQL < 8.0.13 allows


def _is_expression_default(col: ColumnState) -> bool:
    default = col.server_default
    if default is None or isinstance(default, (str, sa.sql.elements.True_,
                                               sa.sql.elements.False_)):
        return False
    text = str(default).strip().upper() if isinstance(default, sa.TextClause) else None
    if text is not None:
        # Literal numbers and quoted strings are plain defaults, not expressions.
        if text.startswith("'") or text.replace(".", "", 1).lstrip("-").isdigit():
            return False
        if text in ("CURRENT_TIMESTAMP", "NULL") or text.startswith("CURRENT_TIMESTAMP("):
            return False
        return True
    return getattr(default, "name", "").lower() not in _NOW


def check_defaults(columns: Any, ctx: RenderContext) -> tuple[ColumnState, ...]:
    """Columns as this target can take them: before expression defaults (MySQL 8.0.13),
    ``now()`` is written ``CURRENT_TIMESTAMP`` (unparenthesised) and any other expression is
    an error."""
    columns = tuple(columns)
    if ctx.profile.supports("expression_defaults"):
        return columns
    out = []
    for col in columns:
        if _is_expression_default(col):
            raise ctx.unsupported(
                f"column {col.name} has an expression default ({col.server_default}); "
                f"{ctx.profile.title} {ctx.profile.version} only allows literal defaults and "
                "CURRENT_TIMESTAMP",
                hint="use a literal default, or target a newer version (mysql@8.0)")
        if getattr(col.server_default, "name", "").lower() in _NOW and \
                isinstance(col.server_default, sa.sql.functions.FunctionElement):
            col = replace(col, server_default=sa.text("CURRENT_TIMESTAMP"))
        out.append(col)
    return tuple(out)


@sets_up(*DIALECTS)
def _setup(dialect: Any, profile: Any, version: tuple[int, ...]) -> None:
    dialect._set_mariadb(profile.name == "mariadb", version)


@base.register(CreateTable, *DIALECTS)
def create_table(op: CreateTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    columns = check_defaults(op.table.columns, ctx)
    op = replace(op, table=replace(op.table, columns=columns))
    return base.create_table(op, before, after, ctx)


@base.register(AddColumn, *DIALECTS)
def add_column(op: AddColumn, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    op = replace(op, column=check_defaults([op.column], ctx)[0])
    return base.add_column(op, before, after, ctx)


@base.register(AlterColumn, *DIALECTS)
def alter_column(op: AlterColumn, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    base.check_restated_key(op, before, ctx)
    # The full column as the replayed state has it after the operation: what the call changes
    # and, for Alembic's op, what it restates from its hints (``hints``).
    state = after.require_table(op.table, op.schema)
    name = op.new_name or op.column
    state = replace(state, columns=check_defaults(state.columns, ctx))
    if op.new_name:
        base.check_name_length(op.new_name, ctx, "column")
    spec = _full_spec(state, name, ctx)
    target = ctx.table_name(op.table, op.schema)
    drops, adds = base.type_check_changes(op, before, after, ctx)
    if name != op.column:
        return drops + [Statement(f"ALTER TABLE {target} CHANGE {ctx.quote(op.column)} {spec}")] \
            + adds
    return drops + [Statement(f"ALTER TABLE {target} MODIFY {spec}")] + adds


@base.register(RenameTable, *DIALECTS)
def rename_table(op: RenameTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    """The new name keeps the schema: an unqualified one would move the table into the
    client's current database."""
    base.check_name_length(op.new_name, ctx, "table")
    return [Statement(f"ALTER TABLE {ctx.table_name(op.old_name, op.schema)} "
                      f"RENAME TO {ctx.table_name(op.new_name, op.schema)}")]


def _full_spec(state: TableState, name: str, ctx: RenderContext) -> str:
    """The column's whole definition, with its own CHECKs on MariaDB (where they are part of
    it: a MODIFY without them drops them)."""
    table = build_table(state, with_indexes=False, with_foreign_keys=False)
    spec = base.column_spec(table, name, ctx)
    if ctx.name in _CHECKS_IN_COLUMN:
        compiler = ctx.dialect.ddl_compiler(ctx.dialect, None)
        checks = [compiler.process(c) for c in table.c[name].constraints]
        spec = " ".join([spec, *checks])
    return spec


@base.register(DropConstraint, "mariadb")
def drop_constraint(op: DropConstraint, before: SchemaState, after: SchemaState,
                    ctx: RenderContext) -> list[Statement]:
    kind, item = op.found(before)
    if kind != "check" or not item.inline:
        return base.drop_constraint(op, before, after, ctx)
    # A CHECK MariaDB keeps on its column has no name DROP CONSTRAINT knows: the column is
    # restated without it.
    state = after.require_table(op.table, op.schema)
    if any(c.inline and c.column == item.column for c in state.checks):
        raise ctx.unsupported(
            f"check constraint {op.name!r} is one of several declared on column {item.column}; "
            "MariaDB can only drop them together (by restating the column)",
            hint="name the column's CHECKs where they are created")
    state = replace(state, columns=check_defaults(state.columns, ctx))
    return [Statement(f"ALTER TABLE {ctx.table_name(op.table, op.schema)} MODIFY "
                      f"{_full_spec(state, item.column, ctx)}")]


@base.register(DropIndex, *DIALECTS)
def drop_index(op: DropIndex, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    """The last index a foreign key can use cannot be dropped alone ("needed in a foreign key
    constraint"): the index MySQL would have made for the key is added in the same statement,
    as the replayed schema has it."""
    owner = op.owner(before)
    table = after.table(owner.name, owner.schema) if owner is not None else None
    made = [ix for ix in table.indexes if ix.implicit and owner.index(ix.name) is None] \
        if table is not None else []
    if not made:
        return base.drop_index(op, before, after, ctx)
    adds = [f"ADD INDEX {ctx.quote(ix.name)} ({', '.join(ctx.quote(c) for c in ix.columns)})"
            for ix in made]
    return [Statement(f"ALTER TABLE {ctx.table_name(owner.name, owner.schema)} "
                      f"{', '.join(adds)}, DROP INDEX {ctx.quote(op.name)}")]


# MySQL/MariaDB string escapes (default sql_mode); other control characters are safe raw there.
MYSQL_ESCAPES = str.maketrans({
    "'": "''", "\\": "\\\\", "\0": "\\0", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1a": "\\Z",
})

# How values are written as literals here (applied by render/literals.py).
register_literals("mysql", LiteralRules(escapes=MYSQL_ESCAPES, native_uuid=False))
register_literals("mariadb", LiteralRules(escapes=MYSQL_ESCAPES))  # native UUID type since 10.7
