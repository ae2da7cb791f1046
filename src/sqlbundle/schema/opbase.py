"""The base of every operation: ``Operation``, the ``UNSET`` marker, names as shown to people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .state import (
    CheckState,
    ExcludeState,
    ForeignKeyState,
    PrimaryKeyState,
    SchemaState,
    UniqueState,
)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNSET"  # unpickles as this module's UNSET: "is UNSET" keeps working


UNSET: Any = _Unset()


Constraint = PrimaryKeyState | ForeignKeyState | UniqueState | CheckState | ExcludeState


def _shown(name: str, schema: str | None) -> str:
    return f"{schema}.{name}" if schema else name


@dataclass(frozen=True)
class Operation:
    """Base: ``line`` is the migration-file line of the ``op.*`` call; ``autocommit`` is True
    inside ``get_context().autocommit_block()``."""

    kind: ClassVar[str] = "operation"
    destructive: ClassVar[bool] = False

    def apply(self, state: SchemaState) -> SchemaState:
        return state

    def describe(self) -> str:
        return self.kind
