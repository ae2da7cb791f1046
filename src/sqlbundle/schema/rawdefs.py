"""Definitions in raw DDL (column types, defaults, constraints, whole tables) read with sqlglot
into the replayed schema's values, so they can be written again for any target.

Types sqlglot names map to SQLAlchemy types; one with no mapping becomes ``NullType``, which
the renderers refuse to write (an error, never a guess). Defaults that are plain literals are
kept as portable text; any other expression is a ``SourceSQL``, written for each target by
transpiling it from the dialect it was written in. Pure: parsing only, no I/O.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from .state import (
    CheckState,
    ColumnState,
    ForeignKeyState,
    IndexState,
    PrimaryKeyState,
    TableState,
    UniqueState,
)


class SourceSQL(sa.sql.elements.TextClause):
    """SQL text (a default) as written in sqlglot dialect ``read``; compiled for a target by
    transpiling it, unchanged for the dialect it was written in and for plain ``str()``."""

    inherit_cache = False

    def __init__(self, text: str, read: str) -> None:
        super().__init__(text)
        self.read = read


@compiles(SourceSQL)
def _compile_source_sql(element: SourceSQL, compiler: Any, **kw: Any) -> str:
    write = getattr(compiler.dialect, "sqlbundle_sqlglot", None)
    if write is None or write == element.read:
        return element.text
    import sqlglot
    from sqlglot.errors import ErrorLevel, ParseError, TokenError, UnsupportedError

    try:
        tree = sqlglot.parse_one(element.text, read=element.read)
        return tree.sql(write, unsupported_level=ErrorLevel.RAISE)
    except (ParseError, TokenError, UnsupportedError) as exc:
        raise sa.exc.CompileError(f"{element.text!r} (written for {element.read}) cannot be "
                                  f"written for {write}: {str(exc).splitlines()[0]}") from None


class UnknownType(sa.types.NullType):
    """A raw-SQL column type no SQLAlchemy type stands for: SQL for another database that
    needs it (MySQL's MODIFY, SQLite's table copy) is refused, naming it."""

    def __init__(self, text: str = "?", read: str = "?") -> None:
        self.text, self.read = text, read

    def __repr__(self) -> str:
        return f"{self.text} (a {self.read} type sqlbundle cannot write for another database)"


def sa_type(dtype: Any, read: str = "?") -> Any:
    """The SQLAlchemy type for a sqlglot ``DataType`` (``UnknownType`` when there is none)."""
    from sqlglot import exp

    kind = dtype.this
    params = [int(p.this.this) for p in dtype.expressions
              if isinstance(p, exp.DataTypeParam) and p.this.is_int]
    T = exp.DataType.Type
    simple = {
        T.INT: sa.Integer, T.BIGINT: sa.BigInteger, T.SMALLINT: sa.SmallInteger,
        T.TINYINT: sa.SmallInteger, T.MEDIUMINT: sa.Integer, T.TEXT: sa.Text,
        T.MEDIUMTEXT: sa.Text, T.LONGTEXT: sa.Text, T.BOOLEAN: sa.Boolean,
        T.DATE: sa.Date, T.DATETIME: sa.DateTime, T.TIMESTAMP: sa.DateTime,
        T.DOUBLE: sa.Float, T.FLOAT: sa.Float, T.JSON: sa.JSON, T.JSONB: sa.JSON,
        T.UUID: sa.Uuid, T.VARBINARY: sa.LargeBinary, T.BLOB: sa.LargeBinary,
        T.SERIAL: sa.Integer, T.BIGSERIAL: sa.BigInteger, T.SMALLSERIAL: sa.SmallInteger,
        T.TIME: sa.Time, T.INTERVAL: sa.Interval,
    }
    if kind in (T.VARCHAR, T.NVARCHAR):
        return sa.String(params[0]) if params else sa.String()
    if kind in (T.CHAR, T.NCHAR):
        return sa.CHAR(params[0]) if params else sa.CHAR()
    if kind in (T.DECIMAL,):
        return sa.Numeric(*params[:2]) if params else sa.Numeric()
    if kind == T.ENUM and all(isinstance(e, exp.Literal) for e in dtype.expressions):
        # MySQL's inline ENUM('a', 'b'): the type of this column alone, no named type.
        return sa.Enum(*(e.name for e in dtype.expressions), native_enum=True)
    if kind in (T.TIMESTAMPTZ,):
        return sa.DateTime(timezone=True)
    factory = simple.get(kind)
    return factory() if factory is not None else UnknownType(dtype.sql(read), read)


_SERIALS = ("SERIAL", "BIGSERIAL", "SMALLSERIAL")


def default_value(expression: Any, read: str) -> Any:
    """A column default: None for NULL, portable text for a literal, else ``SourceSQL``."""
    from sqlglot import exp

    node = expression
    while isinstance(node, exp.Paren):
        node = node.this
    # 'x'::varchar and CAST('x' AS TEXT) are the literal itself.
    if isinstance(node, exp.Cast) and isinstance(node.this, exp.Literal):
        node = node.this
    if isinstance(node, exp.Null):
        return None
    if isinstance(node, exp.Literal) or (isinstance(node, exp.Neg)
                                         and isinstance(node.this, exp.Literal)):
        return sa.text(node.sql())
    return SourceSQL(expression.sql(read), read)


def names(node: Any) -> tuple[str, ...]:
    return tuple(i.name for i in node.expressions) if node is not None else ()


def reference(ref: Any, name: str | None, columns: tuple[str, ...]) -> ForeignKeyState:
    target = ref.this  # Schema(this=Table, expressions=[columns])
    table = target.this
    options = " ".join(str(o) for o in ref.args.get("options") or []).upper()
    ondelete = onupdate = None
    for action in ("CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"):
        if f"ON DELETE {action}" in options:
            ondelete = action
        if f"ON UPDATE {action}" in options:
            onupdate = action
    return ForeignKeyState(name, columns, table.name, names(target), table.db or None,
                           ondelete, onupdate)


class ColumnParts:
    """One column definition read: the column and the constraints declared on it."""

    def __init__(self, column: ColumnState) -> None:
        self.column = column
        self.primary_key = False
        self.unique: UniqueState | None = None
        self.foreign_keys: tuple[ForeignKeyState, ...] = ()
        self.checks: tuple[CheckState, ...] = ()


def column_parts(item: Any, read: str) -> ColumnParts | None:
    """A sqlglot ``ColumnDef`` as a column and its inline constraints (None: something it
    declares cannot be followed)."""
    from sqlglot import exp

    dtype = item.args.get("kind")
    type_ = sa_type(dtype, read) if dtype is not None else sa.types.NullType()
    serial = dtype is not None and str(dtype.this.name) in _SERIALS
    nullable, default, comment = True, None, None
    primary, unique, fks, checks = False, None, [], []
    for constraint in item.args.get("constraints") or []:
        kind = constraint.args.get("kind")
        if isinstance(kind, exp.NotNullColumnConstraint):
            nullable = bool(kind.args.get("allow_null"))
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            primary, nullable = True, False
        elif isinstance(kind, exp.DefaultColumnConstraint):
            default = default_value(kind.this, read)
        elif isinstance(kind, exp.UniqueColumnConstraint):
            unique = UniqueState(None, (item.name,))
        elif isinstance(kind, exp.CheckColumnConstraint):
            checks.append(CheckState(None, kind.this.sql(read), column=item.name))
        elif isinstance(kind, exp.Reference):
            fks.append(reference(kind, None, (item.name,)))
        elif isinstance(kind, exp.CommentColumnConstraint):
            comment = kind.this.name
        elif isinstance(kind, (exp.AutoIncrementColumnConstraint,
                               exp.GeneratedAsIdentityColumnConstraint)):
            serial = True
        else:
            return None
    # Exactly as written: no implicit SERIAL/IDENTITY when rebuilt for another target.
    parts = ColumnParts(ColumnState(item.name, type_, nullable, default,
                                    autoincrement=True if serial else False, comment=comment))
    parts.primary_key, parts.unique = primary, unique
    parts.foreign_keys, parts.checks = tuple(fks), tuple(checks)
    return parts


def index_columns(params: Any) -> tuple[str, ...] | None:
    """Plain column names of an index (None when it indexes an expression)."""
    from sqlglot import exp

    cols = params.args.get("columns") if params is not None else None
    if not cols:
        return None
    out = []
    for col in cols:
        node = col.this if isinstance(col, exp.Ordered) else col
        if not isinstance(node, exp.Column):
            return None
        out.append(node.name)
    return tuple(out)


def mysql_index_name(table: TableState, columns: tuple[str, ...]) -> str:
    """The name MySQL gives an unnamed index: its first column, then _2, _3, ..."""
    taken = {i.name for i in table.indexes} | {u.name for u in table.uniques}
    name, n = columns[0], 2
    while name in taken:
        name, n = f"{columns[0]}_{n}", n + 1
    return name


def table_from_create(tree: Any, read: str) -> TableState | None:
    """The table a ``CREATE TABLE (...)`` builds (None: columns unknown or a part it cannot
    follow). MySQL's inline ``KEY``/``INDEX`` items become the table's indexes."""
    from sqlglot import exp

    schema_node = tree.this
    if not isinstance(schema_node, exp.Schema):
        return None  # CREATE TABLE ... AS SELECT: columns unknown
    table = schema_node.this
    state = TableState(table.name, table.db or None)
    columns: list[ColumnState] = []
    pk: PrimaryKeyState | None = None
    fks: list[ForeignKeyState] = []
    uniques: list[UniqueState] = []
    checks: list[CheckState] = []
    indexes: list[IndexState] = []
    for item in schema_node.expressions:
        if isinstance(item, exp.ColumnDef):
            parts = column_parts(item, read)
            if parts is None:
                return None
            columns.append(parts.column)
            if parts.primary_key:
                pk = PrimaryKeyState(None, (item.name,))
            uniques.extend([parts.unique] if parts.unique else [])
            fks.extend(parts.foreign_keys)
            checks.extend(parts.checks)
            continue
        if isinstance(item, exp.IndexColumnConstraint):
            cols = tuple(c.name for c in item.expressions if isinstance(c, exp.Column))
            if len(cols) != len(item.expressions) or not cols or item.args.get("kind"):
                return None
            name = item.name or mysql_index_name(replace(state, indexes=tuple(indexes)), cols)
            indexes.append(IndexState(name, cols))
            continue
        name = item.name if isinstance(item, exp.Constraint) else None
        parts_ = item.expressions if isinstance(item, exp.Constraint) else [item]
        for part in parts_:
            found = table_constraint(part, name, read)
            if found is None:
                return None
            if isinstance(found, PrimaryKeyState):
                pk = found
            elif isinstance(found, ForeignKeyState):
                fks.append(found)
            elif isinstance(found, UniqueState):
                uniques.append(found)
            else:
                checks.append(found)
    if pk is not None:
        columns = [replace(c, nullable=False) if c.name in pk.columns else c for c in columns]
    return replace(state, columns=tuple(columns), primary_key=pk, foreign_keys=tuple(fks),
                   uniques=tuple(uniques), checks=tuple(checks), indexes=tuple(indexes))


def table_constraint(part: Any, name: str | None, read: str) -> Any:
    """A table-level constraint (PRIMARY KEY, FOREIGN KEY, UNIQUE, CHECK), or None."""
    from sqlglot import exp

    if isinstance(part, exp.PrimaryKey):
        return PrimaryKeyState(name, names(part))
    if isinstance(part, exp.ForeignKey):
        return reference(part.args["reference"], name, names(part))
    if isinstance(part, exp.UniqueColumnConstraint):
        # MySQL's UNIQUE KEY name (a, b) names itself; ANSI's is named by CONSTRAINT.
        own = part.this.this if isinstance(part.this, exp.Schema) else None
        own_name = own.name if isinstance(own, exp.Identifier) else None
        return UniqueState(name or own_name, names(part.this))
    if isinstance(part, exp.CheckColumnConstraint):
        return CheckState(name, part.this.sql(read))
    return None
