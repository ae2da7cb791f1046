"""Commands that write new files: ``init``, ``revision`` (also ``--autogenerate``), ``merge``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import _project, app, handles_errors


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
        from ..autogen.api import plan_autogenerate

        result = plan_autogenerate(project, message, head=head, rev_id=rev_id,
                                   branch_labels=tuple(branch_label),
                                   depends_on=tuple(depends_on), splice=splice, sql=sql)
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
