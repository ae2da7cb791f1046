"""SQL Server: ALTER COLUMN restates type and nullability from the state; server-named default
constraints, and constraints declared without a name (SQL Server names them
FK__posts__autho__3B75D760), are found and dropped by the database at apply time, never guessed
here."""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql import ddl

from ..schema.operations import (
    AddColumn,
    AlterColumn,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
    RenameTable,
    SetTableComment,
)
from ..schema.state import SchemaState, TableState
from . import base
from .context import RenderContext, Statement, sets_up
from .literals import LiteralRules, register_literals
from .constraints import (drop_index_parts, index_to_create, lacks_create_index_if_not_exists,
                          lacks_drop_index_if_exists)
from .ddl import compile_ddl, sql
from .tables import build_table


def _object_name(ctx: RenderContext, table: str, schema: str | None) -> str:
    return base.nstr(ctx.table_name(table, schema))


def drop_default_block(ctx: RenderContext, table: str, schema: str | None, column: str) -> Statement:
    """Drop whatever default constraint the column has, by looking its name up when applied."""
    target = ctx.table_name(table, schema)
    sql = (
        "DECLARE @sqlbundle_sql NVARCHAR(MAX);\n"
        f"SELECT @sqlbundle_sql = N'ALTER TABLE {target.replace(chr(39), chr(39) * 2)} "
        "DROP CONSTRAINT ' + QUOTENAME(dc.name)\n"
        "FROM sys.default_constraints AS dc\n"
        "JOIN sys.columns AS c ON c.object_id = dc.parent_object_id "
        "AND c.column_id = dc.parent_column_id\n"
        f"WHERE dc.parent_object_id = OBJECT_ID({_object_name(ctx, table, schema)}) "
        f"AND c.name = {base.nstr(column)};\n"
        "IF @sqlbundle_sql IS NOT NULL EXEC sp_executesql @sqlbundle_sql"
    )
    return Statement(sql, block=True)


@sets_up("mssql")
def _setup(dialect: Any, profile: Any, version: tuple[int, ...]) -> None:
    dialect.deprecate_large_types = True
    dialect._supports_nvarchar_max = True


@base.register(CreateTable, "mssql")
def create_table(op: CreateTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    if not op.if_not_exists:
        return base.create_table(op, before, after, ctx)
    # T-SQL has no CREATE TABLE IF NOT EXISTS.
    plain = base.create_table(op.__class__(op.table, op.line, op.autocommit, False),
                              before, after, ctx)
    guard = f"IF OBJECT_ID({_object_name(ctx, op.table.name, op.table.schema)}, N'U') IS NULL\n"
    return [Statement(guard + plain[0].sql, block=True)] + plain[1:]


@base.register(DropTable, "mssql")
def drop_table(op: DropTable, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    if op.if_exists and not ctx.profile.supports("drop_if_exists"):
        target = ctx.table_name(op.name, op.schema)
        return [Statement(f"IF OBJECT_ID({base.nstr(target)}, N'U') IS NOT NULL\n"
                          f"DROP TABLE {target}", block=True)]
    return base.drop_table(op, before, after, ctx)


@base.register(RenameTable, "mssql")
def rename_table(op: RenameTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    base.check_name_length(op.new_name, ctx, "table")
    return [Statement(f"EXEC sp_rename {base.nstr(ctx.table_name(op.old_name, op.schema))}, "
                      f"{base.nstr(op.new_name)}")]


@base.register(AddColumn, "mssql")
def add_column(op: AddColumn, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    if op.if_not_exists:
        raise ctx.unsupported("add_column(if_not_exists=True) cannot be expressed in T-SQL's "
                              "ALTER TABLE", hint="drop if_not_exists")
    if op.primary_key:
        raise ctx.unsupported("adding a primary-key column to an existing table",
                              hint="add the column, then op.create_primary_key()")
    return [Statement(base.add_column_sql(op, after, ctx, "ADD"))] + \
        base.column_extras(op, after, ctx)


@base.register(DropColumn, "mssql")
def drop_column(op: DropColumn, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    table = before.require_table(op.table, op.schema)
    col = table.column(op.column)
    out = []
    if col is not None and col.server_default is not None:
        out.append(drop_default_block(ctx, op.table, op.schema, op.column))
    exists = base.drop_column_exists(op, ctx)
    out.append(Statement(f"ALTER TABLE {ctx.table_name(op.table, op.schema)} DROP COLUMN{exists} "
                         f"{ctx.quote(op.column)}"))
    return out


@base.register(AlterColumn, "mssql")
def alter_column(op: AlterColumn, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    base.check_restated_key(op, before, ctx)
    old = before.require_table(op.table, op.schema).column(op.column)
    state = after.require_table(op.table, op.schema)
    name = op.new_name or op.column
    new = state.column(name)
    table = build_table(state, with_indexes=False, with_foreign_keys=False)
    target = ctx.table_name(op.table, op.schema)
    column = ctx.quote(op.column)
    drops, adds = base.type_check_changes(op, before, after, ctx)
    out: list[Statement] = drops
    type_changed = base.type_sql(old.type, ctx) != base.type_sql(new.type, ctx)
    if type_changed or old.nullable != new.nullable:
        # ALTER COLUMN restates both; the state knows the one the author did not change (for
        # Alembic's op, the one its hints restate: ``hints``). NULL is written out where
        # Alembic leaves it to the session's ANSI_NULL_DFLT_ON (ON in sqlcmd: NULL).
        null = "NULL" if new.nullable else "NOT NULL"
        out.append(Statement(f"ALTER TABLE {target} ALTER COLUMN {column} "
                             f"{base.type_sql(new.type, ctx)} {null}"))
    if op.server_default is not base.UNSET:
        if old.server_default is not None:
            out.append(drop_default_block(ctx, op.table, op.schema, op.column))
        if new.server_default is not None:
            out.append(Statement(f"ALTER TABLE {target} ADD DEFAULT "
                                 f"{base.default_sql(table, name, ctx)} FOR {column}"))
    if name != op.column:
        base.check_name_length(name, ctx, "column")
        out.append(Statement(f"EXEC sp_rename {base.nstr(target + '.' + column)}, {base.nstr(name)}, "
                             "'COLUMN'"))
    if op.comment is not base.UNSET:  # after the rename: it names the column by its new name
        if old.comment and new.comment:  # sp_addextendedproperty refuses to overwrite
            out.append(Statement(base.compile_ddl(ddl.DropColumnComment(table.c[name]), ctx)))
        out.extend(base.column_comment(table, name, ctx))
    return out + adds


@base.register(SetTableComment, "mssql")
def set_table_comment(op: SetTableComment, before: SchemaState, after: SchemaState,
                      ctx: RenderContext) -> list[Statement]:
    old = before.table(op.table, op.schema)
    out = []
    if op.comment is not None and old is not None and old.comment is not None:
        # sp_addextendedproperty refuses to overwrite: the old description goes first.
        table = build_table(old, with_indexes=False, with_foreign_keys=False)
        out.append(Statement(base.compile_ddl(ddl.DropTableComment(table), ctx)))
    return out + base.set_table_comment(op, before, after, ctx)


# A constraint declared without a name, by kind: its catalog view (with the object id of its
# column list's owner) and the view listing its columns in order.
_CATALOG = {
    "foreign": ("sys.foreign_keys", "k.object_id",
                "sys.foreign_key_columns AS kc JOIN sys.columns AS c ON c.object_id = "
                "kc.parent_object_id AND c.column_id = kc.parent_column_id",
                "kc.constraint_object_id", "kc.constraint_column_id"),
    "unique": ("sys.key_constraints", "k.unique_index_id",
               "sys.index_columns AS kc JOIN sys.columns AS c ON c.object_id = kc.object_id "
               "AND c.column_id = kc.column_id",
               "kc.object_id = k.parent_object_id AND kc.index_id", "kc.key_ordinal"),
}


def _columns_match(kind: str, columns: tuple[str, ...]) -> list[str]:
    """WHERE clauses: the constraint ``k`` has exactly ``columns``, in this order."""
    _, owner, view, key, ordinal = _CATALOG[kind]
    out = [f"(SELECT COUNT(*) FROM {view} WHERE {key} = {owner}) = {len(columns)}"]
    for position, column in enumerate(columns, 1):
        out.append(f"EXISTS (SELECT 1 FROM {view} WHERE {key} = {owner} AND {ordinal} = "
                   f"{position} AND c.name = {base.nstr(column)})")
    return out


def lookup_conditions(op: DropConstraint, table: TableState, kind: str, item: Any,
                      ctx: RenderContext) -> tuple[str, list[str]]:
    """(catalog view, WHERE clauses) that find the one constraint SQL Server named itself."""
    parent = f"k.parent_object_id = OBJECT_ID({_object_name(ctx, op.table, op.schema)})"
    if kind == "primary":
        return "sys.key_constraints", [parent, "k.type = 'PK'"]
    if kind == "foreign":
        referred = _object_name(ctx, item.referred_table, item.referred_schema)
        return "sys.foreign_keys", [parent, "k.is_system_named = 1",
                                    f"k.referenced_object_id = OBJECT_ID({referred})",
                                    *_columns_match(kind, item.columns)]
    if kind == "unique":
        return "sys.key_constraints", [parent, "k.type = 'UQ'", "k.is_system_named = 1",
                                       *_columns_match(kind, item.columns)]
    if kind == "check" and _only_unnamed_check(table, item):
        # A CHECK's columns are not catalogued: it is the only one named by the server that
        # sits on that column (or on the table).
        where = f"COL_NAME(k.parent_object_id, k.parent_column_id) = {base.nstr(item.column)}" \
            if item.column else "k.parent_column_id = 0"
        return "sys.check_constraints", [parent, "k.is_system_named = 1", where]
    raise base.unnamed_unsupported(op, kind, ctx)


def _only_unnamed_check(table: TableState, item: Any) -> bool:
    # By identity: a condition may be a SQLAlchemy construct, whose == builds SQL.
    same = [c for c in table.checks if c.name is None and c.column == item.column]
    return len(same) == 1 and same[0] is item


@base.register(DropConstraint, "mssql")
def drop_constraint(op: DropConstraint, before: SchemaState, after: SchemaState,
                    ctx: RenderContext) -> list[Statement]:
    kind, item = op.found(before)
    if item is None or item.name is not None:
        return base.drop_constraint(op, before, after, ctx)
    # Declared without a name: find the one SQL Server gave it when the script runs.
    table = before.require_table(op.table, op.schema)
    view, where = lookup_conditions(op, table, kind, item, ctx)
    target = ctx.table_name(op.table, op.schema).replace("'", "''")
    message = f"sqlbundle: no {base.KIND_LABELS[kind]} {op.name} on {op.table}"
    missing = (f"IF @sqlbundle_sql IS NULL THROW 50000, {base.nstr(message)}, 1;\n"
               if not op.if_exists else "IF @sqlbundle_sql IS NOT NULL ")
    sql = (
        "DECLARE @sqlbundle_sql NVARCHAR(MAX);\n"
        f"SELECT @sqlbundle_sql = N'ALTER TABLE {target} DROP CONSTRAINT ' + QUOTENAME(k.name)\n"
        f"FROM {view} AS k\n"
        "WHERE " + "\n  AND ".join(where) + ";\n"
        + missing + "EXEC sp_executesql @sqlbundle_sql"
    )
    return [Statement(sql, block=True)]


@base.register(CreateIndex, "mssql")
def create_index(op: CreateIndex, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    index = index_to_create(op, before, after, ctx)
    guarded = lacks_create_index_if_not_exists(op, ctx)
    text = compile_ddl(ddl.CreateIndex(index, if_not_exists=op.if_not_exists and not guarded),
                       ctx)
    if guarded:  # before 2016: decide at apply time
        name, table = base.nstr(op.index.name), base.nstr(ctx.table_name(op.table, op.schema))
        text = (f"IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = {name} "
                f"AND object_id = OBJECT_ID({table}))\n" + text)
        return [sql(text, block=True)]
    return [sql(text)]


@base.register(DropIndex, "mssql")
def drop_index(op: DropIndex, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    table_name, index = drop_index_parts(op, before)
    guarded = lacks_drop_index_if_exists(op, ctx)
    if guarded and table_name is None:
        raise ctx.unsupported("drop_index(if_exists=True): the target has no "
                              "DROP INDEX IF EXISTS", hint="drop if_exists")
    text = compile_ddl(ddl.DropIndex(index, if_exists=op.if_exists and not guarded), ctx)
    if guarded:
        name, table = base.nstr(op.name), base.nstr(ctx.table_name(table_name, op.schema))
        text = (f"IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = {name} "
                f"AND object_id = OBJECT_ID({table}))\n" + text)
        return [sql(text, block=True)]
    return [sql(text)]


# How values are written as literals here (applied by render/literals.py).
register_literals("mssql", LiteralRules(
    char_fn="CHAR({})", concat=" + ", national=True,
    splits=("$(",),  # sqlcmd expands $(name) even inside string literals
    # '+' of two non-MAX strings is cut at 8000 bytes (4000 characters) without a warning.
    widen=(4000, "CAST({} AS VARCHAR(MAX))", "CAST({} AS NVARCHAR(MAX))"),
    binary=lambda b: f"0x{b.hex().upper()}" if b else "CAST('' AS VARBINARY(MAX))",
    date="CAST('{d}' AS DATE)", datetime="CAST('{d}T{t}' AS DATETIME2)",
    datetime_tz="CAST('{d}T{t}{z}' AS DATETIMEOFFSET)", time="CAST('{t}' AS TIME)",
))
