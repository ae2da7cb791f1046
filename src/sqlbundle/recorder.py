"""The recorder behind ``op``: Alembic-compatible signatures that build operation values.

A migration runs once per target dialect (migrations may branch on the dialect's name), with
``op`` bound to a ``Recorder``. Nothing here emits SQL or opens a connection; anything that
would read the database is an error naming the file and line.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import conv

from .enumtypes import type_checks
from .errors import ScriptError
from .operations import (
    UNSET,
    AddColumn,
    AddConstraint,
    AlterColumn,
    BulkInsert,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropEnum,
    DropIndex,
    DropTable,
    Execute,
    Operation,
    RenameTable,
    SetTableComment,
)
from .state import (
    CheckState,
    ColumnState,
    ExcludeState,
    ForeignKeyState,
    IndexState,
    PrimaryKeyState,
    TableState,
    UniqueState,
)

OFFLINE_HINT = (
    "offline SQL cannot depend on query results; compute the values when writing the "
    "migration, or move the data logic into SQL (op.execute with UPDATE ... SELECT)"
)


def _clause_text(clause: Any, dialect: Any = None) -> str:
    """SQL text of a condition or expression, with literal values inlined."""
    if isinstance(clause, str):
        return clause
    # Unqualified column names: the CHECK must also hold on a renamed copy of the table.
    compiled = clause.compile(dialect=dialect,
                              compile_kwargs={"literal_binds": True, "include_table": False})
    return str(compiled)


def _fk_state(constraint: sa.ForeignKeyConstraint) -> ForeignKeyState:
    referred_schema = None
    referred_table = None
    referred_cols: list[str] = []
    for element in constraint.elements:
        parts = element.target_fullname.split(".")
        if len(parts) >= 3:
            referred_schema, referred_table = ".".join(parts[:-2]), parts[-2]
        else:
            referred_table = parts[0]
        referred_cols.append(parts[-1])
    return ForeignKeyState(
        name=_name(constraint.name),
        columns=tuple(constraint.column_keys),
        referred_table=referred_table or "",
        referred_columns=tuple(referred_cols),
        referred_schema=referred_schema,
        ondelete=constraint.ondelete,
        onupdate=constraint.onupdate,
        deferrable=constraint.deferrable,
        initially=constraint.initially,
        match=constraint.match,
    )


def _name(name: Any) -> str | None:
    if name is None or type(name).__name__ == "_NoneName":
        return None
    return str(name)


def _text(name: Any) -> Any:
    """A name SQLAlchemy wrapped in ``quoted_name`` without a quoting choice is just its text:
    the compilers treat the two alike, and plain strings make recorded operations a quarter
    faster to load from the record cache."""
    if type(name) is not str and getattr(name, "quote", True) is None:
        return str(name)
    return name


def column_state(column: sa.Column) -> ColumnState:
    default = column.server_default
    identity = computed = None
    server_default: Any = None
    if isinstance(default, sa.Identity):
        identity = default
    elif isinstance(default, sa.Computed):
        computed = default
    elif isinstance(default, sa.DefaultClause):
        server_default = default.arg
    elif default is not None:
        server_default = default
    sequence = column.default if isinstance(column.default, sa.Sequence) else None
    return ColumnState(
        name=_text(column.name),
        type=column.type,
        nullable=bool(column.nullable),
        server_default=server_default,
        autoincrement=column.autoincrement,
        comment=column.comment,
        identity=identity,
        computed=computed,
        sequence=sequence,
    )


def _index_state(index: sa.Index) -> IndexState:
    # Columns by name; expressions (text(), functions) as they are.
    expressions = [_text(e.name) if isinstance(e, sa.Column) else e for e in index.expressions]
    kwargs = tuple(sorted(index.dialect_kwargs.items()))
    return IndexState(str(index.name), tuple(expressions), bool(index.unique), kwargs)


def table_state(table: sa.Table, dialect: Any) -> TableState:
    """Convert a SQLAlchemy ``Table`` (as ``create_table`` builds it) into a ``TableState``."""
    compiler = dialect.ddl_compiler(dialect, None)
    pk = table.primary_key
    primary = PrimaryKeyState(_name(pk.name), tuple(_text(c.name) for c in pk.columns)) \
        if pk.columns else None
    fks, uniques, checks, excludes = [], [], [], []
    for constraint in sorted(table.constraints, key=lambda c: (type(c).__name__, str(c.name))):
        rule = getattr(constraint, "_create_rule", None)
        if rule is not None and not rule(compiler):
            continue  # e.g. an enum's CHECK on a database with native enums
        if isinstance(constraint, sa.ForeignKeyConstraint):
            fks.append(_fk_state(constraint))
        elif isinstance(constraint, sa.UniqueConstraint):
            uniques.append(UniqueState(_name(constraint.name),
                                       tuple(_text(c.name) for c in constraint.columns)))
        elif isinstance(constraint, sa.CheckConstraint):
            checks.append(CheckState(_name(constraint.name), _clause_text(constraint.sqltext)))
        elif type(constraint).__name__ == "ExcludeConstraint":
            excludes.append(_exclude_state(constraint))
    # Column-level CHECKs (sa.Column(..., sa.CheckConstraint(...))) live on the column only.
    for column in table.columns:
        for constraint in sorted(column.constraints, key=lambda c: str(c.name)):
            if isinstance(constraint, sa.CheckConstraint):
                checks.append(CheckState(_name(constraint.name), _clause_text(constraint.sqltext)))
    indexes = tuple(sorted((_index_state(i) for i in table.indexes), key=lambda i: i.name))
    kwargs = tuple(sorted(table.dialect_kwargs.items()))
    return TableState(
        name=_text(table.name),
        schema=table.schema,
        columns=tuple(column_state(c) for c in table.columns),
        primary_key=primary,
        foreign_keys=tuple(fks),
        uniques=tuple(uniques),
        checks=tuple(checks),
        excludes=tuple(excludes),
        indexes=indexes,
        comment=table.comment,
        kwargs=kwargs,
    )


def _exclude_state(constraint: Any) -> ExcludeState:
    elements = []
    for expr, (_, _, op) in zip(constraint.columns, constraint._render_exprs):
        elements.append((getattr(expr, "name", str(expr)), op))
    where = _clause_text(constraint.where) if constraint.where is not None else None
    return ExcludeState(_name(constraint.name), tuple(elements), constraint.using, where)


class OfflineResult:
    """What ``bind.execute()`` returns offline: reading it is an error."""

    def __init__(self, recorder: Recorder) -> None:
        self._recorder = recorder

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise self._recorder.error("reading query results is not possible", hint=OFFLINE_HINT)

    fetchall = fetchone = fetchmany = scalar = scalar_one = scalars = first = one = all = _fail
    mappings = scalar_one_or_none = one_or_none = _fail

    def __iter__(self) -> Iterator[Any]:
        return self._fail()


class OfflineBind:
    """``op.get_bind()``: executes DDL/DML into the recording; anything that reads fails."""

    def __init__(self, recorder: Recorder) -> None:
        self._recorder = recorder
        self.dialect = recorder.dialect
        self.engine = self

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> OfflineResult:
        if args or kwargs.get("parameters"):
            raise self._recorder.error("bind parameters cannot be executed offline",
                                       hint="inline the values, e.g. with op.inline_literal()")
        if isinstance(statement, sa.sql.Select) or (
                isinstance(statement, str) and statement.lstrip().upper().startswith("SELECT")):
            raise self._recorder.error("a SELECT cannot run offline", hint=OFFLINE_HINT)
        self._recorder.execute(statement)
        return OfflineResult(self._recorder)

    exec_driver_sql = execute

    def _run_ddl_visitor(self, visitor: Any, element: Any, **kwargs: Any) -> None:
        checkfirst = bool(kwargs.get("checkfirst", False))
        creating = "Generator" in visitor.__name__
        if isinstance(element, sa.Enum):
            if creating:
                self._recorder.record(CreateEnum(element.name, tuple(element.enums),
                                                 element.schema, checkfirst))
            else:
                self._recorder.record(DropEnum(element.name, element.schema, checkfirst))
            return
        raise self._recorder.error(
            f"{type(element).__name__}.{'create' if creating else 'drop'}(bind) is not supported "
            "offline", hint="use op.create_table / op.drop_table")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise self._recorder.error(f"get_bind().{name} needs a live database", hint=OFFLINE_HINT)


class MigrationContext:
    """``context.get_context()`` / ``op.get_context()`` offline."""

    as_sql = True

    def __init__(self, recorder: Recorder) -> None:
        self._recorder = recorder
        self.dialect = recorder.dialect
        self.bind = OfflineBind(recorder)

    @contextlib.contextmanager
    def autocommit_block(self) -> Iterator[None]:
        with self._recorder.autocommit():
            yield

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise self._recorder.error(f"get_context().{name} is not available offline")


class BatchOperations:
    """``op.batch_alter_table(...)``: the same operations with the table name bound."""

    def __init__(self, recorder: Recorder, table: str, schema: str | None) -> None:
        self._r = recorder
        self._table = table
        self._schema = schema

    def add_column(self, column: sa.Column, insert_before: str | None = None,
                   insert_after: str | None = None, **kw: Any) -> None:
        self._r.add_column(self._table, column, schema=self._schema, **kw)

    def drop_column(self, column_name: str, **kw: Any) -> None:
        self._r.drop_column(self._table, column_name, schema=self._schema, **kw)

    def alter_column(self, column_name: str, **kw: Any) -> None:
        kw.pop("insert_before", None)
        kw.pop("insert_after", None)
        self._r.alter_column(self._table, column_name, schema=self._schema, **kw)

    def create_index(self, index_name: str, columns: Sequence[Any], **kw: Any) -> None:
        self._r.create_index(index_name, self._table, columns, schema=self._schema, **kw)

    def drop_index(self, index_name: str, **kw: Any) -> None:
        self._r.drop_index(index_name, self._table, schema=self._schema, **kw)

    def create_primary_key(self, constraint_name: str | None, columns: Sequence[str]) -> None:
        self._r.create_primary_key(constraint_name, self._table, columns, schema=self._schema)

    def create_foreign_key(self, constraint_name: str | None, referent_table: str,
                           local_cols: Sequence[str], remote_cols: Sequence[str],
                           **kw: Any) -> None:
        kw.setdefault("source_schema", self._schema)
        self._r.create_foreign_key(constraint_name, self._table, referent_table, local_cols,
                                   remote_cols, **kw)

    def create_unique_constraint(self, constraint_name: str | None, columns: Sequence[str],
                                 **kw: Any) -> None:
        self._r.create_unique_constraint(constraint_name, self._table, columns,
                                         schema=self._schema, **kw)

    def create_check_constraint(self, constraint_name: str | None, condition: Any,
                                **kw: Any) -> None:
        self._r.create_check_constraint(constraint_name, self._table, condition,
                                        schema=self._schema, **kw)

    def create_exclude_constraint(self, constraint_name: str | None, *elements: Any,
                                  **kw: Any) -> None:
        self._r.create_exclude_constraint(constraint_name, self._table, *elements,
                                          schema=self._schema, **kw)

    def drop_constraint(self, constraint_name: str, type_: str | None = None, **kw: Any) -> None:
        self._r.drop_constraint(constraint_name, self._table, type_=type_,
                                schema=self._schema, **kw)

    def create_table_comment(self, comment: str | None, **kw: Any) -> None:
        self._r.create_table_comment(self._table, comment, schema=self._schema, **kw)

    def drop_table_comment(self, **kw: Any) -> None:
        self._r.drop_table_comment(self._table, schema=self._schema, **kw)

    def execute(self, sqltext: Any, **kw: Any) -> None:
        self._r.execute(sqltext, **kw)


class Recorder:
    """Collects the operations one ``upgrade()``/``downgrade()`` call makes."""

    def __init__(self, path: str, dialect: Any, *, shown: str | None = None,
                 source_dialect: str | None = None) -> None:
        self.path = path
        self.shown = shown or path
        self.dialect = dialect
        self.source_dialect = source_dialect
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

    def migration_context(self) -> MigrationContext:
        return MigrationContext(self)

    # ------------------------------------------------------------------ the op API

    def get_context(self) -> MigrationContext:
        return MigrationContext(self)

    def get_bind(self) -> OfflineBind:
        return OfflineBind(self)

    def inline_literal(self, value: Any, type_: Any = None) -> Any:
        return sa.literal(value, type_)

    def f(self, name: str) -> Any:
        return conv(name)

    def create_table(self, table_name: str, *columns: Any, **kw: Any) -> sa.Table:
        if_not_exists = bool(kw.pop("if_not_exists", False))
        table = sa.Table(table_name, sa.MetaData(), *columns, **kw)
        self.record(CreateTable(table_state(table, self.dialect), if_not_exists=if_not_exists))
        return table

    def drop_table(self, table_name: str, *, schema: str | None = None,
                   if_exists: bool | None = None, **kw: Any) -> None:
        self.record(DropTable(table_name, schema, if_exists=bool(if_exists)))

    def rename_table(self, old_table_name: str, new_table_name: str, *,
                     schema: str | None = None) -> None:
        self.record(RenameTable(old_table_name, new_table_name, schema))

    def add_column(self, table_name: str, column: sa.Column, *, schema: str | None = None,
                   if_not_exists: bool | None = None, **kw: Any) -> None:
        if column.name and not (column.primary_key or column.foreign_keys or column.constraints
                                or column.unique or column.index
                                or isinstance(column.type, sa.types.SchemaType)):
            # Nothing that needs a table to become real (the common case, and far cheaper).
            self.record(AddColumn(table_name, column_state(column), schema,
                                  if_not_exists=bool(if_not_exists)))
            return
        table = sa.Table(table_name, sa.MetaData(), column, schema=schema)
        state = table_state(table, self.dialect)
        index = next((i for i in state.indexes), None)
        self.record(AddColumn(
            table_name, state.columns[0], schema,
            primary_key=bool(column.primary_key),
            foreign_keys=state.foreign_keys,
            unique=state.uniques[0] if state.uniques else None,
            index=index,
            checks=state.checks,
            if_not_exists=bool(if_not_exists),
        ))

    def drop_column(self, table_name: str, column_name: str, *, schema: str | None = None,
                    if_exists: bool | None = None, **kw: Any) -> None:
        self.record(DropColumn(table_name, column_name, schema, if_exists=bool(if_exists),
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
            table_name, column_name, schema,
            nullable=UNSET if nullable is None else bool(nullable),
            type=UNSET if type_ is None else type_,
            server_default=UNSET if server_default is False else server_default,
            new_name=UNSET if new_column_name is None else new_column_name,
            comment=UNSET if comment is False else comment,
            autoincrement=kw.get("autoincrement", UNSET),
            using=kw.get("postgresql_using"),
            type_checks=type_checks(table_name, new_column_name or column_name, type_, schema,
                                    self.dialect),
            existing_type=existing_type,
            existing_nullable=existing_nullable,
            existing_server_default=None if existing_server_default is False
            else existing_server_default,
            existing_comment=existing_comment,
        ))

    def create_index(self, index_name: str, table_name: str, columns: Sequence[Any], *,
                     schema: str | None = None, unique: bool = False,
                     if_not_exists: bool | None = None, **kw: Any) -> None:
        if isinstance(columns, str):
            columns = [columns]
        expressions = tuple(columns)
        kwargs = tuple(sorted((k, v) for k, v in kw.items() if "_" in k))
        index = IndexState(str(index_name), expressions, bool(unique), kwargs)
        self.record(CreateIndex(table_name, index, schema, if_not_exists=bool(if_not_exists)))

    def drop_index(self, index_name: str, table_name: str | None = None, *,
                   schema: str | None = None, if_exists: bool | None = None, **kw: Any) -> None:
        kwargs = tuple(sorted((k, v) for k, v in kw.items() if "_" in k))
        self.record(DropIndex(str(index_name), table_name, schema, if_exists=bool(if_exists),
                              kwargs=kwargs))

    def create_primary_key(self, constraint_name: str | None, table_name: str,
                           columns: Sequence[str], *, schema: str | None = None) -> None:
        self.record(AddConstraint(table_name, PrimaryKeyState(_name(constraint_name),
                                                              tuple(columns)), schema))

    def create_foreign_key(self, constraint_name: str | None, source_table: str,
                           referent_table: str, local_cols: Sequence[str],
                           remote_cols: Sequence[str], *, onupdate: str | None = None,
                           ondelete: str | None = None, deferrable: bool | None = None,
                           initially: str | None = None, match: str | None = None,
                           source_schema: str | None = None,
                           referent_schema: str | None = None, **dialect_kw: Any) -> None:
        fk = ForeignKeyState(_name(constraint_name), tuple(local_cols), referent_table,
                             tuple(remote_cols), referent_schema, ondelete, onupdate,
                             deferrable, initially, match)
        self.record(AddConstraint(source_table, fk, source_schema))

    def create_unique_constraint(self, constraint_name: str | None, table_name: str,
                                 columns: Sequence[str], *, schema: str | None = None,
                                 **kw: Any) -> None:
        self.record(AddConstraint(table_name, UniqueState(_name(constraint_name),
                                                          tuple(columns)), schema))

    def create_check_constraint(self, constraint_name: str | None, table_name: str,
                                condition: Any, *, schema: str | None = None,
                                **kw: Any) -> None:
        self.record(AddConstraint(table_name, CheckState(_name(constraint_name),
                                                         _clause_text(condition)), schema))

    def create_exclude_constraint(self, constraint_name: str | None, table_name: str,
                                  *elements: Any, where: Any = None, schema: str | None = None,
                                  using: str = "gist", **kw: Any) -> None:
        items = tuple((e if isinstance(e, str) else _clause_text(e), op) for e, op in elements)
        where_text = _clause_text(where) if where is not None else None
        self.record(AddConstraint(table_name, ExcludeState(_name(constraint_name), items, using,
                                                           where_text), schema))

    def drop_constraint(self, constraint_name: str, table_name: str, type_: str | None = None,
                        *, schema: str | None = None, if_exists: bool | None = None) -> None:
        self.record(DropConstraint(table_name, str(constraint_name), schema, type_,
                                   bool(if_exists)))

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
        self.record(Execute(sqltext, source_dialect=dialect or self.source_dialect))

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

    @contextlib.contextmanager
    def batch_alter_table(self, table_name: str, schema: str | None = None,
                          **kw: Any) -> Iterator[BatchOperations]:
        yield BatchOperations(self, table_name, schema)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise self.error(f"op.{name} is not supported by sqlbundle",
                         hint="see the README's list of supported operations")


def _with(op: Operation, **fields: Any) -> Operation:
    from dataclasses import replace

    return replace(op, **{k: v for k, v in fields.items() if hasattr(op, k)})
