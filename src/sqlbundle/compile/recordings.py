"""Recording migrations: each ``upgrade()``/``downgrade()`` run once per (revision, direction)
and dialect, its operations kept in the record cache; the caches a replay uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..profile import Profile
from ..record.environment import Environment
from ..errors import SqlbundleError
from ..render.context import Diagnostic
from ..schema.operations import Execute, Operation
from ..project.model import Project
from ..cache.records import RecordCache
from ..source.script import Script
from ..cache.states import StateCache
from ..cache.steps import StepStore
from ..history.plan import Range, named_range



def heads_range(project: Project | None) -> Callable[[], Range] | None:
    """What migration code sees as the range when none is given: up to the heads (named only
    if the code asks)."""
    return None if project is None else (lambda: named_range(project.graph, None))

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
    steps: StepStore | None = None  # rendered steps kept from earlier runs
    cache: dict[tuple[str, str], tuple[Operation, ...]] = field(default_factory=dict)
    env: Environment | None = None  # what migration code sees (made on first use if None)
    # Revisions before the range that could not be replayed (``replay.state_at``), one
    # diagnostic each: the steps rendered go on from an opaque schema.
    skipped: list[Diagnostic] = field(default_factory=list)
    # Whether a schema ``replay.state_at`` answered was built by migrations that read their
    # range or the environment (the step cache keeps nothing built on it).
    volatile: bool = False
    # Schemas after single revisions, for migration code that inspects (``replay.schema_before``).
    after: dict[str, Any] = field(default_factory=dict)

    def environment(self) -> Environment:
        if self.env is None:
            self.env = Environment(self.dialect, self.profile, self.project,
                                   heads_range(self.project))
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

    def adopt(self, other: "Replay") -> None:
        """Take the operations ``other`` recorded that depend on nothing but their file (not on
        its range or history): the record cache's rule, for another range of the same build."""
        tainted = other.environment().tainted
        for (rev, direction), ops in other.cache.items():
            if self.project.path_of(rev) not in tainted:
                self.cache.setdefault((rev, direction), ops)

    def record_key(self, rev: str, direction: str) -> str | None:
        script = self.project.script(rev)
        if self.records is None or script.kind != "python" or not script.sha256:
            return None
        return self.records.key(script.path or rev, script.sha256, direction)

    def save(self) -> None:
        """Keep what was recorded for the next run (entries of the current files only), and
        the bytecode of the modules run."""
        code = self.project.caches.code_store() if self.env is not None else None
        if code is not None:
            code.save()
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

    env = env if env is not None else Environment(dialect, profile, project,
                                                  heads_range(project))
    shown = script.path or path
    # Alembic's op restates columns from the call's hints on some targets: so does the record.
    with open(path, encoding="utf-8", errors="replace") as handle:
        alembic_op = imports_alembic(handle.read())
    restates = profile.alembic_restates if alembic_op and profile is not None else ""

    def recorder() -> Recorder:
        return Recorder(path, dialect, shown=script.path,
                        source_dialect=project.config.source_dialect,
                        written_for=profile.sqlglot_dialect if profile is not None else None)

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
            ops = with_alembic_hints(tuple(recorded.operations), restates)
            env.recorded[(rev, direction)] = ops
            out.append(ops)
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
    return (Execute(section.text, line=section.line, source_dialect=source, text_lines=True,
                    written_for=profile.sqlglot_dialect if profile is not None else None),)


def replay_caches(project: Project, profile: Profile
                  ) -> tuple[RecordCache | None, StateCache | None, StepStore | None]:
    """The record, state and step caches for this target (None where caching is off), their
    entries keyed under the target and the settings that reach a recording."""
    from ..record.offline_config import ini_digest

    return project.caches.replay_stores(
        profile.target, f"source_dialect={project.config.source_dialect}"
                        f"\0ini={ini_digest(project.config.sources)}"
                        f"\0safe={project.config.safe}")
