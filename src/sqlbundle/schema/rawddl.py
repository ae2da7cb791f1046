"""Following raw DDL into the replayed schema: each statement sqlglot can read becomes the
operations it is, folded like any recorded operation.

``DROP INDEX ix`` is a ``DropIndex``, ``ALTER COLUMN ... TYPE/SET NOT NULL/SET DEFAULT`` and
MySQL's ``MODIFY``/``CHANGE`` are ``AlterColumn``s, ``DROP CONSTRAINT`` and MySQL's ``DROP
FOREIGN KEY``/``DROP CHECK``/``DROP PRIMARY KEY`` are ``DropConstraint``s, and so on (CREATE/DROP
TABLE, ADD/DROP/RENAME COLUMN, RENAME TO and MySQL's RENAME TABLE, CREATE/DROP INDEX, ADD
CONSTRAINT, MySQL's ADD INDEX, COMMENT ON). Later Python operations and lint see what raw SQL
built, and the renderers write such a statement for another target from the state before it.
Anything else that changes the schema gives None: the caller marks the state opaque and says
so. Pure: parsing only, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from .columnops import AddColumn, AlterColumn, DropColumn
from .constraintops import AddConstraint, CreateIndex, DropConstraint, DropIndex
from .opbase import Operation, UNSET
from .tableops import CreateTable, DropTable, RenameTable, SetTableComment
from .rawdefs import (
    column_parts,
    default_value,
    index_columns,
    mysql_index_name,
    sa_type,
    table_constraint,
    table_from_create,
)
from .state import IndexState, SchemaState, StateError


Ops = tuple[Operation, ...]


@dataclass(frozen=True)
class RawStatement:
    """One statement of raw SQL, as written (no terminator), parsed in its source dialect."""

    text: str
    tree: Any  # a sqlglot expression; None when it does not parse (or holds only comments)
    offset: int  # lines of the text before this statement
    error: str = ""  # why it does not parse

    @property
    def changes_schema(self) -> bool:
        from sqlglot import exp

        if self.tree is None:
            return bool(self.error)
        return not isinstance(self.tree, (exp.Insert, exp.Update, exp.Delete, exp.Merge,
                                          exp.Select, exp.Union, exp.Semicolon,
                                          exp.TruncateTable))


@lru_cache(maxsize=512)
def raw_statements(sql: str, read: str) -> tuple[RawStatement, ...]:
    """``sql`` split into statements (sqlglot's tokenizer finds the semicolons) and parsed.
    Cached: the replay and every target's renderer read the same text. The trees are shared:
    copy one before changing it."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    from .sqltext import quiet_sqlglot, split_statements

    quiet_sqlglot()
    out = []
    for text, offset in split_statements(sql, read, with_offsets=True):
        try:
            tree = sqlglot.parse_one(text, read=read)
        except (ParseError, TokenError) as exc:
            out.append(RawStatement(text, None, offset, str(exc).splitlines()[0][:200]))
            continue
        if tree is None or isinstance(tree, exp.Semicolon):
            continue  # only comments
        out.append(RawStatement(text, tree, offset))
    return tuple(out)


def _is_comment(tree: Any) -> bool:
    from sqlglot import exp

    return isinstance(tree, exp.Comment) and \
        str(tree.args.get("kind") or "").upper() not in ("TABLE", "COLUMN")


def fold(state: SchemaState, ops: Ops) -> SchemaState | None:
    """``ops`` applied in turn; None when one does not fit the state."""
    try:
        for op in ops:
            state = op.apply(state)
    except StateError:
        return None
    return state


def raw_operations(tree: Any, state: SchemaState, read: str) -> Ops | None:
    """The operations one parsed statement performs (None: a form this cannot follow). The
    state is read only where the statement alone is ambiguous (MySQL's DROP INDEX may drop a
    unique constraint; DROP PRIMARY KEY names none)."""
    from sqlglot import exp

    if isinstance(tree, exp.Create):
        return _create(tree, state, read)
    if isinstance(tree, exp.Drop):
        return _drop(tree, read)
    if isinstance(tree, exp.Alter):
        return _alter(tree, state, read)
    if isinstance(tree, exp.Comment):
        return _comment(tree)
    if isinstance(tree, exp.Command) and read == "mysql":
        return _rename_tables(tree.sql(read))
    return None


def _key(table: Any) -> tuple[str, str | None]:
    return table.name, table.db or None


def _create(tree: Any, state: SchemaState, read: str) -> Ops | None:
    kind = (tree.args.get("kind") or "").upper()
    if kind == "TABLE":
        table = table_from_create(tree, read)
        if table is None:
            return None
        if tree.args.get("exists") and state.table(table.name, table.schema) is not None:
            return ()
        # MySQL's inline KEY/INDEX items are indexes created with the table.
        indexes = tuple(CreateIndex(table.name, index, table.schema) for index in table.indexes)
        return (CreateTable(replace(table, indexes=()),
                            if_not_exists=bool(tree.args.get("exists"))),) + indexes
    if kind == "TYPE":
        return _create_enum(tree)
    if kind != "INDEX":
        return None
    index = tree.this
    target = index.args.get("table")
    params = index.args.get("params")
    columns = index_columns(params)
    if target is None or not index.name or columns is None:
        return None
    kwargs: list[tuple[str, Any]] = []
    where = params.args.get("where")
    if where is not None:
        from .rawdefs import SourceSQL

        predicate = SourceSQL(where.this.sql(read), read)
        kwargs += [("postgresql_where", predicate), ("sqlite_where", predicate)]
    if tree.args.get("concurrently"):
        kwargs.append(("postgresql_concurrently", True))
    name, schema = _key(target)
    return (CreateIndex(name, IndexState(index.name, columns, bool(tree.args.get("unique")),
                                         tuple(kwargs)), schema,
                        if_not_exists=bool(tree.args.get("exists"))),)


def _create_enum(tree: Any) -> Ops | None:
    """PostgreSQL's ``CREATE TYPE name AS ENUM ('a', 'b')`` (other types: None)."""
    from sqlglot import exp

    from .enumops import CreateEnum

    dtype = tree.args.get("expression")
    if not (isinstance(dtype, exp.DataType) and dtype.this == exp.DataType.Type.ENUM
            and all(isinstance(e, exp.Literal) for e in dtype.expressions)):
        return None
    return (CreateEnum(tree.this.name, tuple(e.name for e in dtype.expressions),
                       tree.this.db or None),)


def _drop(tree: Any, read: str) -> Ops | None:
    kind = (tree.args.get("kind") or "").upper()
    targets = tree.args.get("tables") or [tree.this]
    if not targets or any(t is None for t in targets):
        return None
    exists = bool(tree.args.get("exists"))
    if kind == "TABLE":
        return tuple(DropTable(t.name, t.db or None, if_exists=exists) for t in targets)
    if kind != "INDEX" or len(targets) != 1:
        return None
    target = targets[0]
    on = tree.args.get("cluster")  # MySQL/SQL Server: DROP INDEX ix ON t
    kwargs = (("postgresql_concurrently", True),) if tree.args.get("concurrently") else ()
    if on is not None:
        table, schema = on.this.name, on.this.db or None
    elif read == "tsql" and target.db:  # SQL Server's older DROP INDEX [schema.]table.ix
        table, schema = target.db, target.catalog or None
    else:  # DROP INDEX [schema.]ix
        table, schema = None, target.db or None
    return (DropIndex(target.name, table, schema, if_exists=exists, kwargs=kwargs),)


def _comment(tree: Any) -> Ops | None:
    from sqlglot import exp

    kind = str(tree.args.get("kind") or "").upper()
    text = tree.args.get("expression")
    if not isinstance(text, exp.Literal) or not text.is_string:
        return None
    target = tree.this
    if kind == "TABLE" and isinstance(target, exp.Table):
        return (SetTableComment(target.name, text.name or None, target.db or None),)
    if kind == "COLUMN" and isinstance(target, exp.Column) and target.table:
        return (AlterColumn(target.table, target.name, target.db or None,
                            comment=text.name or None),)
    return None


_RENAME_TABLES = re.compile(r"^\s*RENAME\s+TABLES?\s+(.+)$", re.I | re.S)
_NAME = r"(?:`[^`]+`|[A-Za-z_][\w$]*)"
_PAIR = re.compile(rf"^\s*(?:({_NAME})\.)?({_NAME})\s+TO\s+(?:({_NAME})\.)?({_NAME})\s*$", re.I)


def _rename_tables(text: str) -> Ops | None:
    """MySQL's ``RENAME TABLE a TO b[, c TO d]`` (sqlglot keeps it as a command)."""
    match = _RENAME_TABLES.match(text)
    if match is None:
        return None
    ops = []
    for pair in match.group(1).split(","):
        found = _PAIR.match(pair)
        if found is None:
            return None
        old_schema, old, new_schema, new = (g.strip("`") if g else None for g in found.groups())
        if new_schema not in (None, old_schema):
            return None  # a move between databases: no operation says that
        ops.append(RenameTable(old, new, old_schema))
    return tuple(ops)


def _alter(tree: Any, state: SchemaState, read: str) -> Ops | None:
    if (tree.args.get("kind") or "").upper() != "TABLE":
        return None
    name, schema = _key(tree.this)
    if tree.args.get("exists") and not state.opaque and state.table(name, schema) is None:
        return ()  # ALTER TABLE IF EXISTS on a table that is not there
    ops: list[Operation] = []
    for action in tree.args.get("actions") or []:
        found = _action(action, name, schema, state, read)
        if found is None:
            return None
        for op in found:
            merged = _merge(ops[-1], op) if ops else None
            if merged is not None:
                ops[-1] = merged
            else:
                ops.append(op)
    return tuple(ops)


def _merge(first: Operation, second: Operation) -> Operation | None:
    """Two changes to one column (``ALTER COLUMN a TYPE ..., ALTER COLUMN a SET NOT NULL``)
    as one ``AlterColumn``, so MySQL restates the column once."""
    if not (isinstance(first, AlterColumn) and isinstance(second, AlterColumn)):
        return None
    if (first.table, first.schema, first.column) != (second.table, second.schema, second.column) \
            or first.new_name is not UNSET or second.new_name is not UNSET:
        return None
    changes = {k: v for k, v in second.changes().items()}
    if second.using:
        changes["using"] = second.using
    if set(changes) & set(first.changes()):
        return None
    return replace(first, **changes)


def _action(action: Any, table: str, schema: str | None, state: SchemaState,
            read: str) -> Ops | None:
    from sqlglot import exp

    if isinstance(action, exp.ColumnDef):
        parts = column_parts(action, read)
        if parts is None:  # (MySQL's AFTER/FIRST only orders columns)
            return None
        return (AddColumn(table, parts.column, schema, parts.primary_key, parts.foreign_keys,
                          parts.unique, None, parts.checks,
                          if_not_exists=bool(action.args.get("exists"))),)
    if isinstance(action, exp.Drop):
        return _drop_action(action, table, schema, state)
    if isinstance(action, exp.DropPrimaryKey):
        owner = state.table(table, schema)
        pk = owner.primary_key if owner is not None else None
        if pk is None or pk.name is None:
            return None
        return (DropConstraint(table, pk.name, schema, type_hint="primary"),)
    if isinstance(action, exp.RenameColumn):
        return (AlterColumn(table, action.this.name, schema, new_name=action.args["to"].name),)
    if isinstance(action, exp.AlterRename):
        if action.this.db and (action.this.db or None) != schema:
            return None
        return (RenameTable(table, action.this.name, schema),)
    if isinstance(action, exp.AlterColumn):
        return _alter_column(action, table, schema, read)
    if isinstance(action, exp.ModifyColumn):
        return _modify_column(action, table, schema, state, read)
    if isinstance(action, exp.AddConstraint):
        return _add_constraints(action, table, schema, state, read)
    return None


def _drop_action(action: Any, table: str, schema: str | None, state: SchemaState
                 ) -> Ops | None:
    kind = str(action.args.get("kind") or "").upper()
    exists = bool(action.args.get("exists"))
    targets = action.args.get("tables") or ([action.this] if action.this else [])
    if kind == "COLUMN":
        return tuple(DropColumn(table, t.name, schema, if_exists=exists) for t in targets)
    if len(targets) != 1:
        return None
    name = targets[0].name
    hints = {"CONSTRAINT": None, "FOREIGN KEY": "foreignkey", "CHECK": "check"}
    if kind in hints:
        return (DropConstraint(table, name, schema, hints[kind], if_exists=exists),)
    if kind == "INDEX":  # MySQL: a unique constraint is an index too
        owner = state.table(table, schema)
        if owner is not None and any(u.name == name for u in owner.uniques):
            return (DropConstraint(table, name, schema, "unique", if_exists=exists),)
        if owner is not None and owner.index(name) is not None:
            return (DropIndex(name, table, schema, if_exists=exists),)
    return None


def _alter_column(action: Any, table: str, schema: str | None, read: str) -> Ops | None:
    from sqlglot import exp

    allow_null = action.args.get("allow_null")  # SET NOT NULL: False
    args = {k: v for k, v in action.args.items() if v is not False and k != "allow_null"}
    column = args.pop("this").name
    drop = bool(args.pop("drop", None))
    dtype, using, default = args.pop("dtype", None), args.pop("using", None), \
        args.pop("default", None)
    comment = args.pop("comment", None)
    if any(v is not None for v in args.values()):
        return None  # COLLATE, visibility, ...: not followed
    fields: dict[str, Any] = {}
    if dtype is not None:
        fields["type"] = sa_type(dtype, read)
        if using is not None:
            fields["using"] = using.sql(read)
    if allow_null is not None:  # SET NOT NULL (False) / DROP NOT NULL (True)
        fields["nullable"] = bool(allow_null)
    elif default is not None:
        fields["server_default"] = default_value(default, read)
    elif drop:  # DROP DEFAULT
        fields["server_default"] = None
    if isinstance(comment, exp.Literal):
        fields["comment"] = comment.name or None
    if not fields:
        return None
    return (AlterColumn(table, column, schema, **fields),)


def _modify_column(action: Any, table: str, schema: str | None, state: SchemaState,
                   read: str) -> Ops | None:
    """MySQL's MODIFY/CHANGE: the whole column restated (what it omits, it drops)."""
    definition = action.this
    parts = column_parts(definition, read)
    if parts is None or parts.primary_key or parts.unique or parts.foreign_keys or \
            parts.checks or action.args.get("position") or definition.args.get("position"):
        return None
    col = parts.column
    old = action.args.get("rename_from")
    name = old.name if old is not None else col.name
    fields: dict[str, Any] = {"nullable": col.nullable, "type": col.type,
                              "server_default": col.server_default, "comment": col.comment,
                              "autoincrement": col.autoincrement}
    owner = state.table(table, schema)
    now = owner.column(name) if owner is not None else None
    if now is not None:  # what it restates unchanged is no change (no COMMENT ... IS NULL)
        for field in ("server_default", "comment"):
            if fields[field] is None and getattr(now, field) is None:
                del fields[field]
        if not col.autoincrement and now.autoincrement in (False, "auto"):
            del fields["autoincrement"]
    if col.name != name:
        fields["new_name"] = col.name
    return (AlterColumn(table, name, schema, **fields),)


def _add_constraints(action: Any, table: str, schema: str | None, state: SchemaState,
                     read: str) -> Ops | None:
    from sqlglot import exp

    ops: list[Operation] = []
    for item in action.expressions:
        name = item.name if isinstance(item, exp.Constraint) else None
        for part in item.expressions if isinstance(item, exp.Constraint) else [item]:
            if isinstance(part, exp.IndexColumnConstraint):  # MySQL: ADD INDEX ix (a)
                cols = tuple(c.name for c in part.expressions if isinstance(c, exp.Column))
                if not cols or len(cols) != len(part.expressions) or part.args.get("kind"):
                    return None
                owner = state.table(table, schema)
                index_name = part.name or (mysql_index_name(owner, cols) if owner else None)
                if index_name is None:
                    return None
                ops.append(CreateIndex(table, IndexState(index_name, cols), schema))
                continue
            found = table_constraint(part, name, read)
            if found is None:
                return None
            ops.append(AddConstraint(table, found, schema))
    return tuple(ops)
