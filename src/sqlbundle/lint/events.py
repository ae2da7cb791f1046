"""What the lint checks see of one operation: ``OpEvent``, and ``Lineage`` (whether a table or
column existed before the step or was created by it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..profile import Profile
from ..render.context import Statement
from ..schema.operations import UNSET, AlterColumn, Operation, RenameTable
from ..schema.state import SchemaState
from .sql import Key, RawEffect


# ---------------------------------------------------------------------------- lineage


class Lineage:
    """Where each table and column at the current point of a run of operations came from:
    its key at the start of the run, or None when the run created it. Only what the run
    changed is held: anything else is where it was at the start (or, when the state does not
    know it after raw SQL it could not follow, existed before), so a step costs what its
    operations touch, not the size of the schema."""

    def __init__(self, start: SchemaState) -> None:
        self.tables: dict[Key, Key | None] = {}
        self.columns: dict[tuple[Key, str], tuple[Key, str] | None] = {}

    def origin_table(self, key: Key) -> Key | None:
        return self.tables.get(key, key)

    def origin_column(self, key: Key, column: str) -> tuple[Key, str] | None:
        origin = self.origin_table(key)
        if origin is None:
            return None
        return self.columns.get((key, column), (origin, column))

    def created(self, key: Key) -> None:
        if key not in self.tables:
            self.tables[key] = None

    def follow(self, op: Operation, before: SchemaState, after: SchemaState) -> None:
        if isinstance(op, RenameTable):
            old, new = (op.schema, op.old_name), (op.schema, op.new_name)
            self.tables[new] = self.tables.pop(old, old)
            for key, col in [k for k in self.columns if k[0] == old]:
                self.columns[(new, col)] = self.columns.pop((key, col))
            return
        if isinstance(op, AlterColumn) and op.new_name is not UNSET:
            key = (op.schema, op.table)
            self.columns[(key, op.new_name)] = self.origin_column(key, op.column)
            self.columns.pop((key, op.column), None)
            return
        added, removed, changed = before.tables.changes(after.tables)
        for key in added:
            self.tables[key] = None
        for key in removed:
            self.tables.pop(key, None)
        for key in changed:
            old = {c.name for c in before.tables[key].columns}
            new = {c.name for c in after.tables[key].columns}
            for col in sorted(new - old):
                self.columns[(key, col)] = None
            for col in sorted(old - new):
                self.columns.pop((key, col), None)


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
