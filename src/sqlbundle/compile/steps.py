"""The pipeline from a project and a range to rendered steps: record, replay, render.

``compile_range`` returns values only (``CompiledPlan``); turning them into text is
``assemble.framing``'s job and writing them is the CLI's or the bundle writer's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from .. import progress
from ..profile import Profile, parse_target
from ..record.environment import Environment
from ..schema.enumtypes import implicit_drops
from ..errors import SqlbundleError
from ..schema.operations import Operation
from .chain import Chain, plan_chain
from .parallel import process_all
from ..history.plan import Plan, Range, Step, range_of
from ..project.model import Project
from ..render.registry import render_operation
from ..render.context import Diagnostic, RenderContext, Statement, sa_dialect
from ..render.locks import StatementLock, describes_locks, step_locks, with_algorithm_clauses
from ..render.postgresql import commit_new_labels
from ..render.safe import SafeForms
from ..source.script import Script
from ..schema.state import SchemaState
from ..render.versiontable import (
    ALEMBIC_LENGTH,
    change_writer,
    check_version_ids,
    create_statements,
    widen_statements,
)
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
    replay_to,
    state_at,
    synthesize,
)


@dataclass(frozen=True)
class CompiledStep:
    step: Step
    script: Script
    # The migration's operations, or (for a step the step cache answered) what records them.
    recorded: "tuple[Operation, ...] | Callable[[], tuple[Operation, ...]]"
    statements: tuple[Statement, ...]  # the migration's own SQL
    version: tuple[Statement, ...]  # version-table bookkeeping (last in the step)
    creates_version_table: tuple[Statement, ...] = ()
    table_copy: bool = False  # SQLite: foreign keys must be off while the step runs
    notes: tuple[str, ...] = ()  # what the step does beyond its operations, for its header
    observed: Any = None  # what the build's observer made of the step (lint findings)
    destructive: tuple[str, ...] = ()  # the operations that lose data, described
    locks: tuple[StatementLock, ...] = ()  # per statement: its locks and what they cost

    @property
    def operations(self) -> tuple[Operation, ...]:
        if callable(self.recorded):
            object.__setattr__(self, "recorded", self.recorded())
        return self.recorded  # type: ignore[return-value]


@dataclass(frozen=True)
class CompiledPlan:
    profile: Profile
    plan: Plan
    range_text: str  # the range as shown (``Range.text``)
    steps: tuple[CompiledStep, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    version_table: str = "alembic_version"
    version_table_schema: str | None = None
    # A migration that ran for it read the environment or the range: the same files can
    # give other SQL, so nothing may keep this output by their content alone.
    volatile: bool = False
    # The project's lock_timeout and statement_timeout settings (None: the target's default).
    timeouts: tuple[str | None, str | None] = (None, None)


def replayed_state(project: Project, revision_text: str, target: str | Profile) -> SchemaState:
    """The schema the history builds up to ``revision_text`` (e.g. ``heads``) for ``target``."""
    return state_at(replay_to(project, revision_text, target),
                    project.graph.resolve(revision_text).revisions)


def new_replay(project: Project, profile: Profile, range: Range, *, both: bool = False
               ) -> Replay:
    """The replay of ``range`` for ``profile``: what migration code sees and the caches."""
    dialect = sa_dialect(profile)
    records, states, steps = replay_caches(project, profile)
    replay = Replay(project, profile, dialect, both=both, records=records, states=states,
                    steps=steps, env=Environment(dialect, profile, project, range))
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
                  observe: Observer | None = None,
                  known: dict[str, SchemaState] | None = None) -> CompiledPlan:
    """Render every step of ``range`` for ``target`` (``name[@version]``). A text range is
    read here for ``direction``; a ``Range`` value comes planned (its own direction).
    ``replay``: one made by ``new_replay`` for this range, to share its recordings.
    ``observe``: see ``Observer``; it sees each operation as it is rendered, so whatever it
    checks costs no second replay.
    ``known``: schemas by state key (``cache.steps``) that another range of the same build
    had in hand; this one reads them (a rollback starts where its upgrade ended) and adds
    its own.

    Steps the step cache holds for the same content chain are taken from it; only the others
    are replayed and rendered, each run of them from the schema before it (kept by an earlier
    run, or in ``known``)."""
    profile = parse_target(target)
    graph = project.graph
    if isinstance(range, str):
        range = range_of(graph, range, direction)
    plan = range.plan
    assert plan is not None
    direction = plan.direction
    if replay is None:
        replay = new_replay(project, profile, range, both=direction == "downgrade")
    known = {} if known is None else known
    dialect = replay.dialect
    skipped = len(replay.skipped)
    config = project.config
    steps = plan.steps
    chain = plan_chain(replay, plan)
    results: list[Any] = [None] * len(steps)
    cacheable = chain is not None
    key = chain.start if chain is not None else ""
    state: SchemaState | None = None  # the schema before step ``index``, when in hand
    keys: list[str] = []  # the state key before each step reached
    stage = f"{direction} {profile.target}"
    rendered_to = -1  # where the last run of rendered steps ended
    index = 0
    while index < len(steps):
        del keys[index:]
        keys.append(key)
        entry = chain.get(index, key, observe is not None) if chain is not None else None
        progress.step(stage, index, len(steps), steps[index].revision)
        if entry is not None:
            results[index] = entry
            key, state = entry[2], None
            index += 1
            continue
        if state is None:
            state, complete = _state_before(replay, plan, keys, index, known)
            cacheable = cacheable and complete
        if cacheable:  # only what the content chain names (another range may start from it)
            known[key] = state
        end = _miss_run(chain, index, key, steps, observe is not None, index == rendered_to)
        if direction == "upgrade" and end == len(steps) and end - index > 1:
            # The last step on its own: the schema before it is then in hand, to keep (the
            # newest migration is the one edited most) and for the rollback to find itself
            # back at when it has undone that step.
            end -= 1
        state, key, cacheable = _render_run(
            replay, plan, chain, range, index, end, state, key, cacheable, known, results,
            observe)
        index = rendered_to = end
    if chain is not None and cacheable and state is not None and steps and \
            direction == "upgrade" and replay.states is not None:
        # The next run resumes here (a new migration), or before the last step (the newest
        # migration edited again).
        kept = {keys[-1]: known[keys[-1]]} if keys[-1] in known else {}
        replay.states.keep({**kept, key: state})
    if replay.steps is not None:
        replay.steps.save()
    replay.save()
    progress.clear()
    diagnostics: list[Diagnostic] = replay.skipped[skipped:]
    compiled: list[CompiledStep] = []
    version_rows = change_writer(RenderContext(profile, dialect), config.version_table,
                                 config.version_table_schema)
    # A plan from base creates the version table as wide as the setting says; otherwise the
    # first step writing a longer id than Alembic's widens it.
    wide = not plan.start and direction == "upgrade"
    for position, (step, entry) in enumerate(zip(steps, results)):
        (statements, copies, found, notes, observed, locks), destructive, _ = entry
        if config.algorithm_clauses:
            statements = with_algorithm_clauses(statements, locks)
        diagnostics.extend(found)
        script = graph.get(step.revision)
        creates: list[Statement] = []
        ctx = RenderContext(profile, dialect, script.path, None)
        if position == 0 and not plan.start and direction == "upgrade":
            creates = create_statements(ctx, config.version_table, config.version_table_schema,
                                        config.version_num_length)
        longest = check_version_ids(step.version, config.version_num_length, script)
        if longest > ALEMBIC_LENGTH and not wide and direction == "upgrade":
            creates += widen_statements(ctx, config.version_table,
                                        config.version_table_schema, config.version_num_length)
            wide = True
        # Recorded before rendering (replay.cache), or by the record cache when first asked.
        recorded = partial(replay.operations, step.revision, direction)
        compiled.append(CompiledStep(step, script, recorded, statements,
                                     tuple(version_rows(step.version)), tuple(creates), copies,
                                     notes, observed, destructive, locks))
    env = replay.env
    return CompiledPlan(profile, plan, range.text, tuple(compiled), tuple(diagnostics),
                        config.version_table, config.version_table_schema,
                        volatile=bool(env is not None and env.tainted) or replay.volatile,
                        timeouts=(config.lock_timeout, config.statement_timeout))


def _state_before(replay: Replay, plan: Plan, keys: list[str], index: int,
                  known: dict[str, SchemaState]) -> tuple[SchemaState, bool]:
    """The schema before step ``index`` (``keys``: the state keys before each step up to it):
    in hand, kept by an earlier run, or folded forward, without rendering, from the nearest
    such state before it (the plan's start at the latest). With it, whether it is complete:
    False when a revision before the plan could not be replayed (nothing is cached then)."""
    states = replay.states
    start = index
    state = None
    while state is None and start >= 0:
        state = known.get(keys[start]) if keys[start] else None
        if state is None and states is not None and keys[start]:
            state = states.get(keys[start])
        start -= 1
    start += 1
    complete = True
    if state is None:
        skipped = len(replay.skipped)
        replay.volatile = False
        state, start = state_at(replay, plan.start), 0
        complete = len(replay.skipped) == skipped and not replay.volatile
    graph = replay.project.graph
    for step in plan.steps[start:index]:
        state = _fold(_ops(_recorded(replay, step.revision, plan.direction)), state,
                      graph.get(step.revision))
    return state, complete


def _miss_run(chain: Chain | None, index: int, key: str, steps: tuple[Step, ...],
              observed: bool, again: bool) -> int:
    """Where the run of steps to render from ``index`` ends. An upgrade's keys follow from
    the content alone: the run ends at the next step the cache holds. A downgrade's first
    missing step is rendered alone (it may undo its upgrade exactly, and the steps after it
    be held under the upgrade's keys); when the step before it was rendered too (``again``),
    the rest is rendered."""
    if chain is None:
        return len(steps)
    if chain.direction == "downgrade":
        return index + 1 if chain.undone[index] is not None and not again else len(steps)
    end = index + 1
    while end < len(steps):
        key = chain.entry_key(end - 1, key)
        if chain.get(end, key, observed) is not None:
            break
        end += 1
    return end


def _render_run(replay: Replay, plan: Plan, chain: Chain | None, range: Range, start: int,
                end: int, state: SchemaState, key: str, cacheable: bool,
                known: dict[str, SchemaState], results: list[Any],
                observe: Observer | None) -> tuple[SchemaState, str, bool]:
    """Record, replay and render steps ``start:end`` from ``state`` (named ``key``), into
    ``results``; each kept in the step cache while nothing so far depends on more than its
    file. Returns the state and key after the run, and whether caching may go on."""
    project, profile, dialect = replay.project, replay.profile, replay.dialect
    graph = project.graph
    direction = plan.direction
    # Every migration of the run is recorded (or read from the record cache) before
    # rendering starts, so both halves of a parallel render see the same operations.
    # A step whose recording fails keeps its error until the replay reaches it: errors are
    # reported in plan order, an earlier step's replay error first.
    stage = f"{direction} {profile.target}"
    total = len(plan.steps)
    work = []
    for index, step in enumerate(plan.steps[start:end], start):
        progress.step(f"{stage}, recording", index, total, step.revision)
        work.append((index, step, graph.get(step.revision),
                     _recorded(replay, step.revision, direction)))
    tainted = replay.environment().tainted
    before = key

    def after_key(index: int, key: str, after: SchemaState) -> str:
        if chain is None:
            return ""
        undone = chain.undone[index]
        if undone is not None and undone in known and known[undone] == after:
            return undone  # the downgrade undid its upgrade exactly
        return chain.entry_key(index, key)

    def process(item: tuple[int, Step, Script, Recorded], threaded: tuple[SchemaState, str]
                ) -> tuple[tuple[SchemaState, str], Any]:
        index, step, script, recorded = item
        progress.step(stage, index, total, f"{step.revision} {script.message or ''}")
        ops = _ops(recorded)
        after, result = render_step(script, ops, threaded[0], profile, dialect,
                                    observe and partial(observe, step), safe=project.config.safe)
        destructive = tuple(sorted({op.describe() for op in ops if op.destructive}))
        key = after_key(index, threaded[1], after)
        return (after, key), (result, destructive, key)

    def fold(item: tuple[int, Step, Script, Recorded], threaded: tuple[SchemaState, str]
             ) -> tuple[SchemaState, str]:
        index, _, script, recorded = item
        after = _fold(_ops(recorded), threaded[0], script)
        return after, after_key(index, threaded[1], after)

    costs = [_costs(ops) if isinstance(ops, tuple) else (1.0, 1.0) for *_, ops in work]
    rendered, (state, key) = process_all(work, (state, key), costs, process, fold)
    for (index, step, script, _), result in zip(work, rendered):
        results[index] = result
        if cacheable and (script.path and project.path_of(step.revision) in tainted):
            cacheable = False  # it read its range or the environment: so may all after it
        if cacheable and chain is not None:
            replay.steps.put(chain.entry_key(index, before), result)  # type: ignore[union-attr]
        before = result[2]
    if cacheable:
        known[key] = state
    return state, key, cacheable


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


StepResult = tuple[tuple[Statement, ...], bool, list[Diagnostic], tuple[str, ...], Any,
                   tuple[StatementLock, ...]]


def render_step(script: Script, ops: tuple[Operation, ...], state: SchemaState,
                profile: Profile, dialect: object,
                observe: Callable[[Script, tuple[Operation, ...], list[Traced], SchemaState,
                                   SchemaState], Any] | None = None, *, safe: bool = False
                ) -> tuple[SchemaState, StepResult]:
    """Replay and render one migration's operations, and what ends the step (enum types that
    lost their last user): (state after it, (its statements, whether it copies tables, the
    diagnostics it raised in order, notes for its header, what ``observe`` made of it, the
    lock report))."""
    trace: list[Traced] = []
    locked: list[tuple[Operation, SchemaState, SchemaState, tuple[Statement, ...]]] = []
    report = describes_locks(profile)
    start = state
    safe_form = SafeForms(start, profile) if safe else None
    diagnostics: list[Diagnostic] = []
    statements: list[Statement] = []
    notes: list[str] = []
    copies = False

    def render(op: Operation, state: SchemaState, traced: bool = True) -> SchemaState:
        nonlocal copies
        ctx = RenderContext(profile, dialect, script.path, getattr(op, "line", None))
        before, state, rendered = replay_render(op, state, script, ctx, diagnostics)
        if safe_form is not None:
            rendered = safe_form(op, before, state, rendered, ctx.quote)
        if state.opaque and not before.opaque:
            diagnostics.append(Diagnostic(
                "SB100", "raw DDL in op.execute(): the replayed schema cannot follow it; "
                "later operations on what it changed rely on what the migrations state",
                script.path, getattr(op, "line", None)))
        copies = copies or any(s.fk_off for s in rendered)
        if observe is not None and traced:
            trace.append((op, before, state, rendered, None))
        if report:
            locked.append((op, before, state, rendered))
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
                   observed, step_locks(profile, dialect, start, locked))
