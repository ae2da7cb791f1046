"""Commands over the replayed schema: ``schema`` (a snapshot), ``drift`` (a dump compared
with the history) and ``verify`` (a bundle applied to a scratch database and compared)."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Optional

import typer

from ..errors import SqlbundleError
from .app import (
    EXIT_FINDINGS,
    EXIT_OK,
    OUTPUT_OPTION,
    _project,
    _write_or_print,
    app,
    handles_errors,
)


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


class ReportFormat(str, enum.Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


def _report(title: str, sections: list[tuple[str, tuple]], fmt: ReportFormat, data: dict,
            notes: list[str], output: Optional[Path], failed: bool, unread: int = 0,
            stopped: str = "") -> None:
    """Print (or write) a difference report, its differences in ``sections`` of (heading,
    differences); exit 1 when ``failed``. ``unread``: statements not compared, which a
    clean result must not hide."""
    from ..review.schemadiff import differences_markdown

    count = sum(len(found) for _, found in sections)
    clean = "no differences" + (f" in what was read ({unread} statement(s) not compared, "
                                "see the notes)" if unread else "")
    if stopped:  # a step that cannot be applied is not a clean result
        clean = f"no differences before {stopped}, which could not be applied (see the note)"
    if fmt is ReportFormat.json:
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    elif fmt is ReportFormat.markdown:
        text = f"# {title}\n\n" + "".join(
            differences_markdown(found, heading).replace("# ", "## ", 1 if heading else 0) + "\n"
            for heading, found in sections if found)
        text += "" if count else clean[0].upper() + clean[1:] + ".\n\n"
        text += "".join(f"> {note}\n\n" for note in notes)
        text = text.rstrip("\n") + "\n"
    else:
        lines = [title]
        for heading, found in sections:
            prefix = f"{heading}: " if heading else ""
            lines += [f"  {prefix}{d.text()}" for d in found]
        lines += [f"note: {note}" for note in notes]
        lines.append(f"{count} difference(s)" if count else clean)
        text = "\n".join(lines) + "\n"
    _write_or_print(text, output)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


@app.command("drift")
@handles_errors
def drift_cmd(
    dump: Path = typer.Option(..., "--dump", help="A schema dump: pg_dump --schema-only, "
                              "mysqldump/mariadb-dump --no-data, sqlite3 DB .schema."),
    dialect: Optional[str] = typer.Option(
        None, "--dialect", "-d", help="The dump's database (default: the project's only "
        "dialect)."),
    at: Optional[str] = typer.Option(
        None, "--at", help="Compare with this revision (default: what the dump's version "
        "table records, else the closest revision)."),
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f"),
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Compare a schema dump with the replayed history, offline: tables, columns, constraints
    and indexes missing, extra or different. Exit 0 when equal, 1 when drifted, 2 when the
    dump cannot be read."""
    from ..review.drift import drift

    project = _project()
    report = drift(project, dump, _one_dialect(project, dialect), at)
    notes = [f"not compared (cannot be read): {line}" for line in report.skipped]
    _report(f"drift: {report.heading()}", [("", report.differences)], fmt, report.as_dict(),
            notes, output, report.drifted, len(report.skipped))


@app.command("verify")
@handles_errors
def verify_cmd(
    rev_range: str = typer.Argument("base:heads", help="[FROM:]TO, the bundle's range."),
    dialect: Optional[str] = typer.Option(
        None, "--dialect", "-d", help="Target (default: the project's only dialect); "
        "without --url: sqlite or duckdb."),
    url: Optional[str] = typer.Option(
        None, "--url", help="A scratch SERVER (SQLAlchemy URL, e.g. "
        "postgresql+psycopg2://me@dbhost/postgres): a new database is created there, used "
        "and dropped; a URL naming any other existing database is refused."),
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f"),
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Apply the bundle's upgrade, rollback and upgrade again to a throwaway database and
    compare the schema after each pass with the replayed one. The only command that opens a
    connection: to an embedded SQLite/DuckDB file, or to a database it creates and drops on a
    scratch server. Exit 1 with the differences."""
    import tempfile

    from ..review.verify import verify

    project = _project()
    with tempfile.TemporaryDirectory(prefix="sqlbundle-verify-") as workdir:
        report = verify(project, rev_range, _one_dialect(project, dialect), url, Path(workdir))
    notes = [f"after {p.name}: version rows {', '.join(p.versions) or '(none)'}, expected "
             f"{', '.join(p.expected_versions) or '(none)'}"
             for p in report.passes if p.versions != p.expected_versions]
    done = [f"{p.name} {'ok' if p.ok else 'DIFFERS'}" for p in report.passes]
    failed_pass = ""
    if report.stopped:
        from ..review.verify import PASSES

        failed_pass = PASSES[len(report.passes)][0]
        done.append(f"{failed_pass} FAILED")
        notes.append(report.stopped)
    title = f"verify: {report.range} for {report.target} on {report.where}: " + ", ".join(done)
    data = {"target": report.target, "range": report.range, "where": report.where,
            "ok": report.ok, "stopped": report.stopped, "passes": [
                {"name": p.name, "ok": p.ok, "versions": list(p.versions),
                 "expected_versions": list(p.expected_versions),
                 "differences": [d.as_dict() for d in p.differences]} for p in report.passes]}
    _report(title, [(f"after {p.name}", p.differences) for p in report.passes], fmt, data,
            notes, output, not report.ok, stopped=failed_pass)
