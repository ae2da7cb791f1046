"""Replaying operations over the schema state: each applied in turn (errors name the file and
line), the state at given revisions, the synthesized operations a step adds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from dataclasses import replace

from ..schema.enumtypes import implicit_drops
from ..errors import ScriptError, SqlbundleError
from ..schema.operations import UNSET as UNSET_VALUE
from ..schema.operations import Operation
from ..render.context import Diagnostic
from ..source.script import Script
from ..schema.state import SchemaState, StateError
from ..schema.table import evolve
from ..profile import load_profile
from ..project.baseline import baseline_digest, baseline_state, has_baseline
from .recordings import Replay


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
            "SB101", f"{op.describe()}: the replayed schema lost track of this after raw SQL or "
            "a revision it could not replay; using what the migration states (existing_type=, "
            "...)", script.path, line))
    try:
        return before, op.apply(before)
    except StateError as exc:
        raise ScriptError(f"{op.describe()}: {exc.message}", path=script.path,
                          line=line) from None


# How to tell the replay what it cannot know.
_DECLARE = ("state it in the migration (existing_type=, existing_nullable=...), or declare the "
            "schema the history starts from (baseline_sql = a schema dump)")


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
        raise ScriptError(f"{op.describe()}: not known to the replayed schema after raw SQL "
                          "or a revision it could not replay", path=script.path, line=line,
                          hint=_DECLARE)
    schema = getattr(op, "schema", None)
    table = evolve(state.table(name, schema) or TableState(name, schema), partial=True)
    needed: list[str] = []
    if isinstance(op, AlterColumn):
        if op.existing_type is None and op.type is UNSET_VALUE:
            raise ScriptError(
                f"{op.describe()}: the replayed schema cannot know this column's type after "
                "raw SQL or a revision it could not replay", path=script.path, line=line,
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
        if isinstance(cached, tuple) and \
                cached[1] == replay.environment().volatile_key(cached[2]):
            replay.volatile = True
            cached = cached[0]  # built by migrations that read the range: the same range
        if isinstance(cached, SchemaState):
            return cached
    state = initial_state(replay)
    skipped = len(replay.skipped)
    for rev in order:
        state = _past(replay, rev, state)
    env = replay.environment()
    tainted = any(replay.project.path_of(rev) in env.tainted for rev in order)
    replay.volatile = replay.volatile or tainted
    if key is not None and replay.states is not None and len(replay.skipped) == skipped:
        replay.states.put(key, (state, env.volatile_key(), tuple(env.variables))
                          if tainted else state)
    return state


def replay_to(project: Any, revision_text: str, target: Any) -> Replay:
    """A replay for the schema up to ``revision_text`` (what migration code sees)."""
    from functools import partial

    from ..history.plan import named_range
    from ..profile import parse_target
    from ..record.environment import Environment
    from ..render.context import sa_dialect
    from .recordings import replay_caches

    profile = parse_target(target)
    dialect = sa_dialect(profile)
    records, states, _steps = replay_caches(project, profile)  # what bundles keep, reused
    replay = Replay(project, profile, dialect, records=records, states=states,
                    env=Environment(dialect, profile, project,
                                    lambda: named_range(project.graph, revision_text)))
    replay.env.schema_source = partial(schema_before, replay)
    return replay


def revision_states(replay: Replay) -> Iterator[tuple[str, SchemaState]]:
    """(revision, the schema after it and its ancestors) for every revision, parents first.
    At a merge the other branches' revisions are folded onto the first parent's schema (not
    replayed from base): the same schema wherever the branches change different objects,
    which is what a caller that searches revisions needs; ``state_at`` is exact."""
    graph = replay.project.graph
    after: dict[str, SchemaState] = {}
    for rev in graph.revisions:  # topological order
        script = graph.get(rev)
        parents = list(script.down_revisions) + list(script.depends_on)
        if not parents:
            state = initial_state(replay)
        else:
            state = after[parents[0]]
            if len(parents) > 1:
                missing = graph.ancestors([rev]) - graph.ancestors([parents[0]]) - {rev}
                for earlier in graph.topo_sorted(missing):
                    state = _past(replay, earlier, state)
        state = after[rev] = _past(replay, rev, state)
        yield rev, state


def _past(replay: Replay, rev: str, state: SchemaState) -> SchemaState:
    """``state`` after ``rev``, a revision before the range. One that cannot be replayed
    offline (it reads the database, or uses an API that is gone) does not block the range:
    what it changed becomes unknown (the state is opaque, so later operations rely on what
    their authors state), and a diagnostic names it."""
    script = replay.project.graph.get(rev)
    try:
        return _fold(replay.operations(rev, "upgrade"), state, script)
    except SqlbundleError as exc:
        replay.skipped.append(Diagnostic(
            "SB102", f"revision {rev} (before the range) cannot be replayed offline: "
            f"{exc.message}; what it changes is unknown to the steps after it, which rely on "
            "what their migrations state (existing_type=, ...)", exc.path or script.path,
            exc.line))
        for table in list(state.tables.values()):  # any of them may have changed
            state = state.with_table(evolve(table, partial=True))
        return evolve(state, opaque=True)


def schema_before(replay: Replay, rev: str, direction: str) -> SchemaState:
    """The schema revision ``rev``'s ``direction`` runs on, for migration code that inspects
    it: after every ancestor of ``rev`` (and, for its downgrade, after its own upgrade)."""
    graph = replay.project.graph
    script = graph.get(rev)
    single = len(script.down_revisions) == 1 and not script.depends_on
    state = _after(replay, script.down_revisions[0]) if single else \
        state_at(replay, tuple(graph.heads_of(graph.ancestors([rev]) - {rev})))
    if direction == "downgrade":
        ups = replay.environment().recorded.get((rev, "upgrade"))
        if ups is None:
            ups = replay.operations(rev, "upgrade")
        state = _fold(ups, state, graph.get(rev))
    return state


def _after(replay: Replay, rev: str) -> SchemaState:
    """The schema after ``rev`` and its ancestors, kept for the run: revisions that inspect
    the schema one after another each pay for one fold, not for a replay from base."""
    graph = replay.project.graph
    chain = []
    while rev not in replay.after:
        chain.append(rev)
        script = graph.get(rev)
        if len(script.down_revisions) != 1 or script.depends_on:
            # base, a merge or a dependency: from base (the state cache may have it)
            replay.after[rev] = state_at(replay, (rev,))
            chain.pop()
            break
        rev = script.down_revisions[0]
    state = replay.after[rev]
    for later in reversed(chain):
        state = replay.after[later] = _past(replay, later, state)
    return state


def initial_state(replay: Replay) -> SchemaState:
    """The empty schema of the target database: it names unnamed constraints as that database
    does (or, where nobody can predict it, as the history's source database did)."""
    from ..schema.gennames import naming_for

    config = replay.project.config
    state = SchemaState(naming=naming_for(replay.profile.target, config.source_dialect))
    if not has_baseline(config):
        return state
    source = load_profile(config.source_dialect) if config.source_dialect else replay.profile
    return baseline_state(config, state, source, replay.dialect)


def _state_key(replay: Replay, order: list[str]) -> str | None:
    """The state cache's key for replaying ``order``; None when there is nothing to replay
    or a file's content hash is unknown."""
    if replay.states is None or not order:
        return None
    history = [("baseline", "", baseline_digest(replay.project.config))] \
        if has_baseline(replay.project.config) else []
    for rev in order:
        script = replay.project.script(rev)
        if not script.sha256:
            return None
        history.append((rev, script.path or rev, script.sha256))
    return replay.states.key(history)
