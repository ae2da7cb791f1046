"""Whether each table and column at a point of a step existed before the step or was created
by it: what a lock is worth (nothing waits on a new table) and what lint judges by."""

from __future__ import annotations

from .operations import UNSET, AlterColumn, Operation, RenameTable
from .state import SchemaState

Key = tuple[str | None, str]  # (schema, table)


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
