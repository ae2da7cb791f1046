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
from .formatters import check_lines, dialect_lines, lock_lines, models_lines
from .app import (
    DIALECT_OPTION,
    EXIT_FINDINGS,
    EXIT_OK,
    Format,
    SAFE_OPTION,
    STATE,
    _emit_json,
    _project,
    app,
    handles_errors,
    with_safe,
)


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
    _echo(models_lines(comparison))
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
    rebuild: bool = typer.Option(
        False, "--rebuild",
        help="Rebuild every bundle and compare it, even one whose files and inputs are "
             "unchanged since it was written."),
) -> None:
    """Check that bundles are current and that no locked migration was edited. A bundle whose
    files match its manifest and whose inputs (migrations, configuration, templates, the
    renderers' versions) are unchanged is current; any other is rebuilt and compared byte for
    byte. Exit 1 when something differs."""
    from ..review.check import check_project

    project = _project()
    if models:
        _check_models(project, fmt)
    report = check_project(project, out, bundles=not no_bundles, lock=not no_lock,
                           rebuild=rebuild)
    code = EXIT_OK if report.ok else EXIT_FINDINGS
    if fmt is Format.json:
        _emit_json(report.as_dict())
        raise typer.Exit(code)
    _echo(check_lines(report, project.config.output_dir))
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
    _echo(lock_lines(plan, shown))


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

        config = discover(None, STATE.config, STATE.name)
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
    markdown = "markdown"


class FailOn(str, enum.Enum):
    info = "info"
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
                                   help="text, json, sarif (SARIF 2.1.0) or markdown (for a "
                                        "pull-request comment)."),
    since: Optional[str] = typer.Option(
        None, "--since",
        help="Report only migrations added or changed since this git ref (its merge base with "
             "HEAD), e.g. origin/main; the whole range is still linted."),
    safe: bool = SAFE_OPTION,
) -> None:
    """Find risky migrations (data loss, long locks, lossy rollbacks, SQL the target rejects).
    Exit 1 when a finding is at or above --fail-on."""
    project = with_safe(_project(), safe)
    if since is not None:
        from ..lint.api import lint_project
        from ..lint.report import report_outputs
        from ..review.diff import changed_since

        changed = changed_since(project.config.root, since)
        outputs = report_outputs(lint_project(project, rev_range, dialect).only(changed))
    else:
        from ..assemble.rendercache import lint_cached

        outputs = lint_cached(project, rev_range, dialect)
    if fmt is LintFormat.json:
        _emit_json(outputs["json"])
    elif fmt is LintFormat.sarif:
        _emit_json(outputs["sarif"])
    elif fmt is LintFormat.markdown:
        typer.echo(outputs["markdown"], nl=False)
    else:
        typer.echo(outputs["text"], nl=False)
    raise typer.Exit(EXIT_FINDINGS if outputs["fails"][fail_on.value] else EXIT_OK)


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
    _echo(dialect_lines(profiles))


def _echo(lines: list[tuple[str, bool]]) -> None:
    """Print formatted lines, each to stdout or (``True``) to stderr."""
    for line, err in lines:
        typer.echo(line, err=err)
