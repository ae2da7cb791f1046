"""How the comparer sees types and defaults: the keys it compares them by (as the dialect
compiles them), and the forms they take in the operations it writes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from ..render.tables import plain_type
from ..schema.fromsa import table_state
from ..schema.state import ColumnState, TableState
from .values import expression_text, normalize_default, type_text


class TypeForms:
    """Keys and operation forms of types, for ``compare.Comparer``, which sets ``dialect``,
    ``ddl`` (the dialect's DDL compiler) and ``named_enums``."""

    dialect: Any
    ddl: Any
    named_enums: bool

    def type_key(self, type_: Any) -> str | None:
        if type_ is None or isinstance(type_, sa.types.NullType):
            return None
        type_ = (getattr(type_, "_variant_mapping", None) or {}).get(self.dialect.name, type_)
        try:
            text = self.dialect.type_compiler_instance.process(plain_type(type_))
        except Exception:  # a type this dialect cannot compile: compare what was written
            text = repr(type_)
        return type_text(text)

    def default_key(self, column: ColumnState) -> str | None:
        text = self.default_text(column)
        return None if text is None else normalize_default(text)

    def default_text(self, column: ColumnState) -> str | None:
        """The server default as the dialect writes it in DDL."""
        if column.server_default is None:
            return None
        try:
            built = sa.Column(column.name, plain_type(column.type),
                              server_default=column.server_default)
            sa.Table("_autogen", sa.MetaData(), built)
            text = self.ddl.get_column_default_string(built)
        except Exception:
            text = None
        if text is None:
            text = expression_text(column.server_default) \
                if not isinstance(column.server_default, str) else f"'{column.server_default}'"
        return text

    def type_checks(self, type_: Any) -> tuple[Any, ...]:
        """CHECK constraints the type itself adds on this dialect (enum and boolean)."""
        if not getattr(type_, "create_constraint", False):
            return ()
        table = sa.Table("_autogen", sa.MetaData(), sa.Column("_c", type_.copy()))
        return table_state(table, self.dialect).checks

    def op_type(self, type_: Any) -> Any:
        """The type as a migration should spell it: a named PostgreSQL enum is created and
        dropped by its own statements (so the column does not create it again), and a CHECK
        the type would add is written as an explicit constraint instead."""
        if self.named_enums and isinstance(type_, sa.Enum) and type_.native_enum and \
                type_.name and getattr(type_, "create_type", True):
            from sqlalchemy.dialects import postgresql

            kwargs: dict[str, Any] = {"name": type_.name}
            if type_.schema:
                kwargs["schema"] = type_.schema
            if type_.create_constraint:
                kwargs["create_constraint"] = True
            type_ = postgresql.ENUM(*type_.enums, create_type=False, **kwargs)
        if self.type_checks(type_):
            type_ = type_.copy()
            type_.create_constraint = False
        return type_

    def op_column(self, column: ColumnState) -> ColumnState:
        return replace(column, type=self.op_type(column.type))

    def op_table(self, table: TableState, cut: tuple[Any, ...] = ()) -> TableState:
        return replace(table, columns=tuple(self.op_column(c) for c in table.columns),
                       foreign_keys=tuple(fk for fk in table.foreign_keys if fk not in cut),
                       indexes=())
