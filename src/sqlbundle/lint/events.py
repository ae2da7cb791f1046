"""What the lint checks see of one operation: ``OpEvent`` (with the step's ``Lineage``: whether
a table or column existed before the step or was created by it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..profile import Profile
from ..render.context import Statement
from ..schema.lineage import Lineage
from ..schema.operations import Operation
from ..schema.state import SchemaState
from .sql import Key, RawEffect


# ---------------------------------------------------------------------------- events


@dataclass
class OpEvent:
    """One operation in one direction, with what the checks need to judge it."""

    op: Operation
    before: SchemaState
    after: SchemaState
    direction: str
    profile: Profile
    dialect: Any
    statements: tuple[Statement, ...]
    lineage: Lineage  # this run of operations, up to (not including) ``op``
    upgrade: Lineage | None = None  # downgrades: the whole upgrade of the same revision
    raw: list[RawEffect] = field(default_factory=list)

    def written(self, words: str) -> bool:
        """Whether a statement rendered for the operation says ``words`` (the safe forms)."""
        return any(words in s.sql.upper() for s in self.statements)

    def existing(self, key: Key) -> bool:
        """The table existed before this step (it was not created in the same step)."""
        return self.lineage.origin_table(key) is not None

    def loses_table(self, key: Key) -> bool:
        """Dropping ``key`` in a downgrade deletes a table that existed before the upgrade."""
        origin = self.lineage.origin_table(key)
        if origin is None or self.upgrade is None:
            return False
        return self.upgrade.origin_table(origin) is not None

    def loses_column(self, key: Key, column: str) -> bool:
        origin = self.lineage.origin_column(key, column)
        if origin is None or self.upgrade is None:
            return False
        return self.upgrade.origin_column(*origin) is not None
