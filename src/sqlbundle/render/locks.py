"""The lock report: per rendered statement, what it locks, on which tables, whether each table
existed before the step (nothing waits on a new one), and whether it reads or rewrites every
row. Offline, from the statement's text, the operation behind it and the replayed schema.

What each kind of statement takes is data in the dialect profile: a lock level per kind
(PostgreSQL's ``[locks]``), or the algorithm and concurrency the server picks for the target
version (MySQL/MariaDB's ``[algorithms]``). A statement this module cannot classify, or a kind
the profile does not describe, is reported as not described: never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ..profile import Profile, parse_version
from ..schema.lineage import Key, Lineage
from ..schema.operations import UNSET, AlterColumn, Operation
from ..schema.state import SchemaState
from .context import Statement
from .safe import NOT_NULL_SUFFIX, op_table_key
from .sqlkinds import (
    ALTER_TABLE,
    CALLS,
    DEFAULT,
    FILLED,
    POSITIONED,
    REFERENCES,
    STORED,
    classify,
    key_of,
    label_of,
    shown,
)


# What a kind costs on a table with rows, where the profile gives lock levels (the algorithm
# says it where the server picks one).
_REWRITES = {"add_column_filled", "add_column_generated_stored", "alter_type"}
_READS = {"set_not_null", "add_foreign_key", "add_check", "validate_constraint"}
_INDEXES = {"create_index", "create_index_concurrently", "add_unique", "add_primary_key"}
# Statements that are not an ALTER TABLE, where the server picks an algorithm for those.
_NOT_ALTER = {"create_table": ("", "creates the table"),
              "drop_table": ("an exclusive metadata lock", "drops the table and its data"),
              "write_rows": ("row locks", "writes rows")}
_ALGORITHM_RANK = {"INSTANT": 0, "NOCOPY": 1, "INPLACE": 2, "COPY": 3}
_LOCK_RANK = {"NONE": 0, "SHARED": 1, "EXCLUSIVE": 2}


@dataclass(frozen=True)
class TableLock:
    table: str  # as shown
    lock: str  # a lock level, or "ALGORITHM=..., LOCK=..."
    existed: bool


@dataclass(frozen=True)
class StatementLock:
    """What one statement of a step locks, and what it costs while it holds it."""

    index: int  # the statement's position in the step's statements
    label: str  # the statement's start, as the file shows it
    kinds: tuple[str, ...]
    tables: tuple[TableLock, ...]
    cost: str  # "" when not described
    slow: bool  # it reads or rewrites every row of a table that existed before the step
    strongest: str = ""  # the strongest lock on an existing table ("" for none)
    algorithm: str = ""  # MySQL/MariaDB: the algorithm (and LOCK=) the server will use
    lock_clause: str = ""

    @property
    def described(self) -> bool:
        return bool(self.cost)

    @property
    def existing(self) -> bool:
        return any(t.existed for t in self.tables)

    def text(self, title: str) -> str:
        if not self.described:
            return f"{self.label}: not described for {title}; review what it locks by hand"
        if not self.tables:
            return f"{self.label}: {self.cost}"
        if "create_table" in self.kinds:
            return f"{self.label}: {self.cost}; " + "; ".join(
                f"{t.lock} on {t.table} ({'existing' if t.existed else 'new'})"
                for t in self.tables)
        if not self.existing:
            names = ", ".join(t.table for t in self.tables)
            return f"{self.label}: {names} new in this step, nothing waits"
        locks = "; ".join(f"{t.lock} on {t.table} ({'existing' if t.existed else 'new'})"
                          for t in self.tables)
        return f"{self.label}: {locks}; {self.cost}"


NOT_NULL_CHECK = re.compile(rf"VALIDATE\s+CONSTRAINT\s+\S*{NOT_NULL_SUFFIX}\b", re.I)


def describes_locks(profile: Profile) -> bool:
    return bool(profile.locks or profile.algorithms)


def step_locks(profile: Profile, dialect: Any, start: SchemaState,
               trace: list[tuple[Operation, SchemaState, SchemaState, tuple[Statement, ...]]]
               ) -> tuple[StatementLock, ...]:
    """The lock report of one step: ``trace`` holds each operation with the states around it
    and its statements, in order, from ``start``."""
    if not describes_locks(profile):
        return ()
    lineage = Lineage(start)
    found: list[StatementLock] = []
    index = 0
    proven: set[Key] = set()  # tables with a NOT NULL check validated earlier in the step
    for op, before, after, statements in trace:
        for statement in statements:
            lock = _statement_lock(profile, dialect, index, statement.sql, op, before,
                                   lineage, proven)
            if "validate_constraint" in lock.kinds and \
                    NOT_NULL_CHECK.search(statement.sql) and lock.tables:
                proven.add(classify(statement.sql)[1])  # type: ignore[arg-type]
            found.append(lock)
            index += 1
        lineage.follow(op, before, after)
    return tuple(found)


def _refine(kind: str, clause: str, op: Operation, before: SchemaState, key: Key,
            profile: Profile, dialect: Any) -> list[str]:
    """The clause's kinds once the operation and the schema say more than its text."""
    if kind == "add_column":
        if STORED.search(clause):
            return ["add_column_generated_stored"]
        if FILLED.search(clause) or _volatile(clause, profile) or (
                DEFAULT.search(clause) and "fast_column_default" in profile.features
                and not profile.supports("fast_column_default")):
            return ["add_column_filled"]
        return ["add_column_positioned" if POSITIONED.search(clause) else "add_column"]
    if kind in ("alter_type", "modify"):
        return _column_change(kind, op, before, key, profile, dialect)
    return [kind]


def _volatile(clause: str, profile: Profile) -> bool:
    if not profile.volatile_functions:
        return False
    default = DEFAULT.split(clause, 1)
    return len(default) == 2 and any(
        name.rsplit(".", 1)[-1].lower() in profile.volatile_functions
        for name in CALLS.findall(default[1]))


def _column_change(kind: str, op: Operation, before: SchemaState, key: Key, profile: Profile,
                   dialect: Any) -> list[str]:
    """What an ALTER COLUMN TYPE or a MySQL MODIFY/CHANGE changes, from the operation; a
    statement of raw SQL counts as a type change (the dearest reading)."""
    if not isinstance(op, AlterColumn):
        return ["alter_type"]
    table = before.table(key[1], key[0])
    column = table.column(op.column) if table is not None else None
    if column is None:
        return ["alter_type"]
    kinds = []
    if op.type is not UNSET:
        from ..schema.typechange import compiled_sql, type_change

        # A type the history does not know compares as no change: count it as a rewrite.
        verdict = ("", "") if column.type is None or _unknown(column.type) else \
            type_change(column.type, op.type, profile, dialect)
        if verdict is None:
            if kind == "alter_type" or compiled_sql(column.type, dialect) != \
                    compiled_sql(op.type, dialect):
                kinds.append("alter_type_in_place")
        else:
            kinds.append("alter_type")
    if kind == "alter_type":
        return kinds or ["alter_type"]
    if op.nullable is not UNSET and bool(op.nullable) != column.nullable:
        kinds.append("drop_not_null" if op.nullable else "set_not_null")
    if op.server_default is not UNSET and _differs(op.server_default, column.server_default):
        dropped = op.server_default is None or op.server_default is False
        kinds.append("drop_default" if dropped else "set_default")
    if op.comment is not UNSET and _differs(op.comment, column.comment):
        kinds.append("column_comment")
    if op.new_name is not UNSET and op.new_name != op.column:
        kinds.append("rename_column")
    return kinds or ["alter_type"]


def _differs(a: Any, b: Any) -> bool:
    if a is b:
        return False
    try:
        return bool(a != b)
    except TypeError:  # SQL expressions compare by building SQL: compare their text
        return str(a) != str(b)


def _unknown(type_: Any) -> bool:
    import sqlalchemy as sa

    return isinstance(type_, sa.types.NullType)


def _statement_lock(profile: Profile, dialect: Any, index: int, sql: str, op: Operation,
                    before: SchemaState, lineage: Lineage, proven: set[Key] = frozenset()
                    ) -> StatementLock:  # type: ignore[assignment]
    label = label_of(sql)
    parts, key = classify(sql)
    if not parts:
        return StatementLock(index, label, (), (), "", False)
    if parts[0][0] == "no_table":
        return StatementLock(index, label, ("no_table",), (), "locks no table", False)
    if key is None or not key[1]:
        key = op_table_key(op, before)
    kinds: list[str] = []
    for kind, clause in parts:
        kinds.extend(_refine(kind, clause, op, before, key, profile, dialect) if kind else [""])
    if key in proven and profile.supports("not_null_from_check"):
        kinds = ["set_not_null_proven" if k == "set_not_null" else k for k in kinds]
    new_table = "create_table" in kinds
    existed = not new_table and key is not None and lineage.origin_table(key) is not None
    if new_table and key is not None:
        lineage.created(key)
    referred = []
    if profile.locks.get("foreign_key_reference") and any(
            k in ("create_table", "add_column", "add_foreign_key", "add_foreign_key_not_valid")
            for k in kinds):
        for match in REFERENCES.finditer(sql):
            other = key_of(match.group(1))
            if other != key and other not in referred:
                referred.append(other)
    if profile.algorithms:
        table = before.table(key[1], key[0]) if key is not None else None
        stored = table is not None and any(
            getattr(c.computed, "persisted", None) for c in table.columns)
        return _by_algorithm(profile, index, label, kinds, key, existed, stored)
    return _by_level(profile, index, label, kinds, key, existed, referred, lineage)


def _by_level(profile: Profile, index: int, label: str, kinds: list[str], key: Key | None,
              existed: bool, referred: list[Key], lineage: Lineage) -> StatementLock:
    levels = profile.lock_levels
    if "" in kinds or any(k not in profile.locks for k in kinds):
        return StatementLock(index, label, tuple(kinds), (), "", False)
    lock = max((profile.locks[k] for k in kinds), key=lambda level: (
        levels.index(level) if level in levels else -1))
    tables = [TableLock(shown(key), lock, existed)] if key is not None and \
        "create_table" not in kinds else []
    for other in referred:
        tables.append(TableLock(shown(other), profile.locks["foreign_key_reference"],
                                lineage.origin_table(other) is not None))
    if "create_table" in kinds:
        cost = "creates the table"
    elif any(k in _REWRITES for k in kinds):
        cost = "rewrites the table and its indexes"
    elif any(k in _INDEXES for k in kinds):
        cost = ("builds an index, reading every row; writes continue"
                if "create_index_concurrently" in kinds else "builds an index, reading every row")
    elif any(k in _READS for k in kinds):
        cost = "reads every row to check it"
    elif "write_rows" in kinds:
        cost = "writes rows"
    else:
        cost = "changes the catalog only"
    slow = existed and (any(k in _REWRITES | _INDEXES | _READS for k in kinds))
    strongest = max((t.lock for t in tables if t.existed and t.lock),
                    key=lambda level: levels.index(level) if level in levels else -1,
                    default="")
    return StatementLock(index, label, tuple(kinds), tuple(tables), cost, slow, strongest)


def algorithm_for(profile: Profile, kind: str) -> tuple[str, str, bool] | None:
    """(algorithm, LOCK=, rebuilds) the server uses for ``kind`` at the target version."""
    target = parse_version(profile.version)
    for choice in profile.algorithms.get(kind, ()):
        words = choice.split()
        algorithm, _, lock = words[0].partition("/")
        since = words[words.index("from") + 1] if "from" in words else ""
        if since and target < parse_version(since)[: len(target)]:
            continue
        return algorithm, lock or "NONE", "rebuild" in words
    return None


def _by_algorithm(profile: Profile, index: int, label: str, kinds: list[str], key: Key | None,
                  existed: bool, stored: bool) -> StatementLock:
    """``stored``: the table has a stored generated column; a kind's ``<kind>_stored_generated``
    entry then wins (MariaDB copies such a table for SET NOT NULL)."""
    table = shown(key) if key is not None else "the table"
    if len(kinds) == 1 and kinds[0] in _NOT_ALTER and kinds[0] not in profile.algorithms:
        lock, cost = _NOT_ALTER[kinds[0]]
        tables = (TableLock(table, lock, existed),) if lock else ()
        return StatementLock(index, label, tuple(kinds), tables, cost, False)
    choices = [algorithm_for(profile, f"{k}_stored_generated" if stored and
                             f"{k}_stored_generated" in profile.algorithms else k)
               for k in kinds]
    if "" in kinds or None in choices:
        return StatementLock(index, label, tuple(kinds), (), "", False)
    algorithm = max((c[0] for c in choices if c), key=_ALGORITHM_RANK.__getitem__)
    lock = max((c[1] for c in choices if c), key=_LOCK_RANK.__getitem__)
    rebuild = any(c[2] for c in choices if c)
    indexes = any(k in _INDEXES for k in kinds)
    if algorithm == "COPY":
        cost = "copies the table; writes wait until it is done"
    elif rebuild:
        cost = "rebuilds the table in place; writes continue" if lock == "NONE" else \
            "rebuilds the table in place; writes wait"
    elif indexes:
        cost = "builds an index, reading every row; writes continue"
    else:
        cost = "changes the catalog only"
    clause = f"ALGORITHM={algorithm}, LOCK={lock}"
    slow = existed and (algorithm == "COPY" or rebuild or indexes)
    return StatementLock(index, label, tuple(kinds), (TableLock(table, clause, existed),), cost,
                         slow, clause if existed else "", algorithm, lock)


def with_algorithm_clauses(statements: tuple[Statement, ...],
                           locks: tuple[StatementLock, ...]) -> tuple[Statement, ...]:
    """MySQL/MariaDB (the ``algorithm_clauses`` setting): each ALTER TABLE of a table that
    existed before its step asks for the algorithm and concurrency the lock report expects,
    where that is not a copy, so the server refuses before changing anything instead of
    copying the table. CREATE/DROP INDEX stay as written (InnoDB builds and drops indexes in
    place; sqlglot cannot read the clause there)."""
    asks = {lock.index: lock for lock in locks
            if lock.algorithm and lock.algorithm != "COPY" and lock.existing}
    if not asks:
        return statements
    out = list(statements)
    for index, lock in asks.items():
        statement = out[index]
        if ALTER_TABLE.match(statement.sql):
            out[index] = replace(statement, sql=f"{statement.sql.rstrip()}, "
                                 f"ALGORITHM={lock.algorithm}, LOCK={lock.lock_clause}")
    return tuple(out)
