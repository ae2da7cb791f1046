"""SQL Server: ALTER COLUMN restates type and nullability from the state; server-named default
constraints are found and dropped by the database at apply time, never guessed here."""

from __future__ import annotations

from ..operations import AddColumn, AlterColumn, CreateTable, DropColumn, DropTable, RenameTable
from ..state import SchemaState
from . import base
from .context import RenderContext, Statement
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
        # ALTER COLUMN restates both; the state knows the one the author did not change.
        null = "NULL" if new.nullable else "NOT NULL"
        out.append(Statement(f"ALTER TABLE {target} ALTER COLUMN {column} "
                             f"{base.type_sql(new.type, ctx)} {null}"))
    if op.server_default is not base.UNSET:
        if old.server_default is not None:
            out.append(drop_default_block(ctx, op.table, op.schema, op.column))
        if new.server_default is not None:
            out.append(Statement(f"ALTER TABLE {target} ADD DEFAULT "
                                 f"{base.default_sql(table, name, ctx)} FOR {column}"))
    if op.comment is not base.UNSET:
        out.extend(base.column_comment(table, name, ctx))
    if name != op.column:
        base.check_name_length(name, ctx, "column")
        out.append(Statement(f"EXEC sp_rename {base.nstr(target + '.' + column)}, {base.nstr(name)}, "
                             "'COLUMN'"))
    return out + adds

