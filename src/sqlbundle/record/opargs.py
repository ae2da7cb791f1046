"""What migration code hands to ``op``, made sqlbundle's own: names as plain values, and
SQLAlchemy objects copied rather than taken over.

Alembic accepts a column or constraint that already belongs to another ``Table`` (it copies
it), a column given as a name, a ``quoted_name`` or a column object, and it runs each
migration function once per process. sqlbundle runs the same code once per target and
direction in one process, so nothing here may change the objects the author passed (the
next run passes them again), and nothing may depend on SQLAlchemy's per-``MetaData`` registry
remembering an earlier run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnClause

from ..schema.fromsa import plain_name  # noqa: F401 - the recorder's name for it


class ArgumentProblem(ValueError):
    """An argument ``op`` cannot use; the recorder reports it with the file and line."""


def column_name(ref: Any, what: str) -> Any:
    """The column a constraint or an index names: a string, a ``quoted_name`` (quoting kept)
    or a column object (``sa.column("x")``, a ``Column``) stand for the column's name."""
    if isinstance(ref, str):
        return plain_name(ref)
    if isinstance(ref, ColumnClause) and not ref.is_literal:
        return plain_name(ref.name)
    raise ArgumentProblem(f"{what}: {ref!r} is not a column name")


def column_names(refs: Any, what: str) -> tuple[Any, ...]:
    if isinstance(refs, (str, ColumnClause)):
        refs = [refs]  # one column given alone
    return tuple(column_name(ref, what) for ref in refs)


def index_element(ref: Any) -> Any:
    """A column of an index as its name (so the replay follows renames and drops of it);
    any other expression (``text()``, functions, ``desc()``) as written."""
    if isinstance(ref, str) or (isinstance(ref, ColumnClause) and not ref.is_literal):
        return column_name(ref, "index")
    return ref


def default_index_name(table: str, schema: str | None, elements: Iterable[Any]) -> Any:
    """The name SQLAlchemy's default naming convention (``ix_%(column_0_label)s``) gives an
    index created without one, as Alembic's ``create_index(None, ...)`` gets it; None when
    the first element is an expression (no convention name exists then)."""
    stub = sa.Table(table, sa.MetaData(), schema=schema)
    columns = []
    for element in elements:
        if isinstance(element, str):
            if element not in stub.c:
                stub.append_column(sa.Column(element, sa.types.NULLTYPE))
            columns.append(stub.c[element])
        else:
            columns.append(element)
    name = sa.Index(None, *columns, _table=stub).name
    return None if name is None else plain_name(name)


def _copy_index(index: sa.Index, table: sa.Table) -> sa.Index:
    """``Index`` has no copy method: the same index again, its columns looked up by name."""
    elements = [table.c[e.name] if isinstance(e, sa.Column) and e.name in table.c else e
                for e in index.expressions]
    return sa.Index(index.name, *elements, unique=index.unique, _table=table,
                    **index.dialect_kwargs)


def user_table(name: str, items: Iterable[Any], **kw: Any) -> sa.Table:
    """A ``Table`` in a MetaData of its own from what ``create_table``/``add_column`` got, as
    Alembic builds it: a column, constraint or index already attached to another table is
    copied; type-bound constraints (an Enum's or Boolean's CHECK) of such a table are left to
    the copied column's type, so they are not doubled."""
    columns: list[Any] = []
    later: list[Any] = []
    for item in items:
        parent = getattr(item, "table" if isinstance(item, sa.Column) else "parent", None)
        if isinstance(item, sa.Column):
            columns.append(item._copy() if parent is not None else item)
        elif parent is not None and isinstance(item, (sa.Constraint, sa.Index)):
            if not getattr(item, "_type_bound", False):
                later.append(item)
        else:
            columns.append(item)
    table = sa.Table(name, sa.MetaData(), *columns, **kw)
    for item in later:
        if isinstance(item, sa.Index):
            _copy_index(item, table)
        else:
            table.append_constraint(item._copy(target_table=table))
    return table


def _table_key(name: Any, schema: Any, metadata: sa.MetaData) -> str:
    if schema is None:
        schema = metadata.schema
    elif schema is sa.schema.BLANK_SCHEMA:
        schema = None
    return f"{schema}.{name}" if schema else str(name)


@contextlib.contextmanager
def tables_redefinable() -> Iterator[None]:
    """While migration code runs, a ``Table`` defined again in the same ``MetaData`` replaces
    the earlier definition instead of raising "already defined": the earlier one is usually
    the same line from the run for another target or direction (a module-level MetaData, or
    one in a helper module several revisions import). ``keep_existing``/``extend_existing``
    and a bare ``Table(name, metadata)`` lookup behave as always."""
    original = sa.Table.__dict__.get("_new")
    if not isinstance(original, classmethod) or getattr(original.__func__, "_sqlbundle", False):
        yield  # another SQLAlchemy layout, or already in place (nested runs)
        return
    new = original.__func__

    def redefining(cls: Any, *args: Any, **kw: Any) -> Any:
        if len(args) > 2 and isinstance(args[1], sa.MetaData) and \
                not kw.get("keep_existing") and not kw.get("extend_existing"):
            metadata = args[1]
            existing = metadata.tables.get(_table_key(args[0], kw.get("schema"), metadata))
            if existing is not None:
                metadata.remove(existing)
        return new(cls, *args, **kw)

    redefining._sqlbundle = True  # type: ignore[attr-defined]
    sa.Table._new = classmethod(redefining)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        sa.Table._new = original  # type: ignore[method-assign]
