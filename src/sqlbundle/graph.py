"""The revision graph: a pure DAG over ``Script`` values.

Knows nothing about files; messages name ``Script.path`` when the scripts came from files.
Every list this module returns is sorted or follows a documented deterministic order, so
results never depend on dict or set iteration order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .errors import GraphError, MultipleHeadsError, ResolutionError
from .script import Script

_RELATIVE = re.compile(r"^(?P<base>.*?)(?P<sign>[+-])(?P<n>\d+)$")


@dataclass(frozen=True)
class Target:
    """A resolved identifier: a set of revisions, or ``base`` (the empty set)."""

    revisions: tuple[str, ...]
    text: str

    @property
    def is_base(self) -> bool:
        return not self.revisions


class RevisionGraph:
    """Heads, bases, branch points, merges, labels and identifier resolution for a history."""

    def __init__(self, scripts: Iterable[Script]) -> None:
        by_rev: dict[str, Script] = {}
        for script in scripts:
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
                        f"branch label {label!r} is declared by both {other.where()} "
                        f"and {script.where()}",
                        hint="branch labels must be unique across the history",
                    )
                if label in self._scripts or label in ("base", "head", "heads"):
                    raise GraphError(
                        f"branch label {label!r} in {script.where()} collides with a "
                        "revision id or a reserved word",
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
                        line=script.line,
                        hint="check for a typo, a deleted file, or a missing version location",
                    )
                if parent == rev:
                    raise GraphError(
                        f"revision {rev} names itself as its down_revision",
                        path=script.path,
                        line=script.line,
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
                    line=script.line,
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
        files = ", ".join(self._scripts[r].where() for r in sorted(set(cycle)))
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

    # ----------------------------------------------------------------- identifiers

    def resolve(self, text: str) -> Target:
        """Resolve an identifier, or a comma-separated list of them, to revisions.

        Accepts full ids, unique prefixes, ``base``, ``head``, ``heads``, branch labels,
        ``label@head``, ``label@base``, ``label@rev``, ``rev@head`` and relative forms
        ``X+N`` / ``X-N`` (``head-2``, ``ae10+1``).
        """
        text = text.strip()
        if not text:
            raise ResolutionError("empty revision identifier")
        revs: list[str] = []
        for part in text.split(","):
            for rev in self._resolve_one(part.strip()):
                if rev not in revs:
                    revs.append(rev)
        return Target(tuple(revs), text)

    def resolve_single(self, text: str) -> str:
        """Resolve to exactly one revision."""
        target = self.resolve(text)
        if len(target.revisions) != 1:
            if not target.revisions:
                raise ResolutionError(f"{text!r} names no revision (it means base)")
            raise MultipleHeadsError(
                f"{text!r} names several revisions: {', '.join(target.revisions)}",
                hint="name one of them",
            )
        return target.revisions[0]

    def _resolve_one(self, text: str) -> tuple[str, ...]:
        if not text:
            raise ResolutionError("empty revision identifier")
        match = _RELATIVE.match(text)
        if match and match.group("base") and not match.group("base").endswith(("+", "-")):
            base = self._resolve_one(match.group("base"))
            if len(base) != 1:
                raise ResolutionError(
                    f"{text!r}: relative steps need one starting revision, "
                    f"{match.group('base')!r} names {len(base) or 'none'}"
                    + (f" ({', '.join(base)})" if base else ""),
                )
            steps = int(match.group("n"))
            return (self._step(base[0], steps if match.group("sign") == "+" else -steps, text),)
        if match and not match.group("base"):
            raise ResolutionError(
                f"{text!r} is relative to the database's current revision, which offline SQL "
                "cannot know",
                hint="write it relative to a revision, e.g. 'head-1' or 'ae10+2', or as a "
                "range 'FROM:+N'",
            )
        if text == "base":
            return ()
        if text == "heads":
            return tuple(self.heads)
        if text == "head":
            return (self._one_head(self.heads, "head"),)
        if "@" in text:
            return self._resolve_at(text)
        if text in self._labels:
            return (self._labels[text],)
        return (self._resolve_id(text),)

    def _resolve_at(self, text: str) -> tuple[str, ...]:
        branch, _, what = text.partition("@")
        if not branch or not what:
            raise ResolutionError(f"{text!r} is not a valid identifier; expected 'label@head'")
        if branch in self._labels:
            members = [r for r in self._ids if branch in self._branch_labels[r]]
            if what == "head":
                heads = [r for r in self.heads if branch in self._branch_labels[r]]
                return (self._one_head(heads, text),)
            if what == "base":
                bases = [
                    r for r in members
                    if not any(branch in self._branch_labels[p] for p in self._scripts[r].down_revisions)
                ]
                return (self._one_head(bases, text),)
            rev = self._resolve_id(what)
            if rev not in members:
                raise ResolutionError(f"revision {rev} is not on branch {branch!r}")
            return (rev,)
        if branch in ("head", "heads", "base"):
            raise ResolutionError(f"{text!r} is not a valid identifier")
        rev = self._resolve_id(branch, label_hint=True)
        if what == "head":
            heads = [r for r in self.heads if r in self.descendants([rev], dependencies=False)]
            return (self._one_head(heads, text),)
        if what == "base":
            bases = [r for r in self.bases if r in self.ancestors([rev], dependencies=False)]
            return (self._one_head(bases, text),)
        raise ResolutionError(f"{text!r}: after '@' expected 'head' or 'base'")

    def _resolve_id(self, text: str, *, label_hint: bool = True) -> str:
        if text in self._scripts:
            return text
        candidates = [r for r in self._ids if r.startswith(text)]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            known = ""
            if label_hint and self._labels:
                known = "known branch labels: " + ", ".join(sorted(self._labels))
            raise ResolutionError(
                f"no revision or branch label matches {text!r}",
                hint=known or "run 'sqlbundle history' to list revisions",
            )
        listed = ", ".join(f"{r} ({self._scripts[r].where()})" for r in candidates[:10])
        raise ResolutionError(
            f"revision prefix {text!r} is ambiguous: it matches {listed}",
            hint="type more characters of the revision id",
        )

    def _one_head(self, heads: Sequence[str], wanted: str) -> str:
        if len(heads) == 1:
            return heads[0]
        if not heads:
            raise ResolutionError(f"{wanted!r} names no revision (the history is empty)")
        listed = ", ".join(f"{h} ({self._scripts[h].where()})" for h in heads)
        raise MultipleHeadsError(
            f"{wanted!r} is ambiguous: the history has {len(heads)} heads: {listed}",
            hint="name one of them (e.g. 'label@head' or a revision id), use 'heads', or join "
            "them with 'sqlbundle merge " + " ".join(heads) + " -m \"merge\"'",
        )

    def _step(self, rev: str, steps: int, text: str) -> str:
        for _ in range(abs(steps)):
            if steps < 0:
                parents = self._scripts[rev].down_revisions
                if not parents:
                    raise ResolutionError(f"{text!r} walks below base (from {rev})")
                if len(parents) > 1:
                    raise ResolutionError(
                        f"{text!r}: {rev} is a merge of {', '.join(parents)}; "
                        "walking down from it is ambiguous",
                        hint="start from one of the merged revisions instead",
                    )
                rev = parents[0]
            else:
                children = self.children(rev)
                if not children:
                    raise ResolutionError(f"{text!r} walks above a head (from {rev})")
                if len(children) > 1:
                    raise ResolutionError(
                        f"{text!r}: {rev} is a branch point ({', '.join(children)}); "
                        "walking up from it is ambiguous",
                        hint="use 'label@head' or a revision id on one branch",
                    )
                rev = children[0]
        return rev


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
