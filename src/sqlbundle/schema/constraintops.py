"""Index and constraint operations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .state import (
    CheckState,
    ExcludeState,
    ForeignKeyState,
    IndexState,
    PrimaryKeyState,
    SchemaState,
    StateError,
    TableState,
    UniqueState,
    evolve,
)
from .opbase import Constraint, Operation, _shown
from .tableops import _check_referred


@dataclass(frozen=True)
class CreateIndex(Operation):
    table: str
    index: IndexState
    schema: str | None = None
    if_not_exists: bool = False
    line: int | None = None
    autocommit: bool = False
    kind: ClassVar[str] = "create_index"

    @property
    def concurrently(self) -> bool:
        return bool(dict(self.index.kwargs).get("postgresql_concurrently"))

    def apply(self, state: SchemaState) -> SchemaState:
        from .gennames import rule_of

        table = state.require_table(self.table, self.schema)
        scope = self.table if rule_of(state).index_names_per_table else None
        if state.find_index(self.index.name, self.schema, scope) is not None:
            if self.if_not_exists:
                return state
            raise StateError(f"index {self.index.name!r} already exists")
        for col in self.index.columns:
            if not table.has_column(col):
                raise StateError(f"index {self.index.name!r} uses missing column "
                                 f"{table.display}.{col}")
        kwargs = tuple(kv for kv in self.index.kwargs if kv[0] != "postgresql_concurrently")
        return state.with_table(evolve(table, indexes=table.indexes + (
            evolve(self.index, kwargs=kwargs),)))

    def describe(self) -> str:
        return f"create index {self.index.name} on {_shown(self.table, self.schema)}"


@dataclass(frozen=True)
class DropIndex(Operation):
    name: str
    table: str | None = None
    schema: str | None = None
    if_exists: bool = False
    kwargs: tuple[tuple[str, Any], ...] = ()
    line: int | None = None
    autocommit: bool = False
    kind: ClassVar[str] = "drop_index"

    def owner(self, state: SchemaState) -> TableState | None:
        return state.find_index(self.name, self.schema, self.table)

    def unique_key(self, state: SchemaState) -> tuple[TableState, UniqueState] | None:
        """On MySQL a unique constraint is an index of the same name, and DROP INDEX drops it
        (what histories written there do): (its table, it), else None."""
        from .gennames import rule_of

        table = state.table(self.table, self.schema) if self.table else None
        if table is None or not rule_of(state).uniques_are_indexes:
            return None
        kind, item = table.constraint(self.name)
        return (table, item) if kind == "unique" else None

    def apply(self, state: SchemaState) -> SchemaState:
        table = self.owner(state)
        if table is None:
            unique = self.unique_key(state)
            if unique is not None:
                return state.with_table(without_constraint(unique[0], "unique", unique[1]))
            if self.if_exists or state.opaque:
                return state
            where = f" on table {self.table!r}" if self.table else ""
            raise StateError(f"index {self.name!r}{where} does not exist at this point")
        return state.with_table(evolve(
            table, indexes=tuple(i for i in table.indexes if i.name != self.name)))

    def describe(self) -> str:
        return f"drop index {self.name}"


@dataclass(frozen=True)
class AddConstraint(Operation):
    table: str
    constraint: Constraint
    schema: str | None = None
    line: int | None = None
    autocommit: bool = False
    kind: ClassVar[str] = "add_constraint"

    @property
    def constraint_kind(self) -> str:
        return _KINDS[type(self.constraint)]

    def apply(self, state: SchemaState) -> SchemaState:
        table = state.require_table(self.table, self.schema)
        c = self.constraint
        if c.name and table.constraint_kind(c.name):
            raise StateError(f"constraint {c.name!r} already exists on {table.display!r}")
        for col in getattr(c, "columns", ()):
            if not table.has_column(col):
                raise StateError(f"constraint {c.name!r} uses missing column {table.display}.{col}")
        if isinstance(c, PrimaryKeyState):
            if table.primary_key is not None:
                raise StateError(f"table {table.display!r} already has a primary key")
            # Primary key columns become NOT NULL, as every database makes them.
            cols = tuple(evolve(col, nullable=False) if col.name in c.columns else col
                         for col in table.columns)
            return state.with_table(evolve(table, primary_key=c, columns=cols))
        if isinstance(c, ForeignKeyState):
            _check_referred(state, c, table)
            return state.with_table(evolve(table, foreign_keys=table.foreign_keys + (c,)))
        if isinstance(c, UniqueState):
            return state.with_table(evolve(table, uniques=table.uniques + (c,)))
        if isinstance(c, CheckState):
            return state.with_table(evolve(table, checks=table.checks + (c,)))
        return state.with_table(evolve(table, excludes=table.excludes + (c,)))

    def describe(self) -> str:
        return (f"add {self.constraint_kind} constraint {self.constraint.name or ''} on "
                f"{_shown(self.table, self.schema)}").replace("  ", " ")


def _constraints(table: TableState, kind: str) -> tuple[Any, ...]:
    return {"primary": (table.primary_key,), "foreign": table.foreign_keys,
            "unique": table.uniques, "check": table.checks, "exclude": table.excludes}[kind]


_KINDS = {PrimaryKeyState: "primary", ForeignKeyState: "foreign", UniqueState: "unique",
          CheckState: "check", ExcludeState: "exclude"}


TYPE_NAMES = {"primary": "primary", "foreignkey": "foreign", "foreign": "foreign",
              "unique": "unique", "check": "check", "exclude": "exclude"}


@dataclass(frozen=True)
class DropConstraint(Operation):
    table: str
    name: str
    schema: str | None = None
    type_hint: str | None = None  # what the author passed as type_
    if_exists: bool = False
    line: int | None = None
    autocommit: bool = False
    # batch_alter_table(naming_convention=...): the names it gives unnamed constraints
    naming_convention: tuple[tuple[str, str], ...] = ()
    kind: ClassVar[str] = "drop_constraint"

    def found(self, state: SchemaState) -> tuple[str | None, Constraint | None]:
        """(kind, constraint) the name refers to: as written, as the database named it, or as
        the batch's naming convention names it."""
        table = state.table(self.table, self.schema)
        if table is None:
            return None, None
        kind, item = table.constraint(self.name)
        if kind is None and self.naming_convention:
            from .convention import by_convention

            return by_convention(table, dict(self.naming_convention), self.name)
        return kind, item

    def apply(self, state: SchemaState) -> SchemaState:
        table = state.require_table(self.table, self.schema)
        kind, item = self.found(state)
        if kind is None:
            if self.if_exists or state.opaque:
                return state
            raise StateError(f"constraint {self.name!r} does not exist on {table.display!r}"
                             + _unnamed_note(state, table, self.type_hint))
        if self.type_hint and TYPE_NAMES.get(self.type_hint) not in (None, kind):
            raise StateError(f"constraint {self.name!r} is a {kind} constraint, not "
                             f"{self.type_hint!r}")
        return state.with_table(without_constraint(table, kind, item))

    def describe(self) -> str:
        return f"drop constraint {self.name} on {_shown(self.table, self.schema)}"


def without_constraint(table: TableState, kind: str, item: Constraint) -> TableState:
    if kind == "primary":
        return evolve(table, primary_key=None)
    field = {"foreign": "foreign_keys", "unique": "uniques", "check": "checks",
             "exclude": "excludes"}[kind]
    return evolve(table, **{field: tuple(c for c in getattr(table, field) if c is not item)})


def _unnamed_note(state: SchemaState, table: TableState, type_hint: str | None) -> str:
    """Why a name the author saw may be unknown here: the table has constraints of that kind
    the database named itself, and this target's names cannot be known offline."""
    from .gennames import knows_names

    if knows_names(state):
        return ""
    kind = TYPE_NAMES.get(type_hint or "")
    items = {"primary": (table.primary_key,) if table.primary_key else (),
             "foreign": table.foreign_keys, "unique": table.uniques, "check": table.checks,
             "exclude": table.excludes}
    unnamed = [c for k, cs in items.items() if kind in (None, k) for c in cs
               if c.name is None and c.generated_name is None]
    if not unnamed:
        return ""
    return ("; it has constraints declared without a name, which this database names in "
            "its own way (or not at all): name the constraint where it is created, or set "
            "source_dialect to the database the history was written for, so that sqlbundle "
            "knows them by the names that database gives")
