"""New projects and new migration files, built as values and then written atomically."""

from __future__ import annotations

import datetime as _dt
import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, ResolutionError, SqlbundleError
from ..modes import file_mode
from ..history.graph import RevisionGraph
from .config import Config
from .model import Project
from ..source.script import Script
from .templating import render


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str


def slugify(message: str, length: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")
    if length and len(slug) > length:
        # Cut at a word boundary when there is one, like Alembic.
        cut = slug[:length]
        slug = cut.rsplit("_", 1)[0] if "_" in cut else cut
    return slug or "revision"


def _now() -> _dt.datetime:
    # SOURCE_DATE_EPOCH lets tests and reproducible builds fix the clock.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc).replace(tzinfo=None)
    return _dt.datetime.now()


def new_rev_id() -> str:
    return uuid.uuid4().hex[-12:]


def plan_revision(
    project: Project,
    message: str,
    *,
    head: str = "head",
    branch_labels: tuple[str, ...] = (),
    depends_on: tuple[str, ...] = (),
    rev_id: str | None = None,
    sql: bool = False,
    splice: bool = False,
    parents: tuple[str, ...] | None = None,
    upgrade_body: str = "",
    downgrade_body: str = "",
    source_dialect: str | None = None,
) -> tuple[NewFile, Script]:
    """The new migration file for ``revision -m MESSAGE`` (or for a merge with ``parents``)."""
    graph = project.graph
    config = project.config
    if parents is None:
        parents = _parents_for(graph, head, splice)
    rev_id = rev_id or new_rev_id()
    deps = tuple(graph.resolve_single(d) if d not in graph.labels else d for d in depends_on)
    now = _now()
    name = config.file_template % {
        "rev": rev_id,
        "slug": slugify(message, config.truncate_slug_length),
        "epoch": int(now.timestamp()),
        "year": now.year, "month": now.month, "day": now.day,
        "hour": now.hour, "minute": now.minute, "second": now.second,
    }
    folder = _folder_for(project, parents)
    path = folder / (name + (".sql" if sql else ".py"))
    context = {
        "message": message,
        "revision": rev_id,
        "down_revisions": parents,
        "down_revision": _scalar(parents),
        "branch_labels": tuple(branch_labels) or None,
        "depends_on": _scalar(deps),
        "create_date": now.strftime("%Y-%m-%d %H:%M:%S"),
        "source_dialect": source_dialect or config.source_dialect or "postgres",
        "upgrade_body": upgrade_body,
        "downgrade_body": downgrade_body,
        "op_module": op_module(config),
    }
    template = "migration.sql.j2" if sql else "migration.py.j2"
    text = render(template, config.templates_dir, **context)
    shown = os.path.relpath(path, config.root)
    script = Script(rev_id, parents, branch_labels, deps, message, shown, None, "", "sql" if sql else "python")
    # Building the graph with the new script catches duplicate ids and labels before writing.
    RevisionGraph([*project.scripts, script])
    if path.exists():
        raise SqlbundleError("file already exists", path=str(path), hint="pick another --rev-id")
    return NewFile(path, text), script


def op_module(config: Config) -> str:
    """Where a new migration imports ``op`` from: the ``op_import`` setting, else Alembic's
    own module in a project Alembic reads too (an alembic.ini), so both tools load the file
    (sqlbundle answers ``import alembic`` with its stand-ins while migrations run)."""
    if config.op_import is not None:
        return config.op_import
    return "alembic" if any(p.suffix == ".ini" for p in config.sources) else "sqlbundle"


def _scalar(values: tuple[str, ...]) -> object:
    if not values:
        return None
    return values[0] if len(values) == 1 else tuple(values)


def _parents_for(graph: RevisionGraph, head: str, splice: bool) -> tuple[str, ...]:
    if len(graph) == 0 and head in ("head", "heads", "base"):
        return ()  # the first revision of a new history
    target = graph.resolve(head)
    for rev in target.revisions:
        if rev not in graph.heads and not splice:
            raise ResolutionError(
                f"{head!r} ({rev}) is not a head; a new revision on it starts a new branch",
                hint="pass --splice to branch from it on purpose, or --head head",
            )
    return target.revisions


def _folder_for(project: Project, parents: tuple[str, ...]) -> Path:
    """Next to the first parent when it lives in one of the version locations."""
    locations = project.config.version_locations
    if parents:
        parent_dir = project.file_of(parents[0]).parent
        if parent_dir in locations:
            return parent_dir
    return locations[0]


def plan_merge(project: Project, revisions: str, message: str, *, rev_id: str | None = None,
               branch_labels: tuple[str, ...] = ()) -> tuple[NewFile, Script]:
    """A merge revision whose parents are ``revisions`` (e.g. ``heads`` or ``a,b``)."""
    graph = project.graph
    parents: list[str] = []
    for part in revisions.replace(",", " ").split():
        for rev in graph.resolve(part).revisions:
            if rev not in parents:
                parents.append(rev)
    if len(parents) < 2:
        raise ResolutionError(
            f"merge needs at least two revisions; {revisions!r} names {len(parents)}",
            hint="e.g. 'sqlbundle merge heads -m \"merge\"'",
        )
    for rev in parents:
        others = [p for p in parents if p != rev]
        if rev in graph.ancestors(others, dependencies=False):
            raise ResolutionError(f"{rev} is already an ancestor of another merged revision")
    return plan_revision(project, message, rev_id=rev_id, parents=tuple(parents),
                         branch_labels=branch_labels)


def plan_init(directory: Path, dialects: tuple[str, ...] = ("postgresql",)) -> list[NewFile]:
    """Files of a new project: config, an empty versions folder, template copies."""
    from ..resources import data_dir

    for name in ("sqlbundle.toml", "alembic.ini"):
        if (directory / name).exists():
            raise ConfigError(
                f"{name} already exists here; this is already a project", path=str(directory)
            )
    files = [
        NewFile(directory / "sqlbundle.toml", render("project.toml.j2", None, dialects=list(dialects))),
        NewFile(directory / "versions" / ".keep", ""),
    ]
    for template in ("migration.py.j2", "migration.sql.j2"):
        files.append(NewFile(directory / "templates" / template,
                             (data_dir("templates") / template).read_text("utf-8")))
    return files


def write_files(files: list[NewFile], *, overwrite: bool = False) -> None:
    """Write each file via a temporary sibling and a rename; never a half-written file.

    Nothing is written unless every target folder can be created."""
    for item in files:
        if item.path.exists() and not overwrite:
            raise SqlbundleError("file already exists", path=str(item.path))
    written: list[Path] = []
    try:
        for item in files:
            item.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=item.path.parent)
            os.fchmod(fd, file_mode())  # mkstemp's 0600 would lock out everyone else
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(item.text)
            os.replace(tmp, item.path)
            written.append(item.path)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise SqlbundleError(
            f"cannot write: {exc.strerror}", path=str(exc.filename or files[0].path)
        ) from None

