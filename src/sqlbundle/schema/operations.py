"""Operations: frozen values recorded from ``op.*`` calls.

Each knows how to fold itself into a ``SchemaState`` (``apply``) and how to describe itself for
people (``describe``). Operations do no I/O and know no dialect; renderers turn them into SQL
using the states before and after them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from .enumtypes import retyped_checks, with_types
from .state import (
    CheckState,
    ColumnState,
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


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNSET"  # unpickles as this module's UNSET: "is UNSET" keeps working


UNSET: Any = _Unset()

_RAW_DDL = re.compile(r"(^|;)\s*(CREATE|ALTER|DROP|RENAME|TRUNCATE|COMMENT)\b", re.IGNORECASE)

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
    if state.opaque:
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
class Position:
    """Where a column added by a table-recreating batch goes (Alembic's ``insert_before`` /
    ``insert_after``). As in Alembic's copy, "after X" means before the column that followed X
    when the batch began, that is after X and after the columns the same batch already added
    there (``batch_added``)."""

    before: str | None = None
    after: str | None = None
    batch_added: tuple[str, ...] = ()

    def index_in(self, table: TableState) -> int:
        names = [c.name for c in table.columns]
        if self.before is not None and self.before in names:
            return names.index(self.before)
        if self.after is not None and self.after in names:
            index = names.index(self.after) + 1
            while index < len(names) and names[index] in self.batch_added:
                index += 1
            return index
        missing = self.before if self.before is not None else self.after
        raise StateError(f"column {table.display}.{missing} does not exist")


@dataclass(frozen=True)
class AddColumn(Operation):
    table: str
    column: ColumnState
    schema: str | None = None
    primary_key: bool = False
    foreign_keys: tuple[ForeignKeyState, ...] = ()
    unique: UniqueState | None = None
    index: IndexState | None = None
    checks: tuple[CheckState, ...] = ()
    line: int | None = None
    autocommit: bool = False
    if_not_exists: bool = False
    position: Position | None = None  # None: after the last column
    kind: ClassVar[str] = "add_column"

    def apply(self, state: SchemaState) -> SchemaState:
        table = state.require_table(self.table, self.schema)
        if table.has_column(self.column.name):
            if self.if_not_exists:
                return state
            raise StateError(f"column {table.display}.{self.column.name} already exists")
        for fk in self.foreign_keys:
            _check_referred(state, fk, table)
        state = with_enums(state, (self.column,), self.schema)
        at = len(table.columns) if self.position is None else self.position.index_in(table)
        new = evolve(
            table,
            columns=table.columns[:at] + (self.column,) + table.columns[at:],
            foreign_keys=table.foreign_keys + self.foreign_keys,
            uniques=table.uniques + ((self.unique,) if self.unique else ()),
            indexes=table.indexes + ((self.index,) if self.index else ()),
            checks=table.checks + self.checks,
        )
        if self.primary_key:
            cols = (table.primary_key.columns if table.primary_key else ()) + (self.column.name,)
            new = evolve(new, primary_key=PrimaryKeyState(
                table.primary_key.name if table.primary_key else None, cols))
        return state.with_table(new)

    def describe(self) -> str:
        return f"add column {_shown(self.table, self.schema)}.{self.column.name}"


@dataclass(frozen=True)
class DropColumn(Operation):
    table: str
    column: str
    schema: str | None = None
    line: int | None = None
    autocommit: bool = False
    if_exists: bool = False
    existing_server_default_name: str | None = None  # mssql: named default constraint
    kind: ClassVar[str] = "drop_column"
    destructive: ClassVar[bool] = True

    def apply(self, state: SchemaState) -> SchemaState:
        table = state.require_table(self.table, self.schema)
        if not table.has_column(self.column):
            if self.if_exists:
                return state
            raise StateError(f"column {table.display}.{self.column} does not exist")
        return state.with_table(_drop_column(table, self.column))

    def describe(self) -> str:
        return f"drop column {_shown(self.table, self.schema)}.{self.column}"


def _drop_column(table: TableState, name: str) -> TableState:
    """The table without ``name`` and without constraints and indexes that used it (what the
    databases do, at least for single-column ones)."""
    changes: dict[str, object] = {
        "columns": tuple(c for c in table.columns if c.name != name)}
    pk = table.primary_key
    if pk and name in pk.columns:
        rest = tuple(c for c in pk.columns if c != name)
        changes["primary_key"] = PrimaryKeyState(pk.name, rest) if rest else None
    # Only what used the column is rebuilt: an unchanged tuple stays the same object, which
    # with_table relies on to skip its index bookkeeping.
    for field, items in (("foreign_keys", table.foreign_keys), ("uniques", table.uniques),
                         ("indexes", table.indexes)):
        if any(name in item.columns for item in items):
            changes[field] = tuple(item for item in items if name not in item.columns)
    if table.checks:
        # CHECKs on the column, or mentioning it, go with it (PostgreSQL drops them; a table
        # copy could not restate them).
        from .gennames import check_columns

        kept = tuple(c for c in table.checks
                     if c.column != name and name not in check_columns(c.sqltext, table))
        if len(kept) != len(table.checks):
            changes["checks"] = kept
    return evolve(table, **changes)


@dataclass(frozen=True)
class AlterColumn(Operation):
    """Changes to one column; unset fields are left as the state has them.

    ``existing_*`` are what the author wrote. Where the target restates the whole column from
    them, as Alembic does (``hints``), the restated values are set as changes and named in
    ``implied``: the step changes them too when the history disagrees. Otherwise they are used
    only when the state cannot know (after raw SQL).
    """

    table: str
    column: str
    schema: str | None = None
    nullable: Any = UNSET
    type: Any = UNSET
    server_default: Any = UNSET  # None or False drops the default
    new_name: Any = UNSET
    comment: Any = UNSET
    autoincrement: Any = UNSET
    using: str | None = None  # postgresql_using
    # The CHECKs the new type adds on the recording dialect (non-native Enum, Boolean).
    type_checks: tuple[CheckState, ...] = ()
    existing_type: Any = None
    existing_nullable: Any = None
    existing_server_default: Any = None
    existing_comment: Any = None
    existing_autoincrement: Any = None
    implied: tuple[str, ...] = ()  # fields set from the hints, not asked for as changes
    line: int | None = None
    autocommit: bool = False
    kind: ClassVar[str] = "alter_column"

    def changes(self) -> dict[str, Any]:
        """What the author asked to change (not what restating the column implies)."""
        names = ("nullable", "type", "server_default", "new_name", "comment", "autoincrement")
        return {n: getattr(self, n) for n in names
                if getattr(self, n) is not UNSET and n not in self.implied}

    def apply(self, state: SchemaState) -> SchemaState:
        table = state.require_table(self.table, self.schema)
        col = table.column(self.column)
        if col is None:
            raise StateError(f"column {table.display}.{self.column} does not exist")
        new = col
        if self.type is not UNSET:
            new = evolve(new, type=self.type)
            table = evolve(table, checks=retyped_checks(table, col, self.type_checks))
            state = with_types(state, (self.type,), relabel=True)
        if self.nullable is not UNSET:
            nullable = bool(self.nullable)
            if nullable and "nullable" in self.implied and table.primary_key is not None and \
                    self.column in table.primary_key.columns:
                # A primary-key column restated as NULL stays NOT NULL (MariaDB; MySQL and
                # SQL Server refuse the statement, and their renderers say so).
                nullable = False
            new = evolve(new, nullable=nullable)
        if self.server_default is not UNSET:
            default = self.server_default
            new = evolve(new, server_default=None if default is None or default is False
                          else default)
        if self.comment is not UNSET:
            new = evolve(new, comment=self.comment)
        if self.autoincrement is not UNSET:
            new = evolve(new, autoincrement=self.autoincrement)
        if self.new_name is not UNSET and self.new_name != self.column:
            if table.has_column(self.new_name):
                raise StateError(f"column {table.display}.{self.new_name} already exists")
            new = evolve(new, name=self.new_name)
        columns = tuple(new if c.name == self.column else c for c in table.columns)
        table = evolve(table, columns=columns)
        if new.name != self.column:
            table = _rename_in_constraints(table, self.column, new.name)
            # Foreign keys in other tables that refer to this column follow it.
            state = state.with_table(table)
            for key, other in list(state.tables.items()):
                fks = tuple(
                    evolve(fk, referred_columns=tuple(new.name if c == self.column else c
                                                       for c in fk.referred_columns))
                    if fk.referred_table == table.name and fk.referred_schema == table.schema
                    else fk for fk in other.foreign_keys)
                if fks != other.foreign_keys:
                    state = state.with_table(evolve(other, foreign_keys=fks))
            return state
        return state.with_table(table)

    def describe(self) -> str:
        parts = ", ".join(f"{k}" for k in self.changes())
        return f"alter column {_shown(self.table, self.schema)}.{self.column} ({parts})"


def _rename_in_constraints(table: TableState, old: str, new: str) -> TableState:
    def swap(cols: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if c == old else c for c in cols)

    pk = table.primary_key
    return evolve(
        table,
        primary_key=PrimaryKeyState(pk.name, swap(pk.columns)) if pk else None,
        foreign_keys=tuple(evolve(f, columns=swap(f.columns)) for f in table.foreign_keys),
        uniques=tuple(evolve(u, columns=swap(u.columns)) for u in table.uniques),
        checks=tuple(_renamed_check(c, old, new) for c in table.checks),
        indexes=tuple(evolve(i, expressions=tuple(new if e == old else e for e in i.expressions))
                      for i in table.indexes),
    )


_SQL_WORD = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[A-Za-z_][\w$]*""")


def _renamed_check(check: CheckState, old: str, new: str) -> CheckState:
    """The CHECK after column ``old`` became ``new``: the databases follow the rename, and a
    CHECK restated later (a table copy, MariaDB's MODIFY) must name the new column."""
    from .expressions import condition_text, construct_renamed, with_condition_text

    written = condition_text(check.sqltext)
    if written is None:  # a construct: its columns are objects
        sqltext = construct_renamed(check.sqltext, old, new)
    else:
        quotes = {f'"{old}"': f'"{new}"', f"`{old}`": f"`{new}`", f"[{old}]": f"[{new}]",
                  old: new}
        text = _SQL_WORD.sub(lambda m: quotes.get(m.group(0), m.group(0)), written)
        sqltext = check.sqltext if text == written else with_condition_text(check.sqltext, text)
    column = new if check.column == old else check.column
    if sqltext is check.sqltext and column == check.column:
        return check
    return evolve(check, sqltext=sqltext, column=column)


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
        table = state.require_table(self.table, self.schema)
        if state.find_index(self.index.name, self.schema) is not None:
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


@dataclass(frozen=True)
class Execute(Operation):
    """Raw SQL (str), a ``text()`` clause, a Core statement or a DDL element."""

    sql: Any
    line: int | None = None
    autocommit: bool = False
    source_dialect: str | None = None
    text_lines: bool = False  # the SQL's lines are the file's, from ``line`` on (a SQL file)
    kind: ClassVar[str] = "execute"

    @property
    def is_text(self) -> bool:
        return isinstance(self.sql, str)

    def apply(self, state: SchemaState) -> SchemaState:
        text = self.sql if isinstance(self.sql, str) else ""
        if not _RAW_DDL.search(text):
            return state
        if self.source_dialect:
            # Follow the DDL where sqlglot can read it (CREATE/ALTER/DROP TABLE, indexes).
            from .rawddl import follow_raw_ddl
            from ..render.transpile import sqlglot_name

            followed, complete = follow_raw_ddl(state, text, sqlglot_name(self.source_dialect))
            return followed if complete else evolve(followed, opaque=True)
        # Raw DDL the state cannot follow: it can no longer be trusted to be complete.
        return evolve(state, opaque=True)

    def describe(self) -> str:
        if isinstance(self.sql, str):
            first = " ".join(self.sql.split())
            return "execute " + (first[:60] + "..." if len(first) > 60 else first)
        return f"execute {type(self.sql).__name__}"


@dataclass(frozen=True)
class BulkInsert(Operation):
    table: str
    columns: tuple[tuple[str, Any], ...]  # (name, type) as the author's table declared them
    rows: tuple[tuple[tuple[str, Any], ...], ...]  # each row: sorted (column, value) pairs
    schema: str | None = None
    multiinsert: bool = True
    line: int | None = None
    autocommit: bool = False
    kind: ClassVar[str] = "bulk_insert"

    def apply(self, state: SchemaState) -> SchemaState:
        table = state.table(self.table, self.schema)
        if table is None and not state.opaque:
            state.require_table(self.table, self.schema)
        if table is not None:
            for name, _ in self.columns:
                if not table.has_column(name):
                    raise StateError(f"bulk_insert names missing column {table.display}.{name}")
        return state

    def describe(self) -> str:
        return f"insert {len(self.rows)} row(s) into {_shown(self.table, self.schema)}"


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
