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

from ..errors import SqlbundleError


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

    def __init__(self, graph: Any, range_text: str | None, plan: Any = None) -> None:
        from ..history.plan import parse_range

        self.text = range_text or "heads"
        self.start_text, self.end_text = parse_range(self.text)
        self.start = tuple(plan.start) if plan is not None else \
            tuple(graph.resolve(self.start_text).revisions)
        try:
            self.end = tuple(graph.resolve(self.end_text).revisions)
        except SqlbundleError:  # relative to the start: where the plan ends
            self.end = tuple(plan.end) if plan is not None else ()
        self.direction = plan.direction if plan is not None else "upgrade"
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
