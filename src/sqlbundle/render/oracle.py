"""Oracle: ALTER TABLE ... MODIFY, only for what really changed (Oracle rejects a MODIFY to
the nullability a column already has), and IF [NOT] EXISTS as PL/SQL before 23."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from ..operations import AddColumn, AlterColumn, CreateIndex, CreateTable, DropColumn, DropIndex
from ..operations import DropTable
from ..state import SchemaState, TableState
from . import base
from .context import RenderContext, Statement
from .tables import build_table


def _ignore_error(statement: str, code: int) -> Statement:
    """Run ``statement``; swallow only the error that means "already done"."""
    quoted = statement.replace("'", "''")
    return Statement(
        "BEGIN\n"
        f"    EXECUTE IMMEDIATE '{quoted}';\n"
        "EXCEPTION\n"
        f"    WHEN OTHERS THEN IF SQLCODE != {code} THEN RAISE; END IF;\n"
        "END;", block=True)


def _guarded(plain: list[Statement], code: int, ctx: RenderContext) -> list[Statement]:
    if ctx.profile.supports("if_exists"):
        return plain
    return [_ignore_error(plain[0].sql, code)] + plain[1:]


def with_identity(table: TableState, ctx: RenderContext) -> TableState:
    """An auto-incrementing integer primary key becomes an identity column: Oracle has no
    SERIAL/AUTO_INCREMENT, and without it every INSERT that omits the key fails."""
    col = table.serial_column()
    if col is None or not ctx.profile.supports("identity_columns"):
        return table
    identity = replace(col, identity=sa.Identity())
    return replace(table, columns=tuple(identity if c.name == col.name else c
                                        for c in table.columns))


@base.register(CreateTable, "oracle")
def create_table(op: CreateTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    op = replace(op, table=with_identity(op.table, ctx))
    if op.if_not_exists and not ctx.profile.supports("if_exists"):
        plain = base.create_table(op.__class__(op.table, op.line, op.autocommit, False),
                                  before, after, ctx)
        return _guarded(plain, -955, ctx)  # ORA-00955: name is already used
    return base.create_table(op, before, after, ctx)


@base.register(DropTable, "oracle")
def drop_table(op: DropTable, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    if op.if_exists and not ctx.profile.supports("if_exists"):
        plain = base.drop_table(op.__class__(op.name, op.schema, op.line, op.autocommit, False),
                                before, after, ctx)
        return _guarded(plain, -942, ctx)  # ORA-00942: table or view does not exist
    return base.drop_table(op, before, after, ctx)


@base.register(CreateIndex, "oracle")
def create_index(op: CreateIndex, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    if not op.if_not_exists:
        return base.create_index(op, before, after, ctx)
    plain = base.create_index(replace(op, if_not_exists=False), before, after, ctx)
    if ctx.profile.supports("if_exists"):
        text = plain[0].sql.replace(" INDEX ", " INDEX IF NOT EXISTS ", 1)
        return [Statement(text)] + plain[1:]
    return _guarded(plain, -955, ctx)


@base.register(DropIndex, "oracle")
def drop_index(op: DropIndex, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    if op.if_exists and not ctx.profile.supports("if_exists"):
        plain = base.drop_index(replace(op, if_exists=False), before, after, ctx)
        return _guarded(plain, -1418, ctx)  # ORA-01418: specified index does not exist
    return base.drop_index(op, before, after, ctx)


@base.register(AddColumn, "oracle")
def add_column(op: AddColumn, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    if op.if_not_exists:
        raise ctx.unsupported("add_column(if_not_exists=True)", hint="drop if_not_exists")
    if op.primary_key:
        raise ctx.unsupported("adding a primary-key column to an existing table",
                              hint="add the column, then op.create_primary_key()")
    return [Statement(base.add_column_sql(op, after, ctx, "ADD"))] + \
        base.column_extras(op, after, ctx)


@base.register(DropColumn, "oracle")
def drop_column(op: DropColumn, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    if op.if_exists:
        raise ctx.unsupported("drop_column(if_exists=True)", hint="drop if_exists")
    return [Statement(f"ALTER TABLE {ctx.table_name(op.table, op.schema)} DROP COLUMN "
                      f"{ctx.quote(op.column)}")]


@base.register(AlterColumn, "oracle")
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
    if base.type_sql(old.type, ctx) != base.type_sql(new.type, ctx):
        out.append(Statement(f"ALTER TABLE {target} MODIFY {column} "
                             f"{base.type_sql(new.type, ctx)}"))
    if op.server_default is not base.UNSET:
        default = base.default_sql(table, name, ctx) if new.server_default is not None else "NULL"
        out.append(Statement(f"ALTER TABLE {target} MODIFY {column} DEFAULT {default}"))
    if old.nullable != new.nullable:
        out.append(Statement(f"ALTER TABLE {target} MODIFY {column} "
                             f"{'NULL' if new.nullable else 'NOT NULL'}"))
    if op.comment is not base.UNSET:
        if new.comment:
            out.extend(base.column_comment(table, name, ctx))
        else:  # Oracle removes a comment by setting it empty; IS NULL is an error there
            out.append(Statement(f"COMMENT ON COLUMN {target}.{ctx.quote(name)} IS ''"))
    if name != op.column:
        base.check_name_length(name, ctx, "column")
        out.append(Statement(f"ALTER TABLE {target} RENAME COLUMN {column} TO "
                             f"{ctx.quote(name)}"))
    return out + adds
