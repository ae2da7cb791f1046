"""Compiling DDL elements and the checks every renderer shares (name lengths, foreign-key
actions per dialect).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from ..schema.state import ForeignKeyState
from .compiler import UNBOUND_HINT, UnboundParameter, ddl_compiler
from .context import RenderContext, Statement


def compile_ddl(element: Any, ctx: RenderContext) -> str:
    """Compile a SQLAlchemy DDL element; compiler refusals become clear errors."""
    try:
        return str(ddl_compiler(ctx.dialect, element)).strip()
    except sa.exc.IdentifierError as exc:
        raise ctx.unsupported(str(exc).split("\n")[0],
                              hint="use a shorter name (op.f('...') keeps it as written)") from None
    except (sa.exc.CompileError, sa.exc.UnsupportedCompilationError) as exc:
        # CREATE TABLE wraps a column's error in one naming the column.
        unbound = isinstance(exc, UnboundParameter) or isinstance(exc.__cause__, UnboundParameter)
        raise ctx.unsupported(f"cannot render: {str(exc).splitlines()[0]}",
                              hint=UNBOUND_HINT if unbound else None) from None


def column_spec(table: sa.Table, name: str, ctx: RenderContext) -> str:
    compiler = ddl_compiler(ctx.dialect)
    try:
        return compiler.get_column_specification(table.c[name])
    except UnboundParameter as exc:
        raise ctx.unsupported(f"cannot render column {name}: {exc}", hint=UNBOUND_HINT) from None
    except sa.exc.CompileError as exc:
        raise ctx.unsupported(f"cannot render column {name}: {exc}") from None


def check_name_length(name: str | None, ctx: RenderContext, what: str) -> None:
    limit = ctx.profile.identifier_limit
    if name and limit and len(name) > limit:
        raise ctx.unsupported(
            f"{what} name {name!r} is {len(name)} characters; {ctx.profile.title} allows {limit}",
            hint="choose a shorter name")


def sql(text: str, **flags: Any) -> Statement:
    return Statement(text, **flags)


def fk_for_dialect(fk: ForeignKeyState, ctx: RenderContext) -> ForeignKeyState:
    if (fk.deferrable or fk.initially) and not ctx.profile.supports("deferrable_constraints"):
        raise ctx.unsupported(
            f"foreign key {fk.name or ''} is DEFERRABLE, which {ctx.profile.title} does not "
            "have; dropping it would check rows at once instead of at commit",
            hint="drop deferrable=/initially= for this dialect (branch on "
            "op.get_context().dialect.name)")
    # Referential actions the target lacks (profile keys fk_actions, fk_unsupported): an
    # equivalent replaces them, or they are left out, or they are an error.
    mapping = ctx.profile.fk_actions
    refused = ctx.profile.fk_unsupported
    changes = {}
    for field_name in ("ondelete", "onupdate"):
        value = getattr(fk, field_name)
        if value is None:
            continue
        if value.upper() in refused.get(field_name, ()):
            raise ctx.unsupported(
                f"foreign key {fk.name or ''} uses {field_name.upper().replace('ON', 'ON ')} "
                f"{value.upper()}, which {ctx.profile.title} does not have",
                hint="drop the action or enforce it with a trigger")
        if value.upper() in mapping:
            changes[field_name] = mapping[value.upper()]
    return replace(fk, **changes) if changes else fk


def table_for_dialect(state: Any, ctx: RenderContext) -> Any:
    fks = tuple(fk_for_dialect(fk, ctx) for fk in state.foreign_keys)
    return replace(state, foreign_keys=fks) if fks != state.foreign_keys else state


def nstr(text: str) -> str:
    """A T-SQL Unicode string literal."""
    return "N'" + text.replace("'", "''") + "'"
