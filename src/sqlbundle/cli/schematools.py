"""Commands that rewrite the history from its replayed schema: ``squash``.
"""

from __future__ import annotations

import os

import typer

from .app import _project, app, handles_errors


@app.command("squash")
@handles_errors
def squash_cmd(
    to: str = typer.Option(..., "--to", metavar="REV",
                           help="The last revision to replace; the baseline keeps its id."),
    message: str = typer.Option(..., "--message", "-m", help="The baseline's message."),
    dry_run: bool = typer.Option(False, "--dry-run",
                                 help="Print the baseline and what would change; write nothing."),
    include_locked: bool = typer.Option(
        False, "--include-locked",
        help="Replace locked revisions too; sqlbundle.lock then records the baseline."),
    without_data: bool = typer.Option(
        False, "--without-data",
        help="Allow replacing revisions that change data (new databases will not get it)."),
) -> None:
    """Replace the history up to REV by one baseline migration that creates REV's schema.
    The baseline is proved (replayed for every configured dialect) before anything is written;
    databases at REV or later need nothing."""
    from ..review.squash import plan_squash, write_squash

    project = _project()
    plan = plan_squash(project, to, message, include_locked, without_data=without_data)
    root = project.config.root
    for note in plan.data_dropped:
        typer.echo(f"warning: data change not carried by the baseline: {note}", err=True)
    if dry_run:
        typer.echo(plan.new_file.text, nl=False)
        typer.echo(f"would write {os.path.relpath(plan.new_file.path, root)}", err=True)
        for path in plan.removed:
            typer.echo(f"would remove {os.path.relpath(path, root)}", err=True)
        if plan.lock_text is not None:
            typer.echo(f"would update sqlbundle.lock (dropping {len(plan.lock_dropped)} "
                       "entries, adding the baseline)", err=True)
        return
    write_squash(project, plan)
    for path in plan.removed:
        if path != plan.new_file.path:
            typer.echo(f"removed {os.path.relpath(path, root)}")
    typer.echo(f"wrote {os.path.relpath(plan.new_file.path, root)} (revision {plan.revision}, "
               f"replaces {len(plan.replaces)}; proved for {', '.join(plan.dialects)})")
    if plan.lock_text is not None:
        typer.echo("updated sqlbundle.lock")
    typer.echo(f"note: databases at a replaced revision must reach {plan.revision} with the old "
               f"history first (or be stamped {plan.revision}); rebuild the bundles", err=True)
