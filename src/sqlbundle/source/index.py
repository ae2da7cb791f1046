"""A cache of scanned migration metadata, keyed by each file's size and mtime.

Safe to delete at any time; a missing, corrupt or foreign-version index is simply rebuilt.
Writing it is best-effort: a read-only project still works, just without the speed-up.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .. import __version__
from ..cache.files import write_cache_file
from .script import Script

FORMAT = 5
# Field order of a cached entry (lists parse and rebuild faster than dicts).
_FIELDS = ("revision", "down_revisions", "branch_labels", "depends_on", "message", "path",
           "line", "sha256", "kind", "create_date", "key_lines", "imports", "settings")


class ScriptIndex:
    """Maps a migration file to the ``Script`` read from it last time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[str, dict] = {}
        self._used: set[str] = set()
        self._dirty = False
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("format") == FORMAT and data.get("version") == __version__:
                files = data["files"]
                if isinstance(files, dict):
                    self._entries = files  # each entry is checked when looked up
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self._entries = {}

    def lookup(self, file: str, shown: str) -> Script | None:
        key = file
        entry = self._entries.get(key)
        if entry is None:
            return None
        try:
            stat = os.stat(file)
        except OSError:
            return None
        try:
            if entry[0] != stat.st_size or entry[1] != stat.st_mtime_ns or entry[7] != shown:
                return None
            (rev, downs, labels, deps, message, path, line, sha, kind, date, lines, imports,
             settings) = entry[2:]
            script = Script(rev, tuple(downs), tuple(labels), tuple(deps), message, path, line,
                            sha, kind, date,
                            key_lines=tuple((str(k), int(n)) for k, n in lines),
                            imports=tuple(str(name) for name in imports),
                            settings=tuple((str(k), str(v)) for k, v in settings))
        except (TypeError, ValueError, IndexError, KeyError):  # damaged: read the file again
            return None
        self._used.add(key)
        return script

    def store(self, file: str, script: Script) -> None:
        # Only static metadata is cached: executed modules may read anything at import time.
        if not script.static:
            return
        try:
            stat = os.stat(file)
        except OSError:
            return
        key = file
        self._entries[key] = [stat.st_size, stat.st_mtime_ns,
                              *(getattr(script, name) for name in _FIELDS)]
        self._used.add(key)
        self._dirty = True

    def save(self) -> None:
        stale = set(self._entries) - self._used
        if stale:
            for key in stale:
                del self._entries[key]
            self._dirty = True
        if not self._dirty:
            return
        data = {"format": FORMAT, "version": __version__, "files": dict(sorted(self._entries.items()))}
        write_cache_file(self.path, json.dumps(data, separators=(",", ":")))
        self._dirty = False
