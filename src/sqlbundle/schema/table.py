"""One table of the replayed schema: ``TableState`` and its columns, keys, constraints and
indexes, all frozen values; ``evolve`` makes a changed copy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..errors import SqlbundleError


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


class Named:
    """A constraint the author may leave unnamed: ``generated_name`` is the name the target
    database gives it, and ``known_name`` whichever of the two it is known by."""

    name: str | None
    generated_name: str | None

    @property
    def known_name(self) -> str | None:
        return self.name or self.generated_name


@dataclass(frozen=True)
class PrimaryKeyState(Named):
    name: str | None
    columns: tuple[str, ...]
    generated_name: str | None = None


@dataclass(frozen=True)
class ForeignKeyState(Named):
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
    # Declared use_alter=True and kept inline (SQLite, which has no ALTER for it): it may
    # refer to a table created later, as SQLite checks references only when rows are written.
    forward: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class UniqueState(Named):
    name: str | None
    columns: tuple[str, ...]
    generated_name: str | None = None


@dataclass(frozen=True)
class CheckState(Named):
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
class ExcludeState(Named):
    name: str | None
    elements: tuple[tuple[str, str], ...]  # (column or expression, operator)
    using: str = "gist"
    where: str | None = None
    generated_name: str | None = None


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
    # Not all of the table is known: filled in from a migration's hints, or it existed when a
    # revision ran that could not be replayed. Nothing may rebuild it from this state.
    partial: bool = False

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
