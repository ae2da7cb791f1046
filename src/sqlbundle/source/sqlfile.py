"""The SQL migration format: a header of ``-- key: value`` comments, then marked sections.

Example::

    -- revision: 3f9a1c2b7d10
    -- down_revision: 1a2b3c4d5e6f
    -- message: add audit log
    -- source_dialect: postgres

    -- sqlbundle:upgrade
    CREATE TABLE audit_log (id SERIAL PRIMARY KEY, note TEXT);

    -- sqlbundle:downgrade
    DROP TABLE audit_log;

    -- sqlbundle:upgrade dialect=mysql
    CREATE TABLE audit_log (id INT AUTO_INCREMENT PRIMARY KEY, note TEXT);

Header keys: ``revision`` (required), ``down_revision`` (required: ``none``, one id, or ids
separated by commas for a merge), ``message``, ``branch_labels``, ``depends_on`` (comma lists),
``source_dialect``, ``create_date``. The header ends at the first line that is not a
``--`` comment. A section marked with ``dialect=NAME`` replaces the generic section's text for
that one target dialect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ScriptError

HEADER_KEYS = (
    "revision",
    "down_revision",
    "message",
    "branch_labels",
    "depends_on",
    "source_dialect",
    "create_date",
)
_HEADER_LINE = re.compile(r"^--\s*(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*?)\s*$")
_SECTION = re.compile(
    r"^--\s*sqlbundle:(?P<direction>upgrade|downgrade)(?:\s+dialect=(?P<dialect>[A-Za-z0-9_]+))?\s*$"
)
# Any "-- sqlbundle:" line except lint suppressions ("-- sqlbundle: ignore[...]"), which are
# comments for `sqlbundle lint`, not section markers.
_ANY_MARKER = re.compile(r"^--\s*sqlbundle:(?!\s*ignore\b)")


@dataclass(frozen=True)
class SqlSection:
    direction: str  # "upgrade" or "downgrade"
    dialect: str | None  # None: the generic text, transpiled from source_dialect
    text: str
    line: int  # line of the first SQL line after the marker


@dataclass(frozen=True)
class SqlMigration:
    header: dict[str, str]
    header_lines: dict[str, int]
    sections: tuple[SqlSection, ...]

    def section(self, direction: str, dialect: str | None = None) -> SqlSection | None:
        """The section for ``direction``: the one for ``dialect`` if present, else generic."""
        generic = None
        for section in self.sections:
            if section.direction != direction:
                continue
            if section.dialect == dialect and dialect is not None:
                return section
            if section.dialect is None:
                generic = section
        return generic


def split_list(value: str) -> tuple[str, ...]:
    """``"a, b"`` → ``("a", "b")``; ``none`` and empty → ``()``."""
    if value.strip().lower() in ("", "none", "null"):
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


def parse_sql_migration(text: str, path: str) -> SqlMigration:
    """Parse a SQL migration's header and sections; errors name the file and line."""
    lines = text.splitlines()
    header: dict[str, str] = {}
    header_lines: dict[str, int] = {}
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        if not line.startswith("--") or _ANY_MARKER.match(line):
            break
        match = _HEADER_LINE.match(line)
        if match:
            key = match.group("key").lower()
            if key not in HEADER_KEYS:
                raise ScriptError(
                    f"unknown header key {key!r} in SQL migration",
                    path=path,
                    line=index + 1,
                    hint="known keys: " + ", ".join(HEADER_KEYS),
                )
            if key in header:
                raise ScriptError(f"header key {key!r} given twice", path=path, line=index + 1)
            header[key] = match.group("value")
            header_lines[key] = index + 1
        index += 1
    for key in ("revision", "down_revision"):
        if key not in header:
            raise ScriptError(
                f"SQL migration has no '-- {key}:' header line",
                path=path,
                line=1,
                hint="a SQL migration starts with '-- revision: <id>' and "
                "'-- down_revision: <id or none>'",
            )
    sections: list[SqlSection] = []
    seen: set[tuple[str, str | None]] = set()
    current: tuple[str, str | None, int] | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            direction, dialect, start = current
            sections.append(SqlSection(direction, dialect, "\n".join(body).strip() + "\n", start))

    for number in range(index, len(lines)):
        raw = lines[number]
        stripped = raw.strip()
        marker = _SECTION.match(stripped)
        if marker:
            close()
            key = (marker.group("direction"), marker.group("dialect"))
            if key in seen:
                raise ScriptError(f"section {stripped!r} appears twice", path=path, line=number + 1)
            seen.add(key)
            current = (key[0], key[1], number + 2)
            body = []
            continue
        if _ANY_MARKER.match(stripped):
            raise ScriptError(
                f"unknown marker {stripped!r}",
                path=path,
                line=number + 1,
                hint="markers are '-- sqlbundle:upgrade', '-- sqlbundle:downgrade', optionally "
                "followed by ' dialect=NAME'",
            )
        if current is None:
            if stripped and not stripped.startswith("--"):
                raise ScriptError(
                    "SQL before the first '-- sqlbundle:upgrade' marker",
                    path=path,
                    line=number + 1,
                )
            continue
        body.append(raw)
    close()
    if ("upgrade", None) not in seen:
        raise ScriptError(
            "SQL migration has no '-- sqlbundle:upgrade' section", path=path, line=index + 1
        )
    return SqlMigration(header, header_lines, tuple(sections))
