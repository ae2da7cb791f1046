"""Revision identifiers as Alembic reads them, for ``RevisionGraph``.

Full ids and unique prefixes, ``base``/``head``/``heads``, branch labels, ``label@head``,
``label@rev``, and relative steps (``head-2``, ``ae10+1``, ``feature@X+1``). Forms relative to
a range's start (``+2``, ``label@-1``) are read by ``ranges``, which knows the start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import MultipleHeadsError, ResolutionError
from ..source.script import Script

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


class Identifiers:
    """Identifier resolution, mixed into ``RevisionGraph`` (it reads the graph's maps)."""

    _scripts: dict[str, Script]
    _ids: list[str]
    _labels: dict[str, str]
    _branch_labels: dict[str, tuple[str, ...]]

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
             text: str = "", clamp: bool = False) -> str | None:
        """Alembic's relative step from ``start`` (None is base): up through children by
        down_revision (from base: the bases), narrowed to ``label``'s lineage; down through the
        one down_revision, where one step below a base is base (None). Ambiguous or
        overshooting walks are errors, except that ``clamp`` stops an upward walk at a head
        (as Alembic's history listing does)."""
        text = text or f"{start or 'base'}{steps:+d}"
        rev = start
        within = self.lineage(label) if label and steps > 0 else None
        for _ in range(abs(steps)):
            if steps > 0:
                options = self.bases if rev is None else self.children(rev)
                if within is not None:
                    options = [r for r in options if r in within]
                if not options and clamp:
                    return rev
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
