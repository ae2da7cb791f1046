"""Reading a rendered statement's text: what kind of change each part of it is (the lock
report's vocabulary, ``dialects/README.md``) and which table it changes. Text only: the
operation and the schema refine it in ``render.locks``."""

from __future__ import annotations

import re

from ..schema.lineage import Key

NAME = r'(?:"[^"]+"|`[^`]+`|\[[^\]]+\]|[\w$#]+)'
_QUALIFIED = rf"({NAME}(?:\s*\.\s*{NAME})?)"

# Whole statements: (pattern, kind); the first group names the table.
_STATEMENTS = [
    (rf"CREATE\s+(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP\w*\s+)?(?:UNLOGGED\s+)?TABLE\s+"
     rf"(?:IF\s+NOT\s+EXISTS\s+)?{_QUALIFIED}", "create_table"),
    (rf"DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?{_QUALIFIED}", "drop_table"),
    (rf"CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:{NAME}\s+)?"
     rf"ON\s+(?:ONLY\s+)?{_QUALIFIED}", "create_index_concurrently"),
    (rf"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?{NAME}\s+ON\s+(?:ONLY\s+)?"
     rf"{_QUALIFIED}", "create_index"),
    (r"DROP\s+INDEX\s+CONCURRENTLY\b()", "drop_index_concurrently"),
    (rf"DROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?{NAME}(?:\s*\.\s*{NAME})?(?:\s+ON\s+{_QUALIFIED})?",
     "drop_index"),
    (rf"RENAME\s+TABLE\s+{_QUALIFIED}", "rename_table"),
    (rf"COMMENT\s+ON\s+TABLE\s+{_QUALIFIED}", "table_comment"),
    (rf"COMMENT\s+ON\s+COLUMN\s+({NAME}(?:\s*\.\s*{NAME})?)\s*\.\s*{NAME}\s+IS\b",
     "column_comment"),
    (rf"INSERT\s+INTO\s+{_QUALIFIED}", "write_rows"),
    (rf"UPDATE\s+{_QUALIFIED}", "write_rows"),
    (rf"DELETE\s+FROM\s+{_QUALIFIED}", "write_rows"),
    (r"(?:CREATE|DROP|ALTER)\s+(?:TYPE|SEQUENCE|SCHEMA|EXTENSION|DOMAIN)\b()", "no_table"),
]
_STATEMENTS_RE = [(re.compile(rf"\s*{pattern}", re.I), kind) for pattern, kind in _STATEMENTS]
ALTER_TABLE = re.compile(rf"\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{_QUALIFIED}\s*",
                          re.I)

# Clauses of ALTER TABLE, tried in order; the first match names the clause's kind.
_CLAUSES = [(re.compile(rf"\s*{pattern}", re.I), kind) for pattern, kind in [
    (rf"ADD\s+CONSTRAINT\s+{NAME}\s+FOREIGN\s+KEY\b.*\bNOT\s+VALID\s*$",
     "add_foreign_key_not_valid"),
    (rf"ADD\s+(?:CONSTRAINT\s+{NAME}\s+)?FOREIGN\s+KEY\b", "add_foreign_key"),
    (rf"ADD\s+(?:CONSTRAINT\s+{NAME}\s+)?CHECK\b.*\bNOT\s+VALID\s*$", "add_check_not_valid"),
    (rf"ADD\s+(?:CONSTRAINT\s+{NAME}\s+)?CHECK\b", "add_check"),
    (rf"ADD\s+(?:CONSTRAINT\s+{NAME}\s+)?PRIMARY\s+KEY\b", "add_primary_key"),
    (rf"ADD\s+(?:CONSTRAINT\s+{NAME}\s+)?UNIQUE\b(?!\s+(?:INDEX|KEY)\b)", "add_unique"),
    (r"ADD\s+(?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?(?:INDEX|KEY)\b", "create_index"),
    (rf"ADD\s+CONSTRAINT\s+{NAME}\s+EXCLUDE\b", "add_unique"),
    (r"ADD\s+(?:COLUMN\s+)?", "add_column"),
    (r"DROP\s+PRIMARY\s+KEY\b", "drop_primary_key"),
    (r"DROP\s+(?:CONSTRAINT|FOREIGN\s+KEY|CHECK)\b", "drop_constraint"),
    (r"DROP\s+(?:INDEX|KEY)\b", "drop_index"),
    (r"DROP\s+(?:COLUMN\s+)?", "drop_column"),
    (rf"ALTER\s+(?:COLUMN\s+)?{NAME}\s+(?:SET\s+DATA\s+)?TYPE\b", "alter_type"),
    (rf"ALTER\s+(?:COLUMN\s+)?{NAME}\s+SET\s+NOT\s+NULL\b", "set_not_null"),
    (rf"ALTER\s+(?:COLUMN\s+)?{NAME}\s+DROP\s+NOT\s+NULL\b", "drop_not_null"),
    (rf"ALTER\s+(?:COLUMN\s+)?{NAME}\s+SET\s+DEFAULT\b", "set_default"),
    (rf"ALTER\s+(?:COLUMN\s+)?{NAME}\s+DROP\s+DEFAULT\b", "drop_default"),
    (r"(?:MODIFY|CHANGE)\b", "modify"),
    (r"RENAME\s+TO\b", "rename_table"),
    (r"RENAME\s+(?:COLUMN\s+)?", "rename_column"),
    (r"VALIDATE\s+CONSTRAINT\b", "validate_constraint"),
    (r"COMMENT\b", "table_comment"),
]]
REFERENCES = re.compile(rf"\bREFERENCES\s+{_QUALIFIED}", re.I)
POSITIONED = re.compile(r"\s(?:AFTER\s+\S+|FIRST)\s*$", re.I)
FILLED = re.compile(r"\b(?:SERIAL|BIGSERIAL|SMALLSERIAL|AUTO_INCREMENT|IDENTITY)\b", re.I)
STORED = re.compile(r"\bAS\s*\(.*\)\s*(?:STORED|PERSISTENT)\b", re.I | re.S)
DEFAULT = re.compile(r"\bDEFAULT\b", re.I)
CALLS = re.compile(r"([\w.]+)\s*\(")


def _unquote(name: str) -> str:
    name = name.strip()
    if name[:1] in '"`[' and len(name) > 1:
        return name[1:-1]
    return name


def key_of(qualified: str) -> Key:
    parts = re.findall(NAME, qualified)
    if len(parts) >= 2:
        return (_unquote(parts[-2]), _unquote(parts[-1]))
    return (None, _unquote(parts[0])) if parts else (None, "")


def shown(key: Key) -> str:
    return f"{key[0]}.{key[1]}" if key[0] else key[1]


def label_of(sql: str, width: int = 60) -> str:
    """The statement's start, enough to find it in the file (a CREATE TABLE up to its
    columns)."""
    text = " ".join(sql.split())
    if re.match(r"CREATE\s+(?:\w+\s+)*TABLE\b", text, re.I) and " (" in text:
        text = text[: text.index(" (")]
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _split_clauses(text: str) -> list[str]:
    """ALTER TABLE's clauses: split at commas outside parentheses and quotes."""
    out, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [c.strip() for c in out if c.strip()]


def classify(sql: str) -> tuple[list[tuple[str, str]], Key | None]:
    """(kind, clause text) per part of ``sql``, and the table it changes (None: none or
    unknown). An unknown statement gives no kinds."""
    for pattern, kind in _STATEMENTS_RE:
        match = pattern.match(sql)
        if match:
            table = match.group(1)
            return [(kind, sql)], (key_of(table) if table else None)
    match = ALTER_TABLE.match(sql)
    if not match:
        return [], None
    kinds = []
    for clause in _split_clauses(sql[match.end():]):
        kind = next((k for pattern, k in _CLAUSES if pattern.match(clause)), "")
        kinds.append((kind, clause))
    return kinds, key_of(match.group(1))
