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

    @property
    def is_base(self) -> bool:
        return not self.down_revisions

    @property
    def is_merge(self) -> bool:
        return len(self.down_revisions) > 1

    def where(self) -> str:
        """``path:line`` for messages, or the revision id when there is no file."""
        if self.path is None:
            return self.revision
        return f"{self.path}:{self.line}" if self.line else self.path
