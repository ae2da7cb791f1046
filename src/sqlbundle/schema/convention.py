"""Names a SQLAlchemy naming convention gives constraints declared without one.

``op.batch_alter_table(..., naming_convention={"fk": "fk_%(table_name)s_..."})`` is how Alembic
documents dropping an unnamed constraint on SQLite: the convention names the reflected table's
unnamed constraints, and ``batch_op.drop_constraint()`` uses those names. The replayed state
plays the reflected table.
"""

from __future__ import annotations

import re
from typing import Any

from .state import TableState

_CONVENTION_KEYS = {"primary": "pk", "foreign": "fk", "unique": "uq", "check": "ck"}
_TOKEN = re.compile(r"%\((\w+)\)s")


def by_convention(table: TableState, convention: dict[str, str], name: str
                  ) -> tuple[str | None, Any]:
    """(kind, constraint) among the table's unnamed constraints that ``convention`` calls
    ``name``; else (None, None)."""
    pk = table.primary_key
    items = [("primary", pk)] if pk is not None else []
    items += [("foreign", c) for c in table.foreign_keys] + [
        ("unique", c) for c in table.uniques] + [("check", c) for c in table.checks]
    for kind, item in items:
        template = convention.get(_CONVENTION_KEYS[kind])
        if item.name is None and template and _conventional(template, table, item) == name:
            return kind, item
    return None, None


def _conventional(template: str, table: TableState, item: Any) -> str | None:
    """``template`` filled in for ``item`` as SQLAlchemy's naming module does; None when it
    needs what the constraint lacks (its own name, a column)."""
    columns = tuple(getattr(item, "columns", ()))
    referred = tuple(getattr(item, "referred_columns", ()))
    values: dict[str, str] = {"table_name": table.name}
    for prefix, cols in (("column", columns), ("referred_column", referred)):
        labels = tuple(f"{table.name}_{c}" for c in cols) if prefix == "column" else cols
        for kind, names in (("name", cols), ("key", cols), ("label", labels)):
            if names:
                values[f"{prefix}_0_{kind}"] = names[0]
                values[f"{prefix}_0N_{kind}"] = "".join(names)
                values[f"{prefix}_0_N_{kind}"] = "_".join(names)
    if getattr(item, "referred_table", None):
        values["referred_table_name"] = item.referred_table
    tokens = _TOKEN.findall(template)
    if any(t not in values for t in tokens):
        return None
    return _TOKEN.sub(lambda m: values[m.group(1)], template)
