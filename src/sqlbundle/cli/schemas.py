"""Commands over the replayed schema: ``schema`` (a snapshot), ``drift`` (a dump compared
with the history) and ``verify`` (a bundle applied to a scratch database and compared)."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Optional

import typer

from ..errors import SqlbundleError
from .app import OUTPUT_OPTION, _project, _write_or_print, app, handles_errors


class SchemaFormat(str, enum.Enum):
    sql = "sql"
    json = "json"
    markdown = "markdown"


def _one_dialect(project: object, dialect: Optional[str]) -> str:
    if dialect:
        return dialect
    dialects = list(project.config.dialects)  # type: ignore[attr-defined]
    if len(dialects) != 1:
        raise SqlbundleError("name the dialect with -d (the project targets "
                             f"{', '.join(dialects)})")
    return dialects[0]


@app.command("schema")
@handles_errors
def schema_cmd(
    revision: str = typer.Argument("heads", help="The revision(s) to describe."),
    dialect: Optional[str] = typer.Option(
        None, "--dialect", "-d", help="Target, e.g. postgresql (default: the project's only "
        "one)."),
    output: Optional[Path] = OUTPUT_OPTION,
    fmt: SchemaFormat = typer.Option(SchemaFormat.sql, "--format", "-f"),
    stamp: bool = typer.Option(
        False, "--stamp", help="SQL: also create the version table and record the revision, "
        "for a new database that then takes the bundles after it."),
) -> None:
    """The schema at a revision (default: the heads), replayed without a database: a CREATE
    script for the dialect, a stable JSON description, or Markdown for a ticket."""
    from ..review.snapshot import snapshot_data, snapshot_markdown, snapshot_sql, take_snapshot

    project = _project()
    snapshot = take_snapshot(project, revision, _one_dialect(project, dialect))
    if fmt is SchemaFormat.json:
        text = json.dumps(snapshot_data(snapshot), indent=2, sort_keys=True,
                          ensure_ascii=False) + "\n"
    elif fmt is SchemaFormat.markdown:
        text = snapshot_markdown(project, snapshot)
    else:
        text = snapshot_sql(project, snapshot, stamp=stamp)
    _write_or_print(text, output)
