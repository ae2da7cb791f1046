"""The name a SQLAlchemy naming convention gives a constraint the history left unnamed.

Alembic's recipe for dropping such a constraint on SQLite passes a ``naming_convention`` to
``batch_alter_table``: the reflected table's unnamed constraints are named by it, and
``drop_constraint`` then finds one by that name. The replayed state knows which constraints
are unnamed, so it can name them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from .state import CheckState, ForeignKeyState, PrimaryKeyState, TableState, UniqueState


def _constraint(item: Any) -> Any:
    if isinstance(item, PrimaryKeyState):
        return sa.PrimaryKeyConstraint(*item.columns)
    if isinstance(item, UniqueState):
        return sa.UniqueConstraint(*item.columns)
    if isinstance(item, CheckState):
        return sa.CheckConstraint(sa.text(item.sqltext))
    if isinstance(item, ForeignKeyState):
        referred = f"{item.referred_schema}.{item.referred_table}" if item.referred_schema \
            else item.referred_table
        return sa.ForeignKeyConstraint(list(item.columns),
                                       [f"{referred}.{c}" for c in item.referred_columns])
    return None


def convention_name(table: TableState, item: Any, convention: Mapping[str, Any]) -> str | None:
    """``item``'s name under ``convention`` (None when the convention has no entry for its
    kind, or needs a name the constraint lacks, such as ``%(constraint_name)s``)."""
    constraint = _constraint(item)
    if constraint is None:
        return None
    metadata = sa.MetaData(naming_convention=dict(convention))
    if isinstance(item, ForeignKeyState) and \
            (item.referred_table, item.referred_schema) != (table.name, table.schema):
        sa.Table(item.referred_table, metadata,
                 *[sa.Column(c, sa.types.NULLTYPE) for c in item.referred_columns],
                 schema=item.referred_schema)
    built = sa.Table(table.name, metadata,
                     *[sa.Column(c.name, sa.types.NULLTYPE) for c in table.columns],
                     schema=table.schema)
    try:
        built.append_constraint(constraint)
    except (sa.exc.InvalidRequestError, KeyError):
        return None
    name = constraint.name
    return None if name is None or type(name).__name__ == "_NoneName" else str(name)
