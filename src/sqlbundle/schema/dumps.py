"""Reading a schema dump that a database's own tool wrote (``pg_dump --schema-only``,
``mariadb-dump --no-data``, ``sqlite3 .schema``/``.dump``) into a ``SchemaState``, with no
connection: the schema a DBA hands over, to compare with the replayed one.

Each statement is read as raw DDL is (``rawddl``) and folded into an empty state named the way
the replay names it. What a dump adds around the DDL is dropped (session settings, ownership,
grants, client meta-commands, locks, data); what it splits apart is put back together
(``dumpforms``: a sequence owned by a column and its ``nextval`` default are a SERIAL column).
The version table's rows are read when the dump holds them; the table itself is not part of
the schema, as in the replay. A schema-changing statement that cannot be followed is listed in
``skipped``; a text that is no dump at all is an error naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import SqlbundleError
from ..profile import Profile
from .dumpforms import (
    Sequences,
    copy_blocks,
    dump_tree,
    enum_columns,
    identity_op,
    key_indexes,
    later_keys,
    owned_by,
    serial_op,
)
from .rawddl import RawStatement, fold, raw_operations, raw_statements
from .state import SchemaState


@dataclass(frozen=True)
class DumpSchema:
    """What a schema dump holds, as the replay models it."""

    state: SchemaState  # tables, columns, keys, constraints, indexes, enums, comments
    versions: tuple[str, ...] | None  # the version table's rows (sorted); None: not dumped
    skipped: tuple[str, ...]  # "FILE:LINE: statement" for each one that could not be followed


class DumpError(SqlbundleError):
    """The text is not a schema dump that can be read."""


def read_dump(text: str, path: str, profile: Profile, version_table: str = "alembic_version",
              *, source_dialect: str | None = None) -> DumpSchema:
    """The schema ``text`` (a dump of a ``profile`` database, read from ``path``) describes.

    The state starts empty and names unnamed constraints as the replay for ``profile`` does
    (``source_dialect``: the project's, which the replay falls back to where the target's
    names cannot be predicted)."""
    from .gennames import naming_for

    _check_text(text, path)
    read = profile.sqlglot_dialect
    text, copied = copy_blocks(text, version_table, profile.dump_schema)
    reader = _Reader(SchemaState(naming=naming_for(profile.target, source_dialect)), path,
                     read, profile.dump_schema, version_table)
    if copied is not None:
        reader.versions = set(copied)
    for statement in raw_statements(text, read):
        reader.statement(statement)
    reader.finish()
    # Settings and rows alone are an empty database's dump; statements that change the schema
    # and none of them read are a dump of another kind (or another database's).
    if not reader.read_any and reader.skipped:
        line, why = reader.first_error or (1, "no SQL statement in it")
        raise DumpError(f"{path}:{line}: not a {profile.title} schema dump: {why}",
                        hint=f"pass the output of {profile.title}'s dump tool, or the "
                             "dialect the dump was taken from (-d)")
    return reader.result()


def _check_text(text: str, path: str) -> None:
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DumpError(f"{path}:{line}: binary data, not a SQL schema dump",
                        hint="pass the text a dump tool writes (pg_dump --schema-only, "
                             "mariadb-dump --no-data, sqlite3 DB .schema)")
    if not text.strip():
        raise DumpError(f"{path}:1: the dump is empty", hint="pass a schema dump with tables")


# Statements a dump carries that say nothing about the schema the replay models.
_NOISE = re.compile(
    r"^(SET|SELECT|LOCK\s+TABLES?|UNLOCK\s+TABLES?|GRANT|REVOKE|BEGIN|COMMIT|PRAGMA|USE|"
    r"ALTER\s+\w+(\s+\w+)?\s+\S+\s+OWNER\s+TO|CREATE\s+(SCHEMA|EXTENSION)|"
    r"COMMENT\s+ON\s+(SCHEMA|EXTENSION|DATABASE))\b", re.I)
_LOCK = re.compile(r"^LOCK\s+TABLES?\s+(\S+)\s+WRITE", re.I)
_ERROR_LINE = re.compile(r"Line (\d+)")
_TOKEN = re.compile(r"\s*<Token [^>]*>")


class _Reader:
    """One dump read statement by statement."""

    def __init__(self, state: SchemaState, path: str, read: str, dump_schema: str,
                 version_table: str) -> None:
        self.state, self.path, self.read = state, path, read
        self.dump_schema, self.version_table = dump_schema, version_table
        self.versions: set[str] | None = None
        self.skipped: list[str] = []
        self.sequences = Sequences()
        self.read_any = False  # a statement that changes the schema was followed
        self.first_error: tuple[int, str] | None = None  # the first statement not read
        self.later: list[tuple[RawStatement, Any]] = []

    def statement(self, statement: RawStatement) -> None:
        from sqlglot import exp

        tree = statement.tree
        if tree is None:
            self.unreadable(statement)
            return
        text = _code(statement.text)
        if _NOISE.match(text) or isinstance(tree, (exp.Set, exp.Pragma, exp.Transaction,
                                                   exp.Commit, exp.Grant, exp.Revoke)):
            self.data_lock(text)
            return
        tree = dump_tree(tree, self.dump_schema)
        if isinstance(tree, exp.Insert):
            self.version_rows(tree)
            return
        if not statement.changes_schema:
            return
        if self.sequences.take(tree, _line(statement)):  # a CREATE SEQUENCE
            self.read_any = True
            return
        ops = self.dump_ops(tree)
        later: tuple = ()
        if ops is not None:
            ops, later = later_keys(ops)
        followed = fold(self.state, ops) if ops is not None else None
        if followed is None:
            self.skip(statement)
            return
        self.state, self.read_any = followed, True
        self.later += [(statement, op) for op in later]

    def finish(self) -> None:
        """The foreign keys split off tables created before the tables they refer to."""
        for statement, op in self.later:
            followed = fold(self.state, (op,))
            if followed is None:
                self.skip(statement)
            else:
                self.state = followed

    def dump_ops(self, tree: Any) -> Any:
        """The operations of one dump statement: the forms a dump splits apart first, then
        whatever raw DDL says."""
        owner = owned_by(tree, self.dump_schema)
        if owner is not None:
            self.sequences.own(*owner)
            return ()
        for form in (serial_op(tree, self.state, self.sequences, self.dump_schema),
                     identity_op(tree, self.state, self.dump_schema, self.sequences)):
            if form is not None:
                return form
        return raw_operations(tree, self.state, self.read)

    def data_lock(self, text: str) -> None:
        """``LOCK TABLES v WRITE`` in a data dump: the version table's rows follow (none at
        all when it is empty)."""
        found = _LOCK.match(text)
        if found and _unquote(found.group(1).split(".")[-1]) == self.version_table:
            self.versions = self.versions or set()

    def version_rows(self, tree: Any) -> None:
        from sqlglot import exp

        table = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
        values = tree.expression
        if not isinstance(table, exp.Table) or table.name != self.version_table or \
                not isinstance(values, exp.Values):
            return
        self.versions = self.versions or set()
        for row in values.expressions:
            items = row.expressions if isinstance(row, exp.Tuple) else [row]
            if items and isinstance(items[0], exp.Literal):
                self.versions.add(items[0].name)

    def unreadable(self, statement: RawStatement) -> None:
        found = _ERROR_LINE.search(statement.error)
        line = _line(statement) if found is None else statement.offset + int(found.group(1))
        self.skip(statement, line, _TOKEN.sub("", statement.error) or "not SQL")

    def skip(self, statement: RawStatement, line: int | None = None, why: str = "") -> None:
        shown = " ".join(_code(statement.text).split())[:80]
        where = _line(statement)
        if self.first_error is None:
            self.first_error = (line or where, why or f"cannot follow {shown}")
        entry = f"{self.path}:{where}: {shown}"
        # a procedural body's semicolons split one statement (a trigger): list it once
        if not self.skipped or not self.skipped[-1].startswith(f"{self.path}:{where}: "):
            self.skipped.append(entry)

    def result(self) -> DumpSchema:
        state = key_indexes(enum_columns(self.state))
        for key in [k for k in state.tables if k[1] == self.version_table]:
            state = state.without_table(key)
        skipped = self.skipped + [
            f"{self.path}:{line}: CREATE SEQUENCE {name} (a sequence no column owns)"
            for name, line in self.sequences.unowned()]
        versions = tuple(sorted(self.versions)) if self.versions is not None else None
        return DumpSchema(state, versions, tuple(skipped))


def _code(text: str) -> str:
    """A statement's text without the comment lines a dump puts before it."""
    lines = text.splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    return "\n".join(lines).strip()


def _line(statement: RawStatement) -> int:
    """The line the statement's code starts on (after its leading comments)."""
    lines = statement.text.splitlines()
    before = 0
    while before < len(lines) and (not lines[before].strip()
                                   or lines[before].lstrip().startswith("--")):
        before += 1
    return statement.offset + before + 1


def _unquote(name: str) -> str:
    return name.strip('`"[]')
