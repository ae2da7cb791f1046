"""The pipeline from a project and a range to rendered steps: record, replay, render.

``compile_range`` returns values only (``CompiledPlan``); turning them into text is
``assemble.framing``'s job and writing them is the CLI's or the bundle writer's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..profile import Profile, parse_target
from ..record.environment import Environment
from ..schema.enumtypes import implicit_drops
from ..errors import SqlbundleError
from ..schema.operations import Operation
from .parallel import process_all
from ..history.plan import Plan, Range, Step, VersionChange, named_range, range_of
from ..project.model import Project
from ..render.registry import render_operation
from ..render.context import Diagnostic, RenderContext, Statement, sa_dialect
from ..render.postgresql import commit_new_labels
from ..source.script import Script
from ..schema.state import SchemaState
from ..render.versiontable import change_statements, change_writer, create_statements
from .recordings import (  # noqa: F401 - callers import them here


    Replay,
    record,
    replay_caches,
)
from .replay import schema_before
from .replay import (  # noqa: F401 - callers import them here
    _fold,
    apply_op,
    initial_state,
    state_at,
    synthesize,
)


@dataclass(frozen=True)
class CompiledStep:
    step: Step
    script: Script
    operations: tuple[Operation, ...]
    statements: tuple[Statement, ...]  # the migration's own SQL
    version: tuple[Statement, ...]  # version-table bookkeeping (last in the step)
    creates_version_table: tuple[Statement, ...] = ()
    table_copy: bool = False  # SQLite: foreign keys must be off while the step runs
    notes: tuple[str, ...] = ()  # what the step does beyond its operations, for its header
    observed: Any = None  # what the build's observer made of the step (lint findings)


@dataclass(frozen=True)
class CompiledPlan:
    profile: Profile
    plan: Plan
    range_text: str  # the range as shown (``Range.text``)
    steps: tuple[CompiledStep, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    version_table: str = "alembic_version"
    version_table_schema: str | None = None


def replayed_state(project: Project, revision_text: str, target: str | Profile) -> SchemaState:
    """The schema the history builds up to ``revision_text`` (e.g. ``heads``) for ``target``."""
    profile = parse_target(target)
    dialect = sa_dialect(profile)
    replay = Replay(project, profile, dialect,
                    env=Environment(dialect, profile, project,
                                    lambda: named_range(project.graph, revision_text)))
    replay.env.schema_source = partial(schema_before, replay)
    return state_at(replay, project.graph.resolve(revision_text).revisions)


def new_replay(project: Project, profile: Profile, range: Range, *, both: bool = False
               ) -> Replay:
    """The replay of ``range`` for ``profile``: what migration code sees and the caches."""
    dialect = sa_dialect(profile)
    records, states = replay_caches(project, profile)
    replay = Replay(project, profile, dialect, both=both, records=records, states=states,
                    env=Environment(dialect, profile, project, range))
    replay.env.schema_source = partial(schema_before, replay)
    return replay


# One operation as replayed and rendered: (the operation, the state it applied to, the state
# after it, its statements, the render error that stood in for them or None).
Traced = tuple[Operation, SchemaState, SchemaState, tuple[Statement, ...],
               "SqlbundleError | None"]
# Called after each step with (the step, its script, its operations, their trace, the states
# before and after the step); what it returns is kept as ``CompiledStep.observed``. Lint is one.
Observer = Callable[[Step, Script, tuple[Operation, ...], list[Traced], SchemaState,
                     SchemaState], Any]


def compile_range(project: Project, range: str | Range, target: str | Profile,
                  direction: str = "upgrade", *, replay: Replay | None = None,
                  observe: Observer | None = None) -> CompiledPlan:
    """Render every step of ``range`` for ``target`` (``name[@version]``). A text range is
    read here for ``direction``; a ``Range`` value comes planned (its own direction).
    ``replay``: one made by ``new_replay`` for this range, to share its recordings.
    ``observe``: see ``Observer``; it sees each operation as it is rendered, so whatever it
    checks costs no second replay."""
    profile = parse_target(target)
    graph = project.graph
    if isinstance(range, str):
        range = range_of(graph, range, direction)
    plan = range.plan
    assert plan is not None
    direction = plan.direction
    if replay is None:
        replay = new_replay(project, profile, range, both=direction == "downgrade")
    dialect = replay.dialect
    skipped = len(replay.skipped)
    state = state_at(replay, plan.start)
    config = project.config
    # Every migration is recorded (or read from the record cache) before rendering starts,
    # so both halves of a parallel render see the same operations.
    # A step whose recording fails keeps its error until the replay reaches it: errors are
    # reported in plan order, an earlier step's replay error first.
    work = [(step, graph.get(step.revision), _recorded(replay, step.revision, direction))
            for step in plan.steps]
    replay.save()

    def process(item: tuple[Step, Script, Recorded], state: SchemaState
                ) -> tuple[SchemaState, StepResult]:
        return render_step(item[1], _ops(item[2]), state, profile, dialect,
                           observe and partial(observe, item[0]))

    def fold(item: tuple[Step, Script, Recorded], state: SchemaState) -> SchemaState:
        return _fold(_ops(item[2]), state, item[1])

    costs = [_costs(ops) if isinstance(ops, tuple) else (1.0, 1.0) for _, _, ops in work]
    rendered = process_all(work, state, costs, process, fold)
    diagnostics: list[Diagnostic] = replay.skipped[skipped:]
    steps: list[CompiledStep] = []
    version_rows = change_writer(RenderContext(profile, dialect), config.version_table,
                                 config.version_table_schema)
    for index, ((step, script, ops), (statements, copies, found, notes, observed)) in \
            enumerate(zip(work, rendered)):
        diagnostics.extend(found)
        creates: list[Statement] = []
        if index == 0 and not plan.start and direction == "upgrade":
            creates = create_statements(RenderContext(profile, dialect, script.path, None),
                                        config.version_table, config.version_table_schema)
        steps.append(CompiledStep(step, script, ops, statements,
                                  tuple(version_rows(step.version)), tuple(creates), copies,
                                  notes, observed))
    return CompiledPlan(profile, plan, range.text, tuple(steps), tuple(diagnostics),
                        config.version_table, config.version_table_schema)


Recorded = "tuple[Operation, ...] | SqlbundleError"


def _recorded(replay: Replay, rev: str, direction: str) -> Recorded:
    try:
        return replay.operations(rev, direction)
    except SqlbundleError as exc:
        return exc


def _ops(recorded: Recorded) -> tuple[Operation, ...]:
    if isinstance(recorded, SqlbundleError):
        raise recorded
    return recorded


# What rendering an operation costs, in units of replaying one (measured on the bench project
# for PostgreSQL): most for SQL that SQLAlchemy compiles from a whole table. Only decides where
# a long plan is split between two processes, never what is rendered.
_RENDER_COST = {"create_table": 30, "create_index": 15, "add_column": 4}


def _costs(ops: tuple[Operation, ...]) -> tuple[float, float]:
    """(render and replay, replay only) estimates for one step."""
    fold = len(ops) + 1
    return fold + sum(_RENDER_COST.get(op.kind, 1) for op in ops), fold


def replay_render(op: Operation, state: SchemaState, script: Script, ctx: RenderContext,
                  diagnostics: list[Diagnostic] | None = None,
                  on_error: Callable[[SqlbundleError], tuple[Statement, ...]] | None = None
                  ) -> tuple[SchemaState, SchemaState, tuple[Statement, ...]]:
    """The one replay-and-render step compile and lint share: fold ``op`` over ``state`` and
    render it for ``ctx``: (the state it applied to, the state after it, its statements). A
    render error goes to ``on_error`` (its statements stand in), else is raised naming the
    migration's file and line."""
    before, after = apply_op(op, state, script, diagnostics)
    try:
        return before, after, tuple(render_operation(op, before, after, ctx))
    except SqlbundleError as exc:
        if on_error is not None:
            return before, after, on_error(exc)
        if exc.path is None:
            exc.path, exc.line = script.path, getattr(op, "line", None)
        raise
    except Exception as exc:  # a bug: say at least where it happened
        exc.add_note(f"rendering {op.describe()} of {script.path}:"
                     f"{getattr(op, 'line', None) or script.line}")
        raise


StepResult = tuple[tuple[Statement, ...], bool, list[Diagnostic], tuple[str, ...], Any]


def render_step(script: Script, ops: tuple[Operation, ...], state: SchemaState,
                profile: Profile, dialect: object,
                observe: Callable[[Script, tuple[Operation, ...], list[Traced], SchemaState,
                                   SchemaState], Any] | None = None
                ) -> tuple[SchemaState, StepResult]:
    """Replay and render one migration's operations, and what ends the step (enum types that
    lost their last user): (state after it, (its statements, whether it copies tables, the
    diagnostics it raised in order, notes for its header, what ``observe`` made of it))."""
    trace: list[Traced] = []
    start = state
    diagnostics: list[Diagnostic] = []
    statements: list[Statement] = []
    notes: list[str] = []
    copies = False

    def render(op: Operation, state: SchemaState, traced: bool = True) -> SchemaState:
        nonlocal copies
        ctx = RenderContext(profile, dialect, script.path, getattr(op, "line", None))
        before, state, rendered = replay_render(op, state, script, ctx, diagnostics)
        if state.opaque and not before.opaque:
            diagnostics.append(Diagnostic(
                "SB100", "raw DDL in op.execute(): the replayed schema cannot follow it; "
                "later operations on what it changed rely on what the migrations state",
                script.path, getattr(op, "line", None)))
        copies = copies or any(s.fk_off for s in rendered)
        if observe is not None and traced:
            trace.append((op, before, state, rendered, None))
        statements.extend(rendered)
        diagnostics.extend(ctx.diagnostics)
        if rendered and getattr(op, "implicit", False):
            notes.append(op.describe())
        return state

    for op in ops:
        state = render(op, state)
    for op in implicit_drops(ops, state):  # not the migration's own: not observed
        state = render(op, state, traced=False)
    observed = observe(script, ops, trace, start, state) if observe is not None else None
    return state, (tuple(commit_new_labels(statements)), copies, diagnostics, tuple(notes),
                   observed)


def compile_stamp(project: Project, revision_text: str, target: str | Profile
                  ) -> CompiledPlan:
    """Only the version-table statements of ``stamp [FROM:]TO`` (see ``plan_stamp``): without
    FROM the table is created if missing and set to TO; from FROM, rows change one by one."""
    from ..history.plan import plan_stamp

    profile = parse_target(target)
    plan = plan_stamp(project.graph, revision_text)
    ctx = RenderContext(profile, sa_dialect(profile))
    config = project.config
    steps: list[CompiledStep] = []
    if not plan.start:
        (step,) = plan.steps
        creates = create_statements(ctx, config.version_table, config.version_table_schema)
        table = ctx.table_name(config.version_table, config.version_table_schema)
        clear = Statement(f"DELETE FROM {table}", dml=True)
        inserts = change_statements(ctx, config.version_table, config.version_table_schema,
                                    VersionChange(insert=plan.end))
        fake = Script(step.revision, message=f"stamp {revision_text}")
        steps.append(CompiledStep(step, fake, (), (), tuple([clear] + inserts), tuple(creates)))
    for step in plan.steps if plan.start else ():
        fake = Script(step.revision, message=f"stamp {revision_text}")
        rows = change_statements(ctx, config.version_table, config.version_table_schema,
                                 step.version)
        steps.append(CompiledStep(step, fake, (), (), tuple(rows), ()))
    return CompiledPlan(profile, plan, revision_text, tuple(steps), (), config.version_table,
                        config.version_table_schema)
