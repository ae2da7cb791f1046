"""Named enum types (PostgreSQL's ``CREATE TYPE ... AS ENUM``) as the replayed schema knows them.

Which type a column uses, which columns use a type, how one list of labels becomes another in
place, which types lost their last user, and the CHECK constraints a schema type (a non-native
``Enum``, a ``Boolean``) adds to its column.

Who owns a type decides whether sqlbundle may drop it:

* a type that ``create_table``/``add_column``/``alter_column`` created for a column using it
  (as SQLAlchemy does) belongs to the history: it is dropped at the end of the step that removed
  its last user, downgrades included, as SQLAlchemy's ``Table.drop()`` drops it. Alembic's
  ``op.drop_table`` leaves it behind, so a downgrade to base followed by an upgrade fails on
  "type already exists". At the end of the step, not with the user, so that a migration that
  drops the type itself (``sa.Enum(name=...).drop(bind)``, raw ``DROP TYPE``) still runs;
  such a drop in a later step becomes ``DROP TYPE IF EXISTS`` (raw SQL there cannot be helped);
* a type the author created (``ENUM.create(bind)``, raw ``CREATE TYPE``) or declared
  ``create_type=False`` is the author's: sqlbundle never drops it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ..errors import ScriptError
from .state import CheckState, ColumnState, SchemaState, TableState, evolve

Key = tuple[str | None, str]  # (schema, type name)


def enum_key(type_: Any) -> Key | None:
    """The named native enum type ``type_`` stands for, else None. The schema is the type's
    own: SQLAlchemy puts an ``Enum`` without ``schema=`` in the default schema, also for a
    table in another schema."""
    if isinstance(type_, sa.Enum) and type_.native_enum and type_.name:
        return (type_.schema, str(type_.name))
    return None


def creates_type(type_: Any) -> bool:
    """False for ``ENUM(create_type=False)``: the author manages that type."""
    return bool(getattr(type_, "create_type", True))


def labels(type_: Any) -> tuple[str, ...]:
    return tuple(getattr(type_, "enums", ()))


def with_types(state: SchemaState, types: Iterable[Any], relabel: bool = False) -> SchemaState:
    """``state`` where the named enum types among ``types`` exist: a type the state does not
    know is created implicitly (unless ``create_type=False``); with ``relabel``, a known type
    takes the labels written here (``alter_column(type_=...)`` restates them)."""
    enums: dict[Key, tuple[str, ...]] | None = None
    implicit = state.implicit_enums
    for type_ in types:
        key = enum_key(type_)
        if key is None:
            continue
        known = (enums if enums is not None else state.enums).get(key)
        if known is None and creates_type(type_):
            enums = dict(enums if enums is not None else state.enums)
            enums[key] = labels(type_)
            implicit = implicit | {key}
        elif known is not None and relabel and known != labels(type_):
            enums = dict(enums if enums is not None else state.enums)
            enums[key] = labels(type_)
    if enums is None:
        return state
    return evolve(state, enums=enums, implicit_enums=implicit)


def reused_type_check(column: ColumnState, known: tuple[str, ...] | None, state: SchemaState,
                      ctx: Any) -> None:
    """A column declaring an existing named type (``known``: its labels) with other labels would
    silently keep the old ones: an error at the operation, unless raw SQL ran before (the state
    may not know the type's labels then)."""
    if known is None or known == labels(column.type) or state.opaque:
        return
    key = enum_key(column.type)
    assert key is not None
    raise ScriptError(
        f"column {column.name}: enum type {key[1]!r} already exists with labels "
        f"{list(known)}, not {list(labels(column.type))} (dialect {ctx.profile.target})",
        path=ctx.path, line=ctx.line,
        hint="change its labels with alter_column(type_=...), or reuse it with the labels "
             "it has (or as postgresql.ENUM(..., create_type=False))")


def users(state: SchemaState, key: Key) -> list[tuple[TableState, ColumnState]]:
    """Every column of the replayed schema whose type is ``key``, in (schema, table) order."""
    return [(table, col) for table in state.tables.values() for col in table.columns
            if enum_key(col.type) == key]


def orphaned_types(state: SchemaState) -> list[Key]:
    """Types the history created implicitly that no column uses any more, sorted."""
    if not state.implicit_enums:
        return []
    used = {enum_key(col.type) for table in state.tables.values() for col in table.columns}
    return sorted((k for k in state.implicit_enums if k not in used and k in state.enums),
                  key=lambda k: (k[0] or "", k[1]))


# Operations after which a type may have lost its last user (raw SQL may have changed one).
_REMOVES_USERS = frozenset({"drop_table", "drop_column", "alter_column", "execute"})


def implicit_drops(ops: Iterable[Any], state: SchemaState) -> tuple[Any, ...]:
    """The ``DropEnum`` operations that end a step: one per implicitly created type whose last
    user the step's ``ops`` removed (``state`` is the schema after them). After raw SQL the
    state cannot see everything, so the drop then tolerates a type already dropped by hand."""
    if not state.implicit_enums or not any(op.kind in _REMOVES_USERS for op in ops):
        return ()
    from .enumops import DropEnum

    return tuple(DropEnum(name, schema, checkfirst=state.opaque, implicit=True)
                 for schema, name in orphaned_types(state))


def added_labels(old: tuple[str, ...], new: tuple[str, ...]
                 ) -> list[tuple[str, str | None]] | None:
    """How ``ALTER TYPE ... ADD VALUE`` turns ``old`` into ``new``: (label, the existing label
    it goes before, or None for the end) in order; None when ``new`` removes or reorders labels
    (PostgreSQL cannot do that in place)."""
    positions = [new.index(label) if label in new else -1 for label in old]
    if -1 in positions or positions != sorted(positions) or len(set(new)) != len(new):
        return None
    out: list[tuple[str, str | None]] = []
    for index, label in enumerate(new):
        if label not in old:
            out.append((label, next((n for n in new[index + 1:] if n in old), None)))
    return out


def type_checks(table: str, column: str, type_: Any, schema: str | None = None,
                dialect: Any = None) -> tuple[CheckState, ...]:
    """The CHECK constraints ``type_`` (a non-native ``Enum``, a ``Boolean``) adds to its column,
    as the recorder keeps them; with ``dialect``, only those that dialect creates."""
    if not isinstance(type_, sa.types.SchemaType) or \
            not getattr(type_, "create_constraint", False):
        return ()
    from .expressions import ddl_expression
    from .fromsa import _name

    built = sa.Table(table, sa.MetaData(), sa.Column(column, type_.copy()), schema=schema)
    compiler = dialect.ddl_compiler(dialect, None) if dialect is not None else None
    out = []
    for constraint in sorted(built.constraints, key=lambda c: str(c.name)):
        if not isinstance(constraint, sa.CheckConstraint):
            continue
        rule = getattr(constraint, "_create_rule", None)
        if compiler is not None and rule is not None and not rule(compiler):
            continue
        out.append(CheckState(_name(constraint.name), ddl_expression(constraint.sqltext)))
    return tuple(out)


def retyped_checks(table: TableState, column: ColumnState, new: tuple[CheckState, ...]
                   ) -> tuple[CheckState, ...]:
    """``table``'s checks once ``column`` changes type: the old type's CHECKs go and the new
    type's come (what Alembic's ``alter_column`` does with ``existing_type`` and ``type_``)."""
    old = tuple(c for c in type_checks(table.name, column.name, column.type, table.schema)
                if c in table.checks)
    if old == new:
        return table.checks
    kept = tuple(c for c in table.checks if c not in old)
    return kept + tuple(c for c in new if c not in kept)
