"""Bundles: the reviewable directory a DBA receives, built as a value (files + manifest).

One bundle per dialect: a file per step named so that ``ls`` shows the order, ``upgrade.sql``
with every step, ``rollback/`` with the downgrade of the same range, ``manifest.json`` and a
review ``README.md``. Everything comes from the same compiled values the ``upgrade`` command
prints; layout and headers come from jinja2 templates.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from .. import __version__, progress
from ..compile.steps import CompiledPlan, CompiledStep, compile_range, new_replay
from .guards import expectation, guard_statements
from ..errors import SqlbundleError
from ..history.mermaid import render_mermaid
from ..history.plan import Range, rollback_range, upgrade_range_of
from ..profile import Profile, parse_target
from ..project.model import Project
from ..render.context import RenderContext, sa_dialect
from ..render.locks import describes_locks
from ..project.scaffold import slugify
from .manifest import FORMAT, MANIFEST, bundle_inputs
from .timeouts import step_timeouts
from .framing import file_header, preamble, step_body
from .segments import progress_table, rerunnable
from ..project.templating import render



@dataclass(frozen=True)
class Bundle:
    dialect: str  # profile name
    target: str  # name@version
    files: dict[str, str]  # relative path (POSIX) -> text, sorted by path
    manifest: dict

    @property
    def folder(self) -> str:
        """The bundle's folder name: the dialect, and a tenant's schema after it."""
        if self.manifest.get("phases"):
            return f"{self.dialect}-phases"  # next to the plain bundle, not instead of it
        return folder_name(self.dialect, self.manifest.get("schema"))

    @property
    def diagnostics(self) -> list[str]:
        return list(self.manifest["diagnostics"])

    def digest(self) -> str:
        return self.manifest["checksum"]


def folder_name(dialect: str, schema: str | None) -> str:
    return f"{dialect}-{schema}" if schema else dialect


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _step_name(number: int, step: CompiledStep) -> str:
    return f"{number:04d}_{step.step.revision}_{slugify(step.script.message, 40)}"


def _file_number(index: int, total: int, kind: str) -> int:
    """Upgrade steps count up from 0001. Rollback steps are numbered 9999 minus the upgrade
    step's position, so `ls` shows them newest first and adding a migration later renames none
    of them (review diffs stay small)."""
    if kind == "upgrade":
        return index
    return 10000 - (total - index + 1)


def _warnings(step: CompiledStep, compiled: CompiledPlan) -> list[str]:
    out = []
    destructive = step.destructive
    if destructive:
        verb = "loses data" if step.step.direction == "downgrade" else "drops data"
        out.append(f"this step {verb}: " + "; ".join(destructive))
    if rerunnable(step, compiled.profile):
        out.append("part of this step runs outside a transaction; after a failure, run the "
                   "file again: the segments already done are skipped")
    elif any(s.autocommit for s in step.statements):
        out.append("part of this step runs outside a transaction")
    if step.table_copy:
        out.append("rebuilds tables by copying them (SQLite)")
    return out




def _check_tenant(project: Project, profile: Profile, schema: str) -> None:
    if not profile.use_schema:
        raise SqlbundleError(
            f"{profile.title} has no statement that sets a session's default schema, so a "
            f"bundle per schema ({schema}) cannot be written for {profile.target}",
            hint="qualify the names in the migrations, or build this target without --schema")
    if project.config.version_table_schema:
        raise SqlbundleError(
            f"version_table_schema is {project.config.version_table_schema!r}: a tenant's "
            f"bundle keeps its version table in its own schema ({schema})",
            hint="leave version_table_schema unset to build bundles per schema")


def _read_environment(project: Project, range: Range, *replays: object) -> bool:
    """Whether a migration of the range read the environment or the range while recorded
    (tainted modules are recorded on every build, so this is the same warm or cold)."""
    paths = {project.path_of(step.revision) for step in range.plan.steps} if range.plan else set()
    return any(paths & replay.environment().tainted for replay in replays)  # type: ignore[attr-defined]


def _step_files(compiled: CompiledPlan, project: Project, guards: bool, prefix: str,
                kind: str, pretty: bool = False, schema: str | None = None
                ) -> tuple[list[tuple[str, str, CompiledStep, list[str]]], str]:
    """(file name, text, step, warnings) per step, and the all-in-one file's text. With a
    tenant's ``schema``, every file first makes it the session's default schema."""
    profile = compiled.profile
    total = len(compiled.steps)
    files = []
    ctx = RenderContext(profile, sa_dialect(profile))
    session = preamble(profile)
    if schema:
        session.append(profile.use_schema.format(schema=ctx.quote(schema)))
    whole = file_header(compiled, f"{kind.capitalize()} bundle") + session
    progress_at = progress_table(compiled)
    for index, step in enumerate(compiled.steps, 1):
        progress.step(f"{kind} files {profile.target}", index - 1, total, step.step.revision)
        number = _file_number(index, total, kind)
        name = _step_name(number, step)
        guard = guard_statements(expectation(step.step, name[:4]), ctx, compiled.version_table,
                                 compiled.version_table_schema) if guards else []
        body = step_body(step, profile, guard, pretty,
                         step_timeouts(*compiled.timeouts, profile, step.script), progress_at)
        warnings = _warnings(step, compiled)
        s = step.step
        text = render(
            "bundle_step.sql.j2", project.config.templates_dir,
            # A rollback step is named after the upgrade step it undoes: stable as history grows.
            kind=kind, number=index if kind == "upgrade" else total - index + 1,
            range=compiled.range_text,
            revision=s.revision, parents=", ".join(step.script.down_revisions) or "<base>",
            message=step.script.message, source_path=step.script.path or "",
            source_sha256=step.script.sha256, target=profile.target, title=profile.title,
            before=", ".join(s.heads_before) or "(none)",
            after=", ".join(s.heads_after) or "(none)",
            apply=profile.apply.format(file=f"{prefix}{name}.sql"),
            warnings=warnings, guards=guards, notes=list(step.notes),
            locks=[lock.text(profile.title) for lock in step.locks],
            body="\n".join(session + body),
        )
        files.append((f"{prefix}{name}.sql", text, step, warnings))
        whole += ["", f"-- step {index}: {name}"] + body
    progress.clear()
    return files, "\n".join(whole) + "\n"


def build_bundle(project: Project, range: str | Range, target: str | Profile, *,
                 guards: bool = True, pretty: bool = False,
                 schema: str | None = None) -> Bundle:
    """Compile ``range`` (an upgrade) and its rollback for ``target`` into a ``Bundle``;
    ``schema``: a tenant's bundle, applied with that schema as the session's default (its
    own version table there too)."""
    target = parse_target(target)
    if schema:
        _check_tenant(project, target, schema)
    if isinstance(range, str):
        range = upgrade_range_of(project.graph, range)
    range_text = range.text
    from ..lint.api import StepLint

    # One replay per direction: the upgrade's records both directions of each migration once,
    # for the upgrade, for lint, and (what depends on nothing but its file) for the rollback.
    # Lint watches the upgrade as it is rendered rather than rendering it again.
    upward = new_replay(project, target, range, both=True)
    assert range.plan is not None
    linting = StepLint(project, target, upward.dialect, range.plan, upward)
    known: dict = {}  # schemas the upgrade had in hand: the rollback starts from its end
    up = compile_range(project, range, target, replay=upward, observe=linting, known=known)
    rollback = rollback_range(project.graph, range)
    downward = new_replay(project, target, rollback, both=True)
    downward.adopt(upward)
    down = compile_range(project, rollback, target, replay=downward, known=known)
    profile = up.profile
    up_files, up_all = _step_files(up, project, guards, "", "upgrade", pretty, schema)
    down_files, down_all = _step_files(down, project, guards, "rollback/", "rollback", pretty,
                                       schema)
    files: dict[str, str] = {name: text for name, text, _, _ in up_files}
    files.update({name: text for name, text, _, _ in down_files})
    files["upgrade.sql"] = up_all
    files["rollback/rollback.sql"] = down_all

    rollback_of = {step.step.revision: name for name, _, step, _ in down_files}
    lossy = {step.step.revision: warnings for _, _, step, warnings in down_files}
    steps = []
    locked: list[tuple[str, str, bool]] = []
    for name, text, step, warnings in up_files:
        rev = step.step.revision
        steps.append({
            "number": len(steps) + 1,
            "revision": rev,
            "parents": list(step.script.down_revisions),
            "message": step.script.message,
            "source": {"path": step.script.path, "sha256": step.script.sha256},
            "file": name,
            "sha256": text_sha256(text),
            "rollback_file": rollback_of.get(rev),
            "risks": warnings,
            "rollback_risks": lossy.get(rev, []),
            "version_before": list(step.step.heads_before),
            "version_after": list(step.step.heads_after),
            "locks": [lock.text(profile.title) for lock in step.locks],
        })
        # What a DBA weighs in the README: statements on tables that existed before the
        # step, and those the report cannot describe.
        locked.extend((name, lock.text(profile.title), lock.slow) for lock in step.locks
                      if (lock.existing and lock.kinds != ("write_rows",))
                      or not lock.described)
    from ..compile.sqlcheck import check_plan

    # Lint findings (not suppressed) become each step's listed risks in the review README.
    lint = linting.report(range, [step.observed for step in up.steps])
    by_revision: dict[str | None, list[str]] = {}
    for f in lint.findings:
        by_revision.setdefault(f.revision, []).append(f"{f.severity} {f.code}: {f.message}")
    for entry in steps:
        entry["lint"] = by_revision.get(entry["revision"], [])
    # Statements sqlglot parsed cleanly in an earlier build are not parsed again.
    memo = project.caches.parsed_memo(profile.target, __version__)
    checked = check_plan(up, memo)[1] + check_plan(down, memo)[1]
    memo.save()
    diagnostics = sorted({str(d) for d in list(up.diagnostics + down.diagnostics) + checked})
    graph = project.graph
    revisions = [s["revision"] for s in steps]
    readme = render(
        "bundle_readme.md.j2", project.config.templates_dir,
        target=profile.target, title=profile.title, range=range_text, steps=steps,
        transactional=profile.transactional_ddl, guards=guards,
        mermaid=render_mermaid(graph, revisions) if revisions else "",
        apply_each=[profile.apply.format(file=s["file"]) for s in steps],
        apply_all=profile.apply.format(file="upgrade.sql"),
        rollback_all=profile.apply.format(file="rollback/rollback.sql"),
        diagnostics=diagnostics,
        version=__version__,
        locked=locked, describes_locks=describes_locks(profile),
    )
    files["README.md"] = readme
    files = dict(sorted(files.items()))
    manifest = {
        "tool": "sqlbundle",
        "format": FORMAT,
        "version": __version__,
        "dialect": profile.name,
        "target": profile.target,
        "range": range_text,
        "guards": guards,
        "pretty": pretty,
        "version_table": project.config.version_table,
        "version_table_schema": project.config.version_table_schema,
        "steps": steps,
        "diagnostics": diagnostics,
        "files": {name: text_sha256(text) for name, text in files.items()},
        "inputs": bundle_inputs(project, range, profile.target, guards, pretty,
                                volatile=_read_environment(project, range, upward, downward),
                                schema=schema),
    }
    if schema:
        manifest["schema"] = schema
    if project.config.safe:
        manifest["safe"] = True  # check rebuilds it so
    manifest["checksum"] = text_sha256(json.dumps(manifest["files"], sort_keys=True))
    files[MANIFEST] = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return Bundle(profile.name, profile.target, dict(sorted(files.items())), manifest)
