"""The replayed schema: an immutable, in-memory model of what the history has built so far.

Operations fold over it (``Operation.apply(state) -> state``); renderers read the state before
and after each operation, so migration authors never restate what the history already says.
Types are SQLAlchemy type instances (treated as immutable); defaults keep the SQLAlchemy
construct the author wrote so they can be re-rendered for any dialect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from .errors import SqlbundleError
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


@dataclass(frozen=True)
class PrimaryKeyState:
    name: str | None
    columns: tuple[str, ...]


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


@dataclass(frozen=True)
class UniqueState:
    name: str | None
    columns: tuple[str, ...]


@dataclass(frozen=True)
class CheckState:
    name: str | None
    sqltext: str


@dataclass(frozen=True)
class IndexState:
    name: str
    expressions: tuple[Any, ...]  # column names (str) or SQL expressions (TextClause etc.)
    unique: bool = False
    kwargs: tuple[tuple[str, Any], ...] = ()  # dialect options, e.g. postgresql_where

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(e for e in self.expressions if isinstance(e, str))


@dataclass(frozen=True)
class ExcludeState:
    name: str | None
    elements: tuple[tuple[str, str], ...]  # (column or expression, operator)
    using: str = "gist"
    where: str | None = None


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
        if self.primary_key and self.primary_key.name == name:
            return "primary"
        for kind, items in (("foreign", self.foreign_keys), ("unique", self.uniques),
                            ("check", self.checks), ("exclude", self.excludes)):
            if any(c.name == name for c in items):
                return kind
        return None

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

    def table(self, name: str, schema: str | None = None) -> TableState | None:
        return self.tables.get((schema, name))

    def require_table(self, name: str, schema: str | None = None) -> TableState:
        table = self.table(name, schema)
        if table is None:
            shown = f"{schema}.{name}" if schema else name
            raise StateError(f"table {shown!r} does not exist at this point of the history")
        return table

    def with_table(self, table: TableState) -> SchemaState:
        old = self.tables.get(table.key)
        owners = self.index_owners
        if old is None or (old.indexes is not table.indexes
                           and _index_names(old) != _index_names(table)):
            if old is not None:
                owners = _without_owner(owners, old)
            for index in table.indexes:
                key = (table.schema, index.name)
                owners = owners.set(key, tuple(sorted(set(owners.get(key, ())) | {table.name})))
        return SchemaState(tables=self.tables.set(table.key, table), enums=self.enums,
                           implicit_enums=self.implicit_enums, opaque=self.opaque,
                           index_owners=owners)

    def without_table(self, key: tuple[str | None, str]) -> SchemaState:
        old = self.tables[key]
        return SchemaState(tables=self.tables.remove(key), enums=self.enums,
                           implicit_enums=self.implicit_enums, opaque=self.opaque,
                           index_owners=_without_owner(self.index_owners, old))

    def find_index(self, name: str, schema: str | None = None,
                   table: str | None = None) -> TableState | None:
        """The table owning index ``name`` (optionally restricted to one table)."""
        if table is not None:
            owner = self.tables.get((schema, table))
            return owner if owner is not None and owner.index(name) else None
        owners = self.index_owners.get((schema, name))
        # Index names can repeat across tables on MySQL; the owners are sorted.
        return self.tables[(schema, owners[0])] if owners else None


def _index_names(table: TableState) -> list[str]:
    return [index.name for index in table.indexes]


def _without_owner(owners: NameMap[tuple[str, ...]], table: TableState
                   ) -> NameMap[tuple[str, ...]]:
    for index in table.indexes:
        key = (table.schema, index.name)
        rest = tuple(n for n in owners.get(key, ()) if n != table.name)
        owners = owners.set(key, rest) if rest else (owners.remove(key) if key in owners
                                                      else owners)
    return owners
