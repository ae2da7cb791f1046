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
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .cachefile import pickle_header, read_pack, write_pack

KEEP = 8  # states per target: a few ranges and dialect versions in use side by side


class StateCache:
    def __init__(self, folder: Path | None, target: str, settings: str) -> None:
        self.path = folder / "states" / f"{target}.pickle" if folder is not None else None
        self.header = pickle_header(target, settings)
        entries = read_pack(self.path, self.header)
        self.entries: dict[str, bytes] = entries if isinstance(entries, dict) else {}

    @staticmethod
    def key(history: Iterable[tuple[str, str, str]]) -> str:
        """The key of the state built by ``history``: (revision, path, content hash) triples
        in replay order."""
        digest = hashlib.sha256()
        for part in history:
            digest.update("\0".join(part).encode("utf-8") + b"\n")
        return digest.hexdigest()

    def get(self, key: str) -> Any:
        data = self.entries.get(key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - e.g. a user type that no longer imports
            return None

    def put(self, key: str, state: Any) -> None:
        """Keep ``state`` (and write the pack now: a state is put once per run at most)."""
        if self.path is None:
            return
        try:
            data = pickle.dumps(state, pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - not picklable: replayed next time too
            return
        self.entries.pop(key, None)
        self.entries[key] = data
        kept = dict(list(self.entries.items())[-KEEP:])
        write_pack(self.path, self.header, kept)
