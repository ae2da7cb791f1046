"""Recorded operations kept between runs, so an unchanged migration file is not run again.

What a migration records depends only on its own content, its path, the target dialect and a
few settings, never on the history before it; so an entry is keyed by exactly those (plus
sqlbundle's code, SQLAlchemy's and Python's versions, since the entries are pickles). The
history is still replayed and every step still rendered: this saves running modules, not
rendering. One pack file per target in the cache folder, rewritten whole; safe to delete.
Operations that cannot be pickled (types defined inside a migration, say) are simply not
kept, and an entry that cannot be read back is a miss.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .files import PickledEntries


class RecordCache(PickledEntries):
    def __init__(self, folder: Path, target: str, header: str) -> None:
        super().__init__(folder / "ops" / f"{target}.pickle", header)
        self.added = False

    def key(self, path: str, digest: str, direction: str) -> str:
        return hashlib.sha256(f"{path}\0{digest}\0{direction}".encode()).hexdigest()

    def put(self, key: str, operations: tuple[Any, ...]) -> None:
        data = self.dump(operations)
        if data is not None:
            self.entries[key] = data
            self.added = True

    def save(self, live: set[str]) -> None:
        """Write the pack if anything was added, keeping only entries of ``live`` keys (the
        project's current files), so edited files' old entries do not pile up."""
        if self.added:
            self.write({k: v for k, v in self.entries.items() if k in live})
            self.added = False
