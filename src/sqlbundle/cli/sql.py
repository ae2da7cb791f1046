"""Commands that write SQL: ``upgrade``, ``downgrade``, ``stamp`` (to stdout or a file) and
``bundle``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from typer.core import TyperCommand

from ..errors import SqlbundleError
from .app import (
    DIALECT_OPTION,
    OUTPUT_OPTION,
    PRETTY_OPTION,
    SAFE_OPTION,
    STRICT_OPTION,
    _project,
    _strict,
    _write_or_print,
    app,
    handles_errors,
    with_safe,
)


def _emit_sql(range_text: str, dialects: list[str], output: Optional[Path], direction: str,
              strict: bool = False, pretty: bool = False, safe: bool = False) -> None:
    from ..profile import load_profile
    from ..assemble.rendercache import render_cached

    project = with_safe(_project(), safe)
    targets = dialects or list(project.config.dialects)
    if len(targets) > 1 and output is None:
        raise SqlbundleError("several dialects need -o DIR (one file per dialect)")
    # Build everything first: nothing is printed or written unless every dialect succeeds.
    outputs = []
    for profile in [load_profile(target) for target in targets]:
        text, diagnostics = render_cached(project, range_text, profile, direction, pretty)
        _strict(diagnostics, strict)
        outputs.append((profile, text))
    if output is not None and len(targets) > 1:
        from ..project.scaffold import NewFile, write_files

        write_files([NewFile(output / f"{direction}-{p.name}.sql", text) for p, text in outputs],
                    overwrite=True)
        return
    _write_or_print(outputs[0][1], output)


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
    safe: bool = SAFE_OPTION,
) -> None:
    """Print the SQL that upgrades a database over a range of revisions."""
    _emit_sql(rev_range, dialect, output, "upgrade", strict, pretty, safe)


@app.command(cls=RangeCommand)
@handles_errors
def downgrade(
    rev_range: str = typer.Argument(..., help="FROM:TO, e.g. heads:base or head:head-1."),
    dialect: list[str] = DIALECT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
    strict: bool = STRICT_OPTION,
    pretty: bool = PRETTY_OPTION,
    safe: bool = SAFE_OPTION,
) -> None:
    """Print the SQL that downgrades a database over a range of revisions."""
    _emit_sql(rev_range, dialect, output, "downgrade", strict, pretty, safe)


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
    rebuild: bool = typer.Option(
        False, "--rebuild", help="Build and write even a bundle that is current on disk."),
    schema: list[str] = typer.Option(
        [], "--schema",
        help="A tenant's schema (repeatable): one bundle per dialect and schema, in "
             "<dialect>-<schema>/, applied with that schema as the session's default and "
             "keeping its own version table there."),
    safe: bool = SAFE_OPTION,
    phases: bool = typer.Option(
        False, "--phases",
        help="Expand and contract: <dialect>-phases/ with pre-deploy/ files (additive, run "
             "before the application's deploy) and post-deploy/ files (destructive, after)."),
) -> None:
    """Write a reviewable bundle per dialect: step files, rollback, manifest, README. A bundle
    already on disk whose files and inputs are unchanged is current and left as it is."""
    from ..history.plan import upgrade_range_of
    from ..profile import parse_target
    from ..review.check import up_to_date

    project = with_safe(_project(), safe)
    targets = dialect or list(project.config.dialects)
    out_dir = (out or project.config.output_dir)
    progress = sys.stderr.isatty()
    range_text = upgrade_range_of(project.graph, rev_range).text
    # Build every bundle before writing any: a failure writes nothing.
    bundles = []
    memo: dict = {}
    jobs = [(target, tenant) for target in targets for tenant in (schema or [None])]
    for number, (target, tenant) in enumerate(jobs, 1):
        profile = parse_target(target)
        folder = f"{profile.name}-{tenant}" if tenant else profile.name
        if phases:
            from ..assemble.phases import build_phases

            bundles.append((f"{profile.name}-phases", profile, build_phases(
                project, rev_range, target, guards=not no_guards)))
            continue
        current = None if rebuild else up_to_date(
            project, out_dir / folder, range_text, profile.target, not no_guards, pretty,
            memo, schema=tenant)
        if current is not None:
            _strict(list(current["diagnostics"]), strict)
            bundles.append((folder, profile, current))
            continue
        if progress:
            typer.echo(f"[{number}/{len(jobs)}] building {folder}...", err=True)
        # Here: a bundle found current needs neither the compiler nor SQLAlchemy.
        from ..assemble.bundle import build_bundle

        built = build_bundle(project, rev_range, target, guards=not no_guards, pretty=pretty,
                             schema=tenant)
        _strict(built.diagnostics, strict)
        bundles.append((folder, profile, built))
    # All folders or none: a failure writing the second leaves the first as it was.
    from ..assemble.writer import write_bundles

    write_bundles([item for _, _, item in bundles if not isinstance(item, dict)], out_dir,
                  force=force)
    for folder, profile, item in bundles:
        steps = len(item["steps"]) if isinstance(item, dict) else len(item.manifest["steps"])
        state = ", current (not rewritten)" if isinstance(item, dict) else ""
        typer.echo(f"{out_dir / folder}: {steps} step(s) for {profile.target}{state}")
