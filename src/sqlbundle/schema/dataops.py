"""Operations that run SQL or write rows: ``Execute`` (raw DDL is followed into the state
where sqlglot can read it) and ``BulkInsert``.
"""

from __future__ import annotations

import re
import sqlalchemy as sa
from dataclasses import dataclass
from typing import Any, ClassVar

from .state import SchemaState, StateError, evolve
from .opbase import Operation, _shown


# Statements that may change the schema (a prepared statement may run DDL).
_RAW_DDL = re.compile(r"(^|;)\s*(CREATE|ALTER|DROP|RENAME|TRUNCATE|COMMENT|PREPARE)\b", re.IGNORECASE)
# DDL inside a procedural block (PostgreSQL's DO, an anonymous BEGIN ... END, EXECUTE of a
# string): nothing follows it, but the schema may have changed.
_BLOCK_DDL = re.compile(r"^\s*(DO|BEGIN|DECLARE|EXEC(UTE)?)\b.*\b(CREATE|ALTER|DROP|RENAME|"
                        r"TRUNCATE|COMMENT)\b", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Execute(Operation):
    """Raw SQL (str), a ``text()`` clause, a Core statement or a DDL element."""

    sql: Any
    line: int | None = None
    autocommit: bool = False
    source_dialect: str | None = None
    text_lines: bool = False  # the SQL's lines are the file's, from ``line`` on (a SQL file)
    # The language the text is in when no source dialect is given: the target's own (it is
    # passed through as written), so the replay can follow its DDL in that language.
    written_for: str | None = None
    kind: ClassVar[str] = "execute"

    @property
    def is_text(self) -> bool:
        return isinstance(self.sql, str)

    def apply(self, state: SchemaState) -> SchemaState:
        # A text() clause is raw SQL too; a Core statement or DDL element is not raw DDL.
        text = self.sql if isinstance(self.sql, str) else \
            self.sql.text if isinstance(self.sql, sa.TextClause) else ""
        if not _RAW_DDL.search(text):
            return evolve(state, opaque=True) if _BLOCK_DDL.search(text) else state
        if self.source_dialect or self.written_for:
            # Follow the DDL where sqlglot can read it (CREATE/ALTER/DROP TABLE, indexes).
            from .rawfollow import follow_raw_ddl
            from .sqltext import sqlglot_name

            read = sqlglot_name(self.source_dialect) if self.source_dialect else \
                self.written_for
            followed, complete = follow_raw_ddl(state, text, read)
            return followed if complete else evolve(followed, opaque=True)
        # Raw DDL the state cannot follow: it can no longer be trusted to be complete.
        return evolve(state, opaque=True)

    def describe(self) -> str:
        if isinstance(self.sql, str):
            first = " ".join(self.sql.split())
            return "execute " + (first[:60] + "..." if len(first) > 60 else first)
        return f"execute {type(self.sql).__name__}"


@dataclass(frozen=True)
class BulkInsert(Operation):
    table: str
    columns: tuple[tuple[str, Any], ...]  # (name, type) as the author's table declared them
    rows: tuple[tuple[tuple[str, Any], ...], ...]  # each row: sorted (column, value) pairs
    schema: str | None = None
    multiinsert: bool = True
    line: int | None = None
    autocommit: bool = False
    kind: ClassVar[str] = "bulk_insert"

    def apply(self, state: SchemaState) -> SchemaState:
        table = state.table(self.table, self.schema)
        if table is None and not state.opaque:
            state.require_table(self.table, self.schema)
        if table is not None:
            for name, _ in self.columns:
                if not table.has_column(name):
                    raise StateError(f"bulk_insert names missing column {table.display}.{name}")
        return state

    def describe(self) -> str:
        return f"insert {len(self.rows)} row(s) into {_shown(self.table, self.schema)}"
