"""Migration bytecode kept between runs, in one pack per Python version: the marshalled code
object of each file content.

The key is the file's path (code objects carry it: error lines are found by it), its content
hash and how it was compiled. One pack, read once and written once per command: a fresh
clone of a 5,000-revision history would otherwise create 5,000 files, which on a slow disk
costs more than compiling them. Entries are safe to delete.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import types
from pathlib import Path

from .files import write_cache_file

# Part of the key: changed when the way files are compiled changes (entries written before
# compile() stopped inheriting sqlbundle's __future__ flags must miss).
_CODE_FORMAT = "dont_inherit"
KEEP = 30000  # entries; a 5,000-migration history's pack is about 8 MB


class CodeStore:
    def __init__(self, folder: Path) -> None:
        self.file = os.path.join(str(folder), f"pack.{sys.implementation.cache_tag}")
        self._pack: dict[str, bytes] | None = None
        self._used: set[str] = set()
        self._added = False

    @staticmethod
    def _key(path: str, digest: str) -> str:
        return hashlib.sha256(f"{_CODE_FORMAT}\0{path}\0{digest}".encode()).hexdigest()

    def _entries(self) -> dict[str, bytes]:
        if self._pack is None:
            try:
                with open(self.file, "rb") as handle:
                    pack = marshal.loads(handle.read())
                self._pack = pack if isinstance(pack, dict) else {}
            except (OSError, EOFError, ValueError, TypeError):
                self._pack = {}
        return self._pack

    def get(self, path: str, digest: str) -> types.CodeType | None:
        key = self._key(path, digest)
        data = self._entries().get(key)
        if data is None:
            return None
        try:
            code = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        self._used.add(key)
        return code if isinstance(code, types.CodeType) else None

    def put(self, path: str, digest: str, code: types.CodeType) -> None:
        key = self._key(path, digest)
        self._entries()[key] = marshal.dumps(code)
        self._used.add(key)
        self._added = True

    def save(self) -> None:
        """Write the pack when something was added. Past ``KEEP`` entries, those this
        command used stay, and of the others the newest (edited files' old contents age
        out); a command that ran a few modules must not drop the rest of the history's."""
        if not self._added:
            return
        pack = self._entries()
        if len(pack) > KEEP:
            others = [k for k in pack if k not in self._used]
            drop = set(others[:len(pack) - KEEP])
            pack = {k: v for k, v in pack.items() if k not in drop}
        write_cache_file(self.file, marshal.dumps(pack))
        self._added = False
