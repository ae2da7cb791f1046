"""The forms a dump tool writes that migrations do not: what ``dumps`` puts back together
before the raw-DDL follower (``rawddl``) reads a statement.

pg_dump splits a SERIAL column into a sequence, its ``OWNED BY`` and a ``nextval`` default,
writes an identity column as an ``ALTER ... ADD GENERATED AS IDENTITY``, qualifies names with
the default schema and casts literals (``'x'::character varying``); it puts table data in
``COPY ... FROM stdin`` blocks that are not SQL. MariaDB shows BOOLEAN as ``tinyint(1)`` and
CURRENT_TIMESTAMP as ``current_timestamp()``. Pure: text and sqlglot trees in, values out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import sqlalchemy as sa

from .columnops import AlterColumn
from .opbase import Operation
from .state import SchemaState, StateError, evolve

_COPY = re.compile(r"^COPY\s+(\S+)\s*(\([^)]*\))?\s+FROM\s+stdin\b.*;\s*$", re.I)
_END_COPY = "\\."


def copy_blocks(text: str, version_table: str, dump_schema: str
                ) -> tuple[str, list[str] | None]:
    """``text`` with the psql meta-commands (``\\connect``, ``\\restrict``) and the data of
    ``COPY ... FROM stdin`` blocks blanked out (lines kept, so line numbers stay right), and
    the version table's rows when a block holds them (None: no such block)."""
    lines = text.split("\n")
    rows: list[str] | None = None
    inside: str | None = None  # the table a COPY block being read fills
    for i, line in enumerate(lines):
        if inside is not None:
            if line.rstrip("\r") == _END_COPY:
                inside = None
            elif inside == version_table and line.strip():
                assert rows is not None
                rows.append(line.split("\t")[0])
            lines[i] = ""
            continue
        found = _COPY.match(line.strip())
        if found is not None:
            inside = unqualified(found.group(1), dump_schema)
            if inside == version_table:
                rows = rows if rows is not None else []
            lines[i] = ""
        elif line.startswith("\\"):
            lines[i] = ""
    return "\n".join(lines), rows


def unqualified(name: str, dump_schema: str) -> str:
    """A dotted, possibly quoted name in the default schema without it."""
    parts = [p.strip('"`') for p in name.split(".")]
    if len(parts) == 2 and parts[0] == dump_schema:
        return parts[1]
    return ".".join(parts)


def dump_tree(tree: Any, dump_schema: str) -> Any:
    """A copy of one parsed statement as a migration would write it: names in the default
    schema unqualified, and the types and defaults the server shows in its own spelling
    (``tinyint(1)``, ``current_timestamp()``) as written."""
    from sqlglot import exp

    tree = tree.copy()  # parsed trees are cached: leave them as parsed
    for table in tree.find_all(exp.Table):
        if dump_schema and table.args.get("db") is not None and table.db == dump_schema:
            table.set("db", None)
    for column in tree.find_all(exp.Column):  # COMMENT ON COLUMN public.t.c
        if dump_schema and column.args.get("db") is not None and column.db == dump_schema:
            column.set("db", None)
    for dtype in tree.find_all(exp.DataType):
        params = dtype.expressions
        if dtype.this == exp.DataType.Type.TINYINT and len(params) == 1 and \
                params[0].sql() == "1":
            dtype.replace(exp.DataType.build("BOOLEAN"))
        elif dtype.this == exp.DataType.Type.USERDEFINED and isinstance(dtype.args.get("kind"),
                                                                         exp.Dot):
            kind = dtype.args["kind"]
            if kind.this.name == dump_schema:
                dtype.set("kind", kind.expression)
    for now in tree.find_all(exp.CurrentTimestamp):
        if now.this is None:
            now.replace(exp.Var(this="CURRENT_TIMESTAMP"))
    for check in list(tree.find_all(exp.CheckColumnConstraint)):
        check.set("this", _as_written(check.this))
    return tree


# Casts PostgreSQL adds when it stores a condition: (0)::numeric, (status)::text, 'x'::text.
_IMPLIED_CASTS = ("DECIMAL", "TEXT", "VARCHAR", "ARRAY")
# Conditions that need no parentheses inside AND / OR / NOT.
_PREDICATES = ("EQ", "NEQ", "GT", "GTE", "LT", "LTE", "Is", "In", "Between", "Like", "Column",
               "Literal", "Paren")


def _as_written(condition: Any) -> Any:
    """A CHECK condition as the server stored it, without what the server added: implied
    casts, ``= ANY (ARRAY[...])`` for ``IN (...)``, parentheses around each comparison."""
    from sqlglot import exp

    def strip(node: Any) -> Any:
        inner = node.this.unnest() if isinstance(node, exp.Cast) else None
        if inner is not None and node.to.this.name in _IMPLIED_CASTS and \
                isinstance(inner, (exp.Literal, exp.Column, exp.Array)):
            return inner
        if isinstance(node, exp.EQ) and isinstance(node.expression, exp.Any):
            values = node.expression.this.unnest()
            if isinstance(values, exp.Array):
                return exp.In(this=node.this, expressions=list(values.expressions))
        if isinstance(node, exp.Paren) and type(node.this).__name__ in _PREDICATES and \
                isinstance(node.parent, (exp.And, exp.Or, exp.Not, exp.Paren)):
            return node.this
        return node

    for _ in range(3):  # a cast inside a cast, parentheses freed by a stripped cast
        condition = condition.transform(strip)
    return condition.unnest()


@dataclass
class Sequences:
    """The sequences a dump creates and the columns owning them."""

    created: dict[str, int] = field(default_factory=dict)  # name -> line
    owners: dict[str, tuple[str | None, str, str]] = field(default_factory=dict)

    def take(self, tree: Any, line: int) -> bool:
        """Whether ``tree`` is a CREATE SEQUENCE (then remembered)."""
        from sqlglot import exp

        if not (isinstance(tree, exp.Create) and str(tree.args.get("kind")).upper()
                == "SEQUENCE" and isinstance(tree.this, exp.Table)):
            return False
        self.created[_dotted(tree.this)] = line
        return True

    def own(self, sequence: str, owner: tuple[str | None, str, str] | None) -> None:
        if owner is None:
            self.owners.pop(sequence, None)
        else:
            self.owners[sequence] = owner

    def unowned(self) -> list[tuple[str, int]]:
        return sorted(((n, line) for n, line in self.created.items() if n not in self.owners),
                      key=lambda item: item[1])


def _dotted(table: Any) -> str:
    return f"{table.db}.{table.name}" if table.db else table.name


_OWNED = re.compile(r"^SEQUENCE\s+(\S+)\s+OWNED\s+BY\s+(\S+)\s*$", re.I)


def owned_by(tree: Any, dump_schema: str
             ) -> tuple[str, tuple[str | None, str, str] | None] | None:
    """``ALTER SEQUENCE s OWNED BY [schema.]t.c`` as (s, (schema, t, c)); (s, None) for
    ``OWNED BY NONE``; None for any other statement."""
    from sqlglot import exp

    if not isinstance(tree, exp.Command) or str(tree.this).upper() != "ALTER":
        return None
    found = _OWNED.match(str(tree.expression.sql() if hasattr(tree.expression, "sql")
                             else tree.expression).strip())
    if found is None:
        return None
    sequence = unqualified(found.group(1), dump_schema)
    parts = [p.strip('"') for p in found.group(2).split(".")]
    if len(parts) < 2:
        return sequence, None
    schema = parts[-3] if len(parts) > 2 and parts[-3] != dump_schema else None
    return sequence, (schema, parts[-2], parts[-1])


def serial_op(tree: Any, state: SchemaState, sequences: Sequences, dump_schema: str
              ) -> tuple[Operation, ...] | None:
    """``ALTER TABLE t ALTER COLUMN c SET DEFAULT nextval('s'::regclass)`` where ``s`` is
    owned by ``t.c``: the column is SERIAL, as the replay models an auto-incrementing integer
    key (no server default). None for anything else."""
    from sqlglot import exp

    if not isinstance(tree, exp.Alter) or len(tree.args.get("actions") or []) != 1:
        return None
    action = tree.args["actions"][0]
    default = action.args.get("default") if isinstance(action, exp.AlterColumn) else None
    if not (isinstance(default, exp.Anonymous) and default.name.lower() == "nextval"
            and len(default.expressions) == 1):
        return None
    arg = default.expressions[0]
    literal = arg.this if isinstance(arg, exp.Cast) else arg
    if not (isinstance(literal, exp.Literal) and literal.is_string):
        return None
    table, schema = tree.this.name, tree.this.db or None
    column = action.this.name
    if sequences.owners.get(unqualified(literal.name, dump_schema)) != (schema, table, column):
        return None
    return (AlterColumn(table, column, schema, autoincrement=True),)


_IDENTITY = re.compile(
    r"^TABLE\s+(?:ONLY\s+)?(\S+)\s+ALTER\s+COLUMN\s+(\S+)\s+ADD\s+GENERATED\s+"
    r"(ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY\s*(?:\((.*)\))?\s*$", re.I | re.S)
_OPTION = re.compile(r"\b(SEQUENCE\s+NAME|START\s+WITH|INCREMENT\s+BY)\s+(\S+)", re.I)


@dataclass(frozen=True)
class SetIdentity(Operation):
    """A dump's ``ADD GENERATED ... AS IDENTITY`` on a column it created."""

    table: str
    column: str
    schema: str | None
    identity: Any
    kind: ClassVar[str] = "set_identity"

    def apply(self, state: SchemaState) -> SchemaState:
        table = state.require_table(self.table, self.schema)
        col = table.column(self.column)
        if col is None:
            raise StateError(f"column {table.display}.{self.column} does not exist")
        new = evolve(col, identity=self.identity, server_default=None)
        columns = tuple(new if c is col else c for c in table.columns)
        return state.with_table(evolve(table, columns=columns))


def identity_op(tree: Any, state: SchemaState, dump_schema: str, sequences: Sequences
                ) -> tuple[Operation, ...] | None:
    """pg_dump's identity column: ``ALTER TABLE t ALTER COLUMN c ADD GENERATED BY DEFAULT AS
    IDENTITY (SEQUENCE NAME s START WITH 1 ...)``, with only what differs from the defaults
    kept (as ``sa.Identity()`` is written). None for anything else."""
    from sqlglot import exp

    if not isinstance(tree, exp.Command) or str(tree.this).upper() != "ALTER":
        return None
    found = _IDENTITY.match(str(tree.expression).strip())
    if found is None:
        return None
    name, column, mode, options = found.groups()
    parts = [p.strip('"') for p in name.split(".")]
    schema = parts[0] if len(parts) == 2 and parts[0] != dump_schema else None
    kwargs: dict[str, Any] = {}
    if mode.upper() == "ALWAYS":
        kwargs["always"] = True
    for key, value in _OPTION.findall(options or ""):
        key = " ".join(key.upper().split())
        if key == "SEQUENCE NAME":
            sequences.own(unqualified(value, dump_schema), (schema, parts[-1], column))
        elif value.lstrip("-").isdigit() and int(value) != 1:
            kwargs["start" if key == "START WITH" else "increment"] = int(value)
    return (SetIdentity(parts[-1], column.strip('"'), schema, sa.Identity(**kwargs)),)


def enum_columns(state: SchemaState) -> SchemaState:
    """Columns typed with a named enum type the dump creates (``CREATE TYPE ... AS ENUM``)
    use it as ``sa.Enum(name=...)``, as the replay types them."""
    from .rawdefs import UnknownType

    for table in list(state.tables.values()):
        columns = []
        for col in table.columns:
            if isinstance(col.type, UnknownType) and (table.schema, col.type.text) in state.enums:
                labels = state.enums[(table.schema, col.type.text)]
                col = evolve(col, type=sa.Enum(*labels, name=col.type.text,
                                               schema=table.schema))
            columns.append(col)
        if tuple(columns) != table.columns:
            state = state.with_table(evolve(table, columns=tuple(columns)))
    return state


def later_keys(ops: tuple[Operation, ...]
               ) -> tuple[tuple[Operation, ...], tuple[Operation, ...]]:
    """A CREATE TABLE's foreign keys split off, to be added once every table and index
    exists: a dump creates tables in name order with key checks off, and lists the index
    MySQL made for a key (which the key must find, not make again)."""
    from .constraintops import AddConstraint
    from .tableops import CreateTable

    if not ops or not isinstance(ops[0], CreateTable) or not ops[0].table.foreign_keys:
        return ops, ()
    table = ops[0].table
    first = evolve(ops[0], table=evolve(table, foreign_keys=()))
    return (first,) + ops[1:], tuple(AddConstraint(table.name, fk, table.schema)
                                     for fk in table.foreign_keys)


def key_indexes(state: SchemaState) -> SchemaState:
    """An index named after a foreign key, on exactly its columns, is the one MySQL made for
    the key (a dump lists it as a plain KEY): implicit, as the replay models it."""
    for table in list(state.tables.values()):
        keys = {(fk.known_name, fk.columns) for fk in table.foreign_keys}
        indexes = tuple(evolve(ix, implicit=True)
                        if not ix.unique and (ix.name, ix.expressions) in keys else ix
                        for ix in table.indexes)
        if indexes != table.indexes:
            state = state.with_table(evolve(table, indexes=indexes))
    return state
