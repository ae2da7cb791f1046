"""User-facing errors.

Every stage raises a subclass of :class:`SqlbundleError` for problems the user can fix. The CLI
prints ``str(error)`` (one message, no traceback) and exits with code 2.
"""

from __future__ import annotations


class SqlbundleError(Exception):
    """A problem in the user's input, reported as one message naming the file and line."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ConfigError(SqlbundleError):
    """A configuration file is missing, unreadable or holds a bad value."""


class ScriptError(SqlbundleError):
    """A migration file cannot be read or does not declare valid metadata."""


class GraphError(SqlbundleError):
    """The revision history is not a valid graph (cycle, duplicate, missing parent)."""


class ResolutionError(SqlbundleError):
    """A revision identifier or range does not name what is needed."""


class MultipleHeadsError(ResolutionError):
    """One head was needed but the history has several."""
