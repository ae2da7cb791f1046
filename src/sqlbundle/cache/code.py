"""Migration bytecode kept between runs: one marshalled code object per file content.

The key is the file's path (code objects carry it: error lines are found by it), its content
hash and how it was compiled; entries are safe to delete.
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


class CodeStore:
    def __init__(self, folder: Path) -> None:
        self.folder = str(folder)

    def _file(self, path: str, digest: str) -> str:
        key = hashlib.sha256(f"{_CODE_FORMAT}\0{path}\0{digest}".encode()).hexdigest()
        return os.path.join(self.folder, f"{key}.{sys.implementation.cache_tag}")

    def get(self, path: str, digest: str) -> types.CodeType | None:
        try:
            with open(self._file(path, digest), "rb") as handle:
                return marshal.loads(handle.read())
        except (OSError, EOFError, ValueError, TypeError):
            return None

    def put(self, path: str, digest: str, code: types.CodeType) -> None:
        write_cache_file(self._file(path, digest), marshal.dumps(code))
