"""Replayed schemas kept between runs: the schema a plan starts from.

A downgrade from the heads, or an upgrade from the revision production is at, starts from
the schema that the whole history before it builds. Replaying that history gives the same
state every time until a file in it changes, so the state is kept, keyed by every replayed
migration's revision, path and content hash in replay order, under the same header as the
record cache (sqlbundle's code, SQLAlchemy and Python versions, target, settings). The steps
of the plan itself are still replayed and rendered. A few states per target are kept, the
newest last, in one pack file; safe to delete. A state that cannot be pickled (a type defined
inside a migration) is not kept, and one that cannot be read back is a miss.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .files import PickledEntries

KEEP = 8  # states per target: a few ranges and dialect versions in use side by side


class StateCache(PickledEntries):
    def __init__(self, folder: Path, target: str, header: str) -> None:
        super().__init__(folder / "states" / f"{target}.pickle", header)

    @staticmethod
    def key(history: Iterable[tuple[str, str, str]]) -> str:
        """The key of the state built by ``history``: (revision, path, content hash) triples
        in replay order."""
        digest = hashlib.sha256()
        for part in history:
            digest.update("\0".join(part).encode("utf-8") + b"\n")
        return digest.hexdigest()

    def keep(self, states: dict[str, Any]) -> None:
        """Keep several states, writing the pack once."""
        for key, state in states.items():
            data = self.dump(state)
            if data is not None:
                self.entries.pop(key, None)
                self.entries[key] = data
        self.entries = dict(list(self.entries.items())[-KEEP:])
        self.write(self.entries)

    def put(self, key: str, state: Any) -> None:
        """Keep ``state`` (and write the pack now: a state is put once per run at most)."""
        data = self.dump(state)
        if data is None:
            return
        self.entries.pop(key, None)
        self.entries[key] = data
        self.entries = dict(list(self.entries.items())[-KEEP:])
        self.write(self.entries)
