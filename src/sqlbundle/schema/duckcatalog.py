"""A DuckDB file's schema -> ``SchemaState``, read from DuckDB's own catalog functions
(``duckdb_tables()``, ``duckdb_columns()``, ``duckdb_constraints()``, ``duckdb_indexes()``):
SQLAlchemy has no DuckDB reflection that works with its 2.x releases.

DuckDB keeps no constraint names (it reports ``<table>_<column>_check`` whatever the
migration called it), so constraints come back unnamed and are matched with the replay's by
definition (``reflected.Normaliser.align``).
"""

from __future__ import annotations

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

_DEFAULT_SCHEMA = "main"


def catalog_state(con: Any, skip: set[str]) -> SchemaState:
    """The user tables of the DuckDB connection ``con`` but those named in ``skip``."""
    tables: dict[tuple[str | None, str], dict[str, Any]] = {}
    for schema, name, comment in con.execute(
            "SELECT schema_name, table_name, comment FROM duckdb_tables() "
            "WHERE NOT internal AND NOT temporary ORDER BY schema_name, table_name").fetchall():
        if name not in skip:
            tables[(_schema(schema), name)] = {"comment": comment, "columns": [], "pk": None,
                                               "fks": [], "uniques": [], "checks": [],
                                               "indexes": []}
    for schema, table, name, type_, default, nullable, comment in con.execute(
            "SELECT schema_name, table_name, column_name, data_type, column_default, "
            "is_nullable, comment FROM duckdb_columns() WHERE NOT internal "
            "ORDER BY schema_name, table_name, column_index").fetchall():
        found = tables.get((_schema(schema), table))
        if found is not None:
            # A key filled from a sequence is how DuckDB autoincrements (the renderer writes
            # one per such column); the profile's serial_default tells it from a default.
            serial = default is not None and default.startswith("nextval(")
            found["columns"].append(ColumnState(
                name, _type(type_), bool(nullable),
                sa.text(default) if default is not None else None,
                autoincrement=True if serial else "auto", comment=comment or None))
    for schema, table, kind, columns, expression, referred, referred_columns in con.execute(
            "SELECT schema_name, table_name, constraint_type, constraint_column_names, "
            "expression, referenced_table, referenced_column_names FROM duckdb_constraints() "
            "ORDER BY schema_name, table_name, constraint_index").fetchall():
        found = tables.get((_schema(schema), table))
        if found is None:
            continue
        columns = tuple(columns or ())
        if kind == "PRIMARY KEY":
            found["pk"] = PrimaryKeyState(None, columns)
        elif kind == "UNIQUE":
            found["uniques"].append(UniqueState(None, columns))
        elif kind == "CHECK":
            found["checks"].append(CheckState(None, expression))
        elif kind == "FOREIGN KEY":
            found["fks"].append(ForeignKeyState(None, columns, referred,
                                                tuple(referred_columns or ())))
    for schema, table, name, unique, expressions in con.execute(
            "SELECT schema_name, table_name, index_name, is_unique, expressions "
            "FROM duckdb_indexes() ORDER BY schema_name, table_name, index_name").fetchall():
        found = tables.get((_schema(schema), table))
        if found is not None:
            found["indexes"].append(IndexState(name, _expressions(expressions), bool(unique)))
    state = SchemaState()
    for (schema, name), t in tables.items():
        state = state.with_table(TableState(
            name, schema, tuple(t["columns"]), t["pk"], tuple(t["fks"]), tuple(t["uniques"]),
            tuple(t["checks"]), (), tuple(t["indexes"]), t["comment"] or None))
    return state


def _schema(name: str) -> str | None:
    return None if name == _DEFAULT_SCHEMA else name


def _type(text: str) -> Any:
    from sqlglot import exp

    from .rawdefs import sa_type

    return sa_type(exp.DataType.build(text, dialect="duckdb"), "duckdb")


def _expressions(text: Any) -> tuple[str, ...]:
    """DuckDB lists an index's expressions as ``[a, b]`` (a list, or its text)."""
    if isinstance(text, (list, tuple)):
        items = list(text)
    else:
        items = [part.strip() for part in str(text).strip("[]").split(",")]
    return tuple(item.strip().strip("'").strip('"') for item in items if item.strip())
