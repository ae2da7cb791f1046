"""Lint: risky migrations found offline, from operations and the replayed schema around them.

``lint_project`` records every step of a range (the upgrade, then its downgrade over the schema
the upgrade leaves), replays each operation, renders it for the target and runs the checks in
``lintrules`` on it. ``Lineage`` tells the checks whether a table or column existed before the
step or was created by it. The result is a ``LintReport`` value (``lintreport``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.sql.ddl import ExecutableDDLElement

from ..profile import Profile
from ..schema.enumtypes import implicit_drops
from ..errors import ScriptError, SqlbundleError
from .report import Finding, LintReport, Suppression, apply_suppressions, read_suppressions
from .rules import (
    BROKEN_DOWNGRADE,
    CANNOT_RENDER,
    EMPTY_DOWNGRADE,
    MISSING_DOWNGRADE,
    MULTI_DDL,
    NEW_LABEL_USED,
    OP_CHECKS,
    SQL_PARSE,
    SQL_REJECTED,
    SQL_UNCHECKED,
    Hit,
    check_names,
)
from .hints import check_restated
from .lockrules import step_lock_hits
from ..render.safe import SafeForms
from .events import Lineage, OpEvent
from .sql import ddl_count, labels_used_uncommitted, raw_effects, rejected_forms
from ..schema.operations import BulkInsert, Execute, Operation
from ..history.plan import Plan, Range, Step
from ..project.model import Project
from ..render.context import Statement
from ..source.script import Script
from ..schema.state import SchemaState

if TYPE_CHECKING:
    from ..compile.steps import Traced


# ---------------------------------------------------------------------------- sources


def body_kind(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """"empty" (only pass, ... or a docstring), "raises" (only a raise) or "code"."""
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr)
                                       and isinstance(s.value, ast.Constant)) for s in body):
        return "empty"
    if len(body) == 1 and isinstance(body[0], ast.Raise):
        return "raises"
    return "code"


_MARKER = re.compile(r"^\s*--\s*sqlbundle:(upgrade|downgrade)\b")


@dataclass(frozen=True)
class _Source:
    path: str
    kind: str  # "python" or "sql"
    functions: dict[str, tuple[int, str]]  # upgrade/downgrade -> (def line, body kind)
    suppressions: tuple[Suppression, ...]
    lines: tuple[str, ...] = ()

    def sql_span(self, line: int) -> range:
        """The lines of the SQL section whose text starts at ``line``."""
        markers = (n for n, text in enumerate(self.lines, 1) if n > line and _MARKER.match(text))
        return range(line, next(markers, len(self.lines) + 1))

    def op_line(self, op: Operation) -> int | None:
        """Where findings about ``op`` go: a SQL section's first line that is not blank."""
        line = getattr(op, "line", None)
        if self.kind == "sql" and line:
            return next((n for n in self.sql_span(line) if self.lines[n - 1].strip()), line)
        return line


def _read_source(project: Project, script: Script) -> _Source:
    path = script.path or script.revision
    text = project.file_of(script.revision).read_text("utf-8")
    functions: dict[str, tuple[int, str]] = {}
    if script.kind == "python":
        try:
            tree = ast.parse(text)
        except SyntaxError:
            tree = ast.Module(body=[], type_ignores=[])
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                    node.name in ("upgrade", "downgrade"):
                functions[node.name] = (node.lineno, body_kind(node))
    return _Source(path, script.kind, functions,
                   tuple(read_suppressions(text, path, script.kind)), tuple(text.splitlines()))


# ---------------------------------------------------------------------------- the walk


def _blank(op: Operation) -> bool:
    return isinstance(op, Execute) and isinstance(op.sql, str) and not op.sql.strip()


_SCHEMA_SQL = re.compile(r"(^|;)\s*(CREATE|ALTER|DROP|RENAME|TRUNCATE|COMMENT)\b", re.I)


def changes_schema(op: Operation) -> bool:
    """False for data-only operations (inserts, raw DML), which may keep an empty downgrade."""
    if isinstance(op, BulkInsert):
        return False
    if isinstance(op, Execute):
        if isinstance(op.sql, (str, sa.TextClause)):
            return bool(_SCHEMA_SQL.search(str(op.sql)))
        return isinstance(op.sql, ExecutableDDLElement)
    return True


@dataclass
class _StepLinter:
    """Runs the checks over one step's upgrade and downgrade."""

    profile: Profile
    dialect: Any
    plan: Plan
    step: Step
    script: Script
    source: _Source
    found: list[Finding]
    sql_lines: set[int] = field(default_factory=set)  # SQL files: lines of the sections used
    safe: bool = False  # the safe forms are written (the project's setting)

    def emit(self, hit: Hit, direction: str | None, line: int | None, prefix: bool = False
             ) -> None:
        rule = hit.rule
        if direction is not None and direction not in rule.directions:
            return
        if not rule.applies(self.profile):
            return
        message = hit.message
        if prefix and direction == "downgrade" and rule.directions != ("downgrade",):
            message = "downgrade: " + message
        self.found.append(Finding(rule.code, rule.severity, message, hit.fix, self.source.path,
                                  hit.line or line or self.fallback_line(direction),
                                  self.script.revision, direction))

    def fallback_line(self, direction: str | None) -> int:
        return self.source.functions.get(direction or "upgrade", (0, ""))[0] or \
            self.script.line or 1

    def trace(self, ops: tuple[Operation, ...], state: SchemaState
              ) -> tuple[list[Traced], SchemaState]:
        """Replay and render ``ops`` as a bundle's step does, keeping a render error as the
        operation's outcome (it becomes a finding): (the trace, the state after the step)."""
        from ..compile.steps import replay_render
        from ..render.context import RenderContext

        trace: list[Traced] = []
        safe_form = SafeForms(state, self.profile) if self.safe else None
        for op in ops:
            ctx = RenderContext(self.profile, self.dialect, self.script.path,
                                self.source.op_line(op))
            failed: list[SqlbundleError] = []
            before, after, rendered = replay_render(
                op, state, self.script, ctx, on_error=lambda exc: failed.append(exc) or ())
            if safe_form is not None:
                rendered = safe_form(op, before, after, rendered, ctx.quote)
            trace.append((op, before, after, rendered, failed[0] if failed else None))
            state = after
        for op in implicit_drops(ops, state):  # as the bundle's step ends
            state = op.apply(state)
        return trace, state

    def check(self, ops: tuple[Operation, ...], trace: list[Traced], direction: str,
              lineage: Lineage, upgrade: Lineage | None) -> None:
        """Run the checks over one direction's operations as replayed and rendered."""
        statements: list[Statement] = []
        for op, before, after, rendered, failed in trace:
            line = self.source.op_line(op)
            if self.source.kind == "sql" and getattr(op, "line", None):
                self.sql_lines.update(self.source.sql_span(op.line))
            event = OpEvent(op, before, after, direction, self.profile, self.dialect, (),
                            lineage, upgrade)
            named = list(check_names(event))
            for hit in named:
                self.emit(hit, direction, line, prefix=True)
            if failed is not None and not named:
                self.emit(CANNOT_RENDER.hit(failed.message, fix=failed.hint, line=failed.line),
                          direction, line, prefix=True)
            event.statements = rendered
            if isinstance(op, Execute):
                event.raw = raw_effects(rendered, self.profile.sqlglot_dialect)
                self.check_parse(op, rendered, direction, line)
                for message in rejected_forms(rendered, self.profile):
                    self.emit(SQL_REJECTED.hit(message), direction, line, prefix=True)
            for check in (*OP_CHECKS, check_restated):
                for hit in check(event):
                    self.emit(hit, direction, line, prefix=True)
            lineage.follow(op, before, after)
            for effect in event.raw:
                if effect.kind == "create_table" and effect.table is not None:
                    lineage.created(effect.table)
            statements.extend(rendered)
        self.check_ddl_count(ops, statements, direction)
        self.check_new_labels(ops, statements, direction)
        for hit, op in step_lock_hits(self.profile, self.dialect, trace):
            self.emit(hit, direction, self.source.op_line(op), prefix=True)

    def check_parse(self, op: Execute, statements: tuple[Statement, ...], direction: str,
                    line: int | None) -> None:
        """Raw SQL through the same sqlglot check bundles get (SB300 diagnostics)."""
        from ..compile.steps import CompiledPlan, CompiledStep
        from ..compile.sqlcheck import check_plan

        if not statements:
            return
        compiled = CompiledPlan(self.profile, self.plan, "", (
            CompiledStep(self.step, self.script, (op,), statements, ()),))
        for diagnostic in check_plan(compiled)[1]:
            message = diagnostic.message.split(": ", 1)[-1]  # drop "revision X: "
            rule = SQL_UNCHECKED if "opaque command" in message else SQL_PARSE
            self.emit(rule.hit(message), direction, line, prefix=True)

    def check_ddl_count(self, ops: tuple[Operation, ...], statements: list[Statement],
                        direction: str) -> None:
        count = ddl_count(statements)
        if count < 2:
            return
        line = self.source.functions.get(direction, (None, ""))[0] or \
            next((self.source.op_line(op) for op in ops if getattr(op, "line", None)), None)
        self.emit(MULTI_DDL.hit(
            f"{direction} runs {count} DDL statements and {self.profile.title} cannot roll DDL "
            "back: if one fails, the ones before it stay applied and the version table is not "
            "updated"), direction, line)

    def check_new_labels(self, ops: tuple[Operation, ...], statements: list[Statement],
                         direction: str) -> None:
        line = next((self.source.op_line(op) for op in ops if isinstance(op, Execute)
                     and "ADD VALUE" in str(op.sql).upper()), None)
        for type_name, label in labels_used_uncommitted(statements):
            self.emit(NEW_LABEL_USED.hit(
                f"ALTER TYPE {type_name} ADD VALUE {label} and a later statement of the same "
                f"step uses {label}: PostgreSQL refuses a label before the transaction that "
                "added it commits"), direction, line)

    def downgrade(self, replay: Any, state: SchemaState, upgrade: Lineage,
                  up_ops: tuple[Operation, ...]) -> None:
        """Lint the downgrade over the schema the upgrade leaves (``state``)."""
        changes = any(changes_schema(op) for op in up_ops)
        python = self.source.kind == "python"
        first_op = next((self.source.op_line(op) for op in up_ops if getattr(op, "line", None)),
                        None)
        up_line = self.source.functions.get("upgrade", (first_op, ""))[0]
        line, kind = self.source.functions.get("downgrade", (up_line, "missing"))
        if python and kind == "missing":
            if changes:
                self.emit(MISSING_DOWNGRADE.hit("upgrade() changes the schema but the migration "
                                                "has no downgrade()"), None, up_line)
            return
        if python and kind == "raises":
            self.emit(MISSING_DOWNGRADE.hit("downgrade() only raises: the migration cannot be "
                                            "rolled back"), None, line)
            return
        if python and kind == "empty":
            if changes:
                self.emit(EMPTY_DOWNGRADE.hit("downgrade() only passes while upgrade() changes "
                                              "the schema"), None, line)
            return
        try:
            ops = replay.operations(self.script.revision, "downgrade")
        except ScriptError as exc:
            self.emit(BROKEN_DOWNGRADE.hit(f"recording downgrade() fails: {exc.message}"),
                      "downgrade", exc.line or line)
            return
        if changes and not ops and not python:
            self.emit(MISSING_DOWNGRADE.hit(f"no downgrade section for {self.profile.name}"),
                      None, line)
            return
        if changes and all(_blank(op) for op in ops):
            what = "downgrade() records no operations" if python else "the downgrade section " \
                "is empty"
            self.emit(EMPTY_DOWNGRADE.hit(f"{what} for {self.profile.target} while the upgrade "
                                          "changes the schema"), None, line)
            return
        try:
            trace, _ = self.trace(ops, state)
            self.check(ops, trace, "downgrade", Lineage(state), upgrade)
        except ScriptError as exc:
            self.emit(BROKEN_DOWNGRADE.hit(f"the downgrade does not replay over the upgraded "
                                           f"schema: {exc.message}"), "downgrade",
                      exc.line or line)


# What linting one step gives: its findings, its file and the suppressions that apply there.
StepFindings = tuple[list[Finding], str, list[Suppression]]


@dataclass
class StepLint:
    """Lints one step at a time from its trace: as ``compile_range``'s observer (a bundle's
    upgrade, rendered once for both) or in ``lint_project``'s own loop."""

    project: Project
    profile: Profile
    dialect: Any
    plan: Plan
    replay: Any

    def __call__(self, step: Step, script: Script, ops: tuple[Operation, ...],
                 trace: list[Traced], before: SchemaState, after: SchemaState,
                 source: _Source | None = None) -> StepFindings:
        source = source or _read_source(self.project, script)
        found: list[Finding] = []
        linter = _StepLinter(self.profile, self.dialect, self.plan, step, script, source, found,
                             safe=self.project.config.safe)
        lineage = Lineage(before)
        linter.check(ops, trace, "upgrade", lineage, None)
        linter.downgrade(self.replay, after, lineage, ops)
        # A SQL file's sections for other dialects are not linted here: skip their comments.
        active = [s for s in source.suppressions
                  if source.kind != "sql" or s.line in linter.sql_lines]
        return found, source.path, active

    def lint(self, step: Step, state: SchemaState) -> tuple[StepFindings, SchemaState]:
        """Replay, render and lint ``step`` over ``state``: (its findings, the state after)."""
        script = self.project.graph.get(step.revision)
        ops = self.replay.operations(step.revision, "upgrade")
        source = _read_source(self.project, script)
        linter = _StepLinter(self.profile, self.dialect, self.plan, step, script, source, [],
                             safe=self.project.config.safe)
        trace, after = linter.trace(ops, state)
        return self(step, script, ops, trace, state, after, source), after

    def report(self, range: Range, steps: list[StepFindings]) -> LintReport:
        found = [finding for findings, _, _ in steps for finding in findings]
        return apply_suppressions(self.profile, range.text, found,
                                  {path: active for _, path, active in steps})


def lint_project(project: Project, range: str | Range = "base:heads",
                 target: str | Profile | None = None) -> LintReport:
    """Lint every step of ``range`` (upgrades and their downgrades) for ``target``
    (default: the project's first dialect). A text range is read here as an upgrade."""
    from ..compile.steps import compile_range, new_replay, state_at
    from ..profile import parse_target
    from ..history.plan import upgrade_range_of

    profile = parse_target(target or project.config.dialects[0])
    if isinstance(range, str):
        range = upgrade_range_of(project.graph, range)
    plan = range.plan
    assert plan is not None and plan.direction == "upgrade"
    replay = new_replay(project, profile, range, both=True)
    linting = StepLint(project, profile, replay.dialect, plan, replay)
    try:
        # As a bundle lints: while the steps are rendered, so that steps the step cache
        # holds (with their findings) are neither replayed nor rendered again.
        compiled = compile_range(project, range, profile, replay=replay, observe=linting)
        return replace(linting.report(range, [step.observed for step in compiled.steps]),
                       volatile=compiled.volatile)
    except SqlbundleError:
        pass  # a step that cannot be rendered: walk again, keeping the error as a finding
    state = state_at(replay, plan.start)
    steps: list[StepFindings] = []
    for step in plan.steps:
        found, state = linting.lint(step, state)
        steps.append(found)
    replay.save()
    return replace(linting.report(range, steps), volatile=True)  # kept by no cache
