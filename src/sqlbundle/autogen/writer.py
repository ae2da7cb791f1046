"""Operations as the Python a person would write in a migration file (the ``op`` API).

``render_ops_python(ops)`` returns the lines of an ``upgrade()``/``downgrade()`` body and the
imports they need beyond ``sa`` and ``op``. Types are spelled with their arguments
(``sa.String(length=100)``), strings with double quotes, and calls are wrapped the way black
wraps them, so a generated file reads like a hand-written one and is byte-identical for the
same operations.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .values import ReviewNote, expression_text
from ..schema.operations import (
    UNSET,
    AddColumn,
    AddConstraint,
    AlterColumn,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropEnum,
    DropIndex,
    DropTable,
    Execute,
    RenameTable,
    SetTableComment,
)
from ..source.pysource import Call, flat, layout, py_str, seq
from ..schema.state import (
    CheckState,
    ColumnState,
    ExcludeState,
    ForeignKeyState,
    IndexState,
    PrimaryKeyState,
    TableState,
    UniqueState,
)

WIDTH = 84  # black's 88, less the 4 spaces the template indents bodies by
REVIEW = "# sqlbundle: review: "


@dataclass(frozen=True)
class PythonSource:
    lines: tuple[str, ...]
    imports: tuple[str, ...] = ()

    @property
    def body(self) -> str:
        return "\n".join(self.lines)


class _Writer:
    """Renders values and operations, collecting the imports they need."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.imports: set[str] = set()

    # ---- values

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return py_str(value)
        if isinstance(value, sa.types.TypeEngine):
            return self.type(value)
        if isinstance(value, (list, tuple)):
            return seq((self.value(v) for v in value), "[]" if isinstance(value, list) else "()")
        if isinstance(value, sa.sql.ClauseElement):
            return f"sa.text({py_str(expression_text(value))})"
        if value is None or isinstance(value, (bool, int, float)):
            return repr(value)
        if type(value).__name__ == "Decimal":
            self.imports.add("from decimal import Decimal")
            return f"Decimal({py_str(str(value))})"
        return repr(value)

    def qualified(self, cls: type) -> str:
        name = cls.__name__
        if getattr(sa, name, None) is cls:
            return f"sa.{name}"
        match = re.match(r"sqlalchemy\.dialects\.(\w+)", cls.__module__)
        if match:
            self.imports.add(f"from sqlalchemy.dialects import {match.group(1)}")
            return f"{match.group(1)}.{name}"
        if getattr(sa.types, name, None) is cls:
            return f"sa.types.{name}"
        self.imports.add(f"import {cls.__module__}")
        return f"{cls.__module__}.{cls.__qualname__}"

    def type(self, type_: Any) -> Any:
        variants = dict(getattr(type_, "_variant_mapping", None) or {})
        if isinstance(type_, sa.types.TypeDecorator) and not _is_sqlalchemy(type(type_)):
            # An application's own type: the migration keeps what it stores, not an import
            # of application code.
            return self.type(type_.impl_instance)
        if isinstance(type_, sa.Enum):
            call = self.enum(type_)
        else:
            call = self.constructed(type_, skip=("astext_type", "impl"))
        for name in sorted(variants):
            call.suffix += f".with_variant({flat(self.type(variants[name]))}, {py_str(name)})"
        return call

    def enum(self, type_: sa.Enum) -> Call:
        kwargs: list[tuple[str, Any]] = []
        if type_.name:
            kwargs.append(("name", py_str(type_.name)))
        if type_.schema:
            kwargs.append(("schema", py_str(type_.schema)))
        if not type_.native_enum:
            kwargs.append(("native_enum", "False"))
        if type_.create_constraint:
            kwargs.append(("create_constraint", "True"))
        if getattr(type_, "create_type", True) is False:
            kwargs.append(("create_type", "False"))
        longest = max((len(v) for v in type_.enums), default=0)
        if not type_.native_enum and type_.length and type_.length != longest:
            kwargs.append(("length", repr(type_.length)))
        return Call(self.qualified(type(type_)), [py_str(v) for v in type_.enums], kwargs)

    def constructed(self, obj: Any, skip: tuple[str, ...] = ()) -> Call:
        """``Class(required, changed=...)`` from the constructor's signature and the object's
        attributes: only arguments that differ from their defaults."""
        call = Call(self.qualified(type(obj)))
        try:
            params = inspect.signature(type(obj).__init__).parameters.values()
        except (TypeError, ValueError):
            return call
        keywords = False
        for param in params:
            keywords = keywords or param.kind == param.VAR_KEYWORD
            if param.name in ("self",) + skip or param.kind in (
                    param.VAR_POSITIONAL, param.VAR_KEYWORD) or not hasattr(obj, param.name):
                continue
            value = getattr(obj, param.name)
            if param.default is param.empty:
                call.args.append(self.value(value))
            elif not _same(value, param.default) and not repr(value).startswith("<"):
                call.kwargs.append((param.name, self.value(value)))
        if keywords:  # e.g. MySQL's INTEGER(unsigned=True), VARCHAR(charset=...)
            named = {key for key, _ in call.kwargs}
            call.kwargs += [(key, self.value(getattr(obj, key))) for key in _TYPE_KEYWORDS
                            if key not in named and getattr(obj, key, None)]
        return call

    def default(self, value: Any) -> Any:
        if isinstance(value, str):
            return py_str(value)
        if isinstance(value, sa.sql.elements.TextClause):
            return f"sa.text({py_str(value.text)})"
        if isinstance(value, sa.sql.elements.True_):
            return "sa.true()"
        if isinstance(value, sa.sql.elements.False_):
            return "sa.false()"
        if isinstance(value, sa.sql.functions.FunctionElement) and not len(value.clauses) \
                and re.fullmatch(r"\w+", getattr(value, "name", "") or ""):
            return f"sa.func.{value.name}()"
        return f"sa.text({py_str(expression_text(value))})"

    def column(self, col: ColumnState) -> Call:
        call = Call("sa.Column", [py_str(col.name), self.type(col.type)])
        if col.sequence is not None:
            call.args.append(self.constructed(col.sequence, skip=("metadata",)))
        if col.identity is not None:
            call.args.append(self.constructed(col.identity))
        if col.computed is not None:
            computed = Call("sa.Computed", [py_str(expression_text(col.computed.sqltext))])
            if col.computed.persisted is not None:
                computed.kwargs.append(("persisted", repr(col.computed.persisted)))
            call.args.append(computed)
        if col.server_default is not None:
            call.kwargs.append(("server_default", self.default(col.server_default)))
        call.kwargs.append(("nullable", repr(bool(col.nullable))))
        if col.autoincrement != "auto":
            call.kwargs.append(("autoincrement", repr(col.autoincrement)))
        if col.comment:
            call.kwargs.append(("comment", py_str(col.comment)))
        return call

    def named(self, call: Call, name: str | None) -> Call:
        if name:
            call.kwargs.append(("name", py_str(name)))
        return call

    def table_item(self, item: Any) -> Call:
        """A constraint inside ``op.create_table``."""
        if isinstance(item, PrimaryKeyState):
            return self.named(Call("sa.PrimaryKeyConstraint", [py_str(c) for c in item.columns]),
                              item.name)
        if isinstance(item, ForeignKeyState):
            prefix = f"{item.referred_schema}.{item.referred_table}" if item.referred_schema \
                else item.referred_table
            call = self.named(Call("sa.ForeignKeyConstraint", [
                seq(py_str(c) for c in item.columns),
                seq(py_str(f"{prefix}.{c}") for c in item.referred_columns)]), item.name)
            return self.fk_options(call, item)
        if isinstance(item, UniqueState):
            return self.named(Call("sa.UniqueConstraint", [py_str(c) for c in item.columns]),
                              item.name)
        if isinstance(item, CheckState):
            return self.named(Call("sa.CheckConstraint", [py_str(condition_text(item.sqltext))]),
                              item.name)
        return self.exclude(item)

    def fk_options(self, call: Call, fk: ForeignKeyState) -> Call:
        for key in ("ondelete", "onupdate", "deferrable", "initially", "match"):
            value = getattr(fk, key)
            if value is not None:
                call.kwargs.append((key, self.value(value)))
        return call

    def exclude(self, item: ExcludeState) -> Call:
        self.imports.add("from sqlalchemy.dialects import postgresql")
        elements = [seq([f"sa.column({py_str(e)})" if e.isidentifier() else
                         f"sa.text({py_str(e)})", py_str(op)], "()") for e, op in item.elements]
        call = self.named(Call("postgresql.ExcludeConstraint", elements), item.name)
        call.kwargs.append(("using", py_str(item.using)))
        if item.where:
            call.kwargs.append(("where", f"sa.text({py_str(condition_text(item.where))})"))
        return call

    # ---- operations

    def emit(self, node: Any) -> None:
        self.lines.extend(layout(node, WIDTH))

    def note(self, note: ReviewNote) -> None:
        self.lines.extend(textwrap.wrap(note.message, WIDTH, initial_indent=REVIEW,
                                        subsequent_indent="#   ", break_long_words=False,
                                        break_on_hyphens=False))

    @staticmethod
    def schema(call: Call, schema: str | None, key: str = "schema") -> Call:
        if schema:
            call.kwargs.append((key, py_str(schema)))
        return call

    def create_table(self, op: CreateTable) -> None:
        table: TableState = op.table
        items: list[Any] = [self.column(c) for c in table.columns]
        constraints = ([table.primary_key] if table.primary_key else []) + list(
            table.foreign_keys) + list(table.uniques) + list(table.checks) + list(table.excludes)
        items += [self.table_item(c) for c in constraints]
        call = self.schema(Call("op.create_table", [py_str(table.name)] + items), table.schema)
        if table.comment:
            call.kwargs.append(("comment", py_str(table.comment)))
        call.kwargs += [(key, self.value(value)) for key, value in table.kwargs]
        if op.if_not_exists:
            call.kwargs.append(("if_not_exists", "True"))
        self.emit(call)
        for index in table.indexes:
            self.create_index(CreateIndex(table.name, index, table.schema))

    def drop_table(self, op: DropTable) -> None:
        self.emit(self.schema(Call("op.drop_table", [py_str(op.name)]), op.schema))

    def rename_table(self, op: RenameTable) -> None:
        self.emit(self.schema(Call("op.rename_table", [py_str(op.old_name),
                                                       py_str(op.new_name)]), op.schema))

    def add_column(self, op: AddColumn) -> None:
        self.emit(self.schema(Call("op.add_column", [py_str(op.table), self.column(op.column)]),
                              op.schema))
        extras: list[Any] = list(op.foreign_keys) + ([op.unique] if op.unique else []) + \
            list(op.checks)
        for item in extras:
            self.add_constraint(AddConstraint(op.table, item, op.schema))
        if op.index is not None:
            self.create_index(CreateIndex(op.table, op.index, op.schema))

    def drop_column(self, op: DropColumn) -> None:
        self.emit(self.schema(Call("op.drop_column", [py_str(op.table), py_str(op.column)]),
                              op.schema))

    def alter_column(self, op: AlterColumn) -> None:
        call = Call("op.alter_column", [py_str(op.table), py_str(op.column)])
        if op.existing_type is not None:
            call.kwargs.append(("existing_type", self.type(op.existing_type)))
        if op.type is not UNSET:
            call.kwargs.append(("type_", self.type(op.type)))
        if op.nullable is not UNSET:
            call.kwargs.append(("nullable", repr(bool(op.nullable))))
        elif op.existing_nullable is not None:
            call.kwargs.append(("existing_nullable", repr(bool(op.existing_nullable))))
        if op.server_default is not UNSET:
            call.kwargs.append(("server_default", "None" if op.server_default is None
                                else self.default(op.server_default)))
        elif op.existing_server_default is not None:
            call.kwargs.append(("existing_server_default",
                                self.default(op.existing_server_default)))
        if op.comment is not UNSET:
            call.kwargs.append(("comment", self.value(op.comment)))
        elif op.existing_comment:
            call.kwargs.append(("existing_comment", py_str(op.existing_comment)))
        if op.new_name is not UNSET:
            call.kwargs.append(("new_column_name", py_str(op.new_name)))
        if op.using:
            call.kwargs.append(("postgresql_using", py_str(op.using)))
        self.emit(self.schema(call, op.schema))

    def create_index(self, op: CreateIndex) -> None:
        index: IndexState = op.index
        columns = seq(py_str(e) if isinstance(e, str) else f"sa.text({py_str(expression_text(e))})"
                      for e in index.expressions)
        call = Call("op.create_index", [py_str(index.name), py_str(op.table), columns])
        if index.unique:
            call.kwargs.append(("unique", "True"))
        self.schema(call, op.schema)
        call.kwargs += [(key, self.value(value)) for key, value in index.kwargs]
        if op.if_not_exists:
            call.kwargs.append(("if_not_exists", "True"))
        self.emit(call)

    def drop_index(self, op: DropIndex) -> None:
        call = Call("op.drop_index", [py_str(op.name)])
        if op.table:
            call.kwargs.append(("table_name", py_str(op.table)))
        self.emit(self.schema(call, op.schema))

    def add_constraint(self, op: AddConstraint) -> None:
        item = op.constraint
        name = py_str(item.name) if item.name else "None"
        table = py_str(op.table)
        if isinstance(item, PrimaryKeyState):
            call = Call("op.create_primary_key",
                        [name, table, seq(py_str(c) for c in item.columns)])
        elif isinstance(item, ForeignKeyState):
            call = self.fk_options(Call("op.create_foreign_key", [
                name, table, py_str(item.referred_table), seq(py_str(c) for c in item.columns),
                seq(py_str(c) for c in item.referred_columns)]), item)
            self.schema(call, item.referred_schema, "referent_schema")
            self.emit(self.schema(call, op.schema, "source_schema"))
            return
        elif isinstance(item, UniqueState):
            call = Call("op.create_unique_constraint",
                        [name, table, seq(py_str(c) for c in item.columns)])
        elif isinstance(item, CheckState):
            call = Call("op.create_check_constraint",
                        [name, table, py_str(condition_text(item.sqltext))])
        else:
            elements = [seq([py_str(e), py_str(o)], "()") for e, o in item.elements]
            call = Call("op.create_exclude_constraint", [name, table] + elements)
            call.kwargs.append(("using", py_str(item.using)))
            if item.where:
                call.kwargs.append(("where", py_str(condition_text(item.where))))
        self.emit(self.schema(call, op.schema))

    def drop_constraint(self, op: DropConstraint) -> None:
        call = Call("op.drop_constraint", [py_str(op.name), py_str(op.table)])
        if op.type_hint:
            call.kwargs.append(("type_", py_str(op.type_hint)))
        self.emit(self.schema(call, op.schema))

    def table_comment(self, op: SetTableComment) -> None:
        if op.comment is None:
            self.emit(self.schema(Call("op.drop_table_comment", [py_str(op.table)]), op.schema))
        else:
            self.emit(self.schema(Call("op.create_table_comment",
                                       [py_str(op.table), py_str(op.comment)]), op.schema))

    def enum_call(self, name: str, values: tuple[str, ...], schema: str | None,
                  verb: str) -> None:
        call = self.schema(Call("sa.Enum", [py_str(v) for v in values],
                                [("name", py_str(name))]), schema)
        call.suffix = f".{verb}(op.get_bind())"
        self.emit(call)

    def create_enum(self, op: CreateEnum) -> None:
        self.enum_call(op.name, op.values, op.schema, "create")

    def drop_enum(self, op: DropEnum) -> None:
        self.enum_call(op.name, (), op.schema, "drop")

    def execute(self, op: Execute) -> None:
        self.emit(Call("op.execute", [self.value(op.sql) if isinstance(op.sql, str)
                                      else f"sa.text({py_str(expression_text(op.sql))})"]))


_DISPATCH: dict[type, Callable[[_Writer, Any], None]] = {
    ReviewNote: _Writer.note,
    CreateTable: _Writer.create_table,
    DropTable: _Writer.drop_table,
    RenameTable: _Writer.rename_table,
    AddColumn: _Writer.add_column,
    DropColumn: _Writer.drop_column,
    AlterColumn: _Writer.alter_column,
    CreateIndex: _Writer.create_index,
    DropIndex: _Writer.drop_index,
    AddConstraint: _Writer.add_constraint,
    DropConstraint: _Writer.drop_constraint,
    SetTableComment: _Writer.table_comment,
    CreateEnum: _Writer.create_enum,
    DropEnum: _Writer.drop_enum,
    Execute: _Writer.execute,
}


# Type options some dialect types take through **kwargs.
_TYPE_KEYWORDS = ("unsigned", "zerofill", "charset", "collation", "national", "binary",
                  "ascii", "unicode")


def condition_text(value: Any) -> str:
    """A CHECK condition or predicate as the text a migration passes (SQLAlchemy reads it as
    ``text()``): a ``text()`` without values as its author wrote it (``\\:`` escapes kept),
    anything else compiled with literals inlined."""
    if isinstance(value, sa.TextClause) and not value._bindparams:
        return value.text
    return expression_text(value)


def _is_sqlalchemy(cls: type) -> bool:
    return cls.__module__.startswith("sqlalchemy.")


def _same(value: Any, default: Any) -> bool:
    if isinstance(value, sa.types.TypeEngine) or isinstance(default, sa.types.TypeEngine):
        return repr(value) == repr(default)
    try:
        return bool(value == default)
    except Exception:
        return value is default


def render_ops_python(ops: Iterable[Any]) -> PythonSource:
    """The body of ``upgrade()``/``downgrade()`` making ``ops``, and the imports it needs."""
    writer = _Writer()
    for op in ops:
        handler = _DISPATCH.get(type(op))
        if handler is None:
            raise TypeError(f"cannot write {type(op).__name__} as Python")
        handler(writer, op)
    if all(line.startswith("#") for line in writer.lines):
        writer.lines.append("pass")
    return PythonSource(tuple(writer.lines), tuple(sorted(writer.imports)))
