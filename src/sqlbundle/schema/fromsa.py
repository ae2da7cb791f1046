"""SQLAlchemy objects -> state: the ``TableState`` of a ``Table`` (as ``op.create_table`` and the
models both give them), its columns, keys, constraints and indexes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from .expressions import ddl_expression
from .state import (
    CheckState,
    ColumnState,
    ExcludeState,
    ForeignKeyState,
    IndexState,
    PrimaryKeyState,
    TableState,
    UniqueState,
)


def plain_name(name: Any) -> Any:
    """A name SQLAlchemy wrapped in ``quoted_name`` without a quoting choice is just its text:
    the compilers treat the two alike, and plain strings make recorded operations a quarter
    faster to load from the record cache. An explicit quoting choice is kept."""
    if type(name) is not str and getattr(name, "quote", True) is None:
        return str(name)
    return name


def _clause_text(clause: Any, dialect: Any = None) -> str:
    """SQL text of a condition or expression, with literal values inlined."""
    if isinstance(clause, str):
        return clause
    # Unqualified column names: the CHECK must also hold on a renamed copy of the table.
    compiled = clause.compile(dialect=dialect,
                              compile_kwargs={"literal_binds": True, "include_table": False})
    return str(compiled)


def _fk_state(constraint: sa.ForeignKeyConstraint) -> ForeignKeyState:
    referred_schema = None
    referred_table = None
    referred_cols: list[str] = []
    for element in constraint.elements:
        parts = element.target_fullname.split(".")
        if len(parts) >= 3:
            referred_schema, referred_table = ".".join(parts[:-2]), parts[-2]
        else:
            referred_table = parts[0]
        referred_cols.append(parts[-1])
    return ForeignKeyState(
        name=_name(constraint.name),
        columns=tuple(constraint.column_keys),
        referred_table=referred_table or "",
        referred_columns=tuple(referred_cols),
        referred_schema=referred_schema,
        ondelete=constraint.ondelete,
        onupdate=constraint.onupdate,
        deferrable=constraint.deferrable,
        initially=constraint.initially,
        match=constraint.match,
        forward=bool(constraint.use_alter),
    )


def _name(name: Any) -> str | None:
    if name is None or type(name).__name__ == "_NoneName":
        return None
    return plain_name(name)


def column_state(column: sa.Column) -> ColumnState:
    default = column.server_default
    identity = computed = None
    server_default: Any = None
    if isinstance(default, sa.Identity):
        identity = default
    elif isinstance(default, sa.Computed):
        computed = default
    elif isinstance(default, sa.DefaultClause):
        server_default = default.arg
    elif default is not None:
        server_default = default
    sequence = column.default if isinstance(column.default, sa.Sequence) else None
    return ColumnState(
        name=plain_name(column.name),
        type=column.type,
        nullable=bool(column.nullable),
        server_default=server_default,
        autoincrement=column.autoincrement,
        comment=column.comment,
        identity=identity,
        computed=computed,
        sequence=sequence,
    )


def _index_state(index: sa.Index) -> IndexState:
    # Columns by name; expressions (text(), functions) as they are.
    expressions = [plain_name(e.name) if isinstance(e, sa.Column) else e for e in index.expressions]
    kwargs = tuple(sorted(index.dialect_kwargs.items()))
    return IndexState(str(index.name), tuple(expressions), bool(index.unique), kwargs)


def table_state(table: sa.Table, dialect: Any) -> TableState:
    """Convert a SQLAlchemy ``Table`` (as ``create_table`` builds it) into a ``TableState``."""
    compiler = dialect.ddl_compiler(dialect, None)
    pk = table.primary_key
    primary = PrimaryKeyState(_name(pk.name), tuple(plain_name(c.name) for c in pk.columns)) \
        if pk.columns else None
    fks, uniques, checks, excludes = [], [], [], []
    # Column-level CHECKs (sa.Column(..., sa.CheckConstraint(...))) live on the column only;
    # they come first, as in the CREATE TABLE SQLAlchemy writes (MySQL numbers them in order).
    for column in table.columns:
        for constraint in sorted(column.constraints, key=lambda c: c._creation_order):
            if isinstance(constraint, sa.CheckConstraint):
                checks.append(CheckState(_name(constraint.name),
                                         ddl_expression(constraint.sqltext),
                                         column=plain_name(column.name)))
    # In declaration order, as SQLAlchemy writes CREATE TABLE: MySQL numbers unnamed foreign
    # keys (_ibfk_1, _ibfk_2) and CHECKs in that order, and later drops use those numbers.
    for constraint in sorted(table.constraints, key=lambda c: c._creation_order):
        rule = getattr(constraint, "_create_rule", None)
        if rule is not None and not rule(compiler):
            continue  # e.g. an enum's CHECK on a database with native enums
        if isinstance(constraint, sa.ForeignKeyConstraint):
            fks.append(_fk_state(constraint))
        elif isinstance(constraint, sa.UniqueConstraint):
            uniques.append(UniqueState(_name(constraint.name),
                                       tuple(plain_name(c.name) for c in constraint.columns)))
        elif isinstance(constraint, sa.CheckConstraint):
            checks.append(CheckState(_name(constraint.name), ddl_expression(constraint.sqltext)))
        elif type(constraint).__name__ == "ExcludeConstraint":
            excludes.append(_exclude_state(constraint, dialect))
    indexes = tuple(sorted((_index_state(i) for i in table.indexes), key=lambda i: i.name))
    kwargs = tuple(sorted(table.dialect_kwargs.items()))
    return TableState(
        name=plain_name(table.name),
        schema=table.schema,
        columns=tuple(column_state(c) for c in table.columns),
        primary_key=primary,
        foreign_keys=tuple(fks),
        uniques=tuple(uniques),
        checks=tuple(checks),
        excludes=tuple(excludes),
        indexes=indexes,
        comment=table.comment,
        kwargs=kwargs,
    )


def _exclude_state(constraint: Any, dialect: Any) -> ExcludeState:
    elements = []
    for expr, (_, _, op) in zip(constraint.columns, constraint._render_exprs):
        plain = isinstance(expr, sa.sql.expression.ColumnClause) and not expr.is_literal
        elements.append((plain_name(expr.name) if plain else _clause_text(expr, dialect), op))
    where = ddl_expression(constraint.where) if constraint.where is not None else None
    return ExcludeState(_name(constraint.name), tuple(elements), constraint.using, where)
