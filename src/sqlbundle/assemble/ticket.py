"""One migration as a change ticket: its message, upgrade SQL and rollback SQL per dialect.

``build_ticket`` compiles the single step from the revision's parents to the revision (and back)
and returns a ``Ticket`` value; ``render_markdown`` and ``render_sql`` turn it into text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..compile.steps import CompiledPlan, compile_range
from ..history.plan import rollback_range, step_range
from ..profile import Profile, parse_target
from ..project.model import Project
from .framing import preamble, render_diagnostics, step_body
from .guards import expectation, guard_statements
from .timeouts import step_timeouts
from ..render.context import RenderContext, sa_dialect
from ..project.templating import render


@dataclass(frozen=True)
class TargetSQL:
    """The revision's SQL for one target."""

    dialect: str  # profile name
    target: str  # name@version
    title: str
    upgrade_range: str
    rollback_range: str
    upgrade_sql: str  # ends with a newline
    rollback_sql: str
    upgrade_file: str  # suggested file names, used in the apply commands
    rollback_file: str
    apply_upgrade: str
    apply_rollback: str
    notes: tuple[str, ...] = ()
    diagnostics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ticket:
    revision: str
    message: str
    parents: tuple[str, ...]
    depends_on: tuple[str, ...]
    branch_labels: tuple[str, ...]
    kind: str  # "base", "merge" or "revision"
    path: str | None
    sha256: str
    create_date: str | None
    targets: tuple[TargetSQL, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _sql(compiled: CompiledPlan, guards: bool = False) -> str:
    """The steps' SQL; with ``guards``, each checks the version table first, as a bundle's
    step does, so SQL pasted into a ticket stops on the wrong database too."""
    profile = compiled.profile
    chunks = list(preamble(profile))
    ctx = RenderContext(profile, sa_dialect(profile)) if guards else None
    for step in compiled.steps:
        guard = guard_statements(
            expectation(step.step, f"{step.step.revision} {step.step.direction}"), ctx,
            compiled.version_table, compiled.version_table_schema) if ctx is not None else []
        chunks.extend(step_body(step, profile, guard,
                                timeouts=step_timeouts(*compiled.timeouts, profile,
                                                       step.script)))
    return "\n".join(chunks) + "\n"


def _notes(compiled: CompiledPlan) -> list[str]:
    profile = compiled.profile
    notes = []
    if not profile.transactional_ddl:
        notes.append(f"{profile.title} commits every DDL statement implicitly: a step that "
                     "fails halfway stays half-applied.")
    for step in compiled.steps:
        verb = "rollback" if step.step.direction == "downgrade" else "upgrade"
        destructive = step.destructive
        if destructive:
            notes.append(f"the {verb} {'loses' if verb == 'rollback' else 'drops'} data: "
                         + "; ".join(destructive))
        if any(s.autocommit for s in step.statements):
            notes.append(f"part of the {verb} runs outside a transaction")
        notes.extend(f"the {verb} also does: {note}" for note in step.notes)
        if step.table_copy:
            notes.append(f"the {verb} rebuilds tables by copying them (SQLite)")
    return notes


def target_sql(project: Project, rev: str, target: str | Profile, guards: bool = False
               ) -> TargetSQL:
    target = parse_target(target)
    up_range = step_range(project.graph, rev)
    down_range = rollback_range(project.graph, up_range)
    up = compile_range(project, up_range, target)
    down = compile_range(project, down_range, target)
    profile = up.profile
    up_file, down_file = f"{rev}_upgrade.sql", f"{rev}_rollback.sql"
    return TargetSQL(
        dialect=profile.name, target=profile.target, title=profile.title,
        upgrade_range=up_range.text, rollback_range=down_range.text,
        upgrade_sql=_sql(up, guards), rollback_sql=_sql(down, guards),
        upgrade_file=up_file, rollback_file=down_file,
        apply_upgrade=profile.apply.format(file=up_file),
        apply_rollback=profile.apply.format(file=down_file),
        notes=tuple(dict.fromkeys(_notes(up) + _notes(down))),
        diagnostics=tuple(render_diagnostics(up.diagnostics + down.diagnostics)),
    )


def build_ticket(project: Project, rev_text: str, targets: Sequence[str],
                 guards: bool = False) -> Ticket:
    """Compile revision ``rev_text``'s own step, up and down, for every target (``guards``:
    with the version-table checks a bundle's steps start with)."""
    graph = project.graph
    rev = graph.resolve_single(rev_text)
    script = graph.get(rev)
    kind = "merge" if script.is_merge else "base" if script.is_base else "revision"
    return Ticket(
        revision=rev, message=script.message, parents=tuple(script.down_revisions),
        depends_on=tuple(script.depends_on), branch_labels=tuple(graph.branch_labels_of(rev)),
        kind=kind, path=script.path, sha256=script.sha256, create_date=script.create_date,
        targets=tuple(target_sql(project, rev, t, guards) for t in targets),
    )


def _comment(text: str) -> str:
    return "\n".join(f"-- {line}".rstrip() for line in text.splitlines())


def _fence(*texts: str) -> str:
    longest = 0
    for text in texts:
        run = 0
        for char in text:
            run = run + 1 if char == "`" else 0
            longest = max(longest, run)
    return "`" * max(3, longest + 1)


def render_markdown(ticket: Ticket, templates_dir: Path | None = None) -> str:
    """The ticket as Markdown, from ``ticket.md.j2`` (the project may override it)."""
    parents = ", ".join(f"`{p}`" for p in ticket.parents) or "none (a base revision)"
    return render("ticket.md.j2", templates_dir, ticket=ticket, parents=parents,
                  fence=_fence(*(t.upgrade_sql + t.rollback_sql for t in ticket.targets)))


def render_sql(ticket: Ticket) -> str:
    """Plain SQL: per target the upgrade, then the rollback, each under a comment header."""
    parents = ", ".join(ticket.parents) or "<base>"
    chunks: list[str] = []
    for target in ticket.targets:
        for verb, range_text, sql, apply in (
                ("Upgrade", target.upgrade_range, target.upgrade_sql, target.apply_upgrade),
                ("Rollback", target.rollback_range, target.rollback_sql, target.apply_rollback)):
            header = [f"{verb} of {ticket.revision}: {ticket.message}".rstrip(": "),
                      f"parents: {parents}",
                      f"range: {range_text}",
                      f"dialect: {target.target} ({target.title})",
                      f"apply with: {apply}"]
            if ticket.path:
                header.insert(2, f"source: {ticket.path}")
            chunks.append(_comment("\n".join(header)) + "\n" + sql)
    return "\n".join(chunks)
