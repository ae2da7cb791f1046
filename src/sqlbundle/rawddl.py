"""Following raw DDL into the replayed schema, where sqlglot can read it.

CREATE TABLE, DROP TABLE, ALTER TABLE ADD/DROP/RENAME COLUMN, RENAME TO, CREATE INDEX and
DROP INDEX update the state, so later Python operations (and lint) see what raw SQL built.
Anything else that changes the schema returns None: the caller marks the state opaque and says
so. Pure: parsing only, no I/O.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from .state import (
    CheckState,
    ColumnState,
    ForeignKeyState,
    IndexState,
    PrimaryKeyState,
    SchemaState,
    TableState,
    UniqueState,
)

def _sa_type(dtype: Any) -> Any:
    from sqlglot import exp

    kind = dtype.this
    params = [int(p.this.this) for p in dtype.expressions
              if isinstance(p, exp.DataTypeParam) and p.this.is_int]
    T = exp.DataType.Type
    simple = {
        T.INT: sa.Integer, T.BIGINT: sa.BigInteger, T.SMALLINT: sa.SmallInteger,
        T.TINYINT: sa.SmallInteger, T.TEXT: sa.Text, T.BOOLEAN: sa.Boolean,
        T.DATE: sa.Date, T.DATETIME: sa.DateTime, T.TIMESTAMP: sa.DateTime,
        T.DOUBLE: sa.Float, T.FLOAT: sa.Float, T.JSON: sa.JSON, T.JSONB: sa.JSON,
        T.UUID: sa.Uuid, T.VARBINARY: sa.LargeBinary, T.BLOB: sa.LargeBinary,
        T.SERIAL: sa.Integer, T.BIGSERIAL: sa.BigInteger, T.TIME: sa.Time,
    }
    if kind in (T.VARCHAR, T.NVARCHAR):
        return sa.String(params[0]) if params else sa.String()
    if kind in (T.CHAR, T.NCHAR):
        return sa.CHAR(params[0]) if params else sa.CHAR()
    if kind in (T.DECIMAL,):
        return sa.Numeric(*params[:2]) if params else sa.Numeric()
    if kind in (T.TIMESTAMPTZ,):
        return sa.DateTime(timezone=True)
    factory = simple.get(kind)
    return factory() if factory is not None else sa.types.NullType()


def _names(node: Any) -> tuple[str, ...]:
    return tuple(i.name for i in node.expressions) if node is not None else ()


def _reference(ref: Any, name: str | None, columns: tuple[str, ...]) -> ForeignKeyState:
    target = ref.this  # Schema(this=Table, expressions=[columns])
    table = target.this
    options = " ".join(str(o) for o in ref.args.get("options") or []).upper()
    ondelete = onupdate = None
    for action in ("CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"):
        if f"ON DELETE {action}" in options:
            ondelete = action
        if f"ON UPDATE {action}" in options:
            onupdate = action
    return ForeignKeyState(name, columns, table.name, _names(target), table.db or None,
                           ondelete, onupdate)


def _table_from_create(tree: Any, read: str) -> TableState | None:
    from sqlglot import exp

    schema_node = tree.this
    if not isinstance(schema_node, exp.Schema):
        return None  # CREATE TABLE ... AS SELECT: columns unknown
    table = schema_node.this
    columns: list[ColumnState] = []
    pk: PrimaryKeyState | None = None
    fks: list[ForeignKeyState] = []
    uniques: list[UniqueState] = []
    checks: list[CheckState] = []
    for item in schema_node.expressions:
        if isinstance(item, exp.ColumnDef):
            nullable, default = True, None
            for constraint in item.args.get("constraints") or []:
                kind = constraint.args.get("kind")
                if isinstance(kind, exp.NotNullColumnConstraint):
                    nullable = bool(kind.args.get("allow_null"))
                elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
                    pk, nullable = PrimaryKeyState(None, (item.name,)), False
                elif isinstance(kind, exp.DefaultColumnConstraint):
                    default = sa.text(kind.this.sql(read))
                elif isinstance(kind, exp.UniqueColumnConstraint):
                    uniques.append(UniqueState(None, (item.name,)))
                elif isinstance(kind, exp.CheckColumnConstraint):
                    checks.append(CheckState(None, kind.this.sql(read), column=item.name))
                elif isinstance(kind, exp.Reference):
                    fks.append(_reference(kind, None, (item.name,)))
            dtype = item.args.get("kind")
            # Exactly as written: no implicit SERIAL/IDENTITY when rebuilt for another target.
            columns.append(ColumnState(item.name, _sa_type(dtype) if dtype is not None
                                       else sa.types.NullType(), nullable, default,
                                       autoincrement=False))
            continue
        name = item.name if isinstance(item, exp.Constraint) else None
        parts = item.expressions if isinstance(item, exp.Constraint) else [item]
        for part in parts:
            if isinstance(part, exp.PrimaryKey):
                pk = PrimaryKeyState(name, _names(part))
            elif isinstance(part, exp.ForeignKey):
                fks.append(_reference(part.args["reference"], name, _names(part)))
            elif isinstance(part, exp.UniqueColumnConstraint):
                uniques.append(UniqueState(name, _names(part.this)))
            elif isinstance(part, exp.CheckColumnConstraint):
                checks.append(CheckState(name, part.this.sql(read)))
            else:
                return None
    if pk is not None:
        columns = [replace(c, nullable=False) if c.name in pk.columns else c for c in columns]
    return TableState(table.name, table.db or None, tuple(columns), pk, tuple(fks),
                      tuple(uniques), tuple(checks))


def apply_raw_ddl(state: SchemaState, sql: str, read: str) -> SchemaState | None:
    """The state after ``sql`` (in sqlglot dialect ``read``), or None when it cannot follow."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    try:
        trees = [t for t in sqlglot.parse(sql, read=read) if t is not None]
    except (ParseError, TokenError):
        return None
    for tree in trees:
        if isinstance(tree, exp.Create):
            kind = (tree.args.get("kind") or "").upper()
            if kind == "TABLE":
                table = _table_from_create(tree, read)
                if table is None:
                    return None
                if state.table(table.name, table.schema) is not None:
                    if tree.args.get("exists"):
                        continue
                    return None
                state = state.with_table(table)
            elif kind == "INDEX":
                index = tree.this  # exp.Index
                target = index.args.get("table")
                owner = state.table(target.name, target.db or None) if target is not None else None
                params = index.args.get("params")
                cols = params.args.get("columns") if params is not None else None
                if owner is None or not cols:
                    return None
                names = tuple(c.this.name if isinstance(c, exp.Ordered) else c.name
                              for c in cols)
                new = IndexState(index.name, names, bool(tree.args.get("unique")))
                state = state.with_table(replace(owner, indexes=owner.indexes + (new,)))
            else:
                return None
        elif isinstance(tree, exp.Drop):
            kind = (tree.args.get("kind") or "").upper()
            targets = tree.args.get("tables") or [tree.this]
            if len(targets) != 1 or targets[0] is None:
                return None
            target = targets[0]
            if kind == "TABLE":
                key = (target.db or None, target.name)
                if key in state.tables:
                    state = state.without_table(key)
                elif not tree.args.get("exists"):
                    return None
            elif kind == "INDEX":
                owner = state.find_index(target.name, target.db or None)
                if owner is None:
                    if tree.args.get("exists"):
                        continue
                    return None
                state = state.with_table(replace(
                    owner, indexes=tuple(i for i in owner.indexes if i.name != target.name)))
            else:
                return None
        elif isinstance(tree, exp.Alter):
            new_state = _alter(state, tree, read)
            if new_state is None:
                return None
            state = new_state
        elif isinstance(tree, (exp.Insert, exp.Update, exp.Delete, exp.Select, exp.Semicolon)):
            continue
        else:
            return None
    return state


def _alter(state: SchemaState, tree: Any, read: str) -> SchemaState | None:
    from sqlglot import exp

    if (tree.args.get("kind") or "").upper() != "TABLE":
        return None
    target = tree.this
    table = state.table(target.name, target.db or None)
    if table is None:
        return None
    for action in tree.args.get("actions") or []:
        if isinstance(action, exp.ColumnDef):
            if table.has_column(action.name):
                return None
            dtype = action.args.get("kind")
            nullable, default = True, None
            for constraint in action.args.get("constraints") or []:
                kind = constraint.args.get("kind")
                if isinstance(kind, exp.NotNullColumnConstraint):
                    nullable = bool(kind.args.get("allow_null"))
                elif isinstance(kind, exp.DefaultColumnConstraint):
                    default = sa.text(kind.this.sql(read))
                else:
                    return None
            column = ColumnState(action.name, _sa_type(dtype) if dtype is not None
                                 else sa.types.NullType(), nullable, default)
            table = replace(table, columns=table.columns + (column,))
        elif isinstance(action, exp.Drop) and (action.args.get("kind") or "").upper() == "COLUMN":
            targets = action.args.get("tables") or ([action.this] if action.this else [])
            from .operations import _drop_column

            for target_column in targets:
                if not table.has_column(target_column.name):
                    return None
                table = _drop_column(table, target_column.name)
        elif isinstance(action, exp.RenameColumn):
            old, new = action.this.name, action.args["to"].name
            if not table.has_column(old):
                return None
            from .operations import _rename_in_constraints

            table = _rename_in_constraints(replace(table, columns=tuple(
                replace(c, name=new) if c.name == old else c for c in table.columns)), old, new)
        elif isinstance(action, exp.AlterRename):
            from .gennames import renamed

            state = state.without_table(table.key)
            table = renamed(state, replace(table, name=action.this.name), table.name)
        else:
            return None
    return state.with_table(table)
