"""The replayed schema: an immutable, in-memory model of what the history has built so far.

Operations fold over it (``Operation.apply(state) -> state``); renderers read the state before
and after each operation, so migration authors never restate what the history already says.
Types are SQLAlchemy type instances (treated as immutable); defaults keep the SQLAlchemy
construct the author wrote so they can be re-rendered for any dialect.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field
from functools import lru_cache

from . import gennames
from .namemap import NameMap
from .namemap import empty as empty_map
from .table import (  # noqa: F401 - the state's parts, where most callers import them


    CheckState,
    ColumnState,
    ExcludeState,
    ForeignKeyState,
    IndexState,
    PrimaryKeyState,
    StateError,
    TableState,
    UniqueState,
    evolve,
)


@dataclass(frozen=True)
class SchemaState:
    tables: NameMap[TableState] = field(default_factory=empty_map)
    enums: dict[tuple[str | None, str], tuple[str, ...]] = field(default_factory=dict)
    # Named enum types created along with a column that used them (not by the author): they
    # go when their last user goes (see enumtypes); a key stays after that drop, so that the
    # author's own later drop of the type is known to be harmless.
    implicit_enums: frozenset[tuple[str | None, str]] = frozenset()
    # Raw SQL ran that the state cannot follow: later lookups fall back to what authors wrote.
    opaque: bool = False
    # (schema, index name) -> names of the tables having such an index; kept in step with
    # ``tables`` so index lookups do not scan every table.
    index_owners: NameMap[tuple[str, ...]] = field(default_factory=empty_map)
    # How the database this state models names what authors leave unnamed: a key of
    # ``gennames.RULES`` chosen from the target's profile (None: nothing gets a name).
    naming: str | None = None
    # (schema, constraint name) -> names of the tables having it, generated names included,
    # kept where the naming needs it: PostgreSQL picks a name free in the whole schema.
    constraint_owners: NameMap[tuple[str, ...]] = field(default_factory=empty_map)

    def table(self, name: str, schema: str | None = None) -> TableState | None:
        return self.tables.get((schema, name))

    def require_table(self, name: str, schema: str | None = None) -> TableState:
        table = self.table(name, schema)
        if table is None:
            shown = f"{schema}.{name}" if schema else name
            raise StateError(f"table {shown!r} does not exist at this point of the history")
        return table

    def with_table(self, table: TableState) -> SchemaState:
        """The state with ``table`` in it; constraints the author left unnamed get the name
        this state's database gives them (``naming``)."""
        old = self.tables.get(table.key)
        changed = _constraints_changed(old, table)
        if changed and self.naming is not None:
            table = gennames.name_table(self, old, table)
        owners = self.index_owners
        if old is None or (old.indexes is not table.indexes
                           and _index_names(old) != _index_names(table)):
            owners = _swap_owners(owners, table, _index_names(old) if old else [],
                                  _index_names(table))
        named = self.constraint_owners
        if changed and _schema_wide(self.naming):
            before = old.constraint_names() if old is not None else []
            after = table.constraint_names()
            if before != after:
                named = _swap_owners(named, table, before, after)
        return SchemaState(tables=self.tables.set(table.key, table), enums=self.enums,
                           implicit_enums=self.implicit_enums, opaque=self.opaque,
                           index_owners=owners, naming=self.naming, constraint_owners=named)

    def without_table(self, key: tuple[str | None, str]) -> SchemaState:
        old = self.tables[key]
        named = self.constraint_owners
        if _schema_wide(self.naming):
            named = _swap_owners(named, old, old.constraint_names(), [])
        return SchemaState(tables=self.tables.remove(key), enums=self.enums,
                           implicit_enums=self.implicit_enums, opaque=self.opaque,
                           index_owners=_swap_owners(self.index_owners, old,
                                                     _index_names(old), []),
                           naming=self.naming, constraint_owners=named)

    def find_index(self, name: str, schema: str | None = None,
                   table: str | None = None) -> TableState | None:
        """The table owning index ``name`` (optionally restricted to one table)."""
        if table is not None:
            owner = self.tables.get((schema, table))
            return owner if owner is not None and owner.index(name) else None
        owners = self.index_owners.get((schema, name))
        # Index names can repeat across tables on MySQL; the owners are sorted.
        return self.tables[(schema, owners[0])] if owners else None

    def name_taken(self, name: str, schema: str | None, *, relations: bool = True,
                   constraints: bool = True) -> bool:
        """Whether ``name`` is used in ``schema`` by a table or index (``relations``) or by a
        constraint of any table (``constraints``)."""
        key = (schema, name)
        if relations and (key in self.tables or key in self.index_owners):
            return True
        return constraints and key in self.constraint_owners


@lru_cache(maxsize=None)
def _schema_wide(naming: str | None) -> bool:
    return naming is not None and gennames.RULES[naming].schema_wide_names


def _constraints_changed(old: TableState | None, new: TableState) -> bool:
    """Whether ``new`` may hold constraints or indexes ``old`` lacks (cheap: by identity)."""
    return old is None or not (
        old.primary_key is new.primary_key and old.foreign_keys is new.foreign_keys
        and old.uniques is new.uniques and old.checks is new.checks
        and old.excludes is new.excludes and old.indexes is new.indexes)


def _index_names(table: TableState) -> list[str]:
    return [index.name for index in table.indexes]


def _swap_owners(owners: NameMap[tuple[str, ...]], table: TableState, before: list[str],
                 after: list[str]) -> NameMap[tuple[str, ...]]:
    """``owners`` with ``table`` owning the names ``after`` instead of ``before``."""
    gone, added = set(before), set(after)
    gone, added = gone - added, added - gone
    for name in sorted(gone):
        key = (table.schema, name)
        rest = tuple(n for n in owners.get(key, ()) if n != table.name)
        owners = owners.set(key, rest) if rest else (owners.remove(key) if key in owners
                                                      else owners)
    for name in sorted(added):
        key = (table.schema, name)
        # Kept sorted; MySQL gives many tables the same index names (a foreign key's column).
        current = owners.get(key, ())
        if table.name not in current:
            listed = list(current)
            insort(listed, table.name)
            owners = owners.set(key, tuple(listed))
    return owners
