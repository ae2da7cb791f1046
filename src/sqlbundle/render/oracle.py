"""Oracle: ALTER TABLE ... MODIFY, only for what really changed (Oracle rejects a MODIFY to
the nullability a column already has), IF [NOT] EXISTS as PL/SQL before 23, and constraints
declared without a name (Oracle calls them SYS_C0012345) dropped by their columns or found when
the script runs."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import oracle as sa_oracle

from ..schema.operations import (
    AddColumn,
    AlterColumn,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
)
from ..schema.state import SchemaState, TableState
from . import base
from .context import RenderContext, Statement, sets_up
from .literals import LiteralRules, register_literals
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


@sets_up("oracle")
def _setup(dialect: Any, profile: Any, version: tuple[int, ...]) -> None:
    dialect.supports_native_boolean = profile.supports("boolean")
    dialect.use_ansi = True
    dialect.supports_identity_columns = version >= (12,)


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
    if name != op.column:
        base.check_name_length(name, ctx, "column")
        out.append(Statement(f"ALTER TABLE {target} RENAME COLUMN {column} TO "
                             f"{ctx.quote(name)}"))
    if op.comment is not base.UNSET:  # after the rename: it names the column by its new name
        if new.comment:
            out.extend(base.column_comment(table, name, ctx))
        else:  # Oracle removes a comment by setting it empty; IS NULL is an error there
            out.append(Statement(f"COMMENT ON COLUMN {target}.{ctx.quote(name)} IS ''"))
    return out + adds


@base.register(DropConstraint, "oracle")
def drop_constraint(op: DropConstraint, before: SchemaState, after: SchemaState,
                    ctx: RenderContext) -> list[Statement]:
    kind, item = op.found(before)
    if item is None or item.name is not None:
        return base.drop_constraint(op, before, after, ctx)
    # Declared without a name: Oracle drops a primary or unique key by its columns; a foreign
    # key is found in the catalog when the script runs.
    if kind in ("primary", "unique"):
        return [base.drop_key_by_columns(op, kind, item, ctx)]
    if kind != "foreign":
        raise base.unnamed_unsupported(op, kind, ctx)
    return [_foreign_key_lookup(op, item, ctx.table_name(op.table, op.schema), ctx)]


def _literal(name: str, ctx: RenderContext) -> str:
    """A name as Oracle's catalog stores it (unquoted names in upper case), as a literal."""
    return "'" + ctx.dialect.denormalize_name(name).replace("'", "''") + "'"


def _foreign_key_lookup(op: DropConstraint, item: Any, target: str,
                        ctx: RenderContext) -> Statement:
    owner = _literal(op.schema, ctx) if op.schema else "SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')"
    referred_owner = _literal(item.referred_schema, ctx) if item.referred_schema else "k.owner"
    columns = ("all_cons_columns c WHERE c.owner = k.owner AND c.constraint_name = "
               "k.constraint_name")
    where = [f"k.owner = {owner}", f"k.table_name = {_literal(op.table, ctx)}",
             "k.constraint_type = 'R'", "k.generated = 'GENERATED NAME'",
             f"(SELECT COUNT(*) FROM {columns}) = {len(item.columns)}"]
    where += [f"EXISTS (SELECT 1 FROM {columns} AND c.position = {position} AND c.column_name = "
              f"{_literal(column, ctx)})" for position, column in enumerate(item.columns, 1)]
    where.append("EXISTS (SELECT 1 FROM all_constraints r WHERE r.owner = k.r_owner AND "
                 "r.constraint_name = k.r_constraint_name AND r.owner = "
                 f"{referred_owner} AND r.table_name = {_literal(item.referred_table, ctx)})")
    statement = f"ALTER TABLE {target} DROP CONSTRAINT ".replace("'", "''")
    # SELECT INTO fails (ORA-01403) when there is no such key, so a wrong guess stops the script.
    missing = "\nEXCEPTION\n    WHEN NO_DATA_FOUND THEN NULL;" if op.if_exists else ""
    return Statement(
        "DECLARE\n"
        "    v_name VARCHAR2(128);\n"
        "BEGIN\n"
        "    SELECT k.constraint_name INTO v_name FROM all_constraints k\n"
        "    WHERE " + "\n      AND ".join(where) + ";\n"
        f"    EXECUTE IMMEDIATE '{statement}\"' || v_name || '\"';{missing}\n"
        "END;", block=True)


def interval_oracle(td: dt.timedelta) -> str:
    """``[-]D HH:MI:SS.FFFFFF`` for ``INTERVAL '...' DAY TO SECOND``."""
    total = td // dt.timedelta(microseconds=1)
    sign, total = ("-" if total < 0 else ""), abs(total)
    secs, micros = divmod(total, 1_000_000)
    days, secs = divmod(secs, 86400)
    return f"{sign}{days} {secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}.{micros:06d}"


# How values are written as literals here (applied by render/literals.py).
register_literals("oracle", LiteralRules(
    char_fn="CHR({})",
    specials=re.compile("([\x00-\x1f&])"),  # SQL*Plus prompts for &name (SET DEFINE ON)
    # VARCHAR2 literals and results stop at 4000 bytes; a CLOB first operand lifts that.
    chunk=500, widen=(4000, "TO_CLOB({})", "TO_CLOB({})"),
    nonfinite={"nan": "BINARY_DOUBLE_NAN", "inf": "BINARY_DOUBLE_INFINITY",
               "-inf": "-BINARY_DOUBLE_INFINITY"},
    nonfinite_types=(sa_oracle.BINARY_DOUBLE, sa_oracle.BINARY_FLOAT),
    binary=lambda b: f"HEXTORAW('{b.hex().upper()}')", binary_max=2000,
    date="DATE '{d}'",
    datetime="TO_TIMESTAMP('{d} {t}', 'YYYY-MM-DD HH24:MI:SS.FF6')",
    datetime_tz="TO_TIMESTAMP_TZ('{d} {t} {z}', 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM')",
    time=None, interval="INTERVAL '{i}' DAY(9) TO SECOND(6)", interval_text=interval_oracle,
    always_fraction=True, native_uuid=False,
))
