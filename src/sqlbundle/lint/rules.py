"""Lint rules: a stable code, a severity, a one-line explanation and a suggested fix each.

Operation checks read one operation with the replayed schema before and after it (an
``OpEvent``) and return ``Hit`` values; they never format or print. Which dialects and
directions a rule speaks for is data on the rule, so checks do not branch on either: ``lint``
drops hits whose rule does not apply. Raw SQL is read through sqlglot in the target dialect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..profile import Profile
from .sql import Key
from ..schema.operations import (
    UNSET,
    AddColumn,
    AddConstraint,
    AlterColumn,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
    Operation,
    RenameTable,
)
from ..schema.state import CheckState, ForeignKeyState, PrimaryKeyState, UniqueState

if TYPE_CHECKING:
    from .events import OpEvent

SEVERITIES = ("info", "warning", "error")  # in increasing order
BOTH = ("upgrade", "downgrade")


def _everywhere(profile: Profile) -> bool:
    return True


def _only(*dialects: str) -> Callable[[Profile], bool]:
    """A rule that applies to the named dialects only (the rule's data names them)."""
    return lambda profile: profile.name in dialects


_postgresql = _only("postgresql")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    summary: str  # one line: what the rule finds and why it matters
    fix: str  # the default suggested fix
    directions: tuple[str, ...] = BOTH
    applies: Callable[[Profile], bool] = field(default=_everywhere, compare=False)

    def hit(self, message: str, fix: str | None = None, line: int | None = None) -> Hit:
        return Hit(self, message, fix or self.fix, line)


@dataclass(frozen=True)
class Hit:
    """A rule firing, before ``lint`` places it in a file and applies suppressions."""

    rule: Rule
    message: str
    fix: str
    line: int | None = None


RULES: dict[str, Rule] = {}


def _rule(code: str, name: str, severity: str, summary: str, fix: str, **kw: Any) -> Rule:
    if code in RULES:
        raise RuntimeError(f"duplicate lint rule {code}")
    RULES[code] = rule = Rule(code, name, severity, summary, fix, **kw)
    return rule


DROP_TABLE = _rule(
    "SBL001", "drop-table", "error",
    "Dropping a table deletes its data, and code still deployed that reads it fails.",
    "deploy code that no longer uses the table first and keep a backup (or rename it aside "
    "and drop it in a later release); if intended, suppress with a reason",
    directions=("upgrade",))
DROP_COLUMN = _rule(
    "SBL002", "drop-column", "error",
    "Dropping a column deletes its data, and code still deployed that reads it fails.",
    "stop reading and writing the column in a release first, then drop it; if intended, "
    "suppress with a reason", directions=("upgrade",))
NOT_NULL = _rule(
    "SBL003", "not-null-without-default", "error",
    "A NOT NULL column without a server default cannot be added to a table that has rows.",
    "add it nullable (or with server_default=...), backfill it, then "
    "alter_column(nullable=False) in a later step")
NARROWING = _rule(
    "SBL004", "narrowing-type-change", "error",
    "A column type change that narrows or changes the type family can fail or lose data.",
    "check the data fits first, or add a column of the new type, backfill it, switch the "
    "code over and drop the old column later", directions=("upgrade",))
REWRITE = _rule(
    "SBL005", "rewriting-type-change", "warning",
    "A column type change that rewrites the table holds a lock for as long as the copy takes.",
    "run it in a maintenance window, or add a column of the new type and backfill it in "
    "batches")
RENAME_TABLE = _rule(
    "SBL006", "rename-table", "warning",
    "Renaming a table breaks code that is still running with the old name.",
    "create the new name alongside (e.g. a view with the old name) and switch the code over "
    "before removing the old name", directions=("upgrade",))
RENAME_COLUMN = _rule(
    "SBL007", "rename-column", "warning",
    "Renaming a column breaks code that is still running with the old name.",
    "add the new column, write both, backfill, switch reads, then drop the old column in a "
    "later release", directions=("upgrade",))
RESTATED = _rule(
    "SBL008", "alter-column-restates-column", "warning",
    "Alembic's alter_column restates the whole column on MySQL, MariaDB and SQL Server from "
    "its existing_*= hints (NULL, no default, no comment where none are given); where they "
    "differ from the history, the step changes that too.",
    "state the column as the history has it (existing_type=, existing_nullable=, "
    "existing_server_default=, existing_comment=, existing_autoincrement=)")
NO_CONCURRENTLY = _rule(
    "SBL010", "index-without-concurrently", "warning",
    "PostgreSQL: building an index on an existing table without CONCURRENTLY blocks writes "
    "until it finishes.",
    "pass postgresql_concurrently=True (sqlbundle runs it outside the transaction)",
    applies=_postgresql)
NOT_VALID = _rule(
    "SBL011", "constraint-without-not-valid", "warning",
    "PostgreSQL: adding a foreign key or check constraint to an existing table validates "
    "every row while blocking writes.",
    "build with --safe (or safe = true): the constraint is added NOT VALID and validated apart "
    "without blocking writes (name the constraint); or write both steps with op.execute()",
    applies=_postgresql)
DROP_INDEX_LOCK = _rule(
    "SBL015", "drop-index-without-concurrently", "warning",
    "PostgreSQL: dropping an index of an existing table without CONCURRENTLY takes an ACCESS "
    "EXCLUSIVE lock on the table: every query on it waits.",
    "pass postgresql_concurrently=True (sqlbundle runs it outside the transaction)",
    applies=_postgresql)
SET_NOT_NULL = _rule(
    "SBL016", "set-not-null-scans-the-table", "warning",
    "PostgreSQL: SET NOT NULL on an existing column scans every row under an ACCESS EXCLUSIVE "
    "lock.",
    "build with --safe (PostgreSQL 12+): a CHECK (column IS NOT NULL) NOT VALID is validated "
    "apart, SET NOT NULL then skips the scan, and the check is dropped",
    applies=_postgresql)
ENUM_ADD_VALUE = _rule(
    "SBL012", "enum-add-value-in-transaction", "error",
    "PostgreSQL before 12: ALTER TYPE ... ADD VALUE cannot run inside a transaction block.",
    "run it inside `with op.get_context().autocommit_block():`, or target PostgreSQL 12+",
    applies=lambda p: _postgresql(p) and not p.supports("alter_type_add_value_in_transaction"))
NEW_LABEL_USED = _rule(
    "SBL014", "enum-label-used-before-commit", "error",
    "PostgreSQL: a label added with ALTER TYPE ... ADD VALUE cannot be used before the "
    "transaction that added it commits.",
    "run the ADD VALUE inside `with op.get_context().autocommit_block():`, or write it as "
    "op.alter_column(type_=sa.Enum(...)), whose new labels sqlbundle commits before use",
    applies=_postgresql)
MULTI_DDL = _rule(
    "SBL013", "several-ddl-without-transactional-ddl", "warning",
    "The target cannot roll DDL back: when a later statement of a step fails, the earlier "
    "ones stay applied and the version table is not updated.",
    "split the migration so each step runs one DDL statement (on MySQL/MariaDB the bundle "
    "reruns a failed step from where it stopped, but until then it is half-applied)",
    applies=lambda p: not p.transactional_ddl)
MISSING_DOWNGRADE = _rule(
    "SBL020", "missing-downgrade", "warning",
    "The migration changes the schema but cannot be rolled back.",
    "write a downgrade() that undoes upgrade(), or suppress with a reason saying why it is "
    "irreversible")
EMPTY_DOWNGRADE = _rule(
    "SBL021", "empty-downgrade", "warning",
    "The downgrade does nothing while the upgrade changes the schema: the rollback bundle "
    "would only move the version table.",
    "undo upgrade()'s operations in downgrade(), or suppress with a reason")
LOSSY_DOWNGRADE = _rule(
    "SBL022", "lossy-downgrade", "warning",
    "The downgrade deletes or narrows data that existed before the upgrade.",
    "make the downgrade undo only what the upgrade changed (drop what it created, restore "
    "what it dropped), or suppress with a reason", directions=("downgrade",))
BROKEN_DOWNGRADE = _rule(
    "SBL023", "broken-downgrade", "error",
    "The downgrade cannot be recorded or replayed over the schema its upgrade leaves.",
    "fix downgrade() so it refers to what the upgrade created", directions=("downgrade",))
SQL_PARSE = _rule(
    "SBL030", "sql-does-not-parse", "warning",
    "Raw SQL does not parse for the target dialect (sqlglot).",
    "correct the statement, or write it for this dialect (a 'dialect=' section or a "
    "dialect check around op.execute())")
SQL_UNCHECKED = _rule(
    "SBL031", "sql-not-checked", "info",
    "sqlglot can only keep this raw SQL as an opaque command, so nothing checked it.",
    "review the statement by hand (or apply the bundle to a scratch database)")
NAME_TOO_LONG = _rule(
    "SBL032", "identifier-too-long", "error",
    "A name is longer than the target dialect allows.",
    "choose a shorter name")
CANNOT_RENDER = _rule(
    "SBL033", "cannot-render", "error",
    "The operation cannot be rendered for the target dialect.",
    "see the message; branch on op.get_context().dialect.name where dialects differ")
SQL_REJECTED = _rule(
    "SBL035", "sql-target-rejects", "error",
    "Raw SQL kept as written uses a form the target database rejects.",
    "write it for this dialect (a 'dialect=' section or a dialect check around op.execute()), "
    "or declare the dialect it is written in (op.execute(..., dialect=...), "
    "'-- source_dialect:') so sqlbundle writes it for each target")
SUPPRESSION_NO_REASON = _rule(
    "SBL090", "suppression-without-reason", "error",
    "A suppression needs a reason: '# sqlbundle: ignore[CODE] reason: <why>'. Without one it "
    "suppresses nothing.", "say why after 'reason:'")
SUPPRESSION_UNKNOWN = _rule(
    "SBL091", "suppression-unknown-rule", "error",
    "A suppression names a rule that does not exist (or one that cannot be suppressed).",
    "use a code from `sqlbundle lint`'s rules (SBL001...); SBL09x findings cannot be "
    "suppressed")
SUPPRESSION_UNUSED = _rule(
    "SBL092", "unused-suppression", "warning",
    "A suppression matches no finding on its line or the line below it.",
    "remove the comment, or move it onto (or just above) the operation's line")

UNSUPPRESSABLE = frozenset(c for c in RULES if c.startswith("SBL09"))


def _shown(key: Key) -> str:
    return f"{key[0]}.{key[1]}" if key[0] else key[1]


def _table_key(op: Any) -> Key:
    return (getattr(op, "schema", None), op.table)


# ---------------------------------------------------------------------------- checks


def check_drops(ev: OpEvent) -> Iterator[Hit]:
    op = ev.op
    drops: list[tuple[Key, str | None]] = []
    if isinstance(op, DropTable):
        drops.append(((op.schema, op.name), None))
    elif isinstance(op, DropColumn):
        drops.append((_table_key(op), op.column))
    for effect in ev.raw:
        if effect.kind in ("drop_table", "drop_column") and effect.table is not None:
            drops.append((effect.table, effect.column))
    for key, column in drops:
        if column is None:
            if ev.existing(key):
                yield DROP_TABLE.hit(f"drop table {_shown(key)}: deletes the table and its data")
            if ev.loses_table(key):
                yield LOSSY_DOWNGRADE.hit(
                    f"drop table {_shown(key)}: the table existed before the upgrade, so "
                    "rolling back deletes its data")
        else:
            if ev.existing(key):
                yield DROP_COLUMN.hit(f"drop column {_shown(key)}.{column}: deletes the "
                                      "column and its data")
            if ev.loses_column(key, column):
                yield LOSSY_DOWNGRADE.hit(
                    f"drop column {_shown(key)}.{column}: the upgrade did not add this "
                    "column, so rolling back deletes its data")


def check_not_null(ev: OpEvent) -> Iterator[Hit]:
    op = ev.op
    if not isinstance(op, AddColumn) or not ev.existing(_table_key(op)):
        return
    col = op.column
    if col.nullable or col.server_default is not None or col.identity is not None \
            or col.computed is not None or col.sequence is not None:
        return
    yield NOT_NULL.hit(f"{op.describe()}: NOT NULL without a server default on existing table "
                       f"{_shown(_table_key(op))} fails when the table has rows")


def check_type_change(ev: OpEvent) -> Iterator[Hit]:
    from ..schema.typechange import type_change

    op = ev.op
    if not isinstance(op, AlterColumn) or op.type is UNSET:
        return
    key = _table_key(op)
    table = ev.before.table(op.table, op.schema)
    column = table.column(op.column) if table is not None else None
    if column is None or not ev.existing(key):
        return
    verdict = type_change(column.type, op.type, ev.profile, ev.dialect)
    if verdict is None:
        return
    kind, reason = verdict
    where = f"alter column {_shown(key)}.{op.column}"
    if kind == "rewrite":
        cost = ev.profile.rewrite_cost or "the table may be rewritten while locked"
        yield REWRITE.hit(f"{where}: {reason}; {cost}")
        return
    yield NARROWING.hit(f"{where}: {reason}; rows that do not fit make it fail (or are "
                        "truncated where the server is not strict)")
    yield LOSSY_DOWNGRADE.hit(f"{where}: {reason}; values written since the upgrade may not "
                              "fit")


def check_renames(ev: OpEvent) -> Iterator[Hit]:
    op = ev.op
    if isinstance(op, RenameTable):
        yield RENAME_TABLE.hit(f"{op.describe()}: code still running uses {op.old_name}")
    elif isinstance(op, AlterColumn) and op.new_name is not UNSET and op.new_name != op.column:
        yield RENAME_COLUMN.hit(f"rename column {_shown(_table_key(op))}.{op.column} to "
                                f"{op.new_name}: code still running uses {op.column}")
    for effect in ev.raw:
        if effect.kind == "rename_table" and effect.table is not None:
            yield RENAME_TABLE.hit(f"raw SQL renames table {_shown(effect.table)}: code still "
                                   "running uses the old name")
        elif effect.kind == "rename_column" and effect.table is not None:
            yield RENAME_COLUMN.hit(f"raw SQL renames column {_shown(effect.table)}."
                                    f"{effect.column}: code still running uses the old name")


_INDEX_CONSTRAINT_FIX = (
    "build a unique index with postgresql_concurrently=True first, then attach it with raw "
    "SQL: op.execute('ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX ...')")


def check_locking(ev: OpEvent) -> Iterator[Hit]:
    """Index builds and constraint validation that block writes on existing tables."""
    op = ev.op
    if isinstance(op, CreateIndex) and ev.existing(_table_key(op)) and not op.concurrently \
            and not ev.written("CONCURRENTLY"):
        yield NO_CONCURRENTLY.hit(f"{op.describe()}: builds the index while blocking writes to "
                                  f"{_shown(_table_key(op))}")
    elif isinstance(op, AddConstraint) and ev.existing(_table_key(op)) and not (
            ev.written("VALIDATE CONSTRAINT") or ev.written("USING INDEX")):  # safe forms
        c = op.constraint
        table = _shown(_table_key(op))
        if isinstance(c, (UniqueState, PrimaryKeyState)):
            yield NO_CONCURRENTLY.hit(f"{op.describe()}: builds its index while blocking "
                                      f"writes to {table}", fix=_INDEX_CONSTRAINT_FIX)
        elif isinstance(c, (ForeignKeyState, CheckState)):
            also = f" (and {c.referred_table})" if isinstance(c, ForeignKeyState) else ""
            name = c.name or "..."
            yield NOT_VALID.hit(
                f"{op.describe()}: validates every existing row while blocking writes to "
                f"{table}{also}",
                fix=f"build with --safe (or safe = true): {name} is then added NOT VALID and "
                f"validated apart (ALTER TABLE {table} VALIDATE CONSTRAINT {name}) without "
                "blocking writes" + ("" if c.name else "; give the constraint a name first"))
    elif isinstance(op, DropIndex) and not dict(op.kwargs).get("postgresql_concurrently") \
            and not ev.written("CONCURRENTLY"):
        owner = op.owner(ev.before)
        key = (owner.schema, owner.name) if owner is not None else None
        # A downgrade dropping the index of a table its upgrade created drops the table too.
        if key is not None and ev.existing(key) and \
                (ev.direction == "upgrade" or ev.loses_table(key)):
            yield DROP_INDEX_LOCK.hit(f"{op.describe()}: locks {_shown(key)} against every "
                                      "query while the index is dropped")
    elif isinstance(op, AlterColumn) and op.nullable is False and \
            not ev.written("VALIDATE CONSTRAINT"):
        key = _table_key(op)
        table = ev.before.table(op.table, op.schema)
        column = table.column(op.column) if table is not None else None
        if column is not None and column.nullable and ev.existing(key) and \
                ev.lineage.origin_column(key, op.column) is not None and \
                (ev.direction == "upgrade" or ev.loses_column(key, op.column)):
            yield SET_NOT_NULL.hit(f"set NOT NULL on {_shown(key)}.{op.column}: scans every "
                                   "row while the table is locked against every query")
    created: set[Key] = set()
    for effect in ev.raw:
        if effect.kind == "create_table" and effect.table is not None:
            created.add(effect.table)
        fresh = effect.table in created or (effect.table is not None
                                            and not ev.existing(effect.table))
        if effect.kind == "create_index" and not effect.flag and not fresh:
            yield NO_CONCURRENTLY.hit(f"raw CREATE INDEX {effect.detail} without CONCURRENTLY "
                                      f"blocks writes to {_shown(effect.table)}",
                                      fix="write CREATE INDEX CONCURRENTLY inside `with "
                                      "op.get_context().autocommit_block():`")
        elif effect.kind == "add_constraint" and not effect.flag and not fresh:
            yield NOT_VALID.hit(f"raw SQL adds a {effect.detail} constraint to "
                                f"{_shown(effect.table)} without NOT VALID: validates every "
                                "row while blocking writes",
                                fix="add it NOT VALID, then VALIDATE CONSTRAINT in a later "
                                "migration")
        elif effect.kind == "enum_add_value" and not effect.autocommit:
            yield ENUM_ADD_VALUE.hit(f"ALTER TYPE {effect.detail} ADD VALUE runs inside the "
                                     f"step's transaction; {ev.profile.target} refuses that")


def names_of(op: Operation) -> list[tuple[str, str]]:
    """(what, name) for every name ``op`` creates or refers to by name."""
    out: list[tuple[str, str | None]] = []

    def constraints(fks: Any, uniques: Any, checks: Any) -> None:
        out.extend(("foreign key", f.name) for f in fks)
        out.extend(("unique constraint", u.name) for u in uniques if u is not None)
        out.extend(("check constraint", c.name) for c in checks)

    if isinstance(op, CreateTable):
        t = op.table
        out.append(("table", t.name))
        out.extend(("column", c.name) for c in t.columns)
        if t.primary_key is not None:
            out.append(("primary key", t.primary_key.name))
        constraints(t.foreign_keys, t.uniques, t.checks)
        out.extend(("index", i.name) for i in t.indexes)
        out.extend(("exclude constraint", e.name) for e in t.excludes)
    elif isinstance(op, AddColumn):
        out.append(("column", op.column.name))
        constraints(op.foreign_keys, (op.unique,), op.checks)
        if op.index is not None:
            out.append(("index", op.index.name))
    elif isinstance(op, RenameTable):
        out.append(("table", op.new_name))
    elif isinstance(op, AlterColumn) and op.new_name is not UNSET:
        out.append(("column", op.new_name))
    elif isinstance(op, CreateIndex):
        out.append(("index", op.index.name))
    elif isinstance(op, AddConstraint):
        out.append((f"{op.constraint_kind} constraint", op.constraint.name))
    elif isinstance(op, CreateEnum):
        out.append(("type", op.name))
    elif isinstance(op, DropIndex):
        out.append(("index", op.name))
    elif isinstance(op, DropConstraint):
        out.append(("constraint", op.name))
    return [(what, name) for what, name in out if name]


def check_names(ev: OpEvent) -> Iterator[Hit]:
    limit = ev.profile.identifier_limit
    if not limit:
        return
    for what, name in names_of(ev.op):
        if len(name) > limit:
            yield NAME_TOO_LONG.hit(f"{what} name {name!r} is {len(name)} characters; "
                                    f"{ev.profile.title} allows {limit}",
                                    fix=f"choose a name of at most {limit} characters")


OP_CHECKS: tuple[Callable[[OpEvent], Iterator[Hit]], ...] = (
    check_drops, check_not_null, check_type_change, check_renames, check_locking,
)
