"""``op.batch_alter_table``: Alembic's ``BatchOperations``, with the table bound.

Each operation is recorded as it is called, like any other; the replayed state and the
renderers do what Alembic's table copy would (SQLite copies the table for what its ALTER
TABLE cannot do). What the batch itself decides is where added columns go:
``insert_before``/``insert_after`` take effect only when Alembic would recreate the table
(``recreate="always"``, or ``"auto"`` on SQLite once the batch holds something ALTER cannot
do), and Alembic refuses them otherwise, so sqlbundle does too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from ..schema.operations import AddColumn, CreateIndex, DropIndex, Execute, Operation, Position

# The recorder is passed in (recorder.py imports this module): typed as Any here.
Recorder = Any

RECREATE_MODES = ("auto", "always", "never")


def _sqlite_needs_copy(ops: Sequence[Operation]) -> bool:
    """Alembic's rule for SQLite: anything but adding a column (with a constant default, and
    not a stored computed one) or an index, or dropping an index, recreates the table."""
    for op in ops:
        if isinstance(op, AddColumn):
            column = op.column
            if isinstance(column.server_default, sa.sql.ClauseElement) or \
                    (column.computed is not None and column.computed.persisted):
                return True
        elif not isinstance(op, (CreateIndex, DropIndex, Execute)):
            return True
    return False


# recreate="auto": which batches Alembic recreates, per SQLAlchemy dialect name (never, for
# a dialect not listed: its ALTER TABLE does everything batch mode offers).
AUTO_RECREATE: dict[str, Callable[[Sequence[Operation]], bool]] = {
    "sqlite": _sqlite_needs_copy,
}


class BatchOperations:
    """The object ``with op.batch_alter_table(...) as batch_op`` gives: the operations of
    Alembic's ``BatchOperations``, the table's name and schema bound."""

    def __init__(self, recorder: Recorder, table: str, schema: str | None,
                 recreate: str = "auto", naming_convention: Any = None) -> None:
        self._r = recorder
        self._table = table
        self._schema = schema
        self._recreate = recreate
        self._naming_convention = naming_convention
        self._start = len(recorder.operations)
        self._added: list[str] = []

    def _recreates(self) -> bool:
        """Whether Alembic would copy the table, judged (as Alembic does) on the operations
        so far."""
        if self._recreate != "auto":
            return self._recreate == "always"
        rule = AUTO_RECREATE.get(self._r.dialect.name)
        return bool(rule and rule(self._r.operations[self._start:]))

    # ------------------------------------------------------------------ columns

    def add_column(self, column: sa.Column, insert_before: str | None = None,
                   insert_after: str | None = None, **kw: Any) -> None:
        position = None
        if insert_before or insert_after:
            if not self._recreates():
                raise self._r.error(
                    "insert_before/insert_after place a column only when the batch recreates "
                    "the table, which it does not here",
                    hint="pass recreate='always' to batch_alter_table (as Alembic asks), or "
                         "drop insert_before/insert_after")
            position = Position(insert_before, insert_after, tuple(self._added))
        self._r.add_column(self._table, column, schema=self._schema, _position=position, **kw)
        self._added.append(str(column.name))

    def drop_column(self, column_name: str, **kw: Any) -> None:
        self._r.drop_column(self._table, column_name, schema=self._schema, **kw)

    def alter_column(self, column_name: str, insert_before: str | None = None,
                     insert_after: str | None = None, **kw: Any) -> None:
        # Alembic accepts insert_before/insert_after here and does not act on them (1.20).
        self._r.alter_column(self._table, column_name, schema=self._schema, **kw)

    # ------------------------------------------------------------------ indexes, constraints

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
                                schema=self._schema,
                                _naming_convention=self._naming_convention, **kw)

    def create_table_comment(self, comment: str | None, **kw: Any) -> None:
        self._r.create_table_comment(self._table, comment, schema=self._schema, **kw)

    def drop_table_comment(self, **kw: Any) -> None:
        self._r.drop_table_comment(self._table, schema=self._schema, **kw)

    # ------------------------------------------------------------------ shared with op

    def execute(self, sqltext: Any, **kw: Any) -> None:
        self._r.execute(sqltext, **kw)

    def f(self, name: str) -> Any:
        return self._r.f(name)

    def inline_literal(self, value: Any, type_: Any = None) -> Any:
        return self._r.inline_literal(value, type_)

    def get_bind(self) -> Any:
        return self._r.get_bind()

    def get_context(self) -> Any:
        return self._r.get_context()

    def batch_alter_table(self, table_name: str, schema: str | None = None,
                          **kw: Any) -> Any:
        return self._r.batch_alter_table(table_name, schema, **kw)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise self._r.error(f"batch_op.{name} is not supported by sqlbundle",
                            hint="see the README's list of supported operations")


@contextlib.contextmanager
def batch_alter_table(recorder: Recorder, table_name: str, schema: str | None = None,
                      recreate: str = "auto", partial_reordering: Any = None,
                      naming_convention: Any = None, **kw: Any) -> Iterator[BatchOperations]:
    """``copy_from``, ``table_args``/``table_kwargs`` and ``reflect_*`` describe the table for
    Alembic's reflection or copy; the replayed state already knows it. ``naming_convention``
    names the table's unnamed constraints for ``drop_constraint``, as Alembic's reflection
    does."""
    if recreate not in RECREATE_MODES:
        raise recorder.error(f"recreate={recreate!r}: expected one of "
                             f"{', '.join(map(repr, RECREATE_MODES))}")
    if naming_convention is None:  # a copy_from table's MetaData names its constraints too
        naming_convention = getattr(getattr(kw.get("copy_from"), "metadata", None),
                                    "naming_convention", None)
    batch = BatchOperations(recorder, table_name, schema, recreate, naming_convention)
    yield batch
    if partial_reordering and batch._recreates():
        # Alembic reorders the copied table's columns; sqlbundle does not, and would otherwise
        # build a table whose columns are silently in another order.
        raise recorder.error("batch_alter_table(partial_reordering=...) is not supported",
                             hint="drop partial_reordering (columns keep their order), or "
                                  "place added columns with insert_before/insert_after")
