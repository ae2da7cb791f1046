"""The DDL compiler the renderers use: the target dialect's own, except that a bind parameter
without a value is an error.

SQLAlchemy writes such a parameter into DDL as ``NULL``: in ``sa.CheckConstraint("s <> ':x'")``
the string is ``text()`` and ``:x`` a parameter, so the constraint would silently become
``CHECK (s <> 'NULL')``. The same holds for defaults, computed columns, index expressions and
partial-index predicates, which all pass through here.
"""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa

UNBOUND_HINT = ("write a literal colon as '\\:name' (as SQLAlchemy's text() wants), or give "
                "the parameter a value with .bindparams(name=...)")


class UnboundParameter(sa.exc.CompileError):
    """A bind parameter in DDL with no value to write."""


@functools.cache
def _strict_statement(base: type) -> type:
    class StrictStatementCompiler(base):  # type: ignore[misc, valid-type]
        def render_literal_bindparam(self, bindparam: Any, **kw: Any) -> str:
            if (bindparam.required and bindparam.value is None and bindparam.callable is None
                    and "render_literal_value" not in kw):
                raise UnboundParameter(f"parameter :{bindparam.key} has no value")
            return super().render_literal_bindparam(bindparam, **kw)

    StrictStatementCompiler.__name__ = f"SqlbundleStrict{base.__name__}"
    return StrictStatementCompiler


@functools.cache
def _strict_ddl(base: type, statement_base: type) -> type:
    statement = _strict_statement(statement_base)

    class StrictDDLCompiler(base):  # type: ignore[misc, valid-type]
        @functools.cached_property
        def sql_compiler(self) -> Any:
            return statement(self.dialect, None, schema_translate_map=self.schema_translate_map)

    StrictDDLCompiler.__name__ = f"SqlbundleStrict{base.__name__}"
    return StrictDDLCompiler


def ddl_compiler(dialect: Any, element: Any = None) -> Any:
    """The dialect's DDL compiler for ``element`` (compiled at once), or an idle one to call
    methods such as ``get_column_specification`` on."""
    return _strict_ddl(dialect.ddl_compiler, dialect.statement_compiler)(dialect, element)
