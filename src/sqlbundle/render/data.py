"""Raw SQL, Core statements and bulk inserts, with every value written as a literal.

SQLAlchemy compiles the statements; values go through ``sqlbundle.literals`` (a compiler
subclass overrides ``render_literal_value``), so output never holds bind placeholders and
``%`` / ``:name`` in raw text stay as written.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.ddl import ExecutableDDLElement

from ..schema.operations import BulkInsert, Execute
from ..schema.state import SchemaState
from .context import RenderContext, Statement
from .statements import classify


@lru_cache(maxsize=None)
def _literal_compiler(base: type) -> type:
    from .literals import render_literal

    class LiteralCompiler(base):  # type: ignore[misc, valid-type]
        def render_literal_value(self, value: Any, type_: Any) -> str:
            return render_literal(value, self.dialect.sqlbundle_name, type_)

    LiteralCompiler.__name__ = f"SqlbundleLiteral{base.__name__}"
    return LiteralCompiler


def compile_statement(statement: Any, ctx: RenderContext) -> str:
    """Compile a Core statement with every bound value inlined as a dialect-safe literal."""
    from .literals import UnsupportedLiteral

    dialect = ctx.dialect
    dialect.sqlbundle_name = ctx.name
    compiler_cls = _literal_compiler(dialect.statement_compiler)
    try:
        compiled = compiler_cls(dialect, statement, compile_kwargs={"literal_binds": True})
    except UnsupportedLiteral as exc:
        raise ctx.unsupported(str(exc)) from None
    except sa.exc.CompileError as exc:
        message = str(exc).splitlines()[0]
        hint = None
        if "literal" in message.lower() or "bind" in message.lower():
            hint = "give every parameter a value (text(...).bindparams(x=...)) or use a plain string"
        raise ctx.unsupported(f"cannot render statement: {message}", hint=hint) from None
    return str(compiled).strip()


def render_execute(op: Execute, before: SchemaState, ctx: RenderContext) -> list[Statement]:
    sql = op.sql
    if isinstance(sql, str):
        if not sql.strip():
            return []
        if op.source_dialect:
            from .rawsql import render_raw

            return render_raw(op, before, ctx)
        return [classify(sql.strip(), ctx)]
    if isinstance(sql, ExecutableDDLElement):
        from .ddl import compile_ddl

        return [classify(compile_ddl(sql, ctx), ctx)]
    if isinstance(sql, sa.TextClause):
        unbound = sorted(name for name, bind in sql._bindparams.items()
                         if bind.value is None and bind.callable is None)
        if unbound:
            names = ", ".join(f":{n}" for n in unbound)
            raise ctx.unsupported(
                f"text() has parameter(s) {names} without a value",
                hint="bind them with .bindparams(name=value), escape a literal colon as "
                "'\\:name', or pass a plain string to op.execute()")
        return [classify(compile_statement(sql, ctx), ctx)]
    if isinstance(sql, sa.sql.ClauseElement):
        return [classify(compile_statement(sql, ctx), ctx)]
    raise ctx.unsupported(f"op.execute() got {type(sql).__name__}; expected SQL text or a "
                          "SQLAlchemy statement")


def render_bulk_insert(op: BulkInsert, before: SchemaState, ctx: RenderContext
                       ) -> list[Statement]:
    """One INSERT per row: portable to every dialect (Oracle < 23 has no multi-row VALUES)."""
    state = before.table(op.table, op.schema)
    columns = []
    for name, type_ in op.columns:
        col = state.column(name) if state is not None else None
        # The replayed type is what the column really is; the author's may be a stub.
        use = col.type if col is not None and isinstance(type_, sa.types.NullType) else type_
        columns.append(sa.column(name, use))
    table = sa.table(op.table, *columns, schema=op.schema)
    out = []
    for row in op.rows:
        values = dict(row)
        statement = sa.insert(table).values(values)
        out.append(Statement(compile_statement(statement, ctx), dml=True))
    return out
