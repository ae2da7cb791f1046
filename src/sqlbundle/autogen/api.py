"""Offline autogenerate: the operations that turn the replayed schema into the models' schema.

``compare_states(current, target, dialect)`` returns a ``Comparison``: a list of ``Change``
values, each holding the operations that make it and their exact inverse. The upgrade is the
changes in order; the downgrade is the inverses in reverse order. Changes are ordered in
phases so every operation finds what it needs (foreign keys dropped before the tables they
point at, tables created parents first, enum types created before use and dropped after).
The rules live in ``autogen_compare``; ``autogen_render`` writes operations as Python.

Types are compared as the first configured dialect compiles them (``VARCHAR(100)`` equals
``String(length=100)``), defaults and CHECK conditions as normalised SQL text. What the states
cannot tell (a rename looks like a drop and an add; data that must move) becomes a
``ReviewNote`` that the migration file carries as a ``# sqlbundle: review`` comment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa

from ..schema.state import IndexState, SchemaState, TableState

if TYPE_CHECKING:
    from ..project.model import Project
    from ..project.scaffold import NewFile
    from ..source.script import Script


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
    the foreign keys that must be made separately (after every table exists)."""
    by_key = {t.key: t for t in sorted(tables, key=lambda t: sort_key(t.key))}
    needs = {key: {(fk.referred_schema, fk.referred_table) for fk in table.foreign_keys}
             & set(by_key) - {key} for key, table in by_key.items()}
    remaining = list(by_key)
    order: list[TableState] = []
    deferred: dict[tuple[str | None, str], tuple[Any, ...]] = {}
    while remaining:
        ready = [k for k in remaining if not needs[k] & set(remaining)]
        key = ready[0] if ready else remaining[0]
        if not ready:  # a cycle: this table's keys into the rest are made afterwards
            deferred[key] = tuple(fk for fk in by_key[key].foreign_keys
                                  if (fk.referred_schema, fk.referred_table) in remaining
                                  and (fk.referred_schema, fk.referred_table) != key)
        order.append(by_key[key])
        remaining.remove(key)
    return order, deferred


def compare_states(current: SchemaState, target: SchemaState, dialect: Any, *,
                   named_enums: bool = True) -> Comparison:
    """The changes that turn ``current`` into ``target``, types and defaults compared as
    ``dialect`` compiles them. ``named_enums``: the project targets a database with named
    enum types (PostgreSQL), so they are created and dropped explicitly."""
    from .compare import Comparer

    changes = Comparer(current, target, dialect, named_enums).run()
    warnings = ()
    if current.opaque:
        warnings = ("the history runs raw DDL (op.execute) that the replayed schema cannot "
                    "follow: check the differences by hand",)
    return Comparison(tuple(changes), dialect.name, warnings)


# ------------------------------------------------------------------------- projects


def compare_project(project: Project, head: str = "heads") -> Comparison:
    """The project's models compared with the schema its history builds up to ``head``, for
    the first configured dialect."""
    from ..compile.steps import replayed_state
    from ..profile import load_profile
    from .models import models_state
    from ..render.context import sa_dialect

    config = project.config
    target_name = config.dialects[0]
    profile = load_profile(target_name)
    dialect = sa_dialect(profile)
    target = models_state(config, dialect)
    if len(project.graph) == 0 or head == "base":
        current = SchemaState()
    else:
        current = replayed_state(project, head, target_name)
    named = any(load_profile(name).name == "postgresql" for name in config.dialects)
    comparison = compare_states(current, target, dialect, named_enums=named)
    return replace(comparison, dialect=target_name)


def render_ops_python(ops: Iterable[Any]) -> Any:
    """Python source (lines and the imports they need) for a migration body."""
    from .writer import render_ops_python as render

    return render(ops)


@dataclass(frozen=True)
class AutogenResult:
    comparison: Comparison
    new_file: NewFile | None  # None: nothing to change
    script: Script | None


def plan_autogenerate(project: Project, message: str, *, head: str = "head",
                      rev_id: str | None = None, branch_labels: tuple[str, ...] = (),
                      depends_on: tuple[str, ...] = (), splice: bool = False) -> AutogenResult:
    """``revision --autogenerate``: the new migration file, or none when nothing differs."""
    from ..project.scaffold import NewFile, plan_revision

    comparison = compare_project(project, head)
    if comparison.empty:
        return AutogenResult(comparison, None, None)
    upgrade = render_ops_python(comparison.upgrade)
    downgrade = render_ops_python(comparison.downgrade)
    new_file, script = plan_revision(
        project, message, head=head, branch_labels=branch_labels, depends_on=depends_on,
        rev_id=rev_id, splice=splice, upgrade_body=upgrade.body, downgrade_body=downgrade.body)
    imports = sorted(set(upgrade.imports) | set(downgrade.imports))
    return AutogenResult(comparison, NewFile(new_file.path, with_imports(new_file.text, imports)),
                         script)


def with_imports(text: str, imports: list[str]) -> str:
    """``text`` with the import lines it lacks, after its last top-level import."""
    lines = text.split("\n")
    missing = [line for line in imports if line not in lines]
    if not missing:
        return text
    end = next((i for i, line in enumerate(lines) if line.startswith("def ")), len(lines))
    found = [i for i, line in enumerate(lines[:end]) if re.match(r"(import|from)\s+\w", line)]
    at = found[-1] + 1 if found else 0
    return "\n".join(lines[:at] + missing + lines[at:])
