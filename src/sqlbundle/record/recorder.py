"""The recorder behind ``op``: Alembic-compatible signatures that build operation values.

A migration runs once per target dialect (migrations may branch on the dialect's name), with
``op`` bound to a ``Recorder``. Nothing here emits SQL or opens a connection; anything that
would read the database is an error naming the file and line.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import conv

from ..schema.enumtypes import type_checks
from ..errors import ScriptError
from ..schema.expressions import ddl_expression, unescape_binds
from .offline import OFFLINE_HINT, MigrationContext, OfflineBind
from .opargs import (
    ArgumentProblem,
    column_names,
    default_index_name,
    index_element,
    plain_name,
    user_table,
)
from ..schema.operations import (
    UNSET,
    AddColumn,
    AddConstraint,
    AlterColumn,
    BulkInsert,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
    Execute,
    Operation,
    Position,
    RenameTable,
    SetTableComment,
)
from ..schema.state import (
    CheckState,
    ExcludeState,
    ForeignKeyState,
    IndexState,
    PrimaryKeyState,
    UniqueState,
)
from ..schema.fromsa import _clause_text, _name, column_state, table_state


class Recorder:
    """Collects the operations one ``upgrade()``/``downgrade()`` call makes."""

    def __init__(self, path: str, dialect: Any, *, shown: str | None = None,
                 source_dialect: str | None = None, written_for: str | None = None) -> None:
        self.path = path
        self.shown = shown or path
        self.dialect = dialect
        self.source_dialect = source_dialect
        self.written_for = written_for  # the target's sqlglot dialect (``Execute``)
        self.operations: list[Operation] = []
        self._autocommit = False

    # ------------------------------------------------------------------ plumbing

    def caller_line(self) -> int | None:
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == self.path:
                return frame.f_lineno
            frame = frame.f_back
        return None

    def error(self, message: str, hint: str | None = None) -> ScriptError:
        return ScriptError(message, path=self.shown, line=self.caller_line(), hint=hint)

    def record(self, op: Operation) -> None:
        fields = {"line": self.caller_line(), "autocommit": self._autocommit}
        self.operations.append(_with(op, **fields))

    @contextlib.contextmanager
    def autocommit(self) -> Iterator[None]:
        previous, self._autocommit = self._autocommit, True
        try:
            yield
        finally:
            self._autocommit = previous

    # ------------------------------------------------------------------ the op API

    def get_context(self) -> MigrationContext:
        from .target import current

        return current(self.dialect).context  # the target's, shared as in Alembic

    def get_bind(self) -> OfflineBind:
        return self.get_context().bind

    def inline_literal(self, value: Any, type_: Any = None) -> Any:
        return sa.literal(value, type_)

    def f(self, name: str) -> Any:
        return conv(name)

    def columns(self, refs: Any, what: str) -> tuple[Any, ...]:
        """Column names from whatever shape Alembic accepts for them."""
        try:
            return column_names(refs, what)
        except ArgumentProblem as exc:
            raise self.error(str(exc), hint="name the column as a string") from None

    def index_name(self, name: Any, problem: str) -> Any:
        if name is None:
            raise self.error(problem, hint="name it, e.g. op.f('ix_table_column')")
        return plain_name(name)

    def constraint_name(self, name: Any) -> Any:
        if _name(name) is None:
            raise self.error("drop_constraint needs the constraint's name")
        return _name(name)

    def create_table(self, table_name: str, *columns: Any, **kw: Any) -> sa.Table:
        if_not_exists = bool(kw.pop("if_not_exists", False))
        table = user_table(table_name, columns, **kw)
        state = table_state(table, self.dialect)
        if self.dialect.supports_alter and any(fk.forward for fk in state.foreign_keys):
            # use_alter=True: SQLAlchemy's CREATE TABLE leaves it out, for an ALTER the
            # migration writes once the tables it joins exist (SQLite has none: kept inline).
            state = replace(state, foreign_keys=tuple(fk for fk in state.foreign_keys
                                                      if not fk.forward))
        self.record(CreateTable(state, if_not_exists=if_not_exists))
        return table

    def drop_table(self, table_name: str, *, schema: str | None = None,
                   if_exists: bool | None = None, **kw: Any) -> None:
        self.record(DropTable(table_name, schema, if_exists=bool(if_exists)))

    def rename_table(self, old_table_name: str, new_table_name: str, *,
                     schema: str | None = None) -> None:
        self.record(RenameTable(old_table_name, new_table_name, schema))

    def add_column(self, table_name: str, column: sa.Column, *, schema: str | None = None,
                   if_not_exists: bool | None = None, _position: Position | None = None,
                   **kw: Any) -> None:
        """``_position``: where a batch that recreates the table puts the column."""
        if column.name and column.table is None and not (
                column.primary_key or column.foreign_keys or column.constraints
                or column.unique or column.index or isinstance(column.type, sa.types.SchemaType)):
            # Nothing that needs a table to become real (the common case, and far cheaper).
            self.record(AddColumn(table_name, column_state(column), schema,
                                  if_not_exists=bool(if_not_exists), position=_position))
            return
        table = user_table(table_name, [column], schema=schema)
        state = table_state(table, self.dialect)
        index = next((i for i in state.indexes), None)
        self.record(AddColumn(
            table_name, state.columns[0], schema,
            primary_key=bool(table.c[0].primary_key),
            foreign_keys=state.foreign_keys,
            unique=state.uniques[0] if state.uniques else None,
            index=index,
            checks=state.checks,
            if_not_exists=bool(if_not_exists),
            position=_position,
        ))

    def drop_column(self, table_name: str, column_name: str, *, schema: str | None = None,
                    if_exists: bool | None = None, **kw: Any) -> None:
        self.record(DropColumn(table_name, self.columns(column_name, "drop_column")[0], schema,
                               if_exists=bool(if_exists),
                               existing_server_default_name=kw.get("mssql_default_name")))

    def alter_column(self, table_name: str, column_name: str, *, nullable: Any = None,
                     comment: Any = False, server_default: Any = False,
                     new_column_name: Any = None, type_: Any = None,
                     existing_type: Any = None, existing_server_default: Any = False,
                     existing_nullable: Any = None, existing_comment: Any = None,
                     schema: str | None = None, **kw: Any) -> None:
        if isinstance(type_, type):
            type_ = type_()
        if isinstance(existing_type, type):
            existing_type = existing_type()
        if isinstance(server_default, sa.DefaultClause):
            server_default = server_default.arg
        self.record(AlterColumn(
            table_name, self.columns(column_name, "alter_column")[0], schema,
            nullable=UNSET if nullable is None else bool(nullable),
            type=UNSET if type_ is None else type_,
            server_default=UNSET if server_default is False else server_default,
            new_name=UNSET if new_column_name is None else new_column_name,
            comment=UNSET if comment is False else comment,
            autoincrement=UNSET if kw.get("autoincrement") is None else kw["autoincrement"],
            using=kw.get("postgresql_using"),
            type_checks=type_checks(table_name, new_column_name or column_name, type_, schema,
                                    self.dialect),
            existing_type=existing_type,
            existing_nullable=existing_nullable,
            existing_server_default=None if existing_server_default is False
            else existing_server_default,
            existing_comment=existing_comment,
            existing_autoincrement=kw.get("existing_autoincrement"),
        ))

    def create_index(self, index_name: str, table_name: str, columns: Sequence[Any], *,
                     schema: str | None = None, unique: bool = False,
                     if_not_exists: bool | None = None, **kw: Any) -> None:
        if isinstance(columns, (str, sa.sql.ClauseElement)):
            columns = [columns]  # one column or expression given alone
        expressions = tuple(index_element(c) for c in columns)
        kwargs = tuple(sorted((k, v) for k, v in kw.items() if "_" in k))
        if index_name is None:
            index_name = default_index_name(table_name, schema, expressions)
        name = self.index_name(index_name, "an index on an expression needs a name")
        index = IndexState(name, expressions, bool(unique), kwargs)
        self.record(CreateIndex(table_name, index, schema, if_not_exists=bool(if_not_exists)))

    def drop_index(self, index_name: str, table_name: str | None = None, *,
                   schema: str | None = None, if_exists: bool | None = None, **kw: Any) -> None:
        kwargs = tuple(sorted((k, v) for k, v in kw.items() if "_" in k))
        name = self.index_name(index_name, "drop_index needs the index's name")
        self.record(DropIndex(name, table_name, schema, if_exists=bool(if_exists), kwargs=kwargs))

    def create_primary_key(self, constraint_name: str | None, table_name: str,
                           columns: Sequence[str], *, schema: str | None = None) -> None:
        self.record(AddConstraint(table_name, PrimaryKeyState(
            _name(constraint_name), self.columns(columns, "create_primary_key")), schema))

    def create_foreign_key(self, constraint_name: str | None, source_table: str,
                           referent_table: str, local_cols: Sequence[str],
                           remote_cols: Sequence[str], *, onupdate: str | None = None,
                           ondelete: str | None = None, deferrable: bool | None = None,
                           initially: str | None = None, match: str | None = None,
                           source_schema: str | None = None,
                           referent_schema: str | None = None, **dialect_kw: Any) -> None:
        fk = ForeignKeyState(_name(constraint_name),
                             self.columns(local_cols, "create_foreign_key"),
                             plain_name(referent_table),
                             self.columns(remote_cols, "create_foreign_key"), referent_schema,
                             ondelete, onupdate, deferrable, initially, match)
        self.record(AddConstraint(source_table, fk, source_schema))

    def create_unique_constraint(self, constraint_name: str | None, table_name: str,
                                 columns: Sequence[str], *, schema: str | None = None,
                                 **kw: Any) -> None:
        self.record(AddConstraint(table_name, UniqueState(
            _name(constraint_name), self.columns(columns, "create_unique_constraint")), schema))

    def create_check_constraint(self, constraint_name: str | None, table_name: str,
                                condition: Any, *, schema: str | None = None,
                                **kw: Any) -> None:
        self.record(AddConstraint(table_name, CheckState(_name(constraint_name),
                                                         ddl_expression(condition)), schema))

    def create_exclude_constraint(self, constraint_name: str | None, table_name: str,
                                  *elements: Any, where: Any = None, schema: str | None = None,
                                  using: str = "gist", **kw: Any) -> None:
        items = tuple((e if isinstance(e, str) else _clause_text(e, self.dialect), op)
                      for e, op in elements)
        kept = ddl_expression(where) if where is not None else None
        self.record(AddConstraint(table_name, ExcludeState(_name(constraint_name), items, using,
                                                           kept), schema))

    def drop_constraint(self, constraint_name: str, table_name: str, type_: str | None = None,
                        *, schema: str | None = None, if_exists: bool | None = None,
                        _naming_convention: Any = None) -> None:
        """``_naming_convention``: a batch's, naming the table's unnamed constraints."""
        convention = _convention(_naming_convention)
        self.record(DropConstraint(table_name, self.constraint_name(constraint_name), schema,
                                   type_, bool(if_exists), naming_convention=convention))

    def create_table_comment(self, table_name: str, comment: str | None, *,
                             existing_comment: str | None = None,
                             schema: str | None = None) -> None:
        self.record(SetTableComment(table_name, comment, schema))

    def drop_table_comment(self, table_name: str, *, existing_comment: str | None = None,
                           schema: str | None = None) -> None:
        self.record(SetTableComment(table_name, None, schema))

    def execute(self, sqltext: Any, *, execution_options: Any = None,
                dialect: str | None = None) -> None:
        if isinstance(sqltext, sa.sql.Select):
            raise self.error("a SELECT cannot run offline", hint=OFFLINE_HINT)
        if isinstance(sqltext, str):
            # Alembic runs a string as text(): `\:name` is how its users write a colon.
            # `:name` itself stays as written (never a parameter, as Alembic would make it).
            sqltext = unescape_binds(sqltext)
        self.record(Execute(sqltext, source_dialect=dialect or self.source_dialect,
                            written_for=self.written_for))

    def bulk_insert(self, table: Any, rows: Sequence[dict[str, Any]], *,
                    multiinsert: bool = True) -> None:
        columns = tuple((c.name, c.type) for c in table.columns)
        known = {name for name, _ in columns}
        norm_rows = []
        for row in rows:
            unknown = sorted(set(row) - known)
            if unknown:
                raise self.error(f"bulk_insert row names columns not in the table: "
                                 f"{', '.join(unknown)}")
            norm_rows.append(tuple(sorted(row.items())))
        self.record(BulkInsert(table.name, columns, tuple(norm_rows),
                               getattr(table, "schema", None), multiinsert))

    def batch_alter_table(self, table_name: str, schema: str | None = None,
                          **kw: Any) -> Any:
        from .batch import batch_alter_table

        return batch_alter_table(self, table_name, schema, **kw)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise self.error(f"op.{name} is not supported by sqlbundle",
                         hint="see the README's list of supported operations")


_CONVENTION_KEYS = {sa.PrimaryKeyConstraint: "pk", sa.ForeignKeyConstraint: "fk",
                    sa.UniqueConstraint: "uq", sa.CheckConstraint: "ck"}


def _convention(convention: Any) -> tuple[tuple[str, str], ...]:
    """The constraint templates of a naming convention (keys as SQLAlchemy's short names;
    custom token functions cannot be followed offline and are left out)."""
    out = {}
    for key, value in dict(convention or {}).items():
        key = _CONVENTION_KEYS.get(key, key)
        if key in ("pk", "fk", "uq", "ck") and isinstance(value, str):
            out[key] = value
    return tuple(sorted(out.items()))


def _with(op: Operation, **fields: Any) -> Operation:
    from dataclasses import replace

    return replace(op, **{k: v for k, v in fields.items() if hasattr(op, k)})
