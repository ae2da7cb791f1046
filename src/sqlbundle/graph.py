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

# Alembic's relative identifier: ``[label@][symbol]+N`` or ``-N`` (``feature@+1``, ``head-2``,
# ``ae10+1``, ``-1``). The symbol takes ids with dots too, which Alembic's ``\w+`` misses.
_RELATIVE = re.compile(r"^(?:(?P<label>[^@]+)@)?(?P<symbol>[\w.]+?)?(?P<sign>[+-])(?P<n>\d+)$")


@dataclass(frozen=True)
class Relative:
    """A parsed relative identifier; ``steps`` is signed (``-0`` is 0 with ``sign`` '-')."""

    label: str | None
    symbol: str | None
    sign: str
    steps: int

    @property
    def text(self) -> str:
        label = f"{self.label}@" if self.label else ""
        return f"{label}{self.symbol or ''}{self.sign}{abs(self.steps)}"


def parse_relative(text: str) -> Relative | None:
    """``[label@][symbol]+N`` / ``-N`` as Alembic reads them, or None for an absolute id."""
    match = _RELATIVE.match(text.strip())
    if match is None:
        return None
    n = int(match.group("n"))
    return Relative(match.group("label"), match.group("symbol"), match.group("sign"),
                    n if match.group("sign") == "+" else -n)


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

    # ----------------------------------------------------------------- identifiers

    def resolve(self, text: str) -> Target:
        """Resolve an identifier, or a comma-separated list of them, to revisions.

        Accepts full ids, unique prefixes, ``base``, ``head``, ``heads``, branch labels,
        ``label@head``, ``label@heads``, ``label@rev``, ``rev@head`` and relative forms
        ``X+N`` / ``X-N`` (``head-2``, ``ae10+1``, ``label@X+1``), as Alembic reads them:
        ``label@base`` is base, and one step below a base is base.
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
        relative = parse_relative(text)
        if relative is not None:
            return self._resolve_relative(relative, text)
        if text == "base":
            return ()
        if text == "heads":
            return tuple(self.real_heads)
        if text == "head":
            return (self._one_head(self.heads, "head"),)
        if "@" in text:
            return self._resolve_at(text)
        if text in self._labels:
            return (self._labels[text],)
        if text == "current" and not any(r.startswith(text) for r in self._ids):
            raise ResolutionError(
                "'current' is the database's revision, which sqlbundle cannot know: it never "
                "connects",
                hint="name the revision the database is at (see 'alembic current')",
            )
        return (self._resolve_id(text),)

    def _resolve_relative(self, relative: Relative, text: str) -> tuple[str, ...]:
        """``symbol+N`` / ``label@symbol-N`` (Alembic's reading); a bare ``+N`` / ``label@-N``
        needs a range's start, which only the range readers know."""
        if relative.symbol is None:
            raise ResolutionError(
                f"{text!r} is relative to the database's current revision, which offline SQL "
                "cannot know",
                hint="write it relative to a revision, e.g. 'head-1' or 'ae10+2', or as a "
                "range 'FROM:+N'",
            )
        if relative.steps > 0:
            # Up from the symbol itself; a label only narrows which child to take.
            start = self._single(self._resolve_one(relative.symbol), relative.symbol, text)
            return _as_target(self.walk(start, relative.steps, label=relative.label, text=text))
        # Down (or zero steps) from label@symbol: the label checks the symbol's lineage.
        at = f"{relative.label}@{relative.symbol}" if relative.label else relative.symbol
        start = self._single(self._resolve_one(at), at, text)
        return _as_target(self.walk(start, relative.steps, text=text))

    def _single(self, revs: tuple[str, ...], part: str, text: str) -> str | None:
        if len(revs) > 1:
            raise MultipleHeadsError(
                f"{text!r}: relative steps need one starting revision, {part!r} names "
                f"{len(revs)} ({', '.join(revs)})",
                hint="start from one of them, or narrow with a branch label ('label@head-1')",
            )
        return revs[0] if revs else None

    def _resolve_at(self, text: str) -> tuple[str, ...]:
        branch, _, what = text.partition("@")
        if not branch or not what:
            raise ResolutionError(f"{text!r} is not a valid identifier; expected 'label@head'")
        if branch in self._labels:
            if what in ("head", "heads"):
                heads = [r for r in self.heads if branch in self._branch_labels[r]]
                return tuple(heads) if what == "heads" else (self._one_head(heads, text),)
            if what == "base":
                return ()  # Alembic's reading: base (a downgrade narrows it to the branch)
            rev = self._resolve_id(what)
            # Alembic's test: the revision is on the label's line of descent (above or below).
            if rev not in self.lineage(branch):
                raise ResolutionError(f"revision {rev} is not on branch {branch!r}")
            return (rev,)
        if branch in ("head", "heads", "base"):
            raise ResolutionError(f"{text!r} is not a valid identifier")
        rev = self._resolve_id(branch, label_hint=True)
        if what in ("head", "heads"):
            heads = [r for r in self.heads if r in self.descendants([rev], dependencies=False)]
            return tuple(heads) if what == "heads" else (self._one_head(heads, text),)
        if what == "base":
            return ()
        target = self._resolve_id(what)
        if target not in self.lineage(rev):
            raise ResolutionError(f"revision {target} is not on the line of descent of {rev}")
        return (target,)

    def resolve_branch(self, name: str) -> str:
        """The revision a branch name stands for: a label's revision, or a revision id (or
        unique prefix) used as a label."""
        if name in self._labels:
            return self._labels[name]
        return self._resolve_id(name)

    def lineage(self, name: str) -> set[str]:
        """Revisions on ``name``'s line of descent (its ancestors and descendants through
        down_revision): where ``name@...`` may point and walk."""
        rev = self.resolve_branch(name)
        return self.ancestors([rev], dependencies=False) | self.descendants([rev], dependencies=False)

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

    def walk(self, start: str | None, steps: int, *, label: str | None = None,
             text: str = "") -> str | None:
        """Alembic's relative step from ``start`` (None is base): up through children by
        down_revision (from base: the bases), narrowed to ``label``'s lineage; down through the
        one down_revision, where one step below a base is base (None). Ambiguous or
        overshooting walks are errors."""
        text = text or f"{start or 'base'}{steps:+d}"
        rev = start
        within = self.lineage(label) if label and steps > 0 else None
        for _ in range(abs(steps)):
            if steps > 0:
                options = self.bases if rev is None else self.children(rev)
                if within is not None:
                    options = [r for r in options if r in within]
                if not options:
                    where = f"from {rev}" if rev else "the history is empty"
                    on = f" on branch {label!r}" if label else ""
                    raise ResolutionError(f"{text!r} walks above a head{on} ({where})")
                if len(options) > 1:
                    if rev is None:
                        raise ResolutionError(
                            f"{text!r}: the history has {len(options)} bases "
                            f"({', '.join(options)}); walking up from base is ambiguous",
                            hint="start from one of them ('ID:+N'), or narrow with a branch "
                            "label ('label@+N')",
                        )
                    raise ResolutionError(
                        f"{text!r}: {rev} is a branch point ({', '.join(options)}); "
                        "walking up from it is ambiguous",
                        hint="use 'label@+N', 'label@head' or a revision id on one branch",
                    )
                rev = options[0]
            else:
                if rev is None:
                    raise ResolutionError(f"{text!r} walks below base")
                parents = self._scripts[rev].down_revisions
                if len(parents) > 1:
                    raise ResolutionError(
                        f"{text!r}: {rev} is a merge of {', '.join(parents)}; "
                        "walking down from it is ambiguous",
                        hint="start from one of the merged revisions instead",
                    )
                rev = parents[0] if parents else None
        return rev


def _as_target(rev: str | None) -> tuple[str, ...]:
    return (rev,) if rev is not None else ()


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
