"""DuckDB: compiled with SQLAlchemy's PostgreSQL compiler, minus what DuckDB lacks.

DuckDB has no SERIAL: an auto-incrementing integer key gets its own sequence and a
``nextval`` default. It refuses ALTER on tables that indexes depend on and cannot add or drop
constraints, so those operations rebuild the table (as for SQLite), but for a dropped column,
around which the table's indexes are dropped and made again; its foreign keys take no
ON DELETE/ON UPDATE actions: those are errors, never silently dropped.

Named enum types are PostgreSQL's (CREATE TYPE before first use, dropped with their last user
at the end of the step, see ``enumtypes``), but DuckDB has no ALTER TYPE: changing a type's
labels is refused; moving a column to another type goes through the table copy.
"""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from ..schema.enumtypes import enum_key
from ..schema.operations import (
    UNSET,
    AddColumn,
    AddConstraint,
    AlterColumn,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropEnum,
    DropIndex,
    DropTable,
)
from ..schema.state import IndexState, SchemaState, TableState
from . import base
from .context import RenderContext, Statement
from .literals import LiteralRules, register_literals
from .pgenums import create_type_sql
from .postgresql import _new_types, drop_enum

base.register(DropEnum, "duckdb")(drop_enum)  # DROP TYPE [IF EXISTS], as on PostgreSQL


def _serial_column(table: TableState) -> str | None:
    col = table.serial_column()
    return col.name if col is not None else None


def _sequence_name(table: TableState, column: str) -> str:
    return f"{table.name}_{column}_seq"


@base.register(CreateTable, "duckdb")
def create_table(op: CreateTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    for fk in op.table.foreign_keys:
        if (fk.ondelete or "NO ACTION").upper() not in ("NO ACTION", "RESTRICT") or \
                (fk.onupdate or "NO ACTION").upper() not in ("NO ACTION", "RESTRICT"):
            raise ctx.unsupported(f"foreign key {fk.name or ''} has ON DELETE/ON UPDATE "
                                  "actions, which DuckDB does not have",
                                  hint="drop the action for DuckDB")
    op = replace(op, table=_indexes(op.table, ctx))
    types = _new_types(op.table.columns, before, ctx)
    serial = _serial_column(op.table)
    if serial is None:
        return types + base.create_table(op, before, after, ctx)
    create = Statement(f"CREATE SEQUENCE {ctx.quote(_sequence_name(op.table, serial))}")
    table = _sequence_default(op.table)
    return types + [create] + base.create_table(replace(op, table=table), before, after, ctx)


def _index(index: IndexState, ctx: RenderContext) -> IndexState:
    """The index without the options written for PostgreSQL, whose compiler DuckDB borrows:
    INCLUDE, USING, operator classes and storage parameters do not change what the index
    means and DuckDB has none of them; a partial index would, and DuckDB has none."""
    kwargs = dict(index.kwargs)
    if kwargs.get("postgresql_where") is not None:
        raise ctx.unsupported(f"index {index.name} is partial (postgresql_where), which DuckDB "
                              "does not have", hint="index every row for DuckDB")
    kept = tuple((k, v) for k, v in index.kwargs if not k.startswith("postgresql_"))
    return index if kept == index.kwargs else replace(index, kwargs=kept)


def _indexes(table: TableState, ctx: RenderContext) -> TableState:
    indexes = tuple(_index(i, ctx) for i in table.indexes)
    return table if indexes == table.indexes else replace(table, indexes=indexes)


@base.register(CreateIndex, "duckdb")
def create_index(op: CreateIndex, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    return base.create_index(replace(op, index=_index(op.index, ctx)), before, after, ctx)


def _sequence_default(table: TableState) -> TableState:
    """The auto-incrementing key as DuckDB has it: a ``nextval`` default of the table's own
    sequence (created with the table), not SERIAL."""
    serial = _serial_column(table)
    if serial is None:
        return table
    sequence = _sequence_name(table, serial)
    columns = tuple(replace(c, autoincrement=False,
                            server_default=sa.text(f"nextval('{sequence}')"))
                    if c.name == serial else c for c in table.columns)
    return replace(table, columns=columns)


@base.register(DropTable, "duckdb")
def drop_table(op: DropTable, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    out = base.drop_table(op, before, after, ctx)
    dropped = before.table(op.name, op.schema)
    serial = _serial_column(dropped) if dropped is not None else None
    if serial is not None:
        out.append(Statement(f"DROP SEQUENCE {ctx.quote(_sequence_name(dropped, serial))}"))
    return out


def _referrers(state: SchemaState, table: TableState) -> list[str]:
    """Other tables whose foreign keys refer to ``table``: DuckDB alters it with them never."""
    return sorted(t.display for t in state.tables.values() if t.key != table.key and any(
        fk.referred_table == table.name and fk.referred_schema == table.schema
        for fk in t.foreign_keys))


def _copy(op: object, before: SchemaState, after: SchemaState, ctx: RenderContext,
          renames: dict[str, str] | None = None) -> list[Statement]:
    """DuckDB refuses ALTER on a table other objects depend on (indexes) and cannot add or
    drop constraints: rebuild the table from the replayed state, as for SQLite."""
    from .sqlite import table_copy

    name, schema = getattr(op, "table"), getattr(op, "schema", None)
    old = before.require_table(name, schema)
    referrers = _referrers(before, old)
    if referrers:
        raise ctx.unsupported(
            f"DuckDB cannot rebuild {old.display}: foreign keys in {', '.join(referrers)} "
            "refer to it", hint="change the table before other tables refer to it")
    if old.foreign_keys:
        # DuckDB keeps a renamed table's foreign keys under the old name (seen in 1.x).
        raise ctx.unsupported(
            f"DuckDB cannot rebuild {old.display}, which has foreign keys",
            hint="make this change in the create_table, or target another dialect")
    new = _indexes(_sequence_default(after.require_table(name, schema)), ctx)
    return table_copy(old, new, renames or {}, ctx)


@base.register(AddColumn, "duckdb")
def add_column(op: AddColumn, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    types = _new_types([op.column], before, ctx)
    if base.column_predecessor(op, after) is not None:
        return types + _copy(op, before, after, ctx)  # placed by a batch: only a rebuild can
    return types + base.add_column(op, before, after, ctx)


@base.register(DropColumn, "duckdb")
def drop_column(op: DropColumn, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    """DuckDB refuses to drop a column from a table any index depends on, whichever its
    columns: the table's indexes are dropped first and the remaining ones made again."""
    old = before.table(op.table, op.schema)
    referrers = _referrers(before, old) if old is not None else []
    if referrers:
        raise ctx.unsupported(
            f"DuckDB cannot drop a column of {old.display}: foreign keys in "
            f"{', '.join(referrers)} refer to it", hint="drop the column before other tables "
            "refer to its table, or target another dialect")
    if old is None or not old.indexes:
        return base.drop_column(op, before, after, ctx)
    new = after.require_table(op.table, op.schema)
    out: list[Statement] = []
    for index in old.indexes:
        out += base.drop_index(DropIndex(index.name, op.table, op.schema), before, before, ctx)
    out += base.drop_column(op, before, after, ctx)
    for index in new.indexes:
        out += create_index(CreateIndex(op.table, index, op.schema), after, after, ctx)
    return out


@base.register(AlterColumn, "duckdb")
def alter_column(op: AlterColumn, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    if set(op.changes()) == {"comment"}:  # COMMENT ON needs no table copy
        return base.alter_column(op, before, after, ctx)
    new_name = op.new_name or op.column
    renames = {new_name: op.column} if new_name != op.column else {}
    return _enum_type(op, before, after, ctx) + _copy(op, before, after, ctx, renames)


def _enum_type(op: AlterColumn, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    """CREATE TYPE for a named enum the column moves to that the history creates here; a
    change of an existing type's labels is an error: DuckDB has no ALTER TYPE, and a type its
    columns use can be neither dropped nor replaced."""
    new = after.require_table(op.table, op.schema).column(op.new_name or op.column)
    key = enum_key(new.type) if op.type is not UNSET and new is not None else None
    if key is None or key not in after.enums:
        return []
    was, now = before.enums.get(key), after.enums[key]
    if was is None:
        return [Statement(create_type_sql(key[1], key[0], now, ctx))]
    if was != now:
        raise ctx.unsupported(
            f"enum type {key[1]!r} would change its labels from {list(was)} to {list(now)}, "
            "and DuckDB cannot alter a type",
            hint=f"move the column to a new enum type under another name "
                 f"(alter_column(type_=sa.Enum(..., name=\"{key[1]}_v2\"))), "
                 "or target another dialect")
    return []


@base.register(CreateEnum, "duckdb")
def create_enum(op: CreateEnum, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    if op.checkfirst and not ctx.profile.supports("create_type_if_not_exists"):
        raise ctx.unsupported(f"enum type {op.name!r} is created only if missing "
                              "(checkfirst), which this DuckDB version cannot say",
                              hint="create it without checkfirst=True, or target duckdb@1.4")
    statement = create_type_sql(op.name, op.schema, op.values, ctx)
    if op.checkfirst:
        statement = statement.replace("CREATE TYPE ", "CREATE TYPE IF NOT EXISTS ", 1)
    return [Statement(statement)]


@base.register(AddConstraint, "duckdb")
def add_constraint(op: AddConstraint, before: SchemaState, after: SchemaState,
                   ctx: RenderContext) -> list[Statement]:
    if op.constraint_kind == "exclude":
        raise ctx.unsupported("exclude constraints exist only in PostgreSQL")
    return _copy(op, before, after, ctx)


@base.register(DropConstraint, "duckdb")
def drop_constraint(op: DropConstraint, before: SchemaState, after: SchemaState,
                    ctx: RenderContext) -> list[Statement]:
    if op.found(before)[0] is None:
        raise ctx.unsupported(f"constraint {op.name!r} is not known here, so the table "
                              "cannot be rebuilt without it")
    return _copy(op, before, after, ctx)


# How values are written as literals here (applied by render/literals.py).
register_literals("duckdb", LiteralRules(
    char_fn="chr({})", true_false=("TRUE", "FALSE"),
    nonfinite={"nan": "'NaN'::DOUBLE", "inf": "'Infinity'::DOUBLE", "-inf": "'-Infinity'::DOUBLE"},
    binary=lambda b: "'" + "".join(f"\\x{c:02X}" for c in b) + "'::BLOB",
    date="DATE '{d}'", datetime="TIMESTAMP '{d} {t}'", datetime_tz="TIMESTAMPTZ '{d} {t}{z}'",
    time="TIME '{t}'", time_tz="TIMETZ '{t}{z}'", interval="INTERVAL '{i}'",
))
