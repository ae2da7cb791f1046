"""Plans: the ordered steps from one set of revisions to another, with version-table changes.

Pure: takes a ``RevisionGraph`` and resolved targets, returns values. Version bookkeeping
follows Alembic's semantics (insert at a branch start, update per step, delete+update at a
merge, the reverse on downgrade) so that databases stay interchangeable with Alembic, but every
choice Alembic leaves to set order is made here by file order instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ResolutionError
from .graph import RevisionGraph, Target


@dataclass(frozen=True)
class VersionChange:
    """Rows of the version table changed by one step, applied in this order:
    deletes, then the update, then inserts."""

    delete: tuple[str, ...] = ()
    update: tuple[str, str] | None = None  # (from revision, to revision)
    insert: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [f"delete {r}" for r in self.delete]
        if self.update:
            parts.append(f"update {self.update[0]} -> {self.update[1]}")
        parts.extend(f"insert {r}" for r in self.insert)
        return ", ".join(parts)


@dataclass(frozen=True)
class Step:
    """One migration applied in one direction."""

    revision: str
    direction: str  # "upgrade" or "downgrade"
    heads_before: tuple[str, ...]  # version rows the step expects, sorted
    heads_after: tuple[str, ...]
    version: VersionChange

    @property
    def is_upgrade(self) -> bool:
        return self.direction == "upgrade"


@dataclass(frozen=True)
class Plan:
    direction: str
    start: tuple[str, ...]  # version rows before the first step, sorted
    end: tuple[str, ...]  # version rows after the last step, sorted
    steps: tuple[Step, ...]


def parse_range(text: str, *, default_start: str = "base") -> tuple[str, str]:
    """Split ``A:B`` into its two sides; a bare ``B`` means ``default_start:B``."""
    if ":" in text:
        start, _, end = text.partition(":")
        if ":" in end:
            raise ResolutionError(f"{text!r} is not a range; expected 'FROM:TO'")
        return start.strip() or default_start, end.strip()
    return default_start, text.strip()


def _resolve_end(graph: RevisionGraph, start: Target, end_text: str) -> Target:
    """Resolve the end of a range; a bare ``+N``/``-N`` is relative to the start."""
    stripped = end_text.strip()
    if stripped[:1] in "+-" and stripped[1:].isdigit():
        if len(start.revisions) != 1:
            raise ResolutionError(
                f"{end_text!r} is relative to the start of the range, which must be one revision"
            )
        return graph.resolve(f"{start.revisions[0]}{stripped}")
    return graph.resolve(end_text)


def plan_upgrade(graph: RevisionGraph, range_text: str) -> Plan:
    """Steps to upgrade from the range's start to its end (``[FROM:]TO``)."""
    start_text, end_text = parse_range(range_text)
    start = graph.resolve(start_text)
    if start_text.strip()[:1] in "+-":
        raise ResolutionError(f"{range_text!r}: the start of a range cannot be relative")
    end = _resolve_end(graph, start, end_text)
    return plan_upgrade_between(graph, start, end)


def plan_upgrade_between(graph: RevisionGraph, start: Target, end: Target) -> Plan:
    have = graph.ancestors(start.revisions)
    want = graph.ancestors(end.revisions)
    todo = want - have
    missing_from_end = have - want
    if missing_from_end and not todo:
        behind = graph.topo_sorted(missing_from_end)[-1]
        raise ResolutionError(
            f"range {start.text}:{end.text} goes the wrong way for an upgrade: "
            f"{end.text} is below {start.text} (e.g. {behind} would have to be removed)",
            hint=f"use 'sqlbundle downgrade {start.text}:{end.text}'",
        )
    heads = set(start.revisions)
    steps: list[Step] = []
    for rev in graph.topo_sorted(todo):
        before = tuple(sorted(heads))
        change = _upgrade_change(graph, rev, heads)
        heads = (heads - set(change.delete) - ({change.update[0]} if change.update else set()))
        heads |= {rev}
        steps.append(Step(rev, "upgrade", before, tuple(sorted(heads)), change))
    return Plan("upgrade", tuple(sorted(set(start.revisions))), tuple(sorted(heads)), tuple(steps))


def _upgrade_change(graph: RevisionGraph, rev: str, heads: set[str]) -> VersionChange:
    present = [r for r in graph.normalized_down_revisions(rev) if r in heads]
    if not present:
        return VersionChange(insert=(rev,))
    # At a merge, keep the first parent's row (file order) and delete the others.
    return VersionChange(delete=tuple(present[1:]), update=(present[0], rev))


def plan_downgrade(graph: RevisionGraph, range_text: str) -> Plan:
    """Steps to downgrade from the range's start to its end (``FROM:TO``).

    Removes every revision applied at FROM that builds on TO (TO itself stays); ``base``
    removes everything, ``label@base`` the whole labelled branch.
    """
    if ":" not in range_text:
        raise ResolutionError(
            f"downgrade needs a range 'FROM:TO' (got {range_text!r}): offline SQL cannot know "
            "which revision the database is at",
            hint=f"e.g. 'heads:{range_text}'",
        )
    start_text, end_text = parse_range(range_text)
    start = graph.resolve(start_text)
    end_text = end_text.strip()
    remove_branch = None
    if end_text.endswith("@base") and end_text[:-5] in graph.labels:
        remove_branch = end_text[:-5]
    end = _resolve_end(graph, start, end_text)
    have = graph.ancestors(start.revisions)
    if remove_branch is not None:
        todo = {r for r in have if remove_branch in graph.branch_labels_of(r)}
        todo = graph.descendants(todo) & have
    elif end.is_base:
        todo = set(have)
    else:
        todo = (graph.descendants(end.revisions) & have) - set(end.revisions)
        not_below = [r for r in end.revisions if r not in have]
        if not_below:
            raise ResolutionError(
                f"range {start.text}:{end.text} goes the wrong way for a downgrade: "
                f"{', '.join(not_below)} is not below {start.text}",
                hint=f"use 'sqlbundle upgrade {start.text}:{end.text}'",
            )
    heads = set(graph.heads_of(have)) if start.revisions else set()
    extra = set(start.revisions) - heads
    if extra:
        raise ResolutionError(
            f"{start.text}: {', '.join(sorted(extra))} is below another starting revision; "
            "a database's version table holds only heads"
        )
    steps: list[Step] = []
    for rev in reversed(graph.topo_sorted(todo)):
        before = tuple(sorted(heads))
        change = _downgrade_change(graph, rev, heads)
        heads = heads - {rev} - set(change.delete)
        heads |= set(change.insert) | ({change.update[1]} if change.update else set())
        steps.append(Step(rev, "downgrade", before, tuple(sorted(heads)), change))
    return Plan("downgrade", tuple(sorted(start.revisions)), tuple(sorted(heads)), tuple(steps))


def _downgrade_change(graph: RevisionGraph, rev: str, heads: set[str]) -> VersionChange:
    downs = graph.normalized_down_revisions(rev)
    others = heads - {rev}
    # Parents still implied by another remaining head need no row of their own.
    restore = [d for d in downs if not graph.is_ancestor(d, others)]
    if len(restore) > 1:
        # Drop parents that are ancestors of other restored parents (via depends_on).
        restore = [d for d in restore if not any(
            d != o and graph.is_ancestor(d, [o]) for o in restore)]
    if not restore:
        return VersionChange(delete=(rev,))
    return VersionChange(update=(rev, restore[0]), insert=tuple(restore[1:]))
