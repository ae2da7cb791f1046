"""Rendered steps kept between runs, keyed by the content chain that leads to them.

A step's SQL depends on its own migration and on the schema it runs on, which the history
before it builds. So each replayed schema gets a *state key*: the empty schema's key (target,
settings, sqlbundle's code) chained with (direction, revision, path, content hash) of every
step applied to it, in order. A step's entry is kept under the key of the state it ran on and
its own content, and says which state key follows it. Adding a migration at the head leaves
every earlier key unchanged (only the new step is replayed and rendered); editing a migration
changes the key of every state after it, so exactly what depends on it is rendered again.

A downgrade that exactly undoes its upgrade leaves the schema the upgrade started from; the
compile checks that on the states themselves and then names the result by the upgrade's
key, so a rollback's steps are found again when the history grows at the head.

One pack file per target (the record cache's header), rewritten when something was added;
entries not used by the run that writes it are kept up to a bound, the oldest dropped first.
Safe to delete.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .files import PickledEntries

KEEP = 60_000  # entries per target: two directions of a few long histories side by side


def chain(key: str, direction: str, revision: str, path: str, digest: str) -> str:
    """The state key after ``direction`` of a migration (revision, path, content hash) ran on
    the state named ``key``."""
    return hashlib.sha256(f"{key}\0{direction}\0{revision}\0{path}\0{digest}".encode()
                          ).hexdigest()


def empty_key(header: str, settings: str) -> str:
    """The key of the target's empty schema (before any migration)."""
    return hashlib.sha256(f"{header}\0steps\0{settings}".encode()).hexdigest()


class StepStore(PickledEntries):
    def __init__(self, folder: Path, target: str, header: str) -> None:
        super().__init__(folder / "steps" / f"{target}.pickle", header)
        self.used: set[str] = set()
        self.added = False

    def get(self, key: str) -> Any:
        found = super().get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, value: Any) -> None:
        data = self.dump(value)
        if data is not None:
            self.entries.pop(key, None)
            self.entries[key] = data
            self.used.add(key)
            self.added = True

    def save(self) -> None:
        """Write the pack if anything was added: every entry this run used or added, then
        as many of the others as fit, the newest first."""
        if not self.added:
            return
        mine = {k: v for k, v in self.entries.items() if k in self.used}
        room = max(KEEP - len(mine), 0)
        others = [(k, v) for k, v in self.entries.items() if k not in self.used]
        kept = dict(others[len(others) - room:] if room else [])
        kept.update(mine)
        self.write(kept)
        self.added = False
