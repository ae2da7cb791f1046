"""Values shared by autogenerate's comparer and writer: changes, review notes, phases, and how
types, defaults, expressions and signatures are normalised for comparison."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import sqlalchemy as sa

from ..schema.state import IndexState, TableState


@dataclass(frozen=True)
class ReviewNote:
    """Something the states cannot tell; written into the migration for its author."""

    message: str
    kind: ClassVar[str] = "review"

    def describe(self) -> str:
        return f"review: {self.message}"


# The order changes are made in; the downgrade undoes them in reverse. Tables are dropped
# before columns and created after them: a dropped table may point at a dropped column, a new
# one at a new column (whose unique constraint comes first too).
(DROP_FOREIGN_KEYS, DROP_TABLES, DROP_CONSTRAINTS, CREATE_ENUMS, ADD_COLUMNS, ALTER_COLUMNS,
 TABLE_COMMENTS, ADD_CONSTRAINTS, CREATE_TABLES, ADD_FOREIGN_KEYS, DROP_COLUMNS,
 DROP_ENUMS) = range(1, 13)


@dataclass(frozen=True)
class Change:
    phase: int
    description: str
    upgrade: tuple[Any, ...]  # operations and review notes
    downgrade: tuple[Any, ...]
    # What differs, for reports that are not migrations (drift, verify): the kind of object
    # ("table", "column", "index", "foreign key", ...), its name as shown ("t.c", "ix on t"),
    # and for a changed column each (aspect, current value, target value).
    kind: str = ""
    subject: str = ""
    facets: tuple[tuple[str, str, str], ...] = ()

    @property
    def action(self) -> str:
        """"add", "drop" or "change": what the upgrade does to the current schema."""
        return self.description.split(" ", 1)[0]


@dataclass(frozen=True)
class Comparison:
    changes: tuple[Change, ...]
    dialect: str  # the dialect types and defaults were compared for
    warnings: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.changes

    @property
    def upgrade(self) -> tuple[Any, ...]:
        return tuple(step for change in self.changes for step in change.upgrade)

    @property
    def downgrade(self) -> tuple[Any, ...]:
        return tuple(step for change in reversed(self.changes) for step in change.downgrade)

    @property
    def notes(self) -> tuple[str, ...]:
        """Every review note once, in upgrade order."""
        seen: dict[str, None] = {}
        for change in self.changes:
            for step in change.upgrade + change.downgrade:
                if isinstance(step, ReviewNote):
                    seen.setdefault(step.message, None)
        return tuple(seen)

    @property
    def descriptions(self) -> tuple[str, ...]:
        return tuple(change.description for change in self.changes)


# ------------------------------------------------------------------------- SQL text


def expression_text(expr: Any, dialect: Any = None) -> str:
    """SQL of an expression with literals inlined and columns unqualified."""
    if isinstance(expr, str):
        return expr
    return str(expr.compile(dialect=dialect,
                            compile_kwargs={"literal_binds": True, "include_table": False}))


def _strip_outer_parens(text: str) -> str:
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(text) - 1:
                return text
        text = text[1:-1].strip()
    return text


def normalize_sql(text: str) -> str:
    """Whitespace, enclosing parentheses, identifier quotes and keyword case do not count;
    string literals do."""
    parts = re.split(r"('(?:[^']|'')*')", str(text).strip())
    for i in range(0, len(parts), 2):
        part = " ".join(parts[i].split()).lower().replace('"', "").replace("`", "")
        parts[i] = re.sub(r"\s*([(),=<>+*/-])\s*", r"\1", part)
    return _strip_outer_parens("".join(parts))


# Spellings of one type that dialects compile differently (PostgreSQL: DECIMAL is NUMERIC).
TYPE_SYNONYMS = {
    "DECIMAL": "NUMERIC",
    "INT": "INTEGER",
    "INT4": "INTEGER",
    "INT8": "BIGINT",
    "INT2": "SMALLINT",
    "BOOL": "BOOLEAN",
    "CHARACTER VARYING": "VARCHAR",
    "CHARACTER": "CHAR",
    "DOUBLE PRECISION": "DOUBLE",
    "FLOAT8": "DOUBLE",
    "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP",
    "TIME WITHOUT TIME ZONE": "TIME",
    "TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE",
}


def type_text(compiled: str) -> str:
    """A compiled type in one spelling: upper case, single spaces, synonyms mapped."""
    text = " ".join(compiled.upper().split())
    match = re.match(r"([A-Z0-9 ]+?)\s*(\(.*)?$", text)
    if match is None:
        return text
    name, rest = match.group(1).strip(), match.group(2) or ""
    return TYPE_SYNONYMS.get(name, name) + rest.replace(", ", ",")


def normalize_default(text: str) -> str:
    """A server default's SQL: quoted numbers are numbers (``'0'`` is ``0``)."""
    text = normalize_sql(text)
    number = re.fullmatch(r"'(-?\d+(?:\.\d+)?)'", text)
    return number.group(1) if number else text


# ------------------------------------------------------------------------- sameness


def fk_signature(fk: Any) -> tuple:
    """What makes two foreign keys the same (NO ACTION is the default spelled out)."""
    def action(value: str | None) -> str | None:
        value = " ".join(value.upper().split()) if value else None
        return None if value == "NO ACTION" else value

    return (fk.columns, fk.referred_schema, fk.referred_table, fk.referred_columns,
            action(fk.ondelete), action(fk.onupdate), bool(fk.deferrable),
            (fk.initially or "").upper() or None, (fk.match or "").upper() or None)


def index_signature(index: IndexState, dialect: Any) -> tuple:
    """What makes two indexes the same: expressions and options as normalised SQL."""
    exprs = tuple(e if isinstance(e, str) else normalize_sql(expression_text(e, dialect))
                  for e in index.expressions)
    kwargs = tuple(sorted(
        (key, normalize_sql(expression_text(value, _kwarg_dialect(key)))
         if isinstance(value, sa.sql.ClauseElement) else repr(value))
        for key, value in index.kwargs
        if key != "postgresql_concurrently" and not _blank(value)))
    return (exprs, bool(index.unique), kwargs)


def pair_constraints(current: Iterable[Any], target: Iterable[Any],
                     signature: Callable[[Any], Any]
                     ) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Match constraints by name; an unnamed one matches any with the same definition."""
    left = list(current)
    pairs, added = [], []
    for item in target:
        match = next((c for c in left if item.name and c.name == item.name), None)
        if match is None:
            match = next((c for c in left if (not item.name or not c.name)
                          and signature(c) == signature(item)), None)
        if match is None:
            added.append(item)
        else:
            left.remove(match)
            pairs.append((match, item))
    return pairs, added, left


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, (str, tuple, list, dict)) and not value)


def _kwarg_dialect(key: str) -> Any:
    """The SQLAlchemy dialect a ``<dialect>_option`` keyword belongs to, for compiling it."""
    from sqlalchemy.dialects import registry

    name = key.split("_", 1)[0]
    try:
        return registry.load(name)()
    except Exception:
        return None


# ------------------------------------------------------------------------- ordering


def sort_key(key: tuple[str | None, str]) -> tuple[str, str]:
    return (key[0] or "", key[1])


def dependency_order(tables: Iterable[TableState]
                     ) -> tuple[list[TableState], dict[tuple[str | None, str], tuple[Any, ...]]]:
    """Tables ordered parents first (by foreign keys among them), and for tables in a cycle
    the foreign keys that must be made separately (after every table exists). Among tables
    that are ready, the first by name; in a cycle, the first left by name."""
    import heapq

    by_key = {t.key: t for t in sorted(tables, key=lambda t: sort_key(t.key))}
    keys = list(by_key)
    position = {key: i for i, key in enumerate(keys)}
    needs = {key: {(fk.referred_schema, fk.referred_table) for fk in table.foreign_keys}
             & by_key.keys() - {key} for key, table in by_key.items()}
    waiting = {key: len(parents) for key, parents in needs.items()}
    children: dict[tuple[str | None, str], list[tuple[str | None, str]]] = {}
    for key, parents in needs.items():
        for parent in parents:
            children.setdefault(parent, []).append(key)
    ready = [position[key] for key in keys if not waiting[key]]
    heapq.heapify(ready)
    done: set[tuple[str | None, str]] = set()
    first_left = 0  # the first table by name not yet placed
    order: list[TableState] = []
    deferred: dict[tuple[str | None, str], tuple[Any, ...]] = {}
    while len(order) < len(keys):
        while ready and keys[ready[0]] in done:
            heapq.heappop(ready)
        if ready:
            key = keys[heapq.heappop(ready)]
        else:  # a cycle: this table's keys into the rest are made afterwards
            while keys[first_left] in done:
                first_left += 1
            key = keys[first_left]
            deferred[key] = tuple(fk for fk in by_key[key].foreign_keys
                                  if (fk.referred_schema, fk.referred_table) in by_key
                                  and (fk.referred_schema, fk.referred_table) not in done
                                  and (fk.referred_schema, fk.referred_table) != key)
        done.add(key)
        order.append(by_key[key])
        for child in children.get(key, ()):
            waiting[child] -= 1
            if not waiting[child] and child not in done:
                heapq.heappush(ready, position[child])
    return order, deferred
