"""Lint: an Alembic ``alter_column`` that restates its column unlike the history (SBL008).

On MySQL, MariaDB and SQL Server, Alembic's ``alter_column`` restates the whole column from the
call's ``existing_*=`` hints, with its own defaults for the hints left out (``hints``); the
operation names those values in ``implied``. Where one differs from the replayed history, the
step changes it too: this says what changes and which hint would keep it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .rules import RESTATED, Hit
from ..schema.operations import AlterColumn
from ..source.pysource import py_str
from ..schema.state import ColumnState, TableState

if TYPE_CHECKING:
    from .events import OpEvent
    from ..render.context import RenderContext

# (what changes, the fix), or None when the restated value is what the history has.
Finding = tuple[str, str] | None


def _python(value: Any, kind: str) -> str:
    from ..autogen.writer import _Writer
    from ..source.pysource import flat

    writer = _Writer()
    return flat(writer.type(value) if kind == "type" else writer.default(value))


def _table(table: TableState) -> Any:
    from ..render.tables import build_table

    return build_table(table, with_indexes=False, with_foreign_keys=False)


def _default_sql(table: TableState, name: str, ctx: RenderContext) -> str | None:
    if table.column(name).server_default is None:  # type: ignore[union-attr]
        return None
    compiler = ctx.dialect.ddl_compiler(ctx.dialect, None)
    return compiler.get_column_default_string(_table(table).c[name])


def _auto_increment(table: TableState, name: str) -> bool:
    built = _table(table)
    return built._autoincrement_column is built.c[name]


def _unstated(op: AlterColumn, hint: str) -> str:
    return f"no {hint}=" if getattr(op, hint) is None else f"{hint}="


def _type(op: AlterColumn, old: ColumnState, new: ColumnState, tables: Any,
          ctx: RenderContext) -> Finding:
    from ..render.columns import type_sql

    was, now = type_sql(old.type, ctx), type_sql(new.type, ctx)
    if was == now:
        return None
    return (f"changes {was} to {now} (existing_type=)",
            f"pass existing_type={_python(old.type, 'type')}, the type the history has")


def _nullable(op: AlterColumn, old: ColumnState, new: ColumnState, tables: Any,
              ctx: RenderContext) -> Finding:
    if old.nullable == new.nullable:
        return None
    what = "NULL" if new.nullable else "NOT NULL"
    return (f"makes the column {what} ({_unstated(op, 'existing_nullable')})",
            f"pass existing_nullable={old.nullable}, as the history has it")


def _server_default(op: AlterColumn, old: ColumnState, new: ColumnState, tables: Any,
                    ctx: RenderContext) -> Finding:
    before, after = tables
    was, now = _default_sql(before, old.name, ctx), _default_sql(after, new.name, ctx)
    if was == now:
        return None
    hint = _unstated(op, "existing_server_default")
    if was is None:
        return (f"sets the default {now} ({hint})",
                "drop existing_server_default=: the history has no default")
    fix = f"pass existing_server_default={_python(old.server_default, 'default')}, the " \
        "default the history has"
    if now is None:
        return f"drops the default {was} ({hint})", fix
    return f"changes the default from {was} to {now} ({hint})", fix


def _comment(op: AlterColumn, old: ColumnState, new: ColumnState, tables: Any,
             ctx: RenderContext) -> Finding:
    if (old.comment or None) == (new.comment or None):
        return None
    hint = _unstated(op, "existing_comment")
    if not old.comment:
        return (f"sets the comment {new.comment!r} ({hint})",
                "drop existing_comment=: the history has no comment")
    fix = f"pass existing_comment={py_str(old.comment)}, the comment the history has"
    if not new.comment:
        return f"drops the comment {old.comment!r} ({hint})", fix
    return f"changes the comment from {old.comment!r} to {new.comment!r} ({hint})", fix


def _autoincrement(op: AlterColumn, old: ColumnState, new: ColumnState, tables: Any,
                   ctx: RenderContext) -> Finding:
    before, after = tables
    was, now = _auto_increment(before, old.name), _auto_increment(after, new.name)
    if was == now:
        return None
    hint = _unstated(op, "existing_autoincrement")
    if was:
        return (f"drops AUTO_INCREMENT ({hint})",
                "pass existing_autoincrement=True, as the history has it")
    return (f"makes the column AUTO_INCREMENT ({hint})",
            "drop existing_autoincrement=: the history has no AUTO_INCREMENT here")


_FIELDS: dict[str, Callable[..., Finding]] = {
    "type": _type, "nullable": _nullable, "server_default": _server_default,
    "comment": _comment, "autoincrement": _autoincrement,
}


def check_restated(ev: OpEvent) -> Iterator[Hit]:
    from ..render.context import RenderContext

    op = ev.op
    if not isinstance(op, AlterColumn) or not op.implied:
        return
    before = ev.before.table(op.table, op.schema)
    after = ev.after.table(op.table, op.schema)
    old = before.column(op.column) if before is not None else None
    new = after.column(op.new_name or op.column) if after is not None else None
    if old is None or new is None:
        return
    ctx = RenderContext(ev.profile, ev.dialect)
    shown = f"{op.schema}.{op.table}" if op.schema else op.table
    for field in op.implied:
        found = _FIELDS[field](op, old, new, (before, after), ctx)
        if found is not None:
            what, fix = found
            yield RESTATED.hit(
                f"alter column {shown}.{op.column}: Alembic restates the whole column on "
                f"{ev.profile.title}, so this step also {what}",
                fix=f"{fix}; if the database really is as the hint says, suppress with a reason")
