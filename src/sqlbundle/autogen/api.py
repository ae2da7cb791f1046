"""Offline autogenerate: the operations that turn the replayed schema into the models' schema.

``compare_states(current, target, dialect)`` returns a ``Comparison``: a list of ``Change``
values, each holding the operations that make it and their exact inverse. The upgrade is the
changes in order; the downgrade is the inverses in reverse order. Changes are ordered in
phases so every operation finds what it needs (foreign keys dropped before the tables they
point at, tables created parents first, enum types created before use and dropped after).
The rules live in ``compare``; ``writer`` writes operations as Python; ``values`` holds what both share.

Types are compared as the first configured dialect compiles them (``VARCHAR(100)`` equals
``String(length=100)``), defaults and CHECK conditions as normalised SQL text. What the states
cannot tell (a rename looks like a drop and an add; data that must move) becomes a
``ReviewNote`` that the migration file carries as a ``# sqlbundle: review`` comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..errors import SqlbundleError
from ..schema.state import SchemaState
from .values import (  # noqa: F401 - callers import them here
    ADD_COLUMNS,
    ADD_CONSTRAINTS,
    ADD_FOREIGN_KEYS,
    ALTER_COLUMNS,
    CREATE_ENUMS,
    CREATE_TABLES,
    Change,
    Comparison,
    DROP_COLUMNS,
    DROP_CONSTRAINTS,
    DROP_ENUMS,
    DROP_FOREIGN_KEYS,
    DROP_TABLES,
    ReviewNote,
    TABLE_COMMENTS,
    TYPE_SYNONYMS,
    dependency_order,
    expression_text,
    fk_signature,
    index_signature,
    normalize_default,
    normalize_sql,
    pair_constraints,
    sort_key,
    type_text,
)

if TYPE_CHECKING:
    from ..project.model import Project
    from ..project.scaffold import NewFile
    from ..source.script import Script


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
    from ..project.models import models_state
    from ..render.context import sa_dialect

    config = project.config
    target_name = config.dialects[0]
    profile = load_profile(target_name)
    dialect = sa_dialect(profile)
    target = models_state(config, dialect)
    if len(project.graph) == 0 or head == "base":
        current = SchemaState()
    else:
        current = replayed_state(project, head, profile)
    named = any(load_profile(name).named_enums for name in config.dialects)
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
                      depends_on: tuple[str, ...] = (), splice: bool = False,
                      sql: bool = False) -> AutogenResult:
    """``revision --autogenerate``: the new migration file, or none when nothing differs.
    ``sql``: a SQL migration, its statements rendered for the first configured dialect (the
    one the models were compared for), which the file names as its source dialect."""
    from ..project.scaffold import NewFile, plan_revision

    comparison = compare_project(project, head)
    if comparison.empty:
        return AutogenResult(comparison, None, None)
    if sql:
        upgrade_sql, downgrade_sql, source = _as_sql(project, comparison, head)
        new_file, script = plan_revision(
            project, message, head=head, branch_labels=branch_labels, depends_on=depends_on,
            rev_id=rev_id, splice=splice, sql=True, upgrade_body=upgrade_sql,
            downgrade_body=downgrade_sql, source_dialect=source)
        return AutogenResult(comparison, new_file, script)
    upgrade = render_ops_python(comparison.upgrade)
    downgrade = render_ops_python(comparison.downgrade)
    new_file, script = plan_revision(
        project, message, head=head, branch_labels=branch_labels, depends_on=depends_on,
        rev_id=rev_id, splice=splice, upgrade_body=upgrade.body, downgrade_body=downgrade.body)
    imports = sorted(set(upgrade.imports) | set(downgrade.imports))
    return AutogenResult(comparison, NewFile(new_file.path, with_imports(new_file.text, imports)),
                         script)


def _as_sql(project: Project, comparison: Comparison, head: str) -> tuple[str, str, str]:
    """The comparison's upgrade and downgrade as SQL statements of the first configured
    dialect, rendered as a bundle renders them, and that dialect's sqlglot name."""
    from ..compile.steps import render_step, replayed_state
    from ..profile import load_profile
    from ..render.context import sa_dialect
    from ..source.script import Script

    profile = load_profile(project.config.dialects[0])
    dialect = sa_dialect(profile)
    if len(project.graph) == 0 or head == "base":
        state = SchemaState()
    else:
        state = replayed_state(project, head, profile)
    script = Script("autogenerate", path="<autogenerate>")
    texts = []
    for ops in (comparison.upgrade, comparison.downgrade):
        state, (statements, *_rest) = render_step(script, tuple(ops), state, profile, dialect)
        for statement in statements:
            if statement.block or statement.autocommit:
                raise SqlbundleError(
                    "this change needs SQL a SQL migration cannot hold as plain statements "
                    f"({statement.sql.splitlines()[0][:80]}...)",
                    hint="autogenerate a Python migration instead (drop --sql)")
        texts.append("\n\n".join(s.sql.strip().rstrip(";") + ";" for s in statements))
    return texts[0], texts[1], profile.sqlglot_dialect


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
