"""Plans: the ordered steps from one set of revisions to another, with version-table changes.

Pure: takes a ``RevisionGraph`` and resolved targets, returns values. Version bookkeeping
follows Alembic's semantics (insert at a branch start, update per step, delete+update at a
merge, the reverse on downgrade) so that databases stay interchangeable with Alembic, but every
choice Alembic leaves to set order is made here by file order instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ResolutionError, SqlbundleError
from .graph import RevisionGraph, Target, parse_relative
from .ranges import (
    DowngradeTarget,
    downgrade_range,
    downgrade_selection,
    downgrade_target,
    upgrade_range,
)


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


@dataclass(frozen=True)
class Range:
    """A range argument, parsed once where the API is entered and passed down as a value: its
    two sides as written (for display and for what migration code reads), the revisions its
    end names, and its plan (the resolved revisions and direction). ``plan`` is None for a
    bare revision that only names a schema (``replayed_state``)."""

    text: str  # as shown: the argument, or ``TO:FROM`` for a rollback
    start_text: str
    end_text: str
    named_end: tuple[str, ...]  # what end_text names (the plan's end where it is relative)
    plan: Plan | None = None
    named_start: tuple[str, ...] = ()  # what start_text names, when there is no plan

    @property
    def direction(self) -> str:
        return self.plan.direction if self.plan is not None else "upgrade"

    @property
    def start(self) -> tuple[str, ...]:
        return self.plan.start if self.plan is not None else self.named_start

    @property
    def end(self) -> tuple[str, ...]:
        return self.plan.end if self.plan is not None else self.named_end


def _named(graph: RevisionGraph, text: str, otherwise: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return tuple(graph.resolve(text).revisions)
    except SqlbundleError:  # relative to the start: where the plan ends
        return tuple(otherwise)


def upgrade_range_of(graph: RevisionGraph, text: str) -> Range:
    """``[FROM:]TO`` read for an upgrade (see ``plan_upgrade``)."""
    start_text, end_text = parse_range(text)
    start, end = upgrade_range(graph, text)
    plan = plan_upgrade_between(graph, start, end)
    return Range(text, start_text, end_text, _named(graph, end_text, plan.end), plan)


def downgrade_range_of(graph: RevisionGraph, text: str) -> Range:
    """``FROM:TO`` read for a downgrade (see ``plan_downgrade``)."""
    start_text, end_text = parse_range(text)
    start, target = downgrade_range(graph, text)
    plan = plan_downgrade_between(graph, start, target)
    return Range(text, start_text, end_text, _named(graph, end_text, plan.end), plan)


def range_of(graph: RevisionGraph, text: str, direction: str = "upgrade") -> Range:
    return upgrade_range_of(graph, text) if direction == "upgrade" \
        else downgrade_range_of(graph, text)


def named_range(graph: RevisionGraph, text: str | None) -> Range:
    """A range with no plan: the schema ``text`` (``[FROM:]TO``, default ``heads``) names."""
    text = text or "heads"
    start_text, end_text = parse_range(text)
    named_start = tuple(graph.resolve(start_text).revisions)
    return Range(text, start_text, end_text, _named(graph, end_text, ()), None, named_start)


def step_range(graph: RevisionGraph, rev: str) -> Range:
    """The upgrade that applies only ``rev``, from the state right before it: ``p1,p2:rev``
    (``base:rev`` for a revision without parents). Its rollback (``rollback_range``) removes
    only ``rev``."""
    before = graph.heads_of(graph.ancestors([rev]) - {rev})
    # Keep the file's parent order; add dependencies that are not already implied.
    parents = [p for p in graph.get(rev).down_revisions if p in before]
    start = tuple(parents + [r for r in before if r not in parents])
    below = ",".join(start) or "base"
    plan = plan_upgrade_between(graph, Target(start, below), Target((rev,), rev))
    return Range(f"{below}:{rev}", below, rev, (rev,), plan)


def rollback_range(graph: RevisionGraph, up: Range) -> Range:
    """The downgrade undoing the upgrade ``up``: ``TO:FROM``. A relative end (``base:+2``)
    means nothing as a downgrade's start, so the revisions the upgrade ended at stand in."""
    assert up.plan is not None and up.direction == "upgrade"
    if parse_relative(up.end_text) is not None:
        start = Target(up.plan.end, ",".join(up.plan.end) or "base")
    else:
        start = Target(up.named_end, up.end_text)
    target = downgrade_target(graph, start.revisions, up.start_text)
    plan = plan_downgrade_between(graph, start, target)
    return Range(f"{start.text}:{up.start_text}", start.text, up.start_text,
                 _named(graph, up.start_text, plan.end), plan)


def plan_upgrade(graph: RevisionGraph, range_text: str) -> Plan:
    """Steps to upgrade from the range's start to its end (``[FROM:]TO``, relative ends read
    as Alembic reads them: ``base:+2``, ``ae10:+1``, ``feature@+1``, ``head-1``)."""
    start, end = upgrade_range(graph, range_text)
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

    Removes every revision applied at FROM that builds on a child of TO (TO itself stays);
    ``base`` removes everything, ``-N`` walks down from FROM, ``label@base`` / ``label@-N``
    narrow the removal to that branch, all as Alembic reads them.
    """
    start, target = downgrade_range(graph, range_text)
    return plan_downgrade_between(graph, start, target)


def plan_downgrade_between(graph: RevisionGraph, start: Target, target: DowngradeTarget
                           ) -> Plan:
    have = graph.ancestors(start.revisions)
    todo = downgrade_selection(graph, start, target)
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


def plan_stamp(graph: RevisionGraph, text: str) -> Plan:
    """The version-table changes ``stamp [FROM:]TO`` makes, as Alembic's stamp does.

    Without FROM (or from base) the plan has no start and one step: the table is set to TO's
    revisions whatever it held. From FROM, each TO revision replaces the FROM rows on its line
    of descent (above or below it), or joins them as a new branch; ``base`` deletes them.
    """
    from .ranges import revisions_from_heads, split_range, stamp_lineage

    start_text, dest_text = split_range(text)
    dest_text = dest_text or "base"
    dests = revisions_from_heads(graph, dest_text)
    current = graph.resolve(start_text).revisions if start_text else ()
    if not current:
        end = tuple(sorted(dests))
        step = Step(dests[0] if dests else "base", "stamp", (), end, VersionChange())
        return Plan("stamp", (), end, (step,))
    lineage = stamp_lineage(graph, dest_text)
    mine = [h for h in current if lineage is None or h in lineage]
    rows = list(current)
    steps: list[Step] = []
    for dest in dests or (None,):
        if dest is None:
            changes = [VersionChange(delete=(h,)) for h in mine]
        elif dest in mine:
            continue  # already a row
        else:
            changes = [_stamp_change(graph, dest, mine, rows)]
        for change in changes:
            before = tuple(sorted(rows))
            rows = [r for r in rows if r not in change.delete
                    and not (change.update and r == change.update[0])]
            rows += [change.update[1]] if change.update else []
            rows += [r for r in change.insert if r not in rows]
            steps.append(Step(dest or "base", "stamp", before, tuple(sorted(rows)), change))
    return Plan("stamp", tuple(sorted(current)), tuple(sorted(rows)), tuple(steps))


def _stamp_change(graph: RevisionGraph, dest: str, mine: list[str], rows: list[str]
                  ) -> VersionChange:
    """One stamp step to ``dest`` from the FROM rows on its line of descent (``mine``)."""
    above = [h for h in mine if h in graph.descendants([dest])]
    below = [h for h in mine if h in graph.ancestors([dest])]
    if not above and not below:
        # Unrelated to every row: a branch of its own.
        return VersionChange(insert=(dest,)) if dest not in rows else VersionChange()
    if below and not above and set(mine) - set(rows) and dest not in rows:
        return VersionChange(insert=(dest,))
    # The rows collapse into one (several: a stamp "merge"); the last one named is kept.
    return VersionChange(delete=tuple(mine[:-1]), update=(mine[-1], dest))
