"""Column operations: add, drop, alter (type, NULL, default, comment, name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from .enumtypes import retyped_checks, with_types
from .state import (
    CheckState,
    ColumnState,
    ForeignKeyState,
    IndexState,
    PrimaryKeyState,
    SchemaState,
    StateError,
    TableState,
    UniqueState,
    evolve,
)
from .opbase import Operation, UNSET, _shown
from .tableops import _check_referred, with_enums


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
            new = evolve(new, primary_key=evolve(table.primary_key, columns=cols)
                         if table.primary_key else PrimaryKeyState(None, cols))
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
        from .gennames import rule_of

        return state.with_table(_drop_column(table, self.column,
                                             rule_of(state).drop_column_drops_key))

    def describe(self) -> str:
        return f"drop column {_shown(self.table, self.schema)}.{self.column}"


def _drop_column(table: TableState, name: str, drops_key: bool = False) -> TableState:
    """The table without ``name`` and without constraints and indexes that used it (what the
    databases do, at least for single-column ones). ``drops_key``: a primary key using it goes
    whole, else it loses that column."""
    changes: dict[str, object] = {
        "columns": tuple(c for c in table.columns if c.name != name)}
    pk = table.primary_key
    if pk and name in pk.columns:
        rest = () if drops_key else tuple(c for c in pk.columns if c != name)
        changes["primary_key"] = evolve(pk, columns=rest) if rest else None
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
        primary_key=evolve(pk, columns=swap(pk.columns)) if pk else None,  # its name stays
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
