"""The renderer registry and the renderers shared by every dialect.

``render_operation(op, before, after, ctx)`` picks the function registered for
``(type(op), dialect)`` or else ``(type(op), None)``. Dialect modules register overrides only
where their database differs; registering the same key twice is an error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ddl

from ..schema.expressions import is_expression
from ..schema.operations import (
    UNSET,
    AddColumn,
    AddConstraint,
    AlterColumn,
    BulkInsert,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropEnum,
    DropIndex,
    DropTable,
    Execute,
    Operation,
    RenameTable,
    SetTableComment,
)
from ..schema.state import CheckState, ExcludeState, ForeignKeyState, PrimaryKeyState, SchemaState
from ..schema.state import UniqueState
from .compiler import UNBOUND_HINT, UnboundParameter, ddl_compiler
from .context import RenderContext, Statement, Unsupported
from .tables import (
    build_index,
    build_table,
    constraint,
    detached_index,
    index_columns,
    stub_table,
    table_ref,
)

Renderer = Callable[[Any, SchemaState, SchemaState, RenderContext], list[Statement]]
_REGISTRY: dict[tuple[type, str | None], Renderer] = {}


def register(op_type: type, *dialects: str | None) -> Callable[[Renderer], Renderer]:
    """Register a renderer for ``op_type`` on ``dialects`` (none given: the default)."""

    def decorate(func: Renderer) -> Renderer:
        for dialect in dialects or (None,):
            key = (op_type, dialect)
            if key in _REGISTRY:
                raise RuntimeError(f"duplicate renderer for {op_type.__name__} on {dialect}")
            _REGISTRY[key] = func
        return func

    return decorate


def render_operation(op: Operation, before: SchemaState, after: SchemaState,
                     ctx: RenderContext) -> list[Statement]:
    func = _renderer(type(op), ctx.name)
    if func is None:
        raise ctx.unsupported(f"no renderer for {op.describe()}")
    statements = func(op, before, after, ctx)
    if getattr(op, "autocommit", False):
        statements = [replace(s, autocommit=True) for s in statements]
    return statements


@functools.cache
def _renderer(op_type: type, dialect_name: str) -> Renderer | None:
    """The dialect's renderer for ``op_type``, else the default one (looked up once per pair:
    a long history renders thousands of operations of a few kinds)."""
    from . import duckdb, mssql, mysql, oracle, postgresql, snowflake, sqlite  # noqa: F401

    return _REGISTRY.get((op_type, dialect_name)) or _REGISTRY.get((op_type, None))


def compile_ddl(element: Any, ctx: RenderContext) -> str:
    """Compile a SQLAlchemy DDL element; compiler refusals become clear errors."""
    try:
        return str(ddl_compiler(ctx.dialect, element)).strip()
    except sa.exc.IdentifierError as exc:
        raise ctx.unsupported(str(exc).split("\n")[0],
                              hint="use a shorter name (op.f('...') keeps it as written)") from None
    except (sa.exc.CompileError, sa.exc.UnsupportedCompilationError) as exc:
        # CREATE TABLE wraps a column's error in one naming the column.
        unbound = isinstance(exc, UnboundParameter) or isinstance(exc.__cause__, UnboundParameter)
        raise ctx.unsupported(f"cannot render: {str(exc).splitlines()[0]}",
                              hint=UNBOUND_HINT if unbound else None) from None


def column_spec(table: sa.Table, name: str, ctx: RenderContext) -> str:
    compiler = ddl_compiler(ctx.dialect)
    try:
        return compiler.get_column_specification(table.c[name])
    except UnboundParameter as exc:
        raise ctx.unsupported(f"cannot render column {name}: {exc}", hint=UNBOUND_HINT) from None
    except sa.exc.CompileError as exc:
        raise ctx.unsupported(f"cannot render column {name}: {exc}") from None


def check_name_length(name: str | None, ctx: RenderContext, what: str) -> None:
    limit = ctx.profile.identifier_limit
    if name and limit and len(name) > limit:
        raise ctx.unsupported(
            f"{what} name {name!r} is {len(name)} characters; {ctx.profile.title} allows {limit}",
            hint="choose a shorter name")


def sql(text: str, **flags: Any) -> Statement:
    return Statement(text, **flags)


# ---------------------------------------------------------------------------- tables


# Referential actions each dialect lacks. SQL Server and Oracle have no deferred checks, so
# their NO ACTION already behaves as RESTRICT; an action with no equivalent is an error.
_FK_ACTIONS = {
    "mssql": {"RESTRICT": "NO ACTION"},
    "oracle": {"RESTRICT": None, "NO ACTION": None},
}
_FK_UNSUPPORTED = {
    "oracle": {"ondelete": ("SET DEFAULT",), "onupdate": ("CASCADE", "SET NULL", "SET DEFAULT",
                                                          "RESTRICT")},
}


def fk_for_dialect(fk: ForeignKeyState, ctx: RenderContext) -> ForeignKeyState:
    if (fk.deferrable or fk.initially) and not ctx.profile.supports("deferrable_constraints"):
        raise ctx.unsupported(
            f"foreign key {fk.name or ''} is DEFERRABLE, which {ctx.profile.title} does not "
            "have; dropping it would check rows at once instead of at commit",
            hint="drop deferrable=/initially= for this dialect (branch on "
            "op.get_context().dialect.name)")
    mapping = _FK_ACTIONS.get(ctx.name, {})
    refused = _FK_UNSUPPORTED.get(ctx.name, {})
    changes = {}
    for field_name in ("ondelete", "onupdate"):
        value = getattr(fk, field_name)
        if value is None:
            continue
        if value.upper() in refused.get(field_name, ()):
            raise ctx.unsupported(
                f"foreign key {fk.name or ''} uses {field_name.upper().replace('ON', 'ON ')} "
                f"{value.upper()}, which {ctx.profile.title} does not have",
                hint="drop the action or enforce it with a trigger")
        if value.upper() in mapping:
            changes[field_name] = mapping[value.upper()]
    return replace(fk, **changes) if changes else fk


def table_for_dialect(state: Any, ctx: RenderContext) -> Any:
    fks = tuple(fk_for_dialect(fk, ctx) for fk in state.foreign_keys)
    return replace(state, foreign_keys=fks) if fks != state.foreign_keys else state


@register(CreateTable)
def create_table(op: CreateTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    state = table_for_dialect(op.table, ctx)
    check_name_length(state.name, ctx, "table")
    for col in state.columns:
        check_name_length(col.name, ctx, "column")
    table = build_table(state, with_indexes=False)
    # Sequences declared on columns are created with the table, as create_all() does.
    out = [sql(compile_ddl(ddl.CreateSequence(seq), ctx)) for seq in _sequences(state, ctx)]
    out.append(sql(compile_ddl(ddl.CreateTable(table, if_not_exists=op.if_not_exists), ctx)))
    for index in state.indexes:
        check_index(index, ctx)
        out.append(sql(compile_ddl(ddl.CreateIndex(build_index(table, index)), ctx)))
    out.extend(table_comment_statements(table, ctx, comments_of(state)))
    return out


def comments_of(state: Any) -> bool:
    return state.comment is not None or any(c.comment for c in state.columns)


def table_comment_statements(table: sa.Table, ctx: RenderContext, any_comment: bool
                             ) -> list[Statement]:
    """Dialects without inline comments get COMMENT statements after CREATE TABLE."""
    if not any_comment:
        return []
    if not ctx.dialect.supports_comments:
        ctx.warn("SB201", f"comments on {table.name} are not stored: {ctx.profile.title} has "
                          "no comments")
        return []
    if ctx.dialect.inline_comments:
        return []
    out = []
    if table.comment is not None:
        out.append(sql(compile_ddl(ddl.SetTableComment(table), ctx)))
    for column in table.columns:
        if column.comment:
            out.append(sql(compile_ddl(ddl.SetColumnComment(column), ctx)))
    return out


def _sequences(state: Any, ctx: RenderContext) -> list[Any]:
    if not ctx.dialect.supports_sequences:
        return []
    # optional=True sequences are skipped where the database has its own (SERIAL, IDENTITY).
    return [c.sequence for c in state.columns
            if c.sequence is not None
            and not (c.sequence.optional and ctx.dialect.sequences_optional)]


@register(DropTable)
def drop_table(op: DropTable, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    out = [sql(compile_ddl(ddl.DropTable(table_ref(op.name, op.schema), if_exists=op.if_exists),
                           ctx))]
    dropped = before.table(op.name, op.schema)
    if dropped is not None:
        out.extend(sql(compile_ddl(ddl.DropSequence(seq), ctx))
                   for seq in _sequences(dropped, ctx))
    return out


@register(RenameTable)
def rename_table(op: RenameTable, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    check_name_length(op.new_name, ctx, "table")
    return [sql(f"ALTER TABLE {ctx.table_name(op.old_name, op.schema)} "
                f"RENAME TO {ctx.quote(op.new_name)}")]


@register(SetTableComment)
def set_table_comment(op: SetTableComment, before: SchemaState, after: SchemaState,
                      ctx: RenderContext) -> list[Statement]:
    if not ctx.dialect.supports_comments:
        ctx.warn("SB201", f"table comment on {op.table} is not stored: {ctx.profile.title} has "
                          "no comments")
        return []
    table = build_table(after.require_table(op.table, op.schema), with_indexes=False)
    element = ddl.SetTableComment(table) if op.comment is not None else ddl.DropTableComment(table)
    return [sql(compile_ddl(element, ctx))]


# ---------------------------------------------------------------------------- columns


def add_column_sql(op: AddColumn, after: SchemaState, ctx: RenderContext, keyword: str) -> str:
    exists = " IF NOT EXISTS" if op.if_not_exists else ""
    return (f"ALTER TABLE {ctx.table_name(op.table, op.schema)} {keyword}{exists} "
            f"{added_column_spec(op, ctx)}{position_clause(op, after, ctx)}")


def column_predecessor(op: AddColumn, after: SchemaState) -> str | None:
    """For a column a batch placed (``insert_before``/``insert_after``) anywhere but last: the
    column it follows, "" when it comes first; None when ADD COLUMN's "last" is right."""
    if op.position is None:
        return None
    names = [c.name for c in after.require_table(op.table, op.schema).columns]
    at = names.index(op.column.name)
    return None if at == len(names) - 1 else (names[at - 1] if at else "")


def position_clause(op: AddColumn, after: SchemaState, ctx: RenderContext) -> str:
    """MySQL's ``FIRST`` / ``AFTER x``; elsewhere ADD COLUMN can only append, and a copy of
    the table (what Alembic's recreate does) would restart an auto-increment's sequence and
    rename its constraints, so a placed column is an error there."""
    previous = column_predecessor(op, after)
    if previous is None:
        return ""
    if not ctx.profile.supports("add_column_position"):
        raise ctx.unsupported(
            f"{ctx.profile.title} cannot place column {op.column.name} "
            f"({'first' if not previous else 'after ' + previous}): ADD COLUMN appends, and "
            "copying the table to reorder it would lose its sequences and constraint names",
            hint="drop insert_before/insert_after for this target (the column goes last)")
    return " FIRST" if not previous else f" AFTER {ctx.quote(previous)}"


# What follows the name in the specification of a plain column (a SQLAlchemy type, no default,
# identity or sequence), per target: it depends only on the type's class and arguments and a
# few flags, so a history adding thousands of such columns compiles each kind once.
_SPEC_TAILS: dict[tuple[Any, ...], str] = {}


def _plain_column_key(col: Any, ctx: RenderContext) -> tuple[Any, ...] | None:
    type_ = col.type
    if (col.server_default is not None or col.identity is not None or col.computed is not None
            or col.sequence is not None
            or not type(type_).__module__.startswith("sqlalchemy.")
            or isinstance(type_, (sa.types.SchemaType, sa.types.TypeDecorator,
                                  sa.types.UserDefinedType))):
        return None
    return (ctx.profile.target, type(type_), repr(type_), col.nullable, col.autoincrement,
            col.comment)


def inline_checks(op: AddColumn) -> list[Any]:
    """The CHECKs declared on the added column itself: written in its ADD COLUMN, as Alembic
    does (MariaDB names an unnamed one after the column)."""
    return [c for c in op.checks if c.inline and c.column == op.column.name]


def added_column_spec(op: AddColumn, ctx: RenderContext) -> str:
    from .tables import build_column

    checks = inline_checks(op)
    key = _plain_column_key(op.column, ctx) if not checks else None
    name = ctx.quote(op.column.name)
    if key is not None and key in _SPEC_TAILS:
        return name + _SPEC_TAILS[key]
    # A table holding just the new column is enough to compile its specification.
    column = build_column(op.column, checks=checks)
    table = sa.Table(op.table, sa.MetaData(), column, schema=op.schema)
    spec = column_spec(table, op.column.name, ctx)
    if checks:
        compiler = ctx.dialect.ddl_compiler(ctx.dialect, None)
        spec += " " + " ".join(compiler.process(c) for c in column.constraints
                               if isinstance(c, sa.CheckConstraint))
    if key is not None and spec.startswith(name):
        _SPEC_TAILS[key] = spec[len(name):]
    return spec


def added_column_comment(op: AddColumn, ctx: RenderContext) -> list[Statement]:
    """The comment of an added column, where ADD COLUMN cannot carry it (as for CREATE TABLE)."""
    if not op.column.comment:
        return []
    if not ctx.dialect.supports_comments:
        ctx.warn("SB201", f"comment on {op.table}.{op.column.name} is not stored: "
                          f"{ctx.profile.title} has no comments")
        return []
    if ctx.dialect.inline_comments:
        return []
    from .tables import build_column

    table = sa.Table(op.table, sa.MetaData(), build_column(op.column), schema=op.schema)
    return [sql(compile_ddl(ddl.SetColumnComment(table.c[op.column.name]), ctx))]


def column_extras(op: AddColumn, after: SchemaState, ctx: RenderContext) -> list[Statement]:
    """The comment, constraints and indexes declared on an added column, as their own
    statements."""
    out: list[Statement] = added_column_comment(op, ctx)
    inline = inline_checks(op)
    # By identity: conditions are SQLAlchemy constructs, whose == builds SQL.
    items: list[Any] = list(op.foreign_keys) + [c for c in op.checks
                                                if not any(c is i for i in inline)]
    if op.unique is not None:
        items.append(op.unique)
    for item in items:
        out.extend(add_constraint(AddConstraint(op.table, item, op.schema), after, after, ctx))
    if op.index is not None:
        out.extend(create_index(CreateIndex(op.table, op.index, op.schema), after, after, ctx))
    return out


@register(AddColumn)
def add_column(op: AddColumn, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    check_name_length(op.column.name, ctx, "column")
    if op.if_not_exists and not ctx.profile.supports("add_column_if_not_exists"):
        raise ctx.unsupported("add_column(if_not_exists=True) cannot be expressed",
                              hint="drop if_not_exists, or guard the migration yourself")
    if op.primary_key:
        raise ctx.unsupported("adding a primary-key column to an existing table",
                              hint="add the column, then op.create_primary_key()")
    return [sql(add_column_sql(op, after, ctx, "ADD COLUMN"))] + column_extras(op, after, ctx)


def drop_column_exists(op: DropColumn, ctx: RenderContext) -> str:
    if op.if_exists and not ctx.profile.supports("drop_column_if_exists"):
        raise ctx.unsupported("drop_column(if_exists=True): the target has no "
                              "DROP COLUMN IF EXISTS", hint="drop if_exists")
    return " IF EXISTS" if op.if_exists else ""


@register(DropColumn)
def drop_column(op: DropColumn, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    exists = drop_column_exists(op, ctx)
    return [sql(f"ALTER TABLE {ctx.table_name(op.table, op.schema)} DROP COLUMN{exists} "
                f"{ctx.quote(op.column)}")]


def resolved_type(op: AlterColumn, before: SchemaState, after: SchemaState) -> Any:
    table = after.table(op.table, op.schema)
    name = op.new_name or op.column
    col = table.column(name) if table else None
    return col.type if col is not None else (op.type or op.existing_type)


def type_check_changes(op: AlterColumn, before: SchemaState, after: SchemaState,
                       ctx: RenderContext) -> tuple[list[Statement], list[Statement]]:
    """(to run first, to run last): the CHECK constraints that go and come with the column's
    type (a non-native Enum's or a Boolean's), as Alembic drops ``existing_type``'s and adds
    ``type_``'s. Dialects that rebuild the table get them from the state instead."""
    if op.type is UNSET:
        return [], []
    from ..schema.enumtypes import type_checks

    table = before.require_table(op.table, op.schema)
    column = table.column(op.column)
    # Only the types' own CHECKs: a rename in the same call rewrites others, which stay.
    old = [c for c in type_checks(table.name, column.name, column.type, table.schema)
           if c in table.checks]
    new = list(op.type_checks)
    if old == new:
        return [], []
    drops: list[Statement] = []
    for check in old:
        if check in new:
            continue
        if check.name is None:
            raise ctx.unsupported(
                f"the CHECK constraint that the old type of {op.table}.{op.column} added has "
                "no name, so it cannot be dropped", hint="name the type (sa.Enum(..., name=...)"
                "), or drop the constraint by its database name with op.drop_constraint first")
        drops += render_operation(DropConstraint(op.table, check.name, op.schema), before,
                                  before, ctx)
    adds: list[Statement] = []
    for check in new:
        if check not in old:
            adds += render_operation(AddConstraint(op.table, check, op.schema), after, after, ctx)
    return drops, adds


@register(AlterColumn)
def alter_column(op: AlterColumn, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    drops, adds = type_check_changes(op, before, after, ctx)
    return drops + alter_column_statements(op, before, after, ctx) + adds


def alter_column_statements(op: AlterColumn, before: SchemaState, after: SchemaState,
                            ctx: RenderContext) -> list[Statement]:
    """PostgreSQL-style ALTER COLUMN; dialects that differ register their own."""
    old = before.require_table(op.table, op.schema).column(op.column)
    table = build_table(after.require_table(op.table, op.schema), with_indexes=False,
                        with_foreign_keys=False)
    name = op.new_name or op.column
    target = ctx.table_name(op.table, op.schema)
    column = ctx.quote(op.column)
    new = after.require_table(op.table, op.schema).column(name)
    out: list[Statement] = []
    if op.type is not UNSET and op.type is not None and _type_sql(old.type, ctx) != \
            _type_sql(new.type, ctx):
        using = f" USING {op.using}" if op.using else ""
        out.append(sql(f"ALTER TABLE {target} ALTER COLUMN {column} TYPE "
                       f"{_type_sql(new.type, ctx)}{using}"))
    if op.nullable is not UNSET and old.nullable != new.nullable:
        verb = "DROP NOT NULL" if new.nullable else "SET NOT NULL"
        out.append(sql(f"ALTER TABLE {target} ALTER COLUMN {column} {verb}"))
    if op.server_default is not UNSET:
        if new.server_default is None:
            out.append(sql(f"ALTER TABLE {target} ALTER COLUMN {column} DROP DEFAULT"))
        else:
            out.append(sql(f"ALTER TABLE {target} ALTER COLUMN {column} SET DEFAULT "
                           f"{default_sql(table, name, ctx)}"))
    if op.new_name and op.new_name != op.column:
        check_name_length(op.new_name, ctx, "column")
        out.append(sql(f"ALTER TABLE {target} RENAME COLUMN {column} TO "
                       f"{ctx.quote(op.new_name)}"))
    if op.comment is not UNSET:  # after the rename: it names the column by its new name
        out.extend(column_comment(table, name, ctx))
    return out


def check_restated_key(op: AlterColumn, before: SchemaState, ctx: RenderContext) -> None:
    """A primary-key column restated as NULL because the call did not say existing_nullable=
    (as Alembic does): MariaDB keeps it NOT NULL, MySQL and SQL Server refuse the statement."""
    if "nullable" not in op.implied or not op.nullable or \
            ctx.profile.supports("null_primary_key_stays_not_null"):
        return
    pk = before.require_table(op.table, op.schema).primary_key
    if pk is not None and op.column in pk.columns:
        raise ctx.unsupported(
            f"alter_column on primary-key column {op.table}.{op.column} states no "
            f"existing_nullable=, so Alembic restates the column as NULL, which "
            f"{ctx.profile.title} refuses for a primary key",
            hint="pass existing_nullable=False")


def _type_sql(type_: Any, ctx: RenderContext) -> str:
    from .tables import plain_type

    try:
        return ctx.dialect.type_compiler_instance.process(plain_type(type_))
    except sa.exc.CompileError as exc:
        raise ctx.unsupported(f"type {type_!r} cannot be rendered: {exc}") from None


def type_sql(type_: Any, ctx: RenderContext) -> str:
    return _type_sql(type_, ctx)


def default_sql(table: sa.Table, name: str, ctx: RenderContext) -> str:
    try:
        text = ddl_compiler(ctx.dialect).get_column_default_string(table.c[name])
    except UnboundParameter as exc:
        raise ctx.unsupported(f"cannot render the default of {table.name}.{name}: {exc}",
                              hint=UNBOUND_HINT) from None
    if text is None:
        raise ctx.unsupported(f"default of {table.name}.{name} cannot be rendered")
    return text


def column_comment(table: sa.Table, name: str, ctx: RenderContext) -> list[Statement]:
    if not ctx.dialect.supports_comments:
        ctx.warn("SB201", f"comment on {table.name}.{name} is not stored: {ctx.profile.title} "
                          "has no comments")
        return []
    column = table.c[name]
    element = ddl.SetColumnComment(column) if column.comment else ddl.DropColumnComment(column)
    return [sql(compile_ddl(element, ctx))]


# ---------------------------------------------------------------------------- indexes


def check_index(index: Any, ctx: RenderContext) -> None:
    check_name_length(index.name, ctx, "index")
    if not ctx.profile.supports("expression_indexes") and \
            any(is_expression(e) for e in index.expressions):
        raise ctx.unsupported(
            f"index {index.name} is on an expression, which {ctx.profile.title} "
            f"{ctx.profile.version} cannot index",
            hint="index a computed column holding the expression instead (or leave the index "
                 "out for this dialect: branch on op.get_context().dialect.name)")


@register(CreateIndex)
def create_index(op: CreateIndex, before: SchemaState, after: SchemaState,
                 ctx: RenderContext) -> list[Statement]:
    check_index(op.index, ctx)
    state = before.table(op.table, op.schema) or after.table(op.table, op.schema)
    table = stub_table(sa.MetaData(), op.table, op.schema, state, index_columns(op.index))
    index = build_index(table, op.index)
    guarded = op.if_not_exists and not ctx.profile.supports("create_index_if_not_exists")
    if guarded and ctx.name != "mssql":
        raise ctx.unsupported("create_index(if_not_exists=True): the target has no "
                              "CREATE INDEX IF NOT EXISTS", hint="drop if_not_exists")
    text = compile_ddl(ddl.CreateIndex(index, if_not_exists=op.if_not_exists and not guarded),
                       ctx)
    if guarded:  # SQL Server: decide at apply time
        text = (f"IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = {nstr(op.index.name)} "
                f"AND object_id = OBJECT_ID({nstr(ctx.table_name(op.table, op.schema))}))\n"
                + text)
        return [sql(text, block=True)]
    return [sql(text, autocommit=op.concurrently and ctx.name == "postgresql")]


def nstr(text: str) -> str:
    """A T-SQL Unicode string literal."""
    return "N'" + text.replace("'", "''") + "'"


@register(DropIndex)
def drop_index(op: DropIndex, before: SchemaState, after: SchemaState,
               ctx: RenderContext) -> list[Statement]:
    owner = op.owner(before)
    table_name = owner.name if owner is not None else op.table
    index = detached_index(op.name, table_name, op.schema, dict(op.kwargs))
    guarded = op.if_exists and not ctx.profile.supports("drop_index_if_exists")
    if guarded and (ctx.name != "mssql" or table_name is None):
        raise ctx.unsupported("drop_index(if_exists=True): the target has no "
                              "DROP INDEX IF EXISTS", hint="drop if_exists")
    text = compile_ddl(ddl.DropIndex(index, if_exists=op.if_exists and not guarded), ctx)
    if guarded:
        text = (f"IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = {nstr(op.name)} "
                f"AND object_id = OBJECT_ID({nstr(ctx.table_name(table_name, op.schema))}))\n"
                + text)
        return [sql(text, block=True)]
    concurrently = bool(dict(op.kwargs).get("postgresql_concurrently"))
    return [sql(text, autocommit=concurrently and ctx.name == "postgresql")]


# ---------------------------------------------------------------------------- constraints


def constraint_on(state: SchemaState, table_name: str, schema: str | None, item: Any,
                  ) -> Any:
    metadata = sa.MetaData()
    table_state = state.table(table_name, schema)
    table = stub_table(metadata, table_name, schema, table_state,
                       tuple(getattr(item, "columns", ())))
    obj = constraint(metadata, item)
    table.append_constraint(obj)
    return obj


@register(AddConstraint)
def add_constraint(op: AddConstraint, before: SchemaState, after: SchemaState,
                   ctx: RenderContext) -> list[Statement]:
    item = op.constraint
    check_name_length(item.name, ctx, "constraint")
    if isinstance(item, ExcludeState) and ctx.name != "postgresql":
        raise ctx.unsupported("exclude constraints exist only in PostgreSQL")
    if isinstance(item, CheckState) and ctx.name == "mysql" and \
            not ctx.profile.supports("check_constraints"):
        ctx.warn("SB202", f"MySQL {ctx.profile.version} parses but ignores CHECK constraint "
                          f"{item.name}")
    if isinstance(item, ForeignKeyState):
        item = fk_for_dialect(item, ctx)
    obj = constraint_on(before, op.table, op.schema, item)
    return [sql(compile_ddl(ddl.AddConstraint(obj), ctx))]


@register(DropConstraint)
def drop_constraint(op: DropConstraint, before: SchemaState, after: SchemaState,
                    ctx: RenderContext) -> list[Statement]:
    kind, item = op.found(before)
    if item is None:
        # The state cannot follow (raw SQL ran before); trust the author's type_.
        kind = {"foreignkey": "foreign"}.get(op.type_hint or "", op.type_hint)
        item = _placeholder(kind, op.name)
    elif item.name is None:
        # Declared without a name: dropped by the one the database gave it (gennames.py),
        # whatever the migration calls it (a batch naming convention's name, say).
        item = replace(item, name=item.generated_name or op.name)
    obj = constraint_on(before, op.table, op.schema, item)
    return [sql(compile_ddl(ddl.DropConstraint(obj, if_exists=op.if_exists), ctx))]


KIND_LABELS = {"primary": "primary key", "foreign": "foreign key", "unique": "unique constraint",
               "check": "check constraint", "exclude": "exclude constraint"}


def unnamed_unsupported(op: DropConstraint, kind: str, ctx: RenderContext) -> Unsupported:
    """A constraint declared without a name that this target named in a way nobody can
    predict, and that the script cannot single out when it runs."""
    return ctx.unsupported(
        f"{KIND_LABELS[kind]} {op.name!r} was declared without a name, so {ctx.profile.title} "
        "named it itself, and the script cannot tell it apart from the others on the table",
        hint="give the constraint a name where it is created (name=...)")


def _placeholder(kind: str | None, name: str) -> Any:
    if kind == "foreign":
        return ForeignKeyState(name, (), "unknown", ())
    if kind == "primary":
        return PrimaryKeyState(name, ())
    if kind == "unique":
        return UniqueState(name, ())
    return CheckState(name, "1=1")


# ---------------------------------------------------------------------------- data and raw SQL


@register(Execute)
def execute(op: Execute, before: SchemaState, after: SchemaState,
            ctx: RenderContext) -> list[Statement]:
    from .data import render_execute

    return render_execute(op, before, ctx)


@register(BulkInsert)
def bulk_insert(op: BulkInsert, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    from .data import render_bulk_insert

    return render_bulk_insert(op, before, ctx)


@register(CreateEnum)
def create_enum(op: CreateEnum, before: SchemaState, after: SchemaState,
                ctx: RenderContext) -> list[Statement]:
    return []  # only PostgreSQL has named enum types; elsewhere enums are inline


@register(DropEnum)
def drop_enum(op: DropEnum, before: SchemaState, after: SchemaState,
              ctx: RenderContext) -> list[Statement]:
    return []
