"""Lint rules over a whole step, from the lock report (``render.locks``) and the schema the step
leaves: a column added to an existing table that fills every row, a foreign key without an index
on its columns, and slow statements run while an earlier one holds the strongest lock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..profile import Profile
from ..render.locks import StatementLock, step_locks
from ..schema.operations import Operation, RenameTable
from ..schema.state import SchemaState
from ..schema.table import TableState
from .rules import Hit, _rule

FILLED_COLUMN = _rule(
    "SBL017", "column-fills-every-row", "warning",
    "Adding a column whose value is computed per row (a volatile default, an identity or "
    "auto-increment column, a stored generated column) to an existing table rewrites it while "
    "it is locked.",
    "add the column without the default (or as a plain nullable column), backfill it in "
    "batches, then set the default or constraint in a later migration")
FK_WITHOUT_INDEX = _rule(
    "SBL018", "foreign-key-without-index", "warning",
    "A foreign key whose columns no index starts with: every delete or key update on the "
    "referred table scans the referencing table, and joins on the key scan it too.",
    "create an index on the key's columns (CONCURRENTLY on an existing table) in the same or "
    "an earlier migration", applies=lambda p: not p.fk_creates_index)
HELD_ACROSS = _rule(
    "SBL019", "slow-statement-under-strongest-lock", "warning",
    "A statement takes the strongest lock on an existing table and the same transaction then "
    "runs a statement that reads or rewrites a whole table: every query on the first table "
    "waits for both.",
    "move the slow statement to its own migration (or outside the transaction), so the lock "
    "is held only as long as the quick change needs it",
    applies=lambda p: p.transactional_ddl and bool(p.lock_levels))

Traced = tuple[Operation, SchemaState, SchemaState, tuple[Any, ...], Any]


def step_lock_hits(profile: Profile, dialect: Any, trace: list[Traced]
                   ) -> Iterator[tuple[Hit, Operation]]:
    """The step-level findings of one direction's trace, each with the operation to place it
    at (its line)."""
    if not trace:
        return
    ops = [(op, before, after, rendered) for op, before, after, rendered, _ in trace]
    locks = step_locks(profile, dialect, trace[0][1], ops)
    owner: list[Operation] = [op for op, _, _, rendered in ops for _ in rendered]
    yield from _filled(locks, owner)
    yield from _held_across(profile, locks, owner, [s for *_, rendered in ops for s in rendered])
    yield from _unindexed_keys(trace)


def _filled(locks: tuple[StatementLock, ...], owner: list[Operation]
            ) -> Iterator[tuple[Hit, Operation]]:
    for lock in locks:
        kinds = {"add_column_filled", "add_column_generated_stored"} & set(lock.kinds)
        if kinds and lock.existing and lock.slow:
            what = "a stored generated column" if "add_column_generated_stored" in kinds else \
                "a column whose value is computed for every row"
            yield FILLED_COLUMN.hit(f"{lock.label}: adds {what} to existing table "
                                    f"{lock.tables[0].table}: {lock.cost}"), owner[lock.index]


def _held_across(profile: Profile, locks: tuple[StatementLock, ...], owner: list[Operation],
                 statements: list[Any]) -> Iterator[tuple[Hit, Operation]]:
    strongest = profile.lock_levels[-1] if profile.lock_levels else ""
    held: StatementLock | None = None
    for lock in locks:
        if statements[lock.index].autocommit:
            held = None  # the transaction ended before it
            continue
        if held is not None and lock.slow:
            table = next(t.table for t in held.tables if t.lock == strongest and t.existed)
            yield HELD_ACROSS.hit(
                f"{lock.label} ({lock.cost}) runs while {held.label} holds {strongest} on "
                f"{table}"), owner[lock.index]
            continue
        if held is None and any(t.lock == strongest and t.existed for t in lock.tables):
            held = lock


def _unindexed_keys(trace: list[Traced]) -> Iterator[tuple[Hit, Operation]]:
    """Keys the step adds, or whose index it drops, that no index serves when it ends."""
    final = trace[-1][2]
    found: dict[tuple[tuple[str | None, str], tuple[str, ...]], tuple[str, Operation]] = {}
    for op, before, after, _, _ in trace:
        if isinstance(op, RenameTable):
            continue  # the same keys under a new name
        for table in _changed_tables(before, after):
            old = before.table(table.name, table.schema)
            known = {fk.columns for fk in old.foreign_keys} if old is not None else set()
            for fk in table.foreign_keys:
                if fk.columns not in known:
                    found.setdefault((table.key, fk.columns), (fk.known_name or "", op))
                elif old is not None and _indexed(old, fk.columns) and \
                        not _indexed(table, fk.columns):  # this operation dropped its index
                    found[(table.key, fk.columns)] = (fk.known_name or "", op)
    for (key, columns), (name, op) in found.items():
        table = final.table(key[1], key[0])
        if table is None or not columns or _indexed(table, columns):
            continue
        shown = f"{table.display}({', '.join(columns)})"
        yield FK_WITHOUT_INDEX.hit(f"foreign key {name + ' ' if name else ''}on {shown}: no "
                                   "index starts with its columns"), op


def _changed_tables(before: SchemaState, after: SchemaState) -> list[TableState]:
    added, _, changed = before.tables.changes(after.tables)
    return [after.tables[key] for key in [*added, *changed]]


def _indexed(table: TableState, columns: tuple[str, ...]) -> bool:
    wanted = set(columns)
    leads = [tuple(index.columns) for index in table.indexes]
    if table.primary_key is not None:
        leads.append(table.primary_key.columns)
    leads += [u.columns for u in table.uniques]
    return any(set(lead[: len(columns)]) == wanted for lead in leads)
