"""The command line: parse arguments, call the Python API, format, map errors to exit codes.

Exit codes: 0 ok, 1 findings (checks), 2 the tool could not do its job (bad input, bad
config, broken history). User errors print one message to stderr, never a traceback.
"""

from __future__ import annotations

import enum
import functools
import json
import os
import gc
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import typer
from typer.core import TyperCommand

from .. import __version__
from ..errors import SqlbundleError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="sqlbundle",
    help="Compile migration histories into reviewable, ordered SQL bundles, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, enum.Enum):
    text = "text"
    json = "json"


class _State:
    config: Optional[Path] = None


STATE = _State()


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_ERROR)


def handles_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn user errors into one message on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SqlbundleError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug in sqlbundle: still one message, exit 2
            if os.environ.get("SQLBUNDLE_DEBUG"):
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc}\n  hint: this is a bug in "
                  "sqlbundle; set SQLBUNDLE_DEBUG=1 to see the traceback and please report it")

    return wrapper


def _project():
    from ..project.model import open_project

    project = open_project(STATE.config)
    for script in project.executed:
        typer.echo(
            f"note: {script.where()}: metadata is not a literal, so the module's top level was "
            "executed to read it",
            err=True,
        )
    return project


def _emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"sqlbundle {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    config: Optional[Path] = typer.Option(
        None, "--config", "-C",
        help="Project directory or config file (default: search from the working directory up).",
        envvar="SQLBUNDLE_CONFIG",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    STATE.config = config


@app.command()
@handles_errors
def init(
    directory: Path = typer.Argument(Path("."), help="Folder for the new project."),
    dialect: list[str] = typer.Option(["postgresql"], "--dialect", "-d",
                                      help="Default target dialect(s)."),
) -> None:
    """Create a project: sqlbundle.toml, a versions folder and template copies."""
    from ..profile import load_profile
    from ..project.scaffold import plan_init, write_files

    for target in dialect:
        load_profile(target)
    files = plan_init(directory.resolve(), tuple(dialect))
    write_files(files)
    typer.echo(f"created project in {directory}")
    for item in files:
        typer.echo(f"  {item.path.relative_to(directory.resolve())}")


@app.command()
@handles_errors
def revision(
    message: str = typer.Option(..., "--message", "-m", help="What the migration does."),
    head: str = typer.Option("head", "--head", help="Parent revision ('base' for a new root)."),
    branch_label: list[str] = typer.Option([], "--branch-label", help="Label for a new branch."),
    depends_on: list[str] = typer.Option([], "--depends-on", help="Revisions this depends on."),
    rev_id: Optional[str] = typer.Option(None, "--rev-id", help="Use this revision id."),
    sql: bool = typer.Option(False, "--sql", help="Write a SQL migration instead of Python."),
    splice: bool = typer.Option(False, "--splice", help="Allow a parent that is not a head."),
    autogenerate: bool = typer.Option(
        False, "--autogenerate",
        help="Fill it with what the models (target_metadata) have and the history lacks."),
) -> None:
    """Write a new migration file from the project's template."""
    from ..project.scaffold import plan_revision, write_files

    project = _project()
    if autogenerate:
        if sql:
            raise SqlbundleError("--autogenerate writes a Python migration; drop --sql")
        from ..autogen.api import plan_autogenerate

        result = plan_autogenerate(project, message, head=head, rev_id=rev_id,
                                   branch_labels=tuple(branch_label),
                                   depends_on=tuple(depends_on), splice=splice)
        for text in result.comparison.warnings:
            typer.echo(f"warning: {text}", err=True)
        for text in result.comparison.notes:
            typer.echo(f"review: {text}", err=True)
        if result.new_file is None or result.script is None:
            typer.echo("no changes detected")
            return
        write_files([result.new_file])
        typer.echo(f"created {result.script.revision}: {result.new_file.path}")
        return
    new_file, script = plan_revision(
        project, message, head=head, branch_labels=tuple(branch_label),
        depends_on=tuple(depends_on), rev_id=rev_id, sql=sql, splice=splice,
    )
    write_files([new_file])
    typer.echo(f"created {script.revision}: {new_file.path}")


@app.command()
@handles_errors
def merge(
    revisions: list[str] = typer.Argument(..., help="Revisions to merge, e.g. 'heads'."),
    message: str = typer.Option(..., "--message", "-m"),
    rev_id: Optional[str] = typer.Option(None, "--rev-id"),
    branch_label: list[str] = typer.Option([], "--branch-label"),
) -> None:
    """Write a merge revision joining several heads."""
    from ..project.scaffold import plan_merge, write_files

    project = _project()
    new_file, script = plan_merge(project, " ".join(revisions), message, rev_id=rev_id,
                                  branch_labels=tuple(branch_label))
    write_files([new_file])
    typer.echo(f"created merge {script.revision} of {', '.join(script.down_revisions)}: "
               f"{new_file.path}")


def _list(entries: list, fmt: Format, line: Callable[[Any], str]) -> None:
    if fmt is Format.json:
        _emit_json([e.as_dict() for e in entries])
    else:
        for item in entries:
            typer.echo(line(item))


@app.command()
@handles_errors
def heads(fmt: Format = typer.Option(Format.text, "--format", "-f")) -> None:
    """List the current heads."""
    from ..history.listing import heads as list_heads

    project = _project()
    _list(list_heads(project.graph), fmt,
          lambda e: f"{e.revision}{' (' + ', '.join(e.branches) + ')' if e.branches else ''}"
                    f" (head), {e.message}")


@app.command()
@handles_errors
def branches(fmt: Format = typer.Option(Format.text, "--format", "-f")) -> None:
    """List branch points and the revisions that branch off them."""
    from ..history.listing import branch_points

    project = _project()
    entries = branch_points(project.graph)

    def line(e: Any) -> str:
        kids = "\n".join(f"    -> {c}, {project.graph.get(c).message}" for c in e.children)
        return f"{e.revision} (branchpoint), {e.message}\n{kids}"

    _list(entries, fmt, line)


@app.command("history")
@handles_errors
def history_cmd(
    rev_range: Optional[str] = typer.Option(None, "--rev-range", "-r", help="Range A:B."),
    fmt: Format = typer.Option(Format.text, "--format", "-f"),
) -> None:
    """List revisions, newest first."""
    from ..history.listing import describe_line, history

    project = _project()
    _list(history(project.graph, rev_range), fmt, describe_line)


class ShowFormat(str, enum.Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
@handles_errors
def show(
    rev: str = typer.Argument(..., help="Revision, label or identifier such as head-1."),
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f",
                                   help="markdown: a change ticket (implies --sql)."),
    sql: bool = typer.Option(False, "--sql", help="Show the revision's upgrade and rollback SQL."),
    dialect: list[str] = typer.Option([], "--dialect", "-d",
                                      help="Target for --sql (repeatable; default: config)."),
) -> None:
    """Show one revision's metadata, or with --sql its own upgrade and rollback SQL."""
    from ..history.listing import entry

    project = _project()
    if sql or fmt is ShowFormat.markdown:
        from ..assemble.ticket import build_ticket, render_markdown, render_sql

        ticket = build_ticket(project, rev, dialect or list(project.config.dialects))
        for target in ticket.targets:
            for diagnostic in target.diagnostics:
                typer.echo(f"{target.target}: {diagnostic}", err=True)
        if fmt is ShowFormat.json:
            _emit_json(ticket.as_dict())
        elif fmt is ShowFormat.markdown:
            typer.echo(render_markdown(ticket, project.config.templates_dir), nl=False)
        else:
            typer.echo(render_sql(ticket), nl=False)
        return
    item = entry(project.graph, project.graph.resolve_single(rev))
    if fmt is ShowFormat.json:
        _emit_json(item.as_dict())
        return
    rows = [
        ("Revision", item.revision),
        ("Parents", ", ".join(item.down_revisions) or "<base>"),
        ("Children", ", ".join(item.children) or "<head>"),
        ("Depends on", ", ".join(item.depends_on) or "-"),
        ("Branch labels", ", ".join(item.branch_labels) or "-"),
        ("On branches", ", ".join(item.branches) or "-"),
        ("Message", item.message),
        ("Create date", item.create_date or "-"),
        ("File", item.path or "-"),
        ("SHA-256", item.sha256),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        typer.echo(f"{key + ':':<{width + 1}} {value}")


@app.command()
@handles_errors
def graph(
    rev_range: Optional[str] = typer.Option(None, "--rev-range", "-r", help="Range A:B."),
) -> None:
    """Print the history as a Mermaid flowchart."""
    from ..history.listing import history
    from ..history.mermaid import render_mermaid

    project = _project()
    revs = None
    if rev_range:
        revs = [e.revision for e in history(project.graph, rev_range)]
    typer.echo(render_mermaid(project.graph, revs), nl=False)


def _write_or_print(text: str, output: Optional[Path]) -> None:
    if output is None:
        # Plain write: click's echo scans the whole text (megabytes for long histories).
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ..project.scaffold import NewFile, write_files

    write_files([NewFile(output, text)], overwrite=True)


def _strict(diagnostics: list[str], strict: bool) -> None:
    for diagnostic in diagnostics:
        typer.echo(diagnostic, err=True)
    if strict and diagnostics:
        raise SqlbundleError(f"{len(diagnostics)} diagnostic(s) and --strict is on; nothing "
                             "was written")


def _emit_sql(range_text: str, dialects: list[str], output: Optional[Path], direction: str,
              strict: bool = False, pretty: bool = False) -> None:
    from ..profile import load_profile
    from ..assemble.rendercache import render_cached

    project = _project()
    targets = dialects or list(project.config.dialects)
    if len(targets) > 1 and output is None:
        raise SqlbundleError("several dialects need -o DIR (one file per dialect)")
    # Build everything first: nothing is printed or written unless every dialect succeeds.
    outputs = []
    for target in targets:
        text, diagnostics = render_cached(project, range_text, target, direction, pretty)
        _strict(diagnostics, strict)
        outputs.append((load_profile(target), text))
    if output is not None and len(targets) > 1:
        from ..project.scaffold import NewFile, write_files

        write_files([NewFile(output / f"{direction}-{p.name}.sql", text) for p, text in outputs],
                    overwrite=True)
        return
    _write_or_print(outputs[0][1], output)


DIALECT_OPTION = typer.Option([], "--dialect", "-d",
                              help="Target, e.g. postgresql or mysql@5.7 (repeatable).")
OUTPUT_OPTION = typer.Option(None, "--output", "-o",
                             help="Write to this file (a folder with several dialects).")
STRICT_OPTION = typer.Option(False, "--strict",
                             help="Treat diagnostics (e.g. SQL sqlglot rejects) as errors.")
PRETTY_OPTION = typer.Option(False, "--pretty",
                             help="Lay out long statements (only where meaning cannot change).")
_NEGATIVE = re.compile(r"^-\d")


class RangeCommand(TyperCommand):
    """A command whose range may start with '-' (``stamp -1``, ``downgrade heads -1`` gets its
    own message), read as a range and not an unknown option, as Alembic's command line does."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if "--" not in args and any(_NEGATIVE.match(a) for a in args):
            args = [a for a in args if not _NEGATIVE.match(a)] + \
                ["--"] + [a for a in args if _NEGATIVE.match(a)]
        return super().parse_args(ctx, args)


@app.command(cls=RangeCommand)
@handles_errors
def upgrade(
    rev_range: str = typer.Argument("heads", help="[FROM:]TO, e.g. base:head or ae10:heads."),
    dialect: list[str] = DIALECT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
    strict: bool = STRICT_OPTION,
    pretty: bool = PRETTY_OPTION,
) -> None:
    """Print the SQL that upgrades a database over a range of revisions."""
    _emit_sql(rev_range, dialect, output, "upgrade", strict, pretty)


@app.command(cls=RangeCommand)
@handles_errors
def downgrade(
    rev_range: str = typer.Argument(..., help="FROM:TO, e.g. heads:base or head:head-1."),
    dialect: list[str] = DIALECT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
    strict: bool = STRICT_OPTION,
    pretty: bool = PRETTY_OPTION,
) -> None:
    """Print the SQL that downgrades a database over a range of revisions."""
    _emit_sql(rev_range, dialect, output, "downgrade", strict, pretty)


@app.command(cls=RangeCommand)
@handles_errors
def stamp(
    revision: str = typer.Argument(..., help="Revision(s) to record, e.g. heads."),
    dialect: list[str] = DIALECT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Print only the version-table statements that mark a database as at REVISION."""
    _emit_sql(revision, dialect, output, "stamp")


@app.command("bundle")
@handles_errors
def bundle_cmd(
    rev_range: str = typer.Argument("base:heads", help="[FROM:]TO, e.g. base:heads."),
    dialect: list[str] = DIALECT_OPTION,
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (config output_dir)."),
    force: bool = typer.Option(False, "--force", help="Replace a folder that is not a bundle."),
    no_guards: bool = typer.Option(False, "--no-guards", help="Leave out the version checks."),
    strict: bool = STRICT_OPTION,
    pretty: bool = PRETTY_OPTION,
) -> None:
    """Write a reviewable bundle per dialect: step files, rollback, manifest, README."""
    from ..assemble.bundle import build_bundle
    from ..assemble.writer import write_bundle

    project = _project()
    targets = dialect or list(project.config.dialects)
    out_dir = (out or project.config.output_dir)
    progress = sys.stderr.isatty()
    # Build every bundle before writing any: a failure writes nothing.
    bundles = []
    for number, target in enumerate(targets, 1):
        if progress:
            typer.echo(f"[{number}/{len(targets)}] building {target}...", err=True)
        built = build_bundle(project, rev_range, target, guards=not no_guards, pretty=pretty)
        _strict(built.diagnostics, strict)
        bundles.append(built)
    for item in bundles:
        folder = write_bundle(item, out_dir, force=force)
        steps = len(item.manifest["steps"])
        typer.echo(f"{folder}: {steps} step(s) for {item.target}")


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


def main() -> None:
    """Console-script entry point."""
    # Rendering a long history allocates millions of short-lived objects; with the default
    # thresholds the collector rescans every long-lived one over and over (about a tenth of a
    # render). Collect the young generations as usual, the oldest rarely.
    gc.set_threshold(2000, 10, 1000)
    try:
        app()
    except SystemExit as exc:
        _leave(exc.code)
    except BrokenPipeError:  # e.g. `sqlbundle history | head`
        sys.stderr.close()
        sys.exit(EXIT_OK)


def _leave(code: object) -> None:
    """End the process without freeing its heap object by object.

    A long render leaves millions of small objects, and the interpreter's teardown spent about
    80 ms (a ninth of a 5,000-revision downgrade) freeing them. Every file a command writes is
    closed before it returns, so what remains is the atexit handlers and the standard streams.
    """
    import atexit

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if (run_exit_handlers is None or (code is not None and not isinstance(code, int))
            or sys.getprofile() is not None or sys.gettrace() is not None):
        # The ordinary way: a message to print, or a profiler or debugger that reports last.
        sys.exit(code)
    run_exit_handlers()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away, as above
        code = EXIT_OK
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code or EXIT_OK)
