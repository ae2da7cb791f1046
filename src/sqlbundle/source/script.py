"""The ``Script`` value: one migration file's metadata, read without running it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Script:
    """Metadata of one migration, as the loader read it.

    ``down_revisions`` and ``depends_on`` keep the order written in the file; nothing downstream
    may rely on set order.
    """

    revision: str
    down_revisions: tuple[str, ...] = ()
    branch_labels: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    message: str = ""
    path: str | None = None
    line: int | None = None
    sha256: str = ""
    kind: str = "python"  # "python" or "sql"
    create_date: str | None = None
    # False when the metadata was not literal and the module's top level had to be executed.
    static: bool = field(default=True, compare=False)
    # The line of each metadata key (``down_revision``, ``depends_on``, ``branch_labels``) as
    # (key, line) pairs, so an error about one points at the line that says it.
    key_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)
    # Top-level names of the modules the file imports (read from its text), so that what a
    # bundle was built from can be fingerprinted without reading every file again.
    imports: tuple[str, ...] = field(default=(), compare=False)
    # Per-migration settings written as comments (``# sqlbundle: lock_timeout=30s``).
    settings: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def is_base(self) -> bool:
        return not self.down_revisions

    @property
    def is_merge(self) -> bool:
        return len(self.down_revisions) > 1

    def line_of(self, key: str, item: str | None = None) -> int | None:
        """The line that sets ``key`` (e.g. ``down_revision``), or that names ``item`` in it
        when the value spans lines; else the ``revision`` line."""
        found = dict(self.key_lines)
        if item is not None and f"{key}={item}" in found:
            return found[f"{key}={item}"]
        return found.get(key, self.line)

    def where(self, key: str = "revision", item: str | None = None) -> str:
        """``path:line`` for messages (the line that sets ``key``, or names ``item`` in it),
        or the revision id when there is no file."""
        if self.path is None:
            return self.revision
        line = self.line_of(key, item)
        return f"{self.path}:{line}" if line else self.path
