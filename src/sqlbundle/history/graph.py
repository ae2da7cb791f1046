"""The revision graph: a pure DAG over ``Script`` values.

Knows nothing about files; messages name ``Script.path`` when the scripts came from files.
Every list this module returns is sorted or follows a documented deterministic order, so
results never depend on dict or set iteration order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..errors import GraphError, ResolutionError
from .identifiers import Identifiers, Relative, Target, parse_relative
from ..source.script import Script

__all__ = ["Relative", "RevisionGraph", "Target", "parse_relative"]


class RevisionGraph(Identifiers):
    """Heads, bases, branch points, merges, labels and identifier resolution for a history."""

    def __init__(self, scripts: Iterable[Script]) -> None:
        by_rev: dict[str, Script] = {}
        # The order the files were read in (Alembic's load order), which only listings use.
        self._file_pos: dict[str, int] = {}
        for script in scripts:
            self._file_pos.setdefault(script.revision, len(self._file_pos))
            _check_revision_id(script)
            other = by_rev.get(script.revision)
            if other is not None:
                raise GraphError(
                    f"duplicate revision id {script.revision!r} in {other.where()} "
                    f"and {script.where()}",
                    hint="give one of the files a new revision id",
                )
            by_rev[script.revision] = script
        self._scripts = dict(sorted(by_rev.items()))
        self._ids = sorted(self._scripts)
        self._labels = self._index_labels()
        self._check_parents()
        # Children through down_revision only (what makes a head), and through depends_on too.
        self._children: dict[str, list[str]] = {r: [] for r in self._ids}
        self._dependents: dict[str, list[str]] = {r: [] for r in self._ids}
        for rev in self._ids:
            script = self._scripts[rev]
            for parent in script.down_revisions:
                self._children[parent].append(rev)
        self._deps = {rev: self._resolve_depends_on(self._scripts[rev]) for rev in self._ids}
        for rev in self._ids:
            for dep in self._deps[rev]:
                self._dependents[dep].append(rev)
        self._order = self._topological_order()
        self._position = {rev: i for i, rev in enumerate(self._order)}
        self._branch_labels = self._propagate_labels()

    # ----------------------------------------------------------------- construction checks

    def _index_labels(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        for rev in self._ids:
            script = self._scripts[rev]
            for label in script.branch_labels:
                if label in labels:
                    other = self._scripts[labels[label]]
                    raise GraphError(
                        f"branch label {label!r} is declared by both "
                        f"{other.where('branch_labels', label)} and "
                        f"{script.where('branch_labels', label)}",
                        path=script.path,
                        line=script.line_of("branch_labels", label),
                        hint="branch labels must be unique across the history",
                    )
                if label in self._scripts or label in ("base", "head", "heads"):
                    raise GraphError(
                        f"branch label {label!r} of revision {rev} collides with a "
                        "revision id or a reserved word",
                        path=script.path,
                        line=script.line_of("branch_labels", label),
                    )
                labels[label] = rev
        return labels

    def _check_parents(self) -> None:
        for rev in self._ids:
            script = self._scripts[rev]
            for parent in script.down_revisions:
                if parent not in self._scripts:
                    raise GraphError(
                        f"revision {rev} names down_revision {parent!r}, which does not exist",
                        path=script.path,
                        line=script.line_of("down_revision", parent),
                        hint="check for a typo, a deleted file, or a missing version location",
                    )
                if parent == rev:
                    raise GraphError(
                        f"revision {rev} names itself as its down_revision",
                        path=script.path,
                        line=script.line_of("down_revision"),
                    )

    def _resolve_depends_on(self, script: Script) -> tuple[str, ...]:
        resolved: list[str] = []
        for dep in script.depends_on:
            try:
                target = self._resolve_one(dep)
            except ResolutionError as exc:
                raise GraphError(
                    f"revision {script.revision} depends_on {dep!r}: {exc.message}",
                    path=script.path,
                    line=script.line_of("depends_on", dep),
                    hint=exc.hint,
                ) from None
            for rev in target:
                if rev not in resolved:
                    resolved.append(rev)
        return tuple(resolved)

    def _topological_order(self) -> list[str]:
        """Parents before children; at branches, finish the branch just extended first.

        Kahn's algorithm where the ready revision picked next is the one that became ready most
        recently (ties broken by revision id), so one branch is completed before the next.
        """
        indegree: dict[str, int] = {}
        for rev in self._ids:
            indegree[rev] = len(set(self._scripts[rev].down_revisions) | set(self._deps[rev]))
        ready = [rev for rev in self._ids if indegree[rev] == 0]
        ready.sort(reverse=True)  # pop() takes the smallest id first
        order: list[str] = []
        while ready:
            rev = ready.pop()
            order.append(rev)
            newly: list[str] = []
            for child in _unique(self._children[rev] + self._dependents[rev]):
                indegree[child] -= 1
                if indegree[child] == 0:
                    newly.append(child)
            newly.sort(reverse=True)
            ready.extend(newly)
        if len(order) != len(self._ids):
            raise self._cycle_error({r for r in self._ids if indegree[r] > 0})
        return order

    def _cycle_error(self, stuck: set[str]) -> GraphError:
        # Walk parent links inside the stuck set until a revision repeats: that is a cycle.
        start = min(stuck)
        seen: list[str] = []
        rev = start
        while rev not in seen:
            seen.append(rev)
            parents = [p for p in self._scripts[rev].down_revisions + self._deps[rev] if p in stuck]
            rev = min(parents)
        cycle = seen[seen.index(rev):] + [rev]
        # Each file at the line that names the next revision of the cycle.
        edges = {child: ("down_revision" if parent in self._scripts[child].down_revisions
                         else "depends_on", parent) for child, parent in zip(cycle, cycle[1:])}
        files = ", ".join(self._scripts[r].where(*edges[r]) for r in sorted(edges))
        return GraphError(
            "the revision history has a cycle: " + " -> ".join(reversed(cycle)),
            hint=f"files involved: {files}",
        )

    def _propagate_labels(self) -> dict[str, tuple[str, ...]]:
        """Labels per revision: a label covers its revision, every descendant, and the
        ancestors down to (not including) the nearest branch point or merge."""
        labels: dict[str, set[str]] = {rev: set() for rev in self._ids}
        for label, rev in sorted(self._labels.items()):
            for node in self.descendants([rev], dependencies=False):
                labels[node].add(label)
            node = rev
            while True:
                parents = self._scripts[node].down_revisions
                if len(parents) != 1:
                    break
                parent = parents[0]
                if len(self._children[parent]) > 1 or len(self._scripts[parent].down_revisions) > 1:
                    break
                labels[parent].add(label)
                node = parent
        return {rev: tuple(sorted(found)) for rev, found in labels.items()}

    # ----------------------------------------------------------------- basic queries

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, rev: object) -> bool:
        return rev in self._scripts

    def get(self, rev: str) -> Script:
        return self._scripts[rev]

    @property
    def revisions(self) -> list[str]:
        """All revision ids in topological order (parents first)."""
        return list(self._order)

    @property
    def heads(self) -> list[str]:
        """Revisions no other revision names as its down_revision, sorted."""
        return [r for r in self._ids if not self._children[r]]

    @property
    def real_heads(self) -> list[str]:
        """Heads no revision builds on through down_revision or depends_on, sorted: what
        Alembic's ``heads`` names (a dependency's target is not a head of its own)."""
        return [r for r in self._ids if not self._children[r] and not self._dependents[r]]

    @property
    def bases(self) -> list[str]:
        return [r for r in self._ids if not self._scripts[r].down_revisions]

    @property
    def branch_points(self) -> list[str]:
        return [r for r in self._ids if len(self._children[r]) > 1]

    @property
    def merge_points(self) -> list[str]:
        return [r for r in self._ids if len(self._scripts[r].down_revisions) > 1]

    @property
    def labels(self) -> dict[str, str]:
        """Branch label → the revision that declares it."""
        return dict(self._labels)

    def children(self, rev: str) -> list[str]:
        return sorted(self._children[rev])

    def dependencies(self, rev: str) -> tuple[str, ...]:
        """Resolved ``depends_on`` revision ids of ``rev``."""
        return self._deps[rev]

    def branch_labels_of(self, rev: str) -> tuple[str, ...]:
        """Labels that cover ``rev`` (declared on it or inherited along its branch)."""
        return self._branch_labels[rev]

    def topo_sorted(self, revs: Iterable[str]) -> list[str]:
        """``revs`` in the graph's deterministic topological order."""
        return sorted(set(revs), key=self._position.__getitem__)

    def file_sorted(self, revs: Iterable[str]) -> list[str]:
        """``revs`` in the order their files were read (Alembic's revision-map order)."""
        return sorted(set(revs), key=self._file_pos.__getitem__)

    # ----------------------------------------------------------------- traversal

    def ancestors(self, revs: Iterable[str], *, dependencies: bool = True) -> set[str]:
        """``revs`` and everything they build on (through depends_on too, by default)."""
        found: set[str] = set()
        stack = list(revs)
        while stack:
            rev = stack.pop()
            if rev in found:
                continue
            found.add(rev)
            stack.extend(self._scripts[rev].down_revisions)
            if dependencies:
                stack.extend(self._deps[rev])
        return found

    def is_ancestor(self, rev: str, of: Iterable[str]) -> bool:
        """Whether ``rev`` is one of ``of`` or builds under them (``rev in ancestors(of)``),
        walking back only as far as ``rev``'s place in the topological order."""
        floor = self._position[rev]
        seen: set[str] = set()
        stack = list(of)
        while stack:
            current = stack.pop()
            if current == rev:
                return True
            if current in seen or self._position[current] < floor:
                continue
            seen.add(current)
            stack.extend(self._scripts[current].down_revisions)
            stack.extend(self._deps[current])
        return False

    def descendants(self, revs: Iterable[str], *, dependencies: bool = True) -> set[str]:
        """``revs`` and everything built on them (through depends_on too, by default)."""
        found: set[str] = set()
        stack = list(revs)
        while stack:
            rev = stack.pop()
            if rev in found:
                continue
            found.add(rev)
            stack.extend(self._children[rev])
            if dependencies:
                stack.extend(self._dependents[rev])
        return found

    def normalized_down_revisions(self, rev: str) -> tuple[str, ...]:
        """The revisions whose version rows this revision replaces: its down_revisions, then
        its dependencies that no ancestor already depends on (Alembic's rule), in file order."""
        script = self._scripts[rev]
        deps = self._deps[rev]
        if deps:
            inherited: set[str] = set()
            for ancestor in self.ancestors(script.down_revisions, dependencies=False):
                inherited.update(self._deps[ancestor])
            deps = tuple(d for d in deps if d not in inherited)
        return _unique(list(script.down_revisions) + list(deps))

    def heads_of(self, revs: Iterable[str]) -> list[str]:
        """The members of ``revs`` that no other member builds on (through any edge), sorted."""
        members = set(revs)
        # One walk from all members' parents: linear, not one ancestry walk per member.
        below = [p for r in members for p in (*self._scripts[r].down_revisions, *self._deps[r])]
        return sorted(members - self.ancestors(below))

def _unique(items: Sequence[str]) -> tuple[str, ...]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return tuple(seen)


_VALID_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.]*$")


def _check_revision_id(script: Script) -> None:
    if not _VALID_ID.match(script.revision) or script.revision in ("base", "head", "heads"):
        raise GraphError(
            f"revision id {script.revision!r} is not usable: ids are letters, digits, '_' and "
            "'.', and not 'base', 'head' or 'heads'",
            path=script.path,
            line=script.line,
        )
