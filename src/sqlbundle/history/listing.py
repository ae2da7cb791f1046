"""Listing values for ``heads``, ``branches``, ``history`` and ``show``: plain data, no text."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .graph import RevisionGraph
from .ranges import history_revisions


@dataclass(frozen=True)
class Entry:
    revision: str
    down_revisions: tuple[str, ...]
    children: tuple[str, ...]
    branch_labels: tuple[str, ...]  # declared by this revision
    branches: tuple[str, ...]  # labels covering it (declared or inherited)
    depends_on: tuple[str, ...]
    message: str
    path: str | None
    create_date: str | None
    sha256: str
    kind: str
    is_head: bool
    is_base: bool
    is_merge: bool
    is_branch_point: bool

    def as_dict(self) -> dict:
        return asdict(self)


def entry(graph: RevisionGraph, rev: str) -> Entry:
    script = graph.get(rev)
    children = tuple(graph.children(rev))
    return Entry(
        revision=rev,
        down_revisions=script.down_revisions,
        children=children,
        branch_labels=script.branch_labels,
        branches=graph.branch_labels_of(rev),
        depends_on=graph.dependencies(rev),
        message=script.message,
        path=script.path,
        create_date=script.create_date,
        sha256=script.sha256,
        kind=script.kind,
        is_head=not children,
        is_base=not script.down_revisions,
        is_merge=len(script.down_revisions) > 1,
        is_branch_point=len(children) > 1,
    )


def heads(graph: RevisionGraph) -> list[Entry]:
    return [entry(graph, rev) for rev in graph.heads]


def branch_points(graph: RevisionGraph) -> list[Entry]:
    return [entry(graph, rev) for rev in graph.branch_points]


def history(graph: RevisionGraph, range_text: str | None = None) -> list[Entry]:
    """Revisions newest first in Alembic's order; with ``A:B``, from A (included) up to B."""
    return [entry(graph, rev) for rev in history_revisions(graph, range_text)]


def describe_line(item: Entry) -> str:
    """Alembic-style one-line summary: ``parents -> rev (head), message``."""
    parents = ", ".join(item.down_revisions) or "<base>"
    flags = []
    if item.is_head:
        flags.append("head")
    if item.is_branch_point:
        flags.append("branchpoint")
    if item.is_merge:
        flags.append("mergepoint")
    labels = f" ({', '.join(item.branch_labels)})" if item.branch_labels else ""
    flag_text = f" ({', '.join(flags)})" if flags else ""
    return f"{parents} -> {item.revision}{labels}{flag_text}, {item.message}"
