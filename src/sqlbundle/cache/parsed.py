"""Statements already parsed cleanly by sqlglot, per dialect: a re-render after adding a
migration only checks what is new. One text file per dialect, safe to delete."""

from __future__ import annotations

import hashlib
from pathlib import Path


class ParsedMemo:
    """Statements already parsed cleanly for a dialect, kept in the project's cache folder so
    a re-render after adding a migration only checks what is new. Safe to delete."""

    def __init__(self, folder: Path | None, dialect: str, version: str) -> None:
        self.path = folder / f"sqlcheck-{dialect}.txt" if folder is not None else None
        self.header = f"sqlbundle {version} sqlglot {_sqlglot_version()}"
        self.known: set[str] = set()
        self.added: set[str] = set()
        if self.path is not None:
            try:
                lines = self.path.read_text("utf-8").splitlines()
            except OSError:
                lines = []
            if lines[:1] == [self.header]:
                self.known = set(lines[1:])

    @staticmethod
    def key(sql: str) -> str:
        return hashlib.sha256(sql.encode("utf-8")).hexdigest()[:32]

    def __contains__(self, sql: str) -> bool:
        return self.key(sql) in self.known

    def add(self, sql: str) -> None:
        self.added.add(self.key(sql))

    def save(self) -> None:
        if self.path is None or not self.added - self.known:
            return
        from .files import write_cache_file

        lines = [self.header, *sorted(self.known | self.added)]
        write_cache_file(self.path, "\n".join(lines) + "\n")


def _sqlglot_version() -> str:
    # From the installed metadata: importing sqlglot costs time and memory a run whose
    # statements were all checked before does not need.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sqlglot")
    except PackageNotFoundError:
        import sqlglot

        return getattr(sqlglot, "__version__", "?")
