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
from typing import Any, TypeVar

from ..errors import SqlbundleError
from .namemap import NameMap
from .namemap import empty as empty_map

_T = TypeVar("_T")


def evolve(obj: _T, **changes: Any) -> _T:
    """``dataclasses.replace`` for the state's and the operations' frozen classes, without the
    keyword round trip through ``__init__`` (a third of the replay's time on long histories).
    The same value, since none of these classes has ``__post_init__`` or slots."""
    fields = obj.__dataclass_fields__  # type: ignore[attr-defined]
    if not fields.keys() >= changes.keys():
        raise TypeError(f"{type(obj).__name__} has no field(s) "
                        f"{sorted(changes.keys() - fields.keys())}")
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


class StateError(SqlbundleError):
    """An operation refers to something that does not exist (or already exists)."""


@dataclass(frozen=True)
class ColumnState:
    name: str
    type: Any
    nullable: bool = True
    server_default: Any = None  # str | TextClause | ClauseElement | None
    autoincrement: Any = "auto"
    comment: str | None = None
    identity: Any = None  # sa.Identity
    computed: Any = None  # sa.Computed
    sequence: Any = None  # sa.Sequence attached to the column


# ``name`` is what the author wrote (None: left to the database). ``generated_name`` is the name
# the database gave it (gennames.py): DDL never states it, lookups by name accept either.


@dataclass(frozen=True)
class PrimaryKeyState:
    name: str | None
    columns: tuple[str, ...]
    generated_name: str | None = None

    @property
    def known_name(self) -> str | None:
        return self.name or self.generated_name


@dataclass(frozen=True)
class ForeignKeyState:
    name: str | None
    columns: tuple[str, ...]
    referred_table: str
    referred_columns: tuple[str, ...]
    referred_schema: str | None = None
    ondelete: str | None = None
    onupdate: str | None = None
    deferrable: bool | None = None
    initially: str | None = None
    match: str | None = None
    generated_name: str | None = None

    @property
    def known_name(self) -> str | None:
        return self.name or self.generated_name


@dataclass(frozen=True)
class UniqueState:
    name: str | None
    columns: tuple[str, ...]
    generated_name: str | None = None

    @property
    def known_name(self) -> str | None:
        return self.name or self.generated_name


@dataclass(frozen=True)
class CheckState:
    name: str | None
    sqltext: str
    generated_name: str | None = None
    # The column it was declared on (sa.Column(..., sa.CheckConstraint(...))). An unnamed one
    # is written inline there, as SQLAlchemy does (MariaDB names it after the column); a named
    # one at table level, which every database accepts (MariaDB rejects a named column CHECK).
    column: str | None = None

    # Equal by the condition's generic SQL: a condition may be a SQLAlchemy construct, whose
    # == builds SQL rather than comparing.
    def _key(self) -> tuple[Any, ...]:
        from .expressions import condition_sql

        return (self.name, condition_sql(self.sqltext), self.generated_name, self.column)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, CheckState):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def inline(self) -> bool:
        return self.column is not None and self.name is None

    @property
    def known_name(self) -> str | None:
        return self.name or self.generated_name


@dataclass(frozen=True)
class IndexState:
    name: str
    expressions: tuple[Any, ...]  # column names (str) or SQL expressions (TextClause etc.)
    unique: bool = False
    kwargs: tuple[tuple[str, Any], ...] = ()  # dialect options, e.g. postgresql_where
    # Made by the database, not the author: the index MySQL adds for a foreign key that no
    # index serves (never rendered; a later index that serves the key replaces it).
    implicit: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(e for e in self.expressions if isinstance(e, str))


@dataclass(frozen=True)
class ExcludeState:
    name: str | None
    elements: tuple[tuple[str, str], ...]  # (column or expression, operator)
    using: str = "gist"
    where: str | None = None
    generated_name: str | None = None

    @property
    def known_name(self) -> str | None:
        return self.name or self.generated_name


@dataclass(frozen=True)
class TableState:
    name: str
    schema: str | None = None
    columns: tuple[ColumnState, ...] = ()
    primary_key: PrimaryKeyState | None = None
    foreign_keys: tuple[ForeignKeyState, ...] = ()
    uniques: tuple[UniqueState, ...] = ()
    checks: tuple[CheckState, ...] = ()
    excludes: tuple[ExcludeState, ...] = ()
    indexes: tuple[IndexState, ...] = ()
    comment: str | None = None
    kwargs: tuple[tuple[str, Any], ...] = ()  # e.g. mysql_engine

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.schema, self.name)

    @property
    def display(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def column(self, name: str) -> ColumnState | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None

    def has_column(self, name: str) -> bool:
        return self.column(name) is not None

    def serial_column(self) -> ColumnState | None:
        """The single integer primary-key column left to auto-increment (what PostgreSQL makes
        SERIAL), when nothing else (identity, sequence, default) generates its values."""
        import sqlalchemy as sa

        pk = self.primary_key
        if pk is None or len(pk.columns) != 1:
            return None
        col = self.column(pk.columns[0])
        if (col is None or col.autoincrement not in ("auto", True) or col.identity is not None
                or col.sequence is not None or col.server_default is not None
                or not isinstance(col.type, sa.Integer)):
            return None
        return col

    def constraint_kind(self, name: str) -> str | None:
        """"primary", "foreign", "unique", "check" or "exclude" for a named constraint."""
        return self.constraint(name)[0]

    def constraint(self, name: str) -> tuple[str | None, Any]:
        """(kind, constraint) known by ``name`` (as written, or as the database named it),
        or (None, None)."""
        pk = self.primary_key
        if pk is not None and name in (pk.name, pk.generated_name):
            return "primary", pk
        for kind, items in (("foreign", self.foreign_keys), ("unique", self.uniques),
                            ("check", self.checks), ("exclude", self.excludes)):
            for item in items:
                if name in (item.name, item.generated_name):
                    return kind, item
        return None, None

    def constraint_names(self) -> list[str]:
        """Every constraint name the table has (written or generated)."""
        items = ((self.primary_key,) if self.primary_key else ()) + self.foreign_keys + \
            self.uniques + self.checks + self.excludes
        return [n for c in items if (n := c.name or c.generated_name)]

    def index(self, name: str) -> IndexState | None:
        for idx in self.indexes:
            if idx.name == name:
                return idx
        return None


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
            table = _gennames().name_table(self, old, table)
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
def _gennames() -> Any:
    from . import gennames  # imports this module: not at the top

    return gennames


@lru_cache(maxsize=None)
def _schema_wide(naming: str | None) -> bool:
    return naming is not None and _gennames().RULES[naming].schema_wide_names


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
