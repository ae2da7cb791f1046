"""What an Alembic ``alter_column``'s ``existing_*`` hints do on each target.

Where a database cannot change one property of a column on its own, Alembic restates the whole
column from what the call states: MySQL and MariaDB ``MODIFY``/``CHANGE`` (type, NULL, DEFAULT,
AUTO_INCREMENT, COMMENT), SQL Server ``ALTER COLUMN`` (type, NULL). What the call leaves unstated
gets Alembic's default (NULL, no DEFAULT, no COMMENT, no AUTO_INCREMENT), so a database Alembic
built has exactly that, whatever the history said before.

For migrations written against Alembic's ``op`` the recorded operation says the same: each
restated value becomes a change named in ``AlterColumn.implied``, the replayed schema follows it
and lint reports where it differs from the history. When the call states no type, Alembic
refuses; sqlbundle restates the column from the replayed schema instead, so nothing is implied.
Migrations that import sqlbundle's own ``op`` keep sqlbundle's rule: what they do not change
comes from the history.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from .operations import UNSET, AlterColumn, Operation

Rule = Callable[[AlterColumn], AlterColumn]

# from alembic import op / from alembic import (context, op) / from alembic.op import ... /
# import alembic[.op]. Importing only alembic.context does not make a migration Alembic's.
_ALEMBIC_OP = re.compile(
    r"^[ \t]*(?:from[ \t]+alembic[ \t]+import[ \t]*(?:\([^)]*\bop\b|[^\n#]*\bop\b)"
    r"|from[ \t]+alembic\.op[ \t]+import\b|import[ \t]+alembic(?:\.op)?[ \t]*(?:$|[,#]|as\b))",
    re.MULTILINE)


def imports_alembic(source: str) -> bool:
    """The migration calls Alembic's ``op`` (``from alembic import op`` and the like)."""
    return _ALEMBIC_OP.search(source) is not None


def _default(value: Any) -> Any:
    return value.arg if isinstance(value, sa.DefaultClause) else value


def _generated(op: AlterColumn) -> bool:
    """Identity and computed columns: Alembic does not restate them (it refuses elsewhere)."""
    return any(isinstance(_default(v), (sa.Identity, sa.Computed))
               for v in (op.server_default, op.existing_server_default))


def _is_datetime(type_: Any) -> bool:
    return sa.types.to_instance(type_)._type_affinity is sa.types.DateTime


def restate_mysql(op: AlterColumn) -> AlterColumn:
    """MODIFY/CHANGE restate type, NULL, DEFAULT, AUTO_INCREMENT and COMMENT. Alembic writes
    them for a rename, for any change but a default alone, and for a default on a date/time
    column (set with CHANGE); a default alone is ``ALTER COLUMN ... SET/DROP DEFAULT``."""
    type_ = op.type if op.type is not UNSET else op.existing_type
    if type_ is None or _generated(op):
        return op
    restated = op.new_name is not UNSET or any(
        getattr(op, name) is not UNSET for name in ("nullable", "type", "autoincrement",
                                                     "comment")) or \
        (_is_datetime(type_) and op.server_default is not None)
    if not restated:
        return op
    stated = {
        "type": op.existing_type,
        "nullable": True if op.existing_nullable is None else bool(op.existing_nullable),
        "server_default": _default(op.existing_server_default),
        "autoincrement": bool(op.existing_autoincrement),
        "comment": op.existing_comment,
    }
    implied = {name: value for name, value in stated.items() if getattr(op, name) is UNSET}
    return replace(op, implied=tuple(implied), **implied)


def restate_mssql(op: AlterColumn) -> AlterColumn:
    """``ALTER COLUMN name type [NULL|NOT NULL]``: a nullability change restates the type
    (``existing_type``), a type change restates nullability (``existing_nullable``; without
    it Alembic writes none, and the column becomes NULL)."""
    if _generated(op):
        return op
    if op.nullable is not UNSET:
        if op.type is UNSET and op.existing_type is not None:
            return replace(op, type=op.existing_type, implied=("type",))
        return op
    if op.type is not UNSET:
        nullable = True if op.existing_nullable is None else bool(op.existing_nullable)
        return replace(op, nullable=nullable, implied=("nullable",))
    return op


# How Alembic restates columns, by a profile's ``alembic_restates`` key; targets without one
# alter one property at a time, so the hints change nothing there.
RULES: dict[str, Rule] = {"modify": restate_mysql, "alter_column": restate_mssql}


def with_alembic_hints(ops: tuple[Operation, ...], restates: str) -> tuple[Operation, ...]:
    """``ops`` as Alembic's ``op`` performs them on a target whose profile's
    ``alembic_restates`` is ``restates`` (empty: as recorded)."""
    rule = RULES.get(restates)
    if rule is None:
        return ops
    return tuple(rule(op) if isinstance(op, AlterColumn) else op for op in ops)
