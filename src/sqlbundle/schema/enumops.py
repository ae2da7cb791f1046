"""Named enum types (PostgreSQL): create and drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .state import SchemaState, StateError, evolve
from .opbase import Operation, _shown


@dataclass(frozen=True)
class CreateEnum(Operation):
    """A PostgreSQL ENUM type (``sa.Enum(...).create(bind)`` / ``postgresql.ENUM.create``)."""

    name: str
    values: tuple[str, ...]
    schema: str | None = None
    checkfirst: bool = False
    line: int | None = None
    autocommit: bool = False
    kind: ClassVar[str] = "create_enum"

    def apply(self, state: SchemaState) -> SchemaState:
        key = (self.schema, self.name)
        if key in state.enums:
            if self.checkfirst:  # the author takes the type over: never dropped implicitly
                return evolve(state, implicit_enums=state.implicit_enums - {key})
            raise StateError(f"enum type {self.name!r} already exists")
        enums = dict(state.enums)
        enums[key] = self.values
        return evolve(state, enums=enums, implicit_enums=state.implicit_enums - {key})

    def describe(self) -> str:
        return f"create enum type {_shown(self.name, self.schema)}"


@dataclass(frozen=True)
class DropEnum(Operation):
    """``implicit``: not the author's, but the end of a step whose operations removed the last
    column using a type the history created along with a column (see ``enumtypes``)."""

    name: str
    schema: str | None = None
    checkfirst: bool = False
    line: int | None = None
    autocommit: bool = False
    implicit: bool = False
    kind: ClassVar[str] = "drop_enum"

    def apply(self, state: SchemaState) -> SchemaState:
        key = (self.schema, self.name)
        if key not in state.enums:
            if key in state.implicit_enums:  # dropped with its last column in an earlier
                # step: the author's own drop of it, written for Alembic, still runs
                return evolve(state, implicit_enums=state.implicit_enums - {key})
            if self.checkfirst or state.opaque:
                return state
            raise StateError(f"enum type {self.name!r} does not exist")
        enums = dict(state.enums)
        del enums[key]
        # An implicit drop keeps the key in implicit_enums: the history's memory of that drop.
        implicit = state.implicit_enums if self.implicit else state.implicit_enums - {key}
        return evolve(state, enums=enums, implicit_enums=implicit)

    def describe(self) -> str:
        if self.implicit:
            return f"drop enum type {_shown(self.name, self.schema)} (no column uses it any more)"
        return f"drop enum type {_shown(self.name, self.schema)}"
