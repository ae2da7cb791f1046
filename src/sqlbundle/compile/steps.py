"""The pipeline from a project and a range to rendered steps: record, replay, render.

``compile_range`` returns values only (``CompiledPlan``); turning them into text is
``sqlscript``'s job and writing them is the CLI's or the bundle writer's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..profile import Profile, load_profile
from ..record.environment import Environment
from ..schema.enumtypes import implicit_drops
from ..errors import ScriptError, SqlbundleError
from ..schema.operations import UNSET as UNSET_VALUE
from ..schema.operations import Execute, Operation
from .parallel import process_all
from ..history.plan import Plan, Step, VersionChange, plan_downgrade, plan_upgrade
from ..project.model import Project
from ..cache.records import RecordCache
from ..render.base import render_operation
from ..render.context import Diagnostic, RenderContext, Statement, sa_dialect
from ..render.postgresql import commit_new_labels
from ..source.script import Script
from ..schema.state import SchemaState, StateError
from ..cache.states import StateCache
from ..render.versiontable import change_statements, change_writer, create_statements


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


@dataclass(frozen=True)
class CompiledPlan:
    profile: Profile
    plan: Plan
    range_text: str
    steps: tuple[CompiledStep, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    version_table: str = "alembic_version"
    version_table_schema: str | None = None


@dataclass
class Replay:
    """Records each migration once per (revision, direction) for one dialect. With ``both``,
    a module that has to run records its upgrade() and downgrade() together (a downgrade needs
    the upgrades too, for the schema it starts from)."""

    project: Project
    profile: Profile
    dialect: object
    both: bool = False
    records: RecordCache | None = None  # operations kept from earlier runs
    states: StateCache | None = None  # replayed schemas kept from earlier runs
    cache: dict[tuple[str, str], tuple[Operation, ...]] = field(default_factory=dict)
    env: Environment | None = None  # what migration code sees (made on first use if None)

    def environment(self) -> Environment:
        if self.env is None:
            self.env = Environment(self.dialect, self.profile, self.project)
        return self.env

    def operations(self, rev: str, direction: str) -> tuple[Operation, ...]:
        key = (rev, direction)
        if key not in self.cache:
            self.cache.update(self._load(rev, direction))
        return self.cache[key]

    def _load(self, rev: str, required: str) -> dict[tuple[str, str], tuple[Operation, ...]]:
        """From the record cache when it has them, else by running the module once."""
        key = self.record_key(rev, required)
        if key is not None and self.records is not None:
            found = self.records.get(key)
            if found is not None:
                return {(rev, required): found}
        directions = ("upgrade", "downgrade") if self.both else (required,)
        # Only the direction asked for may fail here: a downgrade() that raises (an
        # irreversible migration) is an error only when a downgrade is rendered.
        env = self.environment()
        recorded = record(self.project, rev, directions, self.dialect, self.profile, required,
                          env)
        # Operations that read the range or the history depend on more than the file.
        keep = self.project.path_of(rev) not in env.tainted
        out = {}
        for direction, ops in zip(directions, recorded):
            if ops is None:
                continue
            out[(rev, direction)] = ops
            key = self.record_key(rev, direction)
            if key is not None and self.records is not None and keep:
                self.records.put(key, ops)
        return out

    def record_key(self, rev: str, direction: str) -> str | None:
        script = self.project.script(rev)
        if self.records is None or script.kind != "python" or not script.sha256:
            return None
        return self.records.key(script.path or rev, script.sha256, direction)

    def save(self) -> None:
        """Keep what was recorded for the next run (entries of the current files only)."""
        if self.records is None or not self.records.added:
            return
        live = {k for s in self.project.scripts for d in ("upgrade", "downgrade")
                if (k := self.record_key(s.revision, d)) is not None}
        self.records.save(live)


def record(project: Project, rev: str, directions: tuple[str, ...], dialect: object,
           profile: Profile | None = None, required: str | None = None,
           env: Environment | None = None) -> list[tuple[Operation, ...] | None]:
    """Run one migration's upgrade()/downgrade() (or read its SQL sections) into operations,
    one tuple per direction asked for; None for a direction other than ``required`` (when
    given) that fails. ``env``: the target's environment (modules run once in it)."""
    script = project.script(rev)
    path = project.path_of(rev)
    if script.kind == "sql":
        return [_sql_operations(project, script, path, d, profile) for d in directions]
    from ..schema.hints import imports_alembic, with_alembic_hints
    from ..record.recorder import Recorder

    env = env if env is not None else Environment(dialect, profile, project)
    shown = script.path or path
    # Alembic's op restates columns from the call's hints on some targets: so does the record.
    with open(path, encoding="utf-8", errors="replace") as handle:
        alembic_op = imports_alembic(handle.read())
    target = (profile.name if profile is not None else getattr(dialect, "name", "")) \
        if alembic_op else ""

    def recorder() -> Recorder:
        return Recorder(path, dialect, shown=script.path,
                        source_dialect=project.config.source_dialect)

    out: list[tuple[Operation, ...] | None] = []
    with env.running(path):  # entered once for the module and its calls
        module = env.load(path, shown, script.sha256 or None)
        for direction in directions:
            try:
                recorded = env.call(module, direction, recorder, shown, rev)
            except SqlbundleError:
                if required is None or direction == required:
                    raise
                out.append(None)
                continue
            out.append(with_alembic_hints(tuple(recorded.operations), target))
    return out


def _sql_operations(project: Project, script: Script, path: str, direction: str,
                    profile: Profile | None) -> tuple[Operation, ...]:
    from pathlib import Path

    from ..source.sqlfile import parse_sql_migration

    text = Path(path).read_text("utf-8")
    migration = parse_sql_migration(text, script.path or path)
    section = None
    if profile is not None:
        section = migration.section(direction, profile.name)
        if section is not None and section.dialect is None:
            section = migration.section(direction, profile.sqlglot_dialect)
    else:
        section = migration.section(direction)
    if section is None:
        return ()
    if section.dialect is not None and profile is not None:
        # A section written for this target is used exactly as written (a MySQL section
        # serving MariaDB is MySQL text: written for MariaDB where the two differ).
        source = section.dialect
    else:
        source = migration.header.get("source_dialect") or project.config.source_dialect
    return (Execute(section.text, line=section.line, source_dialect=source, text_lines=True),)


def apply_op(op: Operation, state: SchemaState, script: Script,
             diagnostics: list[Diagnostic] | None = None) -> tuple[SchemaState, SchemaState]:
    """Fold one operation: returns the state it really applied to (possibly completed from
    the op's own hints after raw SQL) and the state after it."""
    line = getattr(op, "line", None) or script.line
    try:
        return state, op.apply(state)
    except StateError as exc:
        if not state.opaque:
            raise ScriptError(f"{op.describe()}: {exc.message}", path=script.path,
                              line=line) from None
    # Raw SQL ran earlier: fill the gap from what the author wrote, and say so.
    before = synthesize(op, state, script, line)
    if diagnostics is not None:
        diagnostics.append(Diagnostic(
            "SB101", f"{op.describe()}: the replayed schema lost track of this after raw SQL; "
            "using what the migration states (existing_type=, ...)", script.path, line))
    try:
        return before, op.apply(before)
    except StateError as exc:
        raise ScriptError(f"{op.describe()}: {exc.message}", path=script.path,
                          line=line) from None


def _fold(ops: tuple[Operation, ...], state: SchemaState, script: Script,
          diagnostics: list[Diagnostic] | None = None) -> SchemaState:
    for op in ops:
        state = apply_op(op, state, script, diagnostics)[1]
    for op in implicit_drops(ops, state):
        state = op.apply(state)
    return state


def synthesize(op: Operation, state: SchemaState, script: Script, line: int | None
               ) -> SchemaState:
    """Add the table/column ``op`` needs to ``state``, built from the op's own hints."""
    import sqlalchemy as sa

    from ..schema.operations import AlterColumn
    from ..schema.state import ColumnState, TableState

    name = getattr(op, "table", None)
    if not isinstance(name, str):
        raise ScriptError(f"{op.describe()}: not known to the replayed schema after raw SQL",
                          path=script.path, line=line)
    schema = getattr(op, "schema", None)
    table = state.table(name, schema) or TableState(name, schema)
    needed: list[str] = []
    if isinstance(op, AlterColumn):
        if op.existing_type is None and op.type is UNSET_VALUE:
            raise ScriptError(
                f"{op.describe()}: the replayed schema cannot know this column's type after "
                "raw SQL", path=script.path, line=line,
                hint="pass existing_type= (and existing_nullable=, existing_server_default=)")
        if not table.has_column(op.column):
            table = replace(table, columns=table.columns + (ColumnState(
                op.column, op.existing_type if op.existing_type is not None else op.type,
                nullable=True if op.existing_nullable is None else bool(op.existing_nullable),
                server_default=op.existing_server_default, comment=op.existing_comment),))
    else:
        for attr in ("column",):
            value = getattr(op, attr, None)
            if isinstance(value, str):
                needed.append(value)
        index = getattr(op, "index", None)
        if index is not None and hasattr(index, "columns"):
            needed.extend(index.columns)
        for col in needed:
            if not table.has_column(col):
                table = replace(table, columns=table.columns + (ColumnState(col, sa.types.NULLTYPE),))
    return state.with_table(table)


def state_at(replay: Replay, revisions: tuple[str, ...]) -> SchemaState:
    """The schema after upgrading from base to ``revisions`` (kept in the state cache)."""
    graph = replay.project.graph
    order = graph.topo_sorted(graph.ancestors(revisions))
    key = _state_key(replay, order)
    if key is not None and replay.states is not None:
        cached = replay.states.get(key)
        if isinstance(cached, tuple) and cached[1] == replay.environment().volatile_key():
            cached = cached[0]  # built by migrations that read the range: the same range
        if isinstance(cached, SchemaState):
            return cached
    state = initial_state(replay)
    for rev in order:
        state = _fold(replay.operations(rev, "upgrade"), state, graph.get(rev))
    if key is not None and replay.states is not None:
        env = replay.environment()
        tainted = any(replay.project.path_of(rev) in env.tainted for rev in order)
        replay.states.put(key, (state, env.volatile_key()) if tainted else state)
    return state


def initial_state(replay: Replay) -> SchemaState:
    """The empty schema of the target database: it names unnamed constraints as that database
    does (or, where nobody can predict it, as the history's source database did)."""
    from ..schema.gennames import naming_for

    return SchemaState(naming=naming_for(replay.profile.target,
                                         replay.project.config.source_dialect))


def _state_key(replay: Replay, order: list[str]) -> str | None:
    """The state cache's key for replaying ``order``; None when there is nothing to replay
    or a file's content hash is unknown."""
    if replay.states is None or not order:
        return None
    history = []
    for rev in order:
        script = replay.project.script(rev)
        if not script.sha256:
            return None
        history.append((rev, script.path or rev, script.sha256))
    return replay.states.key(history)


def use_code_cache(project: Project) -> None:
    """Let migration bytecode be kept in the project's cache folder (unless caching is off)."""
    from ..record import runtime
    from ..cache.files import cache_folder

    runtime.CODE_CACHE.clear()
    folder = cache_folder(project.config.cache_dir)
    if folder is not None:
        runtime.CODE_CACHE.append(str(folder / "code"))


def replay_caches(project: Project, profile: Profile
                  ) -> tuple[RecordCache | None, StateCache | None]:
    """The record and state caches for this target (None where caching is off). Both key
    their entries under one header, worked out once (it fingerprints sqlbundle's code)."""
    from ..cache.files import cache_folder, pickle_header
    from ..record.offline_config import ini_digest

    records = cache_folder(project.config.cache_dir, "SQLBUNDLE_NO_RECORD_CACHE")
    states = cache_folder(project.config.cache_dir, "SQLBUNDLE_NO_STATE_CACHE")
    if records is None and states is None:
        return None, None
    header = pickle_header(profile.target, f"source_dialect={project.config.source_dialect}"
                                           f"\0ini={ini_digest(project.config.sources)}")
    return (RecordCache(records, profile.target, header) if records is not None else None,
            StateCache(states, profile.target, header) if states is not None else None)


def replayed_state(project: Project, revision_text: str, target: str) -> SchemaState:
    """The schema the history builds up to ``revision_text`` (e.g. ``heads``) for ``target``."""
    profile = load_profile(target)
    dialect = sa_dialect(profile)
    replay = Replay(project, profile, dialect,
                    env=Environment(dialect, profile, project, revision_text))
    return state_at(replay, project.graph.resolve(revision_text).revisions)


def compile_range(project: Project, range_text: str, target: str, direction: str = "upgrade",
                  ) -> CompiledPlan:
    """Plan ``range_text`` and render every step for ``target`` (``name[@version]``)."""
    profile = load_profile(target)
    graph = project.graph
    plan = plan_upgrade(graph, range_text) if direction == "upgrade" \
        else plan_downgrade(graph, range_text)
    dialect = sa_dialect(profile)
    use_code_cache(project)
    records, states = replay_caches(project, profile)
    replay = Replay(project, profile, dialect, both=direction == "downgrade", records=records,
                    states=states, env=Environment(dialect, profile, project, range_text, plan))
    state = state_at(replay, plan.start)
    config = project.config
    # Every migration is recorded (or read from the record cache) before rendering starts,
    # so both halves of a parallel render see the same operations.
    work = [(graph.get(step.revision), replay.operations(step.revision, direction))
            for step in plan.steps]
    replay.save()

    def process(item: tuple[Script, tuple[Operation, ...]], state: SchemaState
                ) -> tuple[SchemaState, tuple[tuple[Statement, ...], bool, list[Diagnostic]]]:
        return render_step(item[0], item[1], state, profile, dialect)

    def fold(item: tuple[Script, tuple[Operation, ...]], state: SchemaState) -> SchemaState:
        return _fold(item[1], state, item[0])

    rendered = process_all(work, state, [_costs(ops) for _, ops in work], process, fold)
    diagnostics: list[Diagnostic] = []
    steps: list[CompiledStep] = []
    version_rows = change_writer(RenderContext(profile, dialect), config.version_table,
                                 config.version_table_schema)
    for index, (step, (script, ops), (statements, copies, found, notes)) in enumerate(
            zip(plan.steps, work, rendered)):
        diagnostics.extend(found)
        creates: list[Statement] = []
        if index == 0 and not plan.start and direction == "upgrade":
            creates = create_statements(RenderContext(profile, dialect, script.path, None),
                                        config.version_table, config.version_table_schema)
        steps.append(CompiledStep(step, script, ops, statements,
                                  tuple(version_rows(step.version)), tuple(creates), copies,
                                  notes))
    return CompiledPlan(profile, plan, range_text, tuple(steps), tuple(diagnostics),
                        config.version_table, config.version_table_schema)


# What rendering an operation costs, in units of replaying one (measured on the bench project
# for PostgreSQL): most for SQL that SQLAlchemy compiles from a whole table. Only decides where
# a long plan is split between two processes, never what is rendered.
_RENDER_COST = {"create_table": 30, "create_index": 15, "add_column": 4}


def _costs(ops: tuple[Operation, ...]) -> tuple[float, float]:
    """(render and replay, replay only) estimates for one step."""
    fold = len(ops) + 1
    return fold + sum(_RENDER_COST.get(op.kind, 1) for op in ops), fold


StepResult = tuple[tuple[Statement, ...], bool, list[Diagnostic], tuple[str, ...]]


def render_step(script: Script, ops: tuple[Operation, ...], state: SchemaState,
                profile: Profile, dialect: object) -> tuple[SchemaState, StepResult]:
    """Replay and render one migration's operations, and what ends the step (enum types that
    lost their last user): (state after it, (its statements, whether it copies tables, the
    diagnostics it raised in order, notes for its header))."""
    diagnostics: list[Diagnostic] = []
    statements: list[Statement] = []
    notes: list[str] = []
    copies = False

    def render(op: Operation, state: SchemaState) -> SchemaState:
        nonlocal copies
        ctx = RenderContext(profile, dialect, script.path, getattr(op, "line", None))
        before, state = apply_op(op, state, script, diagnostics)
        if state.opaque and not before.opaque:
            diagnostics.append(Diagnostic(
                "SB100", "raw DDL in op.execute(): the replayed schema cannot follow it; "
                "later operations on what it changed rely on what the migrations state",
                script.path, getattr(op, "line", None)))
        try:
            rendered = render_operation(op, before, state, ctx)
        except SqlbundleError as exc:
            if exc.path is None:
                exc.path, exc.line = script.path, getattr(op, "line", None)
            raise
        copies = copies or any(s.fk_off for s in rendered)
        statements.extend(rendered)
        diagnostics.extend(ctx.diagnostics)
        if rendered and getattr(op, "implicit", False):
            notes.append(op.describe())
        return state

    for op in ops:
        state = render(op, state)
    for op in implicit_drops(ops, state):
        state = render(op, state)
    return state, (tuple(commit_new_labels(statements)), copies, diagnostics, tuple(notes))


def compile_stamp(project: Project, revision_text: str, target: str) -> CompiledPlan:
    """Only the version-table statements of ``stamp [FROM:]TO`` (see ``plan_stamp``): without
    FROM the table is created if missing and set to TO; from FROM, rows change one by one."""
    from ..history.plan import plan_stamp

    profile = load_profile(target)
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
