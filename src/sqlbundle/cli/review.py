"""Commands that review: ``check``, ``lock``, ``diff``, ``lint``, ``dialects``.
"""

from __future__ import annotations

import enum
import json
import re
from pathlib import Path
from typing import Any, Optional

import typer

from ..errors import SqlbundleError
from .app import (
    DIALECT_OPTION,
    EXIT_FINDINGS,
    EXIT_OK,
    Format,
    STATE,
    _emit_json,
    _project,
    app,
    handles_errors,
)


def _check_hint(bundle: Any, default_out: Path) -> str:
    import shlex

    command = f"sqlbundle bundle {shlex.quote(bundle.range)} -d {shlex.quote(bundle.target)}"
    if not bundle.guards:
        command += " --no-guards"
    if bundle.folder.parent.resolve() != default_out.resolve():
        command += f" --out {shlex.quote(str(bundle.folder.parent))}"
    return command


def _check_models(project: Any, fmt: Format) -> None:
    """``check --models``: exit 1 listing the differences when models and history disagree."""
    from ..autogen.api import compare_project

    comparison = compare_project(project, "heads")
    for text in comparison.warnings:
        typer.echo(f"warning: {text}", err=True)
    code = EXIT_OK if comparison.empty else EXIT_FINDINGS
    if fmt is Format.json:
        _emit_json({"ok": comparison.empty, "dialect": comparison.dialect,
                    "differences": list(comparison.descriptions),
                    "review": list(comparison.notes)})
        raise typer.Exit(code)
    if comparison.empty:
        typer.echo(f"models match the migrations (heads, compared for {comparison.dialect})")
        raise typer.Exit(code)
    typer.echo(f"models differ from the migrations (heads, compared for {comparison.dialect}):")
    for text in comparison.descriptions:
        typer.echo(f"  {text}")
    typer.echo(f"{len(comparison.changes)} difference(s); write the migration with "
               "`sqlbundle revision --autogenerate -m MESSAGE`")
    raise typer.Exit(code)


@app.command("check")
@handles_errors
def check_cmd(
    out: Optional[Path] = typer.Option(None, "--out", help="Bundles folder (config output_dir)."),
    no_bundles: bool = typer.Option(False, "--no-bundles", help="Check only the lock."),
    no_lock: bool = typer.Option(False, "--no-lock", help="Check only the bundles."),
    fmt: Format = typer.Option(Format.text, "--format", "-f"),
    models: bool = typer.Option(
        False, "--models",
        help="Instead: check that the models (target_metadata) match the migrations."),
) -> None:
    """Check that bundles are current (rebuilt and compared byte for byte) and that no locked
    migration was edited. Exit 1 when something differs."""
    from ..review.check import STATUSES, check_project

    project = _project()
    if models:
        _check_models(project, fmt)
    report = check_project(project, out, bundles=not no_bundles, lock=not no_lock)
    code = EXIT_OK if report.ok else EXIT_FINDINGS
    if fmt is Format.json:
        _emit_json(report.as_dict())
        raise typer.Exit(code)
    default_out = project.config.output_dir
    for bundle in report.bundles:
        if bundle.current:
            continue
        typer.echo(f"{bundle.name}: {len(bundle.findings)} file(s) differ "
                   f"({bundle.range} for {bundle.target})")
        width = max(len(s) for s in STATUSES)
        for finding in bundle.findings:
            detail = f" ({finding.detail})" if finding.detail else ""
            typer.echo(f"  {finding.status:<{width}}  {finding.file}{detail}")
        for line in bundle.diff:
            typer.echo(f"    {line}")
        typer.echo("  hint: revert hand edits, or regenerate with "
                   f"`{_check_hint(bundle, default_out)}`")
    lock = report.lock
    if lock is not None:
        for item in lock.edited:
            rev = item.locked.revision
            typer.echo(f"{report.lock_file}: migration {rev} was edited after it was locked: "
                       f"{item.current.path}")
            typer.echo("  hint: never edit a migration after it has run in production; revert "
                       f"the edit, or run `sqlbundle lock --relock {rev}` if it is intended")
        for entry in lock.gone:
            typer.echo(f"{report.lock_file}: locked migration {entry.revision} is gone "
                       f"(was {entry.path})")
            typer.echo("  hint: restore the file, or run "
                       f"`sqlbundle lock --relock {entry.revision}` to drop it from the lock")
        for moved in lock.moved:
            typer.echo(f"note: locked migration {moved.locked.revision} moved from "
                       f"{moved.locked.path} to {moved.current.path}; run `sqlbundle lock` to "
                       "record the new path", err=True)
    parts = []
    if report.bundles or lock is None:
        stale = sum(1 for b in report.bundles if not b.current)
        parts.append(f"{stale} of {len(report.bundles)} bundle(s) not current" if stale
                     else f"{len(report.bundles)} bundle(s) current")
    if lock is not None:
        bad = len(lock.edited) + len(lock.gone)
        text = (f"{bad} locked migration(s) edited or gone" if bad
                else f"{len(lock.unchanged)} locked revision(s) unchanged")
        if lock.unlocked:
            text += f", {len(lock.unlocked)} not locked yet"
        parts.append(text)
    typer.echo(", ".join(parts))
    raise typer.Exit(code)


@app.command("lock")
@handles_errors
def lock_cmd(
    relock: list[str] = typer.Option(
        [], "--relock", metavar="REV",
        help="Accept the current checksum of this edited revision, or drop it when its file is "
             "gone (repeatable)."),
) -> None:
    """Record each migration's source checksum in sqlbundle.lock (commit it)."""
    from ..review.lock import LOCK_FILE, plan_project_lock, write_lock

    project = _project()
    shown = LOCK_FILE
    plan = plan_project_lock(project, relock)
    if plan.refused:
        names = "\n".join(f"  {e.locked.revision}  {e.current.path}" for e in plan.refused)
        raise SqlbundleError(
            f"refusing to change the checksum of {len(plan.refused)} locked migration(s) that "
            f"were edited:\n{names}", path=shown,
            hint="never edit a migration after it has run in production: revert the edit, or "
                 "re-lock it explicitly with `sqlbundle lock "
                 + " ".join(f"--relock {e.locked.revision}" for e in plan.refused) + "`")
    if plan.changed:
        write_lock(project, plan)
    for entry in plan.kept_gone:
        typer.echo(f"warning: locked migration {entry.revision} is gone (was {entry.path}); "
                   f"kept in the lock, pass --relock {entry.revision} to drop it", err=True)
    for entry in plan.added:
        typer.echo(f"  added     {entry.revision}  {entry.path}")
    for item in plan.relocked:
        typer.echo(f"  relocked  {item.locked.revision}  {item.current.path}")
    for item in plan.moved:
        typer.echo(f"  moved     {item.locked.revision}  {item.locked.path} -> "
                   f"{item.current.path}")
    for entry in plan.dropped:
        typer.echo(f"  dropped   {entry.revision}  {entry.path}")
    state = "written" if plan.changed else "up to date"
    typer.echo(f"{shown}: {state}, {len(plan.lock.entries)} revision(s) locked")


class DiffFormat(str, enum.Enum):
    text = "text"
    markdown = "markdown"


@app.command("diff")
@handles_errors
def diff_cmd(
    old: Optional[Path] = typer.Argument(None, help="Old bundle folder (not with --git)."),
    new: Optional[Path] = typer.Argument(None, help="New bundle folder (not with --git)."),
    git: list[str] = typer.Option([], "--git", metavar="REF",
                                  help="Build the project at this git revision (old side); a "
                                       "second --git is the new side (default: working tree)."),
    dialect: list[str] = DIALECT_OPTION,
    rev_range: str = typer.Option("base:heads", "--range", "-r", help="Range built with --git."),
    fmt: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f",
                                   help="text: a unified diff; markdown: a change ticket."),
) -> None:
    """Compare the SQL of two bundles (exit 0: identical, 1: differences)."""
    from ..review.diff import diff_bundle_dirs, diff_git, render_markdown, unified_text

    templates_dir = None
    if git:
        if old is not None or new is not None:
            raise SqlbundleError("pass either two bundle folders or --git REF, not both")
        if len(git) > 2:
            raise SqlbundleError("--git takes at most two revisions: OLD and NEW")
        from ..project.config import discover

        config = discover(None, STATE.config)
        location = STATE.config if STATE.config is not None and STATE.config.is_file() \
            else config.root
        templates_dir = config.templates_dir
        result = diff_git(location, git[0], git[1] if len(git) > 1 else None,
                          targets=dialect, range_text=rev_range)
    else:
        if old is None or new is None:
            raise SqlbundleError("diff needs two bundle folders OLD NEW, or --git REF")
        if dialect or rev_range != "base:heads":
            raise SqlbundleError("--dialect and --range apply only with --git")
        result = diff_bundle_dirs(old, new)
    if fmt is DiffFormat.markdown:
        typer.echo(render_markdown(result, templates_dir), nl=False)
    elif result.identical:
        typer.echo("no differences")
    else:
        typer.echo(unified_text(result), nl=False)
    raise typer.Exit(EXIT_OK if result.identical else EXIT_FINDINGS)


class LintFormat(str, enum.Enum):
    text = "text"
    json = "json"
    sarif = "sarif"


class FailOn(str, enum.Enum):
    warning = "warning"
    error = "error"


@app.command("lint")
@handles_errors
def lint_cmd(
    rev_range: str = typer.Argument("base:heads", help="[FROM:]TO, e.g. base:heads."),
    dialect: Optional[str] = typer.Option(
        None, "--dialect", "-d", help="Target, e.g. postgresql@11 (default: the config's first)."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on",
                                   help="Exit 1 on findings at least this severe."),
    fmt: LintFormat = typer.Option(LintFormat.text, "--format", "-f",
                                   help="text, json, or sarif (SARIF 2.1.0)."),
) -> None:
    """Find risky migrations (data loss, long locks, lossy rollbacks, SQL the target rejects).
    Exit 1 when a finding is at or above --fail-on."""
    from ..lint.api import lint_project
    from ..lint.report import sarif_log, text_report

    report = lint_project(_project(), rev_range, dialect)
    if fmt is LintFormat.json:
        _emit_json(report.as_dict())
    elif fmt is LintFormat.sarif:
        _emit_json(sarif_log(report))
    else:
        typer.echo(text_report(report), nl=False)
    raise typer.Exit(EXIT_FINDINGS if report.fails(fail_on.value) else EXIT_OK)


@app.command("dialects")
@handles_errors
def dialects_cmd(fmt: Format = typer.Option(Format.text, "--format", "-f")) -> None:
    """List the target dialects, their default and known versions."""
    from ..profile import known_dialects, load_profile

    profiles = [load_profile(name) for name in known_dialects()]
    if fmt is Format.json:
        _emit_json([{"name": p.name, "title": p.title, "default_version": p.default_version,
                     "versions": list(p.versions), "features": p.features,
                     "transactional_ddl": p.transactional_ddl} for p in profiles])
        return
    for p in profiles:
        typer.echo(f"{p.name:<11} {p.title:<11} default {p.default_version:<6} "
                   f"versions {', '.join(p.versions)}")
