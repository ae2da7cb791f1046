"""Expand and contract (``bundle --phases``): each step's operations split into a pre-deploy part
(additive: what the running application does not notice) and a post-deploy part (destructive or
tightening: what only the new application copes with). All pre-deploy files run before the
application's deploy, all post-deploy files after it.

The schema is replayed in that order (every pre-deploy part, then every post-deploy part) and
must end where the history ends; a step whose operations cannot be placed (a rename, raw SQL
that is neither, an operation that needs a post-deploy one before it) is refused with the
reason. Pre-deploy files change no version row: their guard wants the database at the bundle's
start. Each post-deploy file has the step's own guard and moves its version row.
"""

from __future__ import annotations

import json

from .. import __version__
from ..compile.steps import CompiledStep, new_replay, replay_render, state_at
from ..errors import ScriptError
from ..history.plan import upgrade_range_of
from ..profile import parse_target
from ..project.model import Project
from ..project.scaffold import slugify
from ..project.templating import render
from ..history.plan import VersionChange
from ..render.context import RenderContext, Statement, sa_dialect
from ..render.sqlkinds import classify
from ..render.versiontable import change_writer, create_statements
from ..schema.state import SchemaState, evolve
from ..schema.operations import (
    UNSET,
    AddColumn,
    AlterColumn,
    BulkInsert,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropEnum,
    DropIndex,
    DropTable,
    Execute,
    Operation,
    SetTableComment,
    AddConstraint,
)
from ..profile import Profile
from ..render.safe import safe_forms
from ..schema.lineage import Lineage
from .framing import preamble, step_body
from .timeouts import step_timeouts
from .guards import Expectation, expectation, guard_statements
from .manifest import FORMAT, MANIFEST, bundle_inputs

_ADDITIVE_SQL = {"create_table", "add_column", "add_column_positioned", "create_index",
                 "create_index_concurrently", "table_comment", "column_comment", "write_rows",
                 "set_default", "drop_not_null", "no_table"}
_DESTRUCTIVE_SQL = {"drop_table", "drop_column", "drop_index", "drop_index_concurrently",
                    "drop_constraint", "drop_primary_key", "set_not_null", "alter_type",
                    "add_foreign_key", "add_check", "add_unique", "add_primary_key",
                    "validate_constraint"}


def phase_of(op: Operation, profile: Profile | None = None) -> tuple[str, str]:
    """("pre" | "post" | "split" | "", why): where ``op`` goes; "split": added NOT VALID
    before the deploy and validated after it; "" refuses it, saying why."""
    if isinstance(op, AddConstraint) and op.constraint_kind in ("foreign", "check") and \
            op.constraint.name and profile is not None and \
            profile.supports("not_valid_constraints"):
        return "split", ""
    if isinstance(op, (CreateTable, CreateEnum, CreateIndex, BulkInsert, SetTableComment)):
        return "pre", ""
    if isinstance(op, AddColumn):
        col = op.column
        filled = col.nullable or col.server_default is not None or col.identity is not None \
            or col.computed is not None
        return ("pre", "") if filled else ("post", "")
    if isinstance(op, (DropTable, DropColumn, DropIndex, DropConstraint, DropEnum,
                       AddConstraint)):
        return "post", ""
    if isinstance(op, AlterColumn):
        if op.new_name is not UNSET and op.new_name != op.column:
            return "", ("a rename breaks the code on one side of the deploy: add the new "
                        "column, write both, and drop the old one in a later release")
        loosening = set(op.changes()) <= {"server_default", "comment"} or (
            set(op.changes()) <= {"server_default", "comment", "nullable"}
            and op.nullable is True)
        return ("pre", "") if loosening else ("post", "")
    if isinstance(op, Execute):
        kinds = {kind for kind, _ in classify(str(op.sql))[0]}
        if kinds and kinds <= _ADDITIVE_SQL:
            return "pre", ""
        if kinds and kinds <= _DESTRUCTIVE_SQL:
            return "post", ""
        return "", "raw SQL that is neither only additive nor only destructive"
    return "", f"{op.describe()} is neither additive nor destructive"


def build_phases(project: Project, range_text: str, target: str, *, guards: bool = True):
    """The phased bundle of ``range_text`` for ``target`` (a ``Bundle``)."""
    from .bundle import Bundle, text_sha256

    profile = parse_target(target)
    range = upgrade_range_of(project.graph, range_text)
    plan = range.plan
    assert plan is not None
    replay = new_replay(project, profile, range)
    dialect = sa_dialect(profile)
    state = state_at(replay, plan.start)
    config = project.config
    parts = []
    for step in plan.steps:
        script = project.graph.get(step.revision)
        split: dict[str, list[Operation]] = {"pre": [], "post": [], "split": []}
        for op in replay.operations(step.revision, "upgrade"):
            phase, why = phase_of(op, profile)
            if not phase:
                raise ScriptError(f"--phases: {op.describe()} cannot be split into pre- and "
                                  f"post-deploy: {why}", path=script.path,
                                  line=getattr(op, "line", None))
            split["pre" if phase == "split" else phase].append(op)
            if phase == "split":
                split["split"].append(op)
        parts.append((step, script, split))

    def run(ops: list[Operation], script, state, later: list[Statement] | None = None,
            split: tuple[Operation, ...] = ()):
        """Render ``ops`` from ``state``; a "split" constraint goes NOT VALID, its VALIDATE
        to ``later`` (the step's post-deploy part)."""
        statements: list[Statement] = []
        for op in ops:
            ctx = RenderContext(profile, dialect, script.path, getattr(op, "line", None))
            try:
                before, state, rendered = replay_render(op, state, script, ctx)
                if any(op is other for other in split) and later is not None:
                    forms = safe_forms(rendered, Lineage(before), profile, ctx.quote)
                    later.extend(s for s in forms if s.autocommit)
                    rendered = tuple(s for s in forms if not s.autocommit)
            except ScriptError as exc:
                raise ScriptError(f"--phases: {op.describe()} cannot run in its phase "
                                  f"(pre-deploy parts all run first): {exc.message}",
                                  path=script.path, line=getattr(op, "line", None)) from None
            statements.extend(rendered)
        return tuple(statements), state

    pre, post, validations = [], [], []
    for step, script, split in parts:
        later: list[Statement] = []
        statements, state = run(split["pre"], script, state, later, tuple(split["split"]))
        pre.append(statements)
        validations.append(later)
    for (step, script, split), later in zip(parts, validations):
        statements, state = run(split["post"], script, state)
        post.append((*later, *statements))
    if plan.steps:
        from ..autogen.api import compare_states

        history = state_at(replay, plan.steps[-1].heads_after)
        differ = compare_states(_explicit(history), _explicit(state), dialect,
                                named_enums=profile.named_enums)
        if differ.changes:
            raise ScriptError(
                "--phases: running every pre-deploy part first ends at another schema than "
                f"the history ({'; '.join(c.description for c in differ.changes[:3])}): "
                "split the migrations so that nothing additive depends on what a "
                "destructive step changes")
    ctx = RenderContext(profile, dialect)
    writer = change_writer(ctx, config.version_table, config.version_table_schema)
    # Which pre-deploy parts ran: a table shaped like the version table, so every dialect's
    # guard reads it (a post-deploy part needs its pre-deploy part's row; a pre-deploy part
    # must not run twice). The post-deploy part deletes the row, the last one the table.
    marks = f"{config.version_table}_phases"
    schema = config.version_table_schema
    mark = change_writer(ctx, marks, schema)
    create_marks = create_statements(ctx, marks, schema, config.version_num_length)
    start_expect = Expectation("", tuple(plan.start), (), empty=not plan.start)
    files: dict[str, str] = {}
    steps = []
    total = len(parts)
    for number, ((step, script, _), pre_sql, post_sql) in enumerate(zip(parts, pre, post), 1):
        name = f"{number:04d}_{step.revision}_{slugify(script.message, 40)}"
        creates = create_statements(ctx, config.version_table, config.version_table_schema,
                                    config.version_num_length) \
            if number == 1 and not plan.start else ()
        entry = {"revision": step.revision, "pre": None, "post": f"post-deploy/{name}.sql"}
        label = f"{number:04d}"
        if pre_sql:
            guard = guard_statements(
                Expectation(f"pre-deploy {label}", start_expect.present,
                            tuple(step.heads_after), start_expect.empty),
                ctx, config.version_table, schema) if guards else []
            guard = [*guard, *create_marks, *guard_statements(
                Expectation(f"pre-deploy {label} (already run)", (), (step.revision,), False),
                ctx, marks, schema)]
            files[f"pre-deploy/{name}.sql"] = _file(
                project, profile, "pre-deploy", number, total, step, script,
                CompiledStep(step, script, (), pre_sql,
                             tuple(mark(VersionChange(insert=(step.revision,))))), guard)
            entry["pre"] = f"pre-deploy/{name}.sql"
        guard = guard_statements(expectation(step, f"post-deploy {label}"), ctx,
                                 config.version_table, schema) if guards else []
        done: list = []
        if pre_sql:
            guard += guard_statements(Expectation(f"post-deploy {label} (pre-deploy part not "
                                                  "run)", (step.revision,), (), False),
                                      ctx, marks, schema)
            done = mark(VersionChange(delete=(step.revision,)))
        if number == total:
            done.append(Statement(f"DROP TABLE IF EXISTS {ctx.table_name(marks, schema)}"))
        files[f"post-deploy/{name}.sql"] = _file(
            project, profile, "post-deploy", number, total, step, script,
            CompiledStep(step, script, (), post_sql, (*writer(step.version), *done),
                         tuple(creates)), guard)
        steps.append(entry)
    files["README.md"] = render(
        "phases_readme.md.j2", config.templates_dir, target=profile.target,
        title=profile.title, range=range.text, steps=steps, version=__version__,
        apply=profile.apply)
    files = dict(sorted(files.items()))
    manifest = {
        "tool": "sqlbundle", "format": FORMAT, "version": __version__, "phases": True,
        "dialect": profile.name, "target": profile.target, "range": range.text,
        "guards": guards, "pretty": False, "steps": steps, "diagnostics": [],
        "version_table": config.version_table,
        "version_table_schema": config.version_table_schema,
        "files": {name: text_sha256(text) for name, text in files.items()},
        "inputs": bundle_inputs(project, range, profile.target, guards, False, volatile=True),
    }
    manifest["checksum"] = text_sha256(json.dumps(manifest["files"], sort_keys=True))
    files[MANIFEST] = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return Bundle(profile.name, profile.target, dict(sorted(files.items())), manifest)


def _explicit(state: SchemaState) -> SchemaState:
    """``state`` without the indexes the database makes itself (InnoDB's for a foreign key):
    whether one is there depends on the order keys and indexes came in, never on the SQL."""
    for key in list(state.tables):
        table = state.tables[key]
        if any(index.implicit for index in table.indexes):
            state = state.with_table(evolve(table, indexes=tuple(
                i for i in table.indexes if not i.implicit)))
    return state


def _file(project, profile, phase, number, total, step, script, compiled_step, guard) -> str:
    config = project.config
    body = preamble(profile) + step_body(
        compiled_step, profile, guard,
        timeouts=step_timeouts(config.lock_timeout, config.statement_timeout, profile, script))
    return render("phase_step.sql.j2", project.config.templates_dir, phase=phase,
                  number=number, total=total, revision=step.revision,
                  message=script.message, source_path=script.path or "",
                  target=profile.target, title=profile.title,
                  before=", ".join(step.heads_before) or "(none)",
                  after=", ".join(step.heads_after) or "(none)",
                  guards=bool(guard), body="\n".join(body))
