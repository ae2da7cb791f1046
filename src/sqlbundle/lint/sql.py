"""What raw SQL does to the schema, as far as lint needs to know: read with sqlglot in the
target dialect (regular expressions only for statements sqlglot keeps as opaque commands)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..render.context import Statement

Key = tuple[str | None, str]  # (schema, table)


@dataclass(frozen=True)
class RawEffect:
    """One schema change a raw statement makes, as far as lint needs to know."""

    kind: str  # create_table drop_table drop_column rename_table rename_column create_index
    # add_constraint enum_add_value
    table: Key | None = None
    column: str | None = None
    detail: str = ""  # constraint kind ("foreign"/"check"), index or type name
    flag: bool = False  # CONCURRENTLY / NOT VALID was given
    autocommit: bool = False  # the statement runs outside the step's transaction


_ADD_VALUE = re.compile(r"(?:^|;)\s*ALTER\s+TYPE\s+(\S+)\s+ADD\s+VALUE\b"
                        r"(?:\s+IF\s+NOT\s+EXISTS)?\s*('(?:[^']|'')*')?", re.I)
_RENAME_TABLES = re.compile(r"(?:^|;)\s*RENAME\s+TABLES?\s+(\S+)\s+TO\b", re.I)


def _key(table: Any) -> Key:
    return (table.db or None, table.name)


def raw_effects(statements: tuple[Statement, ...], read: str) -> list[RawEffect]:
    """What raw ``statements`` (already in the target dialect) do to tables and types."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    out: list[RawEffect] = []
    for statement in statements:
        auto = statement.autocommit
        text = statement.sql
        for match in _ADD_VALUE.finditer(text):
            out.append(RawEffect("enum_add_value", detail=match.group(1), autocommit=auto))
        for match in _RENAME_TABLES.finditer(text):
            out.append(RawEffect("rename_table", (None, match.group(1).strip('`"')),
                                 autocommit=auto))
        if statement.block:
            continue
        try:
            trees = [t for t in sqlglot.parse(text, read=read) if t is not None]
        except (ParseError, TokenError):
            continue  # the parse check reports it
        for tree in trees:
            out.extend(_tree_effects(tree, exp, auto))
    return out


def _tree_effects(tree: Any, exp: Any, auto: bool) -> Iterator[RawEffect]:
    kind = str(tree.args.get("kind") or "").upper()
    if isinstance(tree, exp.Create) and kind == "TABLE":
        table = tree.find(exp.Table)
        if table is not None:
            yield RawEffect("create_table", _key(table), autocommit=auto)
    elif isinstance(tree, exp.Create) and kind == "INDEX":
        index = tree.this
        table = index.args.get("table") if isinstance(index, exp.Index) else None
        if table is not None:
            yield RawEffect("create_index", _key(table), detail=index.name,
                            flag=bool(tree.args.get("concurrently")), autocommit=auto)
    elif isinstance(tree, exp.Drop) and kind == "TABLE":
        for table in tree.args.get("tables") or [tree.this]:
            if isinstance(table, exp.Table):
                yield RawEffect("drop_table", _key(table), autocommit=auto)
    elif isinstance(tree, exp.Alter) and kind == "TABLE" and isinstance(tree.this, exp.Table):
        key = _key(tree.this)
        for action in tree.args.get("actions") or []:
            if isinstance(action, exp.Drop) and str(action.args.get("kind")).upper() == "COLUMN":
                for col in action.args.get("tables") or [action.this]:
                    yield RawEffect("drop_column", key, col.name, autocommit=auto)
            elif isinstance(action, exp.RenameColumn):
                yield RawEffect("rename_column", key, action.this.name, autocommit=auto)
            elif isinstance(action, exp.AlterRename):
                yield RawEffect("rename_table", key, autocommit=auto)
            elif isinstance(action, exp.AddConstraint):
                for c in action.find_all(exp.ForeignKey, exp.CheckColumnConstraint):
                    what = "foreign" if isinstance(c, exp.ForeignKey) else "check"
                    yield RawEffect("add_constraint", key, detail=what,
                                    flag=bool(tree.args.get("not_valid")), autocommit=auto)


def labels_used_uncommitted(statements: list[Statement]) -> list[tuple[str, str]]:
    """(type, label) for each raw ``ALTER TYPE ... ADD VALUE`` run inside the step's
    transaction whose label the rest of the step uses: PostgreSQL refuses that ("unsafe use of
    new value"). Labels sqlbundle adds itself are committed before use (``commit_new_labels``)."""
    from ..render.pgenums import EnumValueAdded

    out = []
    for index, statement in enumerate(statements):
        if statement.autocommit or isinstance(statement, EnumValueAdded):
            continue
        for match in _ADD_VALUE.finditer(statement.sql):
            label = match.group(2)
            rest = [statement.sql[match.end():]] + [s.sql for s in statements[index + 1:]]
            if label and any(label in text for text in rest):
                out.append((match.group(1), label))
    return out


_DDL = re.compile(r"^\s*(CREATE|ALTER|DROP|RENAME|TRUNCATE)\b", re.I)


def ddl_count(statements: list[Statement]) -> int:
    """Schema-changing statements among ``statements`` (raw text may hold several)."""
    count = 0
    for statement in statements:
        if statement.dml:
            continue
        parts = [p for p in statement.sql.split(";") if p.strip()] if not statement.block \
            else [statement.sql]
        count += sum(1 for p in parts if _DDL.match(p))
    return count


# ---------------------------------------------------------------------------- forms the target
# rejects although sqlglot reads them (it is lenient): raw SQL kept as written, for instance
# op.execute() text without a declared dialect, written for another database.


def _alter_actions(tree: Any, exp: Any) -> list[Any]:
    if isinstance(tree, exp.Alter) and str(tree.args.get("kind") or "").upper() == "TABLE":
        return list(tree.args.get("actions") or [])
    return []


def _drop_index_without_table(tree: Any, exp: Any, profile: Any) -> bool:
    if not (isinstance(tree, exp.Drop) and str(tree.args.get("kind") or "").upper() == "INDEX"
            and tree.args.get("cluster") is None):
        return False
    targets = tree.args.get("tables") or []
    # SQL Server also takes its older DROP INDEX table.ix.
    return not (profile.drop_index_on_table and targets and targets[0].db)


def _column_type_or_null(tree: Any, exp: Any, profile: Any) -> bool:
    return any(isinstance(a, exp.AlterColumn) and (a.args.get("dtype") is not None
                                                   or a.args.get("allow_null") is not None)
               for a in _alter_actions(tree, exp))


def _sqlite_alter(tree: Any, exp: Any, profile: Any) -> bool:
    return any(isinstance(a, (exp.AlterColumn, exp.AddConstraint, exp.ModifyColumn))
               or (isinstance(a, exp.Drop) and str(a.args.get("kind") or "").upper()
                   != "COLUMN") for a in _alter_actions(tree, exp))


def _rename_column(tree: Any, exp: Any, profile: Any) -> bool:
    return not profile.supports("rename_column") and \
        any(isinstance(a, exp.RenameColumn) for a in _alter_actions(tree, exp))


def _tsql_rename(tree: Any, exp: Any, profile: Any) -> bool:
    return any(isinstance(a, (exp.RenameColumn, exp.AlterRename))
               for a in _alter_actions(tree, exp))


_REJECTED = (
    (("mysql", "mariadb", "mssql"), _drop_index_without_table,
     "{title} needs DROP INDEX <name> ON <table>"),
    (("mysql", "mariadb"), _column_type_or_null,
     "{title} changes a column's type or nullability only with MODIFY and the whole column"),
    (("mysql", "mariadb", "sqlite"), _rename_column,
     "{title} {version} has no RENAME COLUMN"),
    (("sqlite",), _sqlite_alter,
     "SQLite's ALTER TABLE cannot change a column or add or drop a constraint (sqlbundle "
     "copies the table when an operation says it)"),
    (("mssql",), _tsql_rename, "SQL Server renames with sp_rename"),
)


def rejected_forms(statements: tuple[Statement, ...], profile: Any) -> list[str]:
    """Why raw ``statements`` (as they will run) are statements the target rejects."""
    from sqlglot import exp

    from ..schema.rawddl import raw_statements

    out: list[str] = []
    for statement in statements:
        if statement.block:
            continue
        for raw in raw_statements(statement.sql, profile.sqlglot_dialect):
            if raw.tree is None:
                continue
            for targets, test, message in _REJECTED:
                if profile.name in targets and test(raw.tree, exp, profile):
                    first = " ".join(raw.text.split())[:80]
                    out.append(f"{first!r}: " + message.format(title=profile.title,
                                                               version=profile.version))
    return out
