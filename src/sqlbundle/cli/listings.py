"""Commands that list the history: ``heads``, ``branches``, ``history``, ``show``, ``graph``.
"""

from __future__ import annotations

import enum
import json
from typing import Any, Optional

import typer

from .app import Format, _emit_json, _list, _project, app, handles_errors


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
    guards: bool = typer.Option(
        False, "--guards",
        help="With --sql: start each step with the version-table check a bundle has, so the "
             "SQL stops on a database that is not at the revision's parents."),
) -> None:
    """Show one revision's metadata, or with --sql its own upgrade and rollback SQL."""
    from ..history.listing import entry

    project = _project()
    if sql or fmt is ShowFormat.markdown:
        from ..assemble.ticket import build_ticket, render_markdown, render_sql

        ticket = build_ticket(project, rev, dialect or list(project.config.dialects), guards)
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
