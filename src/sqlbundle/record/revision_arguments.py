"""The revision arguments Alembic gives migration code, for the range sqlbundle compiles.

``alembic upgrade A:B --sql`` tells migration code its range: ``context.get_starting_revision_
argument()`` (A), ``context.get_revision_argument()`` (B), ``MigrationContext.get_current_heads()``
(offline: A's revisions), ``opts["starting_rev"]``/``opts["destination_rev"]`` (as written).
sqlbundle also runs code Alembic's command would not: upgrades replayed for the schema a range
starts from (answered as the upgrade that built it, ``base:A``), and, for lint, the rollback of
an upgrade step (answered as the downgrade ``B:A``). Pure: a graph, a range and its plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any



@dataclass(frozen=True)
class Arguments:
    starting: Any  # None for base, a tuple for "heads" (or several revisions), else an id
    destination: Any
    current_heads: tuple[str, ...]
    starting_rev: str | None  # as written
    destination_rev: str | None


def shaped(text: str, revisions: tuple[str, ...]) -> Any:
    """As Alembic's ``as_revision_number``: None for base, a tuple for ``heads``, else an id."""
    if not revisions:
        return None
    if text.strip() == "heads" or len(revisions) > 1:
        return tuple(revisions)
    return revisions[0]


class RangeArguments:
    """Arguments per call, for one range (``plan`` is its plan, when there is one)."""

    def __init__(self, range: Any) -> None:
        """``range``: a ``history.plan.Range`` value (parsed where the API was entered)."""
        self.text = range.text
        self.start_text, self.end_text = range.start_text, range.end_text
        self.start = tuple(range.start)
        self.end = tuple(range.named_end)
        plan = range.plan
        self.direction = range.direction
        self.planned = frozenset(s.revision for s in plan.steps) if plan is not None else None

    @property
    def key(self) -> str:
        """What the arguments depend on, for cache keys."""
        return repr((self.text, self.start, self.end, self.direction,
                     sorted(self.planned or ())))

    def for_call(self, rev: str | None, direction: str | None) -> Arguments:
        """The arguments seen by ``direction`` of ``rev`` (module level: both None)."""
        in_range = direction is None or (direction == self.direction and (
            self.planned is None or rev in self.planned))
        if in_range:
            return Arguments(shaped(self.start_text, self.start),
                             shaped(self.end_text, self.end), self.start,
                             self.start_text if ":" in self.text else None, self.end_text)
        if direction == "upgrade":  # replayed for the schema the range starts from
            return Arguments(None, shaped(self.start_text, self.start), (), None,
                             self.start_text)
        # the rollback of an upgrade step
        return Arguments(shaped(self.end_text, self.end), shaped(self.start_text, self.start),
                         self.end, self.end_text, self.start_text)
