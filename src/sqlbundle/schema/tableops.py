"""Table operations: create, drop, rename, comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .enumtypes import with_types
from .state import ForeignKeyState, SchemaState, StateError, TableState, evolve
from .opbase import Operation, _shown


@dataclass(frozen=True)
class CreateTable(Operation):
    table: TableState
    line: int | None = None
    autocommit: bool = False
    if_not_exists: bool = False
    kind: ClassVar[str] = "create_table"

    def apply(self, state: SchemaState) -> SchemaState:
        if state.table(self.table.name, self.table.schema) is not None:
            if self.if_not_exists:
                return state
            raise StateError(f"table {self.table.display!r} already exists")
        for fk in self.table.foreign_keys:
            _check_referred(state, fk, self.table)
        return with_enums(state, self.table.columns, self.table.schema).with_table(self.table)

    def describe(self) -> str:
        return f"create table {self.table.display}"


def with_enums(state: SchemaState, columns: Any, schema: str | None = None) -> SchemaState:
    """Named native enum types used by ``columns`` exist from now on (created with the table,
    as SQLAlchemy does); databases without named enum types ignore this part of the state.
    ``schema`` is unused: a type's schema is its own, not its table's."""
    return with_types(state, (col.type for col in columns))


def _check_referred(state: SchemaState, fk: ForeignKeyState, table: TableState) -> None:
    if fk.referred_table == table.name and fk.referred_schema == table.schema:
        return  # self-referencing
    if state.opaque or fk.forward:
        return
    referred = state.table(fk.referred_table, fk.referred_schema)
    if referred is None:
        raise StateError(
            f"foreign key {fk.name or ''} on {table.display!r} refers to table "
            f"{_shown(fk.referred_table, fk.referred_schema)!r}, which does not exist".replace(
                "key  on", "key on")
        )
    for col in fk.referred_columns:
        if not referred.has_column(col):
            raise StateError(f"foreign key refers to missing column {referred.display}.{col}")


@dataclass(frozen=True)
class DropTable(Operation):
    name: str
    schema: str | None = None
    line: int | None = None
    autocommit: bool = False
    if_exists: bool = False
    kind: ClassVar[str] = "drop_table"
    destructive: ClassVar[bool] = True

    def apply(self, state: SchemaState) -> SchemaState:
        if state.table(self.name, self.schema) is None:
            if self.if_exists or state.opaque:
                return state
            state.require_table(self.name, self.schema)
        return state.without_table((self.schema, self.name))

    def describe(self) -> str:
        return f"drop table {_shown(self.name, self.schema)}"


@dataclass(frozen=True)
class RenameTable(Operation):
    old_name: str
    new_name: str
    schema: str | None = None
    line: int | None = None
    autocommit: bool = False
    kind: ClassVar[str] = "rename_table"

    def apply(self, state: SchemaState) -> SchemaState:
        table = state.require_table(self.old_name, self.schema)
        if state.table(self.new_name, self.schema) is not None:
            raise StateError(f"cannot rename to {self.new_name!r}: that table already exists")
        from .gennames import renamed

        moved = renamed(state, evolve(table, name=self.new_name), self.old_name)
        state = state.without_table(table.key).with_table(moved)
        # Foreign keys elsewhere follow the table.
        for key, other in list(state.tables.items()):
            fks = tuple(evolve(fk, referred_table=self.new_name)
                        if fk.referred_table == self.old_name and fk.referred_schema == self.schema
                        else fk for fk in other.foreign_keys)
            if fks != other.foreign_keys:
                state = state.with_table(evolve(other, foreign_keys=fks))
        return state

    def describe(self) -> str:
        return f"rename table {_shown(self.old_name, self.schema)} to {self.new_name}"


@dataclass(frozen=True)
class SetTableComment(Operation):
    table: str
    comment: str | None  # None drops the comment
    schema: str | None = None
    line: int | None = None
    autocommit: bool = False
    kind: ClassVar[str] = "table_comment"

    def apply(self, state: SchemaState) -> SchemaState:
        table = state.require_table(self.table, self.schema)
        return state.with_table(evolve(table, comment=self.comment))

    def describe(self) -> str:
        verb = "drop" if self.comment is None else "set"
        return f"{verb} comment on table {_shown(self.table, self.schema)}"
