"""Raw SQL written in one dialect (``-- source_dialect:``, ``op.execute(..., dialect=)``),
written for another target.

A statement the replayed-schema follower (``rawddl``) reads becomes the operations it is, and
those operations' renderers write it from the state before it: what the target needs beyond
what the source says comes from the history (``DROP INDEX ix ON t`` on MySQL and SQL Server,
MySQL's full ``MODIFY``/``CHANGE``, SQLite's table copy, ``DROP FOREIGN KEY``/``DROP CHECK``
by the constraint's kind, ``sp_rename``). CREATE TABLE, indexes with orderings or predicates,
plain ADD COLUMN and statements that do not change the schema are transpiled by sqlglot, after
dropping what only orders columns or picks a lock (MySQL's AFTER and table options,
CONCURRENTLY). IF [NOT] EXISTS the target lacks is decided from the state, which the bundle's
guards make the database's. What still cannot be written is an error naming the file and the
statement's line, never SQL the target rejects. Text in the target's own dialect is kept
exactly as written.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..schema.operations import (
    AddColumn,
    AlterColumn,
    CreateIndex,
    DropColumn,
    DropConstraint,
    DropIndex,
    Execute,
    Operation,
)
from ..schema.rawddl import RawStatement, raw_operations, raw_statements
from ..schema.rawdefs import SourceSQL
from ..schema.state import SchemaState, StateError, evolve
from .transpile import (
    failure,
    hint_for,
    same_database,
    shown,
    split_statements,
    sqlglot_name,
    transpile_tree,
)
from .context import RenderContext, Statement, Unsupported
from .statements import classify

# Targets whose DROP INDEX names the table, and whose DROP CONSTRAINT says the constraint's
# kind (FOREIGN KEY, CHECK, INDEX): the state must know the index or constraint.
_DROP_INDEX_NEEDS_TABLE = frozenset({"mysql", "mariadb", "mssql"})
_DROP_CONSTRAINT_NEEDS_KIND = frozenset({"mysql", "mariadb"})
# Index clauses only some targets have (the others would get an index that means less).
_INDEX_CLAUSES = {"where": frozenset({"postgresql", "sqlite", "mssql"}),
                  "include": frozenset({"postgresql", "mssql"}),
                  "using": frozenset({"postgresql"})}
# The IF [NOT] EXISTS an operation may carry, and the profile feature saying the target has it.
_EXISTS_FEATURE = {DropIndex: ("if_exists", "drop_index_if_exists"),
                   DropColumn: ("if_exists", "drop_column_if_exists"),
                   DropConstraint: ("if_exists", None),
                   CreateIndex: ("if_not_exists", "create_index_if_not_exists"),
                   AddColumn: ("if_not_exists", "add_column_if_not_exists")}
# Targets where a primary-key column takes NULL unless it says NOT NULL (SQLite's legacy).
_PRIMARY_KEY_NULLABLE = frozenset({"sqlite"})
# MySQL table options that only choose storage; other databases have no such thing.
_MYSQL_STORAGE = ("EngineProperty", "CharacterSetProperty", "CollateProperty",
                  "AutoIncrementProperty", "RowFormatProperty", "ChecksumProperty")


def render_raw(op: Execute, before: SchemaState, ctx: RenderContext) -> list[Statement]:
    """``op``'s SQL (in ``op.source_dialect``) as statements for ``ctx``'s target."""
    source = op.source_dialect or ""
    if same_database(source, ctx.profile):
        # The target's own text: split, never rewritten.
        return [classify(text, ctx) for text in split_statements(op.sql, source)]
    read = sqlglot_name(source)
    state = before
    out: list[Statement] = []
    for statement in raw_statements(op.sql, read):
        line = ctx.line + statement.offset if op.text_lines and ctx.line else ctx.line
        here = RenderContext(ctx.profile, ctx.dialect, ctx.path, line, ctx.diagnostics)
        written, state = _statement(statement, state, read, here)
        out.extend(written)
    return out


def _statement(statement: RawStatement, state: SchemaState, read: str, ctx: RenderContext
               ) -> tuple[list[Statement], SchemaState]:
    from sqlglot import exp

    tree = statement.tree
    if tree is None:
        raise _fail(f"{shown(statement.text)} does not parse as {read}: {statement.error}",
                    read, ctx)
    if not statement.changes_schema:
        return [_transpiled(statement, tree, read, ctx)], state
    ops = raw_operations(tree, state, read)
    if ops is None:
        if _needs_following(tree, read, ctx):
            reason = ("the replayed schema has lost track of it (raw SQL it could not follow "
                      "ran earlier)" if state.opaque else
                      "sqlbundle cannot follow this form into the replayed schema")
            raise _fail(f"{shown(statement.text)} cannot be written for {ctx.profile.title}: "
                        f"it needs what the history says about its table and {reason}",
                        read, ctx)
        return [_transpiled(statement, tree, read, ctx)], evolve(state, opaque=True)
    kind = str(tree.args.get("kind") or "").upper()
    if isinstance(tree, exp.Create) and kind == "TABLE":
        return _create_table(statement, ops, state, read, ctx)
    if isinstance(tree, exp.Create) and kind == "INDEX" and not _simple_index(statement):
        return _create_index(statement, ops[0], state, read, ctx)
    if _plain_add_column(tree, ops):
        tree = tree.copy()
        if not ctx.profile.column_positions:
            for action in tree.args["actions"]:
                action.set("position", None)  # MySQL's AFTER/FIRST: only the column order
        return [_transpiled(statement, tree, read, ctx)], _apply(ops[0], state, statement,
                                                                  read, ctx)
    _check_cascade(tree, state, statement, read, ctx)
    out: list[Statement] = []
    for op in ops:
        written, state = _typed(op, state, statement, read, ctx)
        out.extend(written)
    return out, state


def _fail(message: str, read: str, ctx: RenderContext) -> Exception:
    return failure(message, read, ctx.profile, ctx.path, ctx.line)


def _transpiled(statement: RawStatement, tree: Any, read: str, ctx: RenderContext
                ) -> Statement:
    if tree is statement.tree and read == ctx.profile.sqlglot_dialect:
        return classify(statement.text, ctx)  # MySQL text for MariaDB: kept as written
    return classify(transpile_tree(tree, statement.text, read, ctx.profile, path=ctx.path,
                                   line=ctx.line), ctx)


def _needs_following(tree: Any, read: str, ctx: RenderContext) -> bool:
    """Forms whose text no target but the source's can take as sqlglot writes it."""
    from sqlglot import exp

    kind = str(tree.args.get("kind") or "").upper()
    if isinstance(tree, (exp.Alter, exp.Comment)) or \
            (isinstance(tree, exp.Drop) and kind == "INDEX"):
        return True
    if isinstance(tree, exp.Create) and kind == "TABLE":
        return not ctx.profile.inline_indexes and \
            any(True for _ in tree.find_all(exp.IndexColumnConstraint))
    # MySQL's prefix lengths, a(10), read as function calls.
    return isinstance(tree, exp.Create) and kind == "INDEX" and read == "mysql"


def _apply(op: Operation, state: SchemaState, statement: RawStatement, read: str,
           ctx: RenderContext) -> SchemaState:
    """The state after ``op``; an error when ``op`` does not fit it (the target's statement
    depends on what the state says)."""
    try:
        after = op.apply(state)
    except StateError as exc:
        lost = " (raw SQL the replayed schema could not follow ran earlier)" \
            if state.opaque else ""
        raise _fail(f"{shown(statement.text)}: {exc.message}{lost}", read, ctx) from None
    return after


def _settled(op: Operation, state: SchemaState, statement: RawStatement, read: str,
             ctx: RenderContext) -> Operation | None:
    """``op`` with its IF [NOT] EXISTS decided from the state where the state knows (None:
    it does nothing here), or kept where the state cannot tell and the target has it."""
    flag, feature = _EXISTS_FEATURE.get(type(op), (None, None))
    if flag is None or not getattr(op, flag):
        return op
    has_it = feature is not None and ctx.profile.supports(feature)
    if state.opaque:
        if has_it:
            return op
        raise _fail(f"{shown(statement.text)}: {ctx.profile.title} has no "
                    f"{flag.upper().replace('_', ' ')} here, and after raw SQL it could not "
                    "follow the replayed schema cannot tell", read, ctx)
    try:
        if op.apply(state) is state:
            return None  # already there / already gone
    except StateError:
        return op  # _apply says what is wrong
    return op if has_it else replace(op, **{flag: False})


def _typed(op: Operation, state: SchemaState, statement: RawStatement, read: str,
           ctx: RenderContext) -> tuple[list[Statement], SchemaState]:
    from .registry import render_operation

    settled = _settled(op, state, statement, read, ctx)
    if settled is None:
        return [], state
    op = settled
    after = _apply(op, state, statement, read, ctx)
    if isinstance(op, DropIndex) and op.table is None and op.owner(state) is None and \
            ctx.name in _DROP_INDEX_NEEDS_TABLE:
        raise _fail(f"{shown(statement.text)}: {ctx.profile.title} names the table in DROP "
                    f"INDEX, and the replayed schema does not know index {op.name} here",
                    read, ctx)
    if isinstance(op, DropConstraint) and op.type_hint is None and \
            op.found(state)[0] is None and ctx.name in _DROP_CONSTRAINT_NEEDS_KIND:
        raise _fail(f"{shown(statement.text)}: {ctx.profile.title} drops a constraint by its "
                    f"kind, and the replayed schema does not know constraint {op.name} here",
                    read, ctx)
    if isinstance(op, AlterColumn) and op.using and not ctx.profile.alter_column_using and \
            not _casts_itself(op.using, op.column, read):
        raise _fail(f"{shown(statement.text)}: {ctx.profile.title} converts the column's "
                    f"values itself and has no USING {op.using}", read, ctx)
    try:
        written = render_operation(replace(op, line=ctx.line), state, after, ctx)
    except StateError as exc:
        raise _fail(f"{shown(statement.text)}: {exc.message}", read, ctx) from None
    except Unsupported as exc:
        # The operation's own refusal, for the statement the author wrote.
        raise Unsupported(f"{shown(statement.text)}: {exc.message}", path=ctx.path,
                          line=ctx.line, hint=exc.hint or hint_for(ctx.profile)) from None
    return written, after


def _plain_add_column(tree: Any, ops: tuple[Operation, ...]) -> bool:
    """One ADD COLUMN of a column alone: sqlglot writes it as well as the state could."""
    if len(ops) != 1 or not isinstance(ops[0], AddColumn) or len(tree.args["actions"]) != 1:
        return False
    op = ops[0]
    col = op.column
    # An expression default is the state's to write: MySQL wants it in parentheses, SQLite
    # adds such a column by a table copy. TRUE/FALSE are constants sqlglot writes well.
    default = col.server_default
    expression = isinstance(default, SourceSQL) and default.text.upper() not in ("TRUE", "FALSE")
    return not (op.if_not_exists or op.primary_key or op.unique or op.foreign_keys or
                op.checks or col.comment is not None or expression
                or (not col.nullable and default is None))


def _simple_index(statement: RawStatement) -> bool:
    """Plain columns in their natural order and nothing else: the operation says it all."""
    from sqlglot import exp

    params = statement.tree.this.args.get("params")
    if params is None or any(params.args.get(k) for k in _INDEX_CLAUSES):
        return False
    columns = params.args.get("columns") or []
    return "NULLS" not in statement.text.upper() and not any(
        isinstance(c, exp.Ordered) and c.args.get("desc") for c in columns)


def _create_index(statement: RawStatement, op: Operation, state: SchemaState, read: str,
                  ctx: RenderContext) -> tuple[list[Statement], SchemaState]:
    """An index with orderings or clauses, transpiled by sqlglot where the target has them."""
    tree = statement.tree.copy()
    params = tree.this.args.get("params")
    for clause, targets in _INDEX_CLAUSES.items():
        if params is not None and params.args.get(clause) and ctx.name not in targets:
            raise _fail(f"{shown(statement.text)}: {ctx.profile.title} has no "
                        f"{clause.upper()} clause on an index", read, ctx)
    tree.set("concurrently", False)  # how the index is built: not a PostgreSQL source's target
    settled = _settled(op, state, statement, read, ctx)
    if settled is None:
        return [], state
    tree.set("exists", getattr(settled, "if_not_exists", False))
    return [_transpiled(statement, tree, read, ctx)], _apply(settled, state, statement, read,
                                                            ctx)


def _create_table(statement: RawStatement, ops: tuple[Operation, ...], state: SchemaState,
                  read: str, ctx: RenderContext) -> tuple[list[Statement], SchemaState]:
    """CREATE TABLE transpiled; MySQL's inline indexes become CREATE INDEX elsewhere."""
    from sqlglot import exp

    if not ops:
        return [], state  # IF NOT EXISTS, and the table is there
    create, indexes = ops[0], ops[1:]
    mysql_target = ctx.profile.inline_indexes
    lacks_exists = statement.tree.args.get("exists") and \
        not ctx.profile.supports("create_table_if_not_exists")
    # Unchanged (MySQL text for MariaDB) it is kept as written.
    tree = statement.tree.copy() if lacks_exists or read != ctx.profile.sqlglot_dialect \
        else statement.tree
    if lacks_exists:
        if state.opaque:
            raise _fail(f"{shown(statement.text)}: {ctx.profile.title} has no CREATE TABLE IF "
                        "NOT EXISTS, and after raw SQL it could not follow the replayed schema "
                        "cannot tell", read, ctx)
        tree.set("exists", False)
    if not mysql_target:
        for item in list(tree.find_all(exp.IndexColumnConstraint)):
            item.pop()
        _named_uniques(tree)
        properties = tree.args.get("properties")
        for prop in list(properties.expressions) if properties is not None else []:
            if type(prop).__name__ in _MYSQL_STORAGE:
                prop.pop()
        if properties is not None and not properties.expressions:
            tree.set("properties", None)
    if ctx.name in _PRIMARY_KEY_NULLABLE:
        _not_null_keys(tree, create)
    out = [_transpiled(statement, tree, read, ctx)]
    state = _apply(create, state, statement, read, ctx)
    for index in indexes:
        if mysql_target:
            state = _apply(index, state, statement, read, ctx)
            continue
        written, state = _typed(index, state, statement, read, ctx)
        out.extend(written)
    return out, state


def _named_uniques(tree: Any) -> None:
    """MySQL's ``UNIQUE KEY name (a)`` as ``CONSTRAINT name UNIQUE (a)``, which others read."""
    from sqlglot import exp

    for item in list(tree.this.expressions):
        if isinstance(item, exp.UniqueColumnConstraint) and isinstance(item.this, exp.Schema) \
                and isinstance(item.this.this, exp.Identifier):
            name = item.this.this.pop()
            item.replace(exp.Constraint(this=name, expressions=[item.copy()]))


def _casts_itself(using: str, column: str, read: str) -> bool:
    """``USING a::int`` (the column cast to its new type) is what every target does anyway."""
    import sqlglot
    from sqlglot import exp

    node = sqlglot.parse_one(using, read=read)
    while isinstance(node, (exp.Cast, exp.Paren)):
        node = node.this
    return isinstance(node, exp.Column) and node.name == column and not node.table


def _check_cascade(tree: Any, state: SchemaState, statement: RawStatement, read: str,
                   ctx: RenderContext) -> None:
    """DROP TABLE ... CASCADE also drops the foreign keys referring to the table; elsewhere
    the drop fails. Refused when the state shows such foreign keys."""
    from sqlglot import exp

    if not (isinstance(tree, exp.Drop) and tree.args.get("cascade")):
        return
    dropped = {(t.db or None, t.name) for t in tree.args.get("tables") or []}
    for key, table in state.tables.items():
        for fk in table.foreign_keys:
            if (fk.referred_schema, fk.referred_table) in dropped and key not in dropped:
                raise _fail(f"{shown(statement.text)}: CASCADE also drops foreign key "
                            f"{fk.name or ''} of {table.display}, which "
                            f"{ctx.profile.title}'s DROP does not", read, ctx)


def _not_null_keys(tree: Any, create: Any) -> None:
    """Primary-key columns written NOT NULL, as every other database makes them."""
    from sqlglot import exp

    keys = set(create.table.primary_key.columns) if create.table.primary_key else set()
    for column in tree.this.expressions:
        if not isinstance(column, exp.ColumnDef) or column.name not in keys:
            continue
        constraints = column.args.get("constraints") or []
        if not any(isinstance(c.args.get("kind"), exp.NotNullColumnConstraint)
                   for c in constraints):
            column.append("constraints", exp.ColumnConstraint(
                kind=exp.NotNullColumnConstraint()))
