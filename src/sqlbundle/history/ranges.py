"""Ranges as Alembic reads them: ``FROM:TO`` with relative ends, for upgrade, downgrade, stamp
and history.

Alembic gives a relative end different meanings per command (``+2`` walks up from the range's
start, ``-1`` down from it, ``label@+1`` up along a branch, ``history -r -3:`` from the heads);
this module reads each the same way, so an Alembic user's range selects the same revisions.
Where Alembic fails on a form (an assertion, a walk past base), the answer here is one
``ResolutionError`` saying what to write instead. Pure: a ``RevisionGraph`` in, values out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ResolutionError
from .graph import Relative, RevisionGraph, Target, parse_relative


def split_range(text: str) -> tuple[str | None, str]:
    """``A:B`` → (``A``, ``B``); a bare ``B`` → (None, ``B``). More than one ``:`` is an error."""
    if ":" not in text:
        return None, text.strip()
    start, _, end = text.partition(":")
    if ":" in end:
        raise ResolutionError(f"{text!r} is not a range; expected 'FROM:TO'")
    return start.strip(), end.strip()


def _start(graph: RevisionGraph, text: str | None, whole: str) -> Target:
    """A range's start: an absolute identifier (``base`` when left out)."""
    if not text:
        return Target((), "base")
    relative = parse_relative(text)
    if relative is not None and relative.symbol is None:
        raise ResolutionError(
            f"{whole!r}: the start {text!r} is relative to the database's current revision, "
            "which offline SQL cannot know",
            hint="name the revision the database is at, e.g. 'ae10:+1'",
        )
    return graph.resolve(text)


# ----------------------------------------------------------------------------------- upgrade


def upgrade_range(graph: RevisionGraph, text: str) -> tuple[Target, Target]:
    """(start, end) of ``[FROM:]TO`` for an upgrade; ``FROM`` defaults to base."""
    start_text, end_text = split_range(text)
    start = _start(graph, start_text, text)
    return start, upgrade_target(graph, start.revisions, end_text)


def upgrade_target(graph: RevisionGraph, current: tuple[str, ...], text: str,
                   *, clamp: bool = False) -> Target:
    """Where an upgrade from ``current`` goes (Alembic's ``_parse_upgrade_target``).

    ``+N`` walks up from the one current revision (from base: the one base); ``label@+N``
    walks up along the label's branch, from the current revision on it; ``X+N`` from ``X``;
    ``X-N`` down from ``X``. ``clamp`` (history listings) stops an upward walk at a head
    instead of failing.
    """
    if not text:
        raise ResolutionError("empty revision identifier")
    relative = parse_relative(text)
    if relative is None:
        return graph.resolve(text)
    if relative.symbol is not None:
        if clamp and relative.steps > 0:
            start = graph.resolve_single(relative.symbol) if relative.symbol != "base" else None
            return Target(_one(graph.walk(start, relative.steps, label=relative.label,
                                          text=text, clamp=True)), text)
        return graph.resolve(text)
    _not_zero(relative, text)
    if relative.steps < 0:
        raise ResolutionError(
            f"{text!r} goes down from the range's start; an upgrade goes up",
            hint=f"use 'sqlbundle downgrade FROM:{text}' or an upward step such as '+1'",
        )
    starts: tuple[str | None, ...] = current or (None,)
    if relative.label:
        starts = _on_branch(graph, current, relative.label)
    if len(starts) > 1:
        raise ResolutionError(
            f"{text!r} is relative to the range's start, which names {len(starts)} revisions "
            f"({', '.join(s or 'base' for s in starts)}); walking up from them is ambiguous",
            hint="start from one revision, or narrow with a branch label ('label@+N')",
        )
    return Target(_one(graph.walk(starts[0], relative.steps, label=relative.label, text=text,
                                  clamp=clamp)), text)


def _not_zero(relative: Relative, text: str) -> None:
    if relative.steps == 0:
        raise ResolutionError(f"{text!r} is zero steps from the range's start",
                              hint="name the revision to stop at, or a step such as '+1'")


def _on_branch(graph: RevisionGraph, current: tuple[str, ...], label: str
               ) -> tuple[str | None, ...]:
    """Where ``label@+N`` starts: the current revisions on the label's lineage, else the
    newest revisions below them that are on it, else base."""
    lineage = graph.lineage(label)
    on = tuple(r for r in current if r in lineage)
    if on:
        return on
    active = [r for r in graph.ancestors(current) if r in lineage]
    below = {d for r in active for d in graph.normalized_down_revisions(r)}
    tips = tuple(sorted(set(active) - below))
    return tips or (None,)


def _one(rev: str | None) -> tuple[str, ...]:
    return (rev,) if rev is not None else ()


# --------------------------------------------------------------------------------- downgrade


@dataclass(frozen=True)
class DowngradeTarget:
    """Where a downgrade goes: ``revisions`` stay (empty: base); ``branch`` is the label (or
    revision used as one) that narrows which of their children are removed."""

    revisions: tuple[str, ...]
    branch: str | None
    text: str


def downgrade_range(graph: RevisionGraph, text: str) -> tuple[Target, DowngradeTarget]:
    """(start, target) of ``FROM:TO`` for a downgrade."""
    start_text, end_text = split_range(text)
    if start_text is None:
        raise ResolutionError(
            f"downgrade needs a range 'FROM:TO' (got {text!r}): offline SQL cannot know "
            "which revision the database is at",
            hint=f"e.g. 'heads:{text}'",
        )
    start = _start(graph, start_text, text)
    return start, downgrade_target(graph, start.revisions, end_text)


def downgrade_target(graph: RevisionGraph, current: tuple[str, ...], text: str
                     ) -> DowngradeTarget:
    """Alembic's ``_parse_downgrade_target``: ``-N`` walks down from the one current revision
    (``label@-N`` from the current revision on that branch), ``X+N`` up from ``X``, ``X-N``
    down from ``X``, where one step below a base is base."""
    if not text:
        raise ResolutionError("empty revision identifier")
    relative = parse_relative(text)
    if relative is None:
        branch, _, symbol = text.rpartition("@")
        if symbol == "base":
            if branch:
                graph.resolve_branch(branch)  # an unknown name is an error, not base
            return DowngradeTarget((), branch or None, text)
        return DowngradeTarget(graph.resolve(text).revisions, branch or None, text)
    if relative.symbol is not None:
        return DowngradeTarget(graph.resolve(text).revisions, relative.label, text)
    _not_zero(relative, text)
    if relative.steps > 0:
        raise ResolutionError(
            f"{text!r} goes up from the range's start; a downgrade goes down",
            hint=f"use 'sqlbundle upgrade FROM:{text}' or a downward step such as '-1'",
        )
    branch = relative.label
    if branch:
        lineage = graph.lineage(branch)
        on = [r for r in current if r in lineage]
        if not on:
            # The branch may end below the start's revisions, e.g. under a dependency: its
            # newest applied revisions are those no applied revision names as down_revision.
            applied = graph.ancestors(current)
            below = {p for r in applied for p in graph.get(r).down_revisions}
            on = sorted(r for r in applied - below if r in lineage)
        if len(on) != 1:
            raise ResolutionError(
                f"{text!r}: the range's start has {len(on) or 'no'} revision(s) on branch "
                f"{branch!r}" + (f" ({', '.join(on)})" if on else ""),
                hint="start the range from one revision on that branch",
            )
        symbol = on[0]
    else:
        if not current:
            raise ResolutionError(f"{text!r} walks below base (the range starts at base)")
        if len(current) > 1:
            raise ResolutionError(
                f"{text!r} is relative to the range's start, which names {len(current)} "
                f"revisions ({', '.join(current)}); walking down from them is ambiguous",
                hint=f"start from one of them ('{current[0]}:{text}'), or narrow with a "
                f"branch label ('label@{text}')",
            )
        symbol = branch = current[0]
    rev = graph.walk(symbol, relative.steps, text=text)
    return DowngradeTarget(_one(rev), branch, text)


def downgrade_selection(graph: RevisionGraph, start: Target, target: DowngradeTarget
                        ) -> set[str]:
    """The revisions a downgrade from ``start`` to ``target`` removes (Alembic's rule):
    everything applied that builds on a child of the target (on base: on a base), where a
    branch name keeps only the children below that branch."""
    if target.revisions:
        roots = sorted({c for r in target.revisions for c in graph.children(r)})
    else:
        roots = list(graph.bases)
    if target.branch and len(roots) > 1:
        below = graph.ancestors([graph.resolve_branch(target.branch)], dependencies=False)
        roots = [r for r in roots if r in below]
        if not roots:
            raise ResolutionError(
                f"{target.text!r} is not a downgrade target from {start.text}: no revision "
                f"below it is on branch {target.branch!r}"
            )
    have = graph.ancestors(start.revisions)
    todo = graph.descendants(roots) & have
    if target.revisions and not todo:
        missing = [r for r in target.revisions if r not in start.revisions]
        if missing:
            raise ResolutionError(
                f"range {start.text}:{target.text} goes the wrong way for a downgrade: "
                f"{', '.join(missing)} is not below {start.text}",
                hint=f"use 'sqlbundle upgrade {start.text}:{target.text}'",
            )
    return todo


# ---------------------------------------------------------------------------------- history


def history_revisions(graph: RevisionGraph, text: str | None) -> list[str]:
    """The revisions ``alembic history [-r A:B]`` lists, in its order (newest first).

    ``A:B`` includes ``A``; ``A:`` runs to the heads and ``:B`` from base; ``-N:`` starts N
    below the heads, ``A:+N`` ends N above ``A``.
    """
    if text is None:
        lower, upper = "base", "heads"
    else:
        if ":" not in text:
            raise ResolutionError(f"-r needs a range (got {text!r}): 'A:B', 'A:' or ':B'")
        lower, upper = split_range(text)
        lower, upper = lower or "base", upper or "heads"
    current = revisions_from_heads(graph, lower)
    targets = upgrade_target(graph, current, upper, clamp=True).revisions
    if "@" in lower:
        label = _label_of(graph, lower.partition("@")[0])
        targets = tuple(t for t in targets if label in graph.branch_labels_of(t))
    required = graph.ancestors(targets)
    outside = [r for r in current if r not in required]
    if outside:
        raise ResolutionError(
            f"history range {text!r}: {', '.join(outside)} is not below {upper} on the same "
            "line of descent",
            hint="put the older revision first: 'OLDER:NEWER'",
        )
    needs = (required - graph.ancestors(current)) | set(current)
    if current:
        needs &= graph.descendants(current, dependencies=False)
    return newest_first(graph, needs, targets)


def _label_of(graph: RevisionGraph, name: str) -> str:
    """The branch label ``name@...`` narrows to: the label itself, or for a revision id the
    one label covering that revision (Alembic's reading)."""
    if name in graph.labels or name not in graph:
        return name
    covering = graph.branch_labels_of(name)
    if len(covering) != 1:
        raise ResolutionError(
            f"{name!r} is used as a branch name but is on {len(covering)} labelled branches"
            + (f" ({', '.join(covering)})" if covering else ""),
            hint="use a branch label",
        )
    return covering[0]


def revisions_from_heads(graph: RevisionGraph, text: str) -> tuple[str, ...]:
    """Alembic's reading of a revision list outside a range: ``-N`` is every head N steps
    down (``label@-N`` the label's heads), ``label@base`` is base; else ``resolve``."""
    relative = parse_relative(text)
    if relative is not None and relative.symbol is None:
        if relative.steps >= 0:
            raise ResolutionError(
                f"{text!r} is relative to the database's current revision, which offline SQL "
                "cannot know",
                hint="write it relative to a revision, e.g. 'head-1' or 'ae10+2'",
            )
        heads = graph.real_heads
        if relative.label:
            graph.resolve_branch(relative.label)  # an unknown name is an error
            # Alembic keeps the heads carrying that label (none, for a revision id).
            heads = [h for h in heads if relative.label in graph.branch_labels_of(h)]
        found = [graph.walk(h, relative.steps, text=text) for h in heads]
        return tuple(dict.fromkeys(r for r in found if r is not None))
    branch, _, symbol = text.rpartition("@")
    if branch and symbol == "base":
        graph.resolve_branch(branch)
        return ()
    return graph.resolve(text).revisions


def stamp_lineage(graph: RevisionGraph, text: str) -> set[str] | None:
    """Where ``stamp FROM:TO`` looks for the FROM rows TO replaces: revisions above or below
    what TO names (through depends_on too), and its branch's; None (every row) for base."""
    names = list(revisions_from_heads(graph, text))
    branch = text.rpartition("@")[0]
    if branch:
        names.append(graph.resolve_branch(branch))
    if not names:
        return None
    return graph.ancestors(names) | graph.descendants(names)


def newest_first(graph: RevisionGraph, revs: set[str], heads: tuple[str, ...] | list[str]
                 ) -> list[str]:
    """``revs`` newest first, the way Alembic lists them: down one line of descent from the
    first head (in file order) until a revision another pending line still needs, then along
    that line; a merge's parents join as new lines in the order the file names them."""
    todo = set(revs)
    lines = graph.file_sorted(h for h in heads if h in todo)
    needed = [graph.ancestors([h]) for h in lines]
    out: list[str] = []
    index = 0
    while lines:
        candidate = lines[index]
        for other, ancestors in enumerate(needed):
            if other != index and candidate in ancestors:
                index = other  # another line builds on it: list that line first
                break
        else:
            if candidate in todo:
                out.append(candidate)
                todo.discard(candidate)
            parents = [p for p in graph.normalized_down_revisions(candidate)
                       if p in todo and p not in lines]
            if not parents:
                del lines[index], needed[index]
                index = max(index - 1, 0)
                continue
            lines[index] = parents[0]
            downs = graph.get(candidate).down_revisions
            if len(downs) == 1 and graph.normalized_down_revisions(candidate) == downs:
                needed[index].discard(candidate)  # one plain step down: same set, minus it
            else:
                needed[index] = graph.ancestors([parents[0]])
            lines.extend(parents[1:])
            needed.extend(graph.ancestors([p]) for p in parents[1:])
    # Revisions no head reaches (not expected from the callers) still appear, oldest last.
    out.extend(reversed(graph.topo_sorted(todo)))
    return out
