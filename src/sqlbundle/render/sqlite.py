"""SQLite: what ALTER TABLE cannot do is done by copying the table, from the replayed state.

The copy follows SQLite's documented procedure: create the new table under a temporary name,
copy the rows, drop the old table, rename the new one, recreate its indexes. Foreign-key
enforcement must be off while it runs (the step's framing says so).
"""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.sql import ddl

from ..schema.operations import (
    AddColumn,
    AddConstraint,
    AlterColumn,
    DropColumn,
    DropConstraint,
    Operation,
)
from ..schema.state import SchemaState, TableState
from . import base
from .context import RenderContext, Statement
from .literals import LiteralRules, register_literals
from .tables import build_index, build_table

TEMP_PREFIX = "_sqlbundle_tmp_"


def table_copy(old: TableState, new: TableState, renames: dict[str, str],
               ctx: RenderContext) -> list[Statement]:
    """Statements that turn table ``old`` into ``new`` (same name); ``renames`` maps new
    column names to the old names they come from."""
    if old.partial:
        raise ctx.unsupported(
            f"{ctx.profile.title} changes {old.display} by copying it into a new table, and the "
            f"replayed schema does not know all of {old.display} (a revision before it could not "
            "be replayed, or raw SQL changed it): the copy would lose what it does not know",
            hint="declare the schema the history starts from (baseline_sql = a schema dump), "
                 "or make the earlier revision replayable offline")
    temp = TEMP_PREFIX + new.name
    metadata = sa.MetaData()
    table = build_table(new, name=temp, metadata=metadata, with_indexes=False)
    out = [Statement(base.compile_ddl(ddl.CreateTable(table), ctx), fk_off=True)]
    targets, sources = [], []
    for col in new.columns:
        source = renames.get(col.name, col.name)
        if old.has_column(source):
            targets.append(ctx.quote(col.name))
            sources.append(ctx.quote(source))
    target = ctx.table_name(temp, new.schema)
    out.append(Statement(
        f"INSERT INTO {target} ({', '.join(targets)}) SELECT {', '.join(sources)} "
        f"FROM {ctx.table_name(old.name, old.schema)}", dml=True))
    out.append(Statement(f"DROP TABLE {ctx.table_name(old.name, old.schema)}"))
    out.append(Statement(f"ALTER TABLE {target} RENAME TO {ctx.quote(new.name)}"))
    final = build_table(new, metadata=sa.MetaData(), with_indexes=False)
    for index in new.indexes:
        out.append(Statement(base.compile_ddl(ddl.CreateIndex(build_index(final, index)), ctx)))
    if ctx.dialect.supports_comments:  # DuckDB: comments live apart from CREATE TABLE
        out.extend(base.table_comment_statements(final, ctx, base.comments_of(new)))
    return out


def _copy(op: Operation, before: SchemaState, after: SchemaState, ctx: RenderContext,
          renames: dict[str, str] | None = None) -> list[Statement]:
    table = getattr(op, "table")
    schema = getattr(op, "schema", None)
    return table_copy(before.require_table(table, schema), after.require_table(table, schema),
                      renames or {}, ctx)


def _simple_add(op: AddColumn) -> bool:
    """ALTER TABLE ADD COLUMN works unless the column needs a constraint SQLite cannot add."""
    col = op.column
    if op.primary_key or op.unique or op.checks or op.foreign_keys:
        return False
    if op.position is not None:
        return False  # placed by a batch that recreates the table: Alembic copies it
    if not col.nullable and col.server_default is None:
        return False
    default = col.server_default
    # SQLite refuses non-constant defaults (CURRENT_TIMESTAMP, expressions) on ADD COLUMN.
    if default is not None and not isinstance(default, str):
        text = str(default).strip() if isinstance(default, sa.TextClause) else None
        if text is None or not (text.startswith("'") or
                                text.replace(".", "", 1).lstrip("-").isdigit()):
            return False
    return True


@base.register(AddColumn, "sqlite")
def add_column(op: AddColumn, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    if op.if_not_exists:
        raise ctx.unsupported("add_column(if_not_exists=True) cannot be expressed",
                              hint="drop if_not_exists")
    base.added_column_comment(op, ctx)  # SQLite has none: says so
    if not _simple_add(op):
        return _copy(op, before, after, ctx)
    out = [Statement(base.add_column_sql(op, after, ctx, "ADD COLUMN"))]
    if op.index is not None:
        out.extend(base.create_index(base.CreateIndex(op.table, op.index, op.schema),
                                     after, after, ctx))
    return out


@base.register(DropColumn, "sqlite")
def drop_column(op: DropColumn, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    table = before.require_table(op.table, op.schema)
    used = (
        (table.primary_key and op.column in table.primary_key.columns)
        or any(op.column in u.columns for u in table.uniques)
        or any(op.column in f.columns for f in table.foreign_keys)
        or any(op.column in i.columns for i in table.indexes)
        or table.checks
    )
    if ctx.profile.supports("drop_column") and not used:
        return [Statement(f"ALTER TABLE {ctx.table_name(op.table, op.schema)} DROP COLUMN "
                          f"{ctx.quote(op.column)}")]
    return _copy(op, before, after, ctx)


@base.register(AlterColumn, "sqlite")
def alter_column(op: AlterColumn, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    changes = op.changes()
    old = before.require_table(op.table, op.schema).column(op.column)
    new_name = op.new_name or op.column
    new = after.require_table(op.table, op.schema).column(new_name)
    if replace(new, name=old.name) == old and new_name != op.column \
            and ctx.profile.supports("rename_column"):
        # A pure rename: SQLite 3.25+ has RENAME COLUMN.
        return [Statement(f"ALTER TABLE {ctx.table_name(op.table, op.schema)} RENAME COLUMN "
                          f"{ctx.quote(op.column)} TO {ctx.quote(new_name)}")]
    if set(changes) <= {"comment"}:
        ctx.warn("SB201", f"comment on {op.table}.{op.column} is not stored: SQLite has no "
                          "comments")
        return []
    renames = {new_name: op.column} if new_name != op.column else {}
    return _copy(op, before, after, ctx, renames)


@base.register(AddConstraint, "sqlite")
def add_constraint(op: AddConstraint, before: SchemaState, after: SchemaState,
                   ctx: RenderContext) -> list[Statement]:
    if op.constraint_kind == "exclude":
        raise ctx.unsupported("exclude constraints exist only in PostgreSQL")
    return _copy(op, before, after, ctx)


@base.register(DropConstraint, "sqlite")
def drop_constraint(op: DropConstraint, before: SchemaState, after: SchemaState,
                    ctx: RenderContext) -> list[Statement]:
    kind, _ = op.found(before)
    if kind is None:
        raise ctx.unsupported(f"constraint {op.name!r} is not known here, so the table copy "
                              "SQLite needs cannot be built",
                              hint="declare the constraint through op.* rather than raw SQL")
    return _copy(op, before, after, ctx)


# How values are written as literals here (applied by render/literals.py).
register_literals("sqlite", LiteralRules(
    char_fn="char({})", nonfinite={"inf": "9e999", "-inf": "-9e999"},
    datetime_tz="'{d} {t}{z}'", time_tz="'{t}{z}'", always_fraction=True, native_uuid=False,
))
