"""SQLAlchemy ``Table`` objects rebuilt from replayed ``TableState`` values.

SQLAlchemy's DDL compilers then write CREATE TABLE, column specifications and constraints for
each dialect. Schema types are copied with ``create_constraint=False``: the CHECKs they would
add are already explicit in the state.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..schema.expressions import expression_clause
from ..schema.state import (
    CheckState,
    ColumnState,
    ForeignKeyState,
    IndexState,
    PrimaryKeyState,
    TableState,
    UniqueState,
)


def plain_type(type_: Any) -> Any:
    """The type without schema-level side effects (enum/boolean CHECKs, enum events)."""
    if isinstance(type_, (sa.Enum, sa.Boolean)) and getattr(type_, "create_constraint", False):
        copy = type_.copy()
        copy.create_constraint = False
        return copy
    return type_


def build_column(col: ColumnState, *, primary_key: bool = False,
                 checks: Any = ()) -> sa.Column:
    """``checks``: the CHECKs declared on this column, written inline as SQLAlchemy does."""
    args: list[Any] = [sa.CheckConstraint(expression_clause(c.sqltext), name=c.name) for c in checks]
    if col.sequence is not None:
        args.append(col.sequence)
    if col.identity is not None:
        args.append(col.identity)
    if col.computed is not None:
        args.append(col.computed)
    kwargs: dict[str, Any] = {}
    if col.server_default is not None:
        kwargs["server_default"] = col.server_default
    return sa.Column(
        col.name, plain_type(col.type), *args, nullable=col.nullable,
        autoincrement=col.autoincrement, comment=col.comment, primary_key=primary_key, **kwargs,
    )


def _referred_key(fk: ForeignKeyState) -> str:
    return f"{fk.referred_schema}.{fk.referred_table}" if fk.referred_schema else fk.referred_table


def _referent(metadata: sa.MetaData, fk: ForeignKeyState) -> list[str]:
    """Make sure the referred table exists in ``metadata`` (as a stub) and return the
    referred column specs for ForeignKeyConstraint."""
    key = _referred_key(fk)
    table = metadata.tables.get(key)
    if table is None:
        table = sa.Table(fk.referred_table, metadata, schema=fk.referred_schema)
    for name in fk.referred_columns:
        if name not in table.c:
            table.append_column(sa.Column(name, sa.Integer))
    return [f"{key}.{name}" for name in fk.referred_columns]


def fk_constraint(metadata: sa.MetaData, fk: ForeignKeyState,
                  stub: bool = True) -> sa.ForeignKeyConstraint:
    """``stub=False`` leaves the referred table to the caller (a table referring to itself
    must be built before its stub would take its name in ``metadata``)."""
    targets = _referent(metadata, fk) if stub else \
        [f"{_referred_key(fk)}.{name}" for name in fk.referred_columns]
    return sa.ForeignKeyConstraint(
        list(fk.columns), targets, name=fk.name, ondelete=fk.ondelete,
        onupdate=fk.onupdate, deferrable=fk.deferrable, initially=fk.initially, match=fk.match,
    )


def constraint(metadata: sa.MetaData, item: Any) -> Any:
    if isinstance(item, PrimaryKeyState):
        return sa.PrimaryKeyConstraint(*item.columns, name=item.name)
    if isinstance(item, ForeignKeyState):
        return fk_constraint(metadata, item)
    if isinstance(item, UniqueState):
        return sa.UniqueConstraint(*item.columns, name=item.name)
    if isinstance(item, CheckState):
        return sa.CheckConstraint(expression_clause(item.sqltext), name=item.name)
    from sqlalchemy.dialects.postgresql import ExcludeConstraint

    # Elements are column names or SQL already written for PostgreSQL (kept as written).
    elements = [(sa.column(e) if e.isidentifier() else sa.literal_column(e), op)
                for e, op in item.elements]
    where = expression_clause(item.where) if item.where is not None else None
    return ExcludeConstraint(*elements, name=item.name, using=item.using, where=where)


def build_table(
    state: TableState,
    *,
    name: str | None = None,
    metadata: sa.MetaData | None = None,
    with_indexes: bool = True,
    with_foreign_keys: bool = True,
) -> sa.Table:
    """A ``Table`` equal to ``state`` (optionally under another name, for table copies)."""
    metadata = metadata if metadata is not None else sa.MetaData()
    inline = {c.column for c in state.checks if c.inline}
    items: list[Any] = [build_column(c, checks=[k for k in state.checks
                                                if k.inline and k.column == c.name])
                        if c.name in inline else build_column(c) for c in state.columns]
    if state.primary_key is not None:
        items.append(sa.PrimaryKeyConstraint(*state.primary_key.columns,
                                             name=state.primary_key.name))
    # Built here (creation order is the order CREATE TABLE lists constraints in) but attached
    # after the table exists: a foreign key to the table itself must find the table, not
    # make a stub under its name.
    fks = [fk_constraint(metadata, fk, stub=False) for fk in state.foreign_keys] \
        if with_foreign_keys else []
    items.extend(sa.UniqueConstraint(*u.columns, name=u.name) for u in state.uniques)
    items.extend(sa.CheckConstraint(expression_clause(c.sqltext), name=c.name)
                 for c in state.checks if not c.inline)
    items.extend(constraint(metadata, e) for e in state.excludes)
    kwargs = dict(state.kwargs)
    table = sa.Table(name or state.name, metadata, *items, schema=state.schema,
                     comment=state.comment, **kwargs)
    for fk, obj in zip(state.foreign_keys if with_foreign_keys else (), fks):
        _referent(metadata, fk)
        table.append_constraint(obj)
    if with_indexes:
        for index in state.indexes:
            build_index(table, index)
    return table


def build_index(table: sa.Table, index: IndexState, **extra: Any) -> sa.Index:
    expressions = [table.c[e] if isinstance(e, str) and e in table.c else
                   (sa.text(e) if isinstance(e, str) else e) for e in index.expressions]
    kwargs = dict(index.kwargs)
    kwargs.update(extra)
    return sa.Index(index.name, *expressions, unique=index.unique, _table=table, **kwargs)


def index_columns(index: IndexState) -> tuple[str, ...]:
    """Every column an index names: its own, and those of dialect options that list columns
    (``postgresql_include``, ``mssql_include``), which the compilers look up in the table."""
    extra = [c for key, value in index.kwargs if key.endswith("_include")
             for c in ([value] if isinstance(value, str) else value or ()) if isinstance(c, str)]
    return tuple(dict.fromkeys(index.columns + tuple(extra)))


def stub_table(metadata: sa.MetaData, name: str, schema: str | None,
               state: TableState | None = None, columns: tuple[str, ...] = ()) -> sa.Table:
    """A table with just the columns an index or constraint names (typed from the state when
    known): enough for the DDL compilers, and far cheaper than the whole table."""
    table = sa.Table(name, metadata, schema=schema)
    for col in columns:
        if col not in table.c:
            known = state.column(col) if state is not None else None
            table.append_column(build_column(known) if known is not None
                                else sa.Column(col, sa.Integer))
    return table


def table_ref(name: str, schema: str | None) -> sa.TableClause:
    """A table by name alone, for DROP TABLE and DROP INDEX: their compilers read only the name,
    schema and quoting, and this costs a tenth of a ``Table`` (long downgrades build thousands)."""
    return sa.table(name, schema=schema)


def detached_index(name: str, table: str | None, schema: str | None,
                   kwargs: dict[str, Any]) -> sa.Index:
    """An index to drop: named, with dialect options, pointing at its table by name only.
    ``Index`` accepts only a ``Table`` as parent; the DROP INDEX compilers need just the
    owner's name and schema (``ON t`` on MySQL and SQL Server, the schema elsewhere)."""
    index = sa.Index(name, **kwargs)
    if table is not None:
        index.table = table_ref(table, schema)
    return index


def build_metadata(tables: Any) -> sa.MetaData:
    """All tables of a replayed state in one MetaData, foreign keys included."""
    metadata = sa.MetaData()
    ordered = sorted(tables, key=lambda t: (t.schema or "", t.name))
    built = {t.key: build_table(t, metadata=metadata, with_foreign_keys=False) for t in ordered}
    for state in ordered:
        for fk in state.foreign_keys:
            built[state.key].append_constraint(fk_constraint(metadata, fk))
    return metadata
