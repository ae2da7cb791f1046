"""A cache of scanned migration metadata, keyed by each file's size and mtime.

Safe to delete at any time; a missing, corrupt or foreign-version index is simply rebuilt.
Writing it is best-effort: a read-only project still works, just without the speed-up.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from . import __version__
from .script import Script

FORMAT = 1


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
                self._entries = data["files"]
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
        if entry.get("size") != stat.st_size or entry.get("mtime_ns") != stat.st_mtime_ns:
            return None
        script = entry["script"]
        if script.get("path") != shown:
            return None
        self._used.add(key)
        return Script(
            revision=script["revision"],
            down_revisions=tuple(script["down_revisions"]),
            branch_labels=tuple(script["branch_labels"]),
            depends_on=tuple(script["depends_on"]),
            message=script["message"],
            path=script["path"],
            line=script["line"],
            sha256=script["sha256"],
            kind=script["kind"],
            create_date=script["create_date"],
            static=script["static"],
        )

    def store(self, file: str, script: Script) -> None:
        # Only static metadata is cached: executed modules may read anything at import time.
        if not script.static:
            return
        try:
            stat = os.stat(file)
        except OSError:
            return
        key = file
        self._entries[key] = {
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "script": asdict(script),
        }
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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".index-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, separators=(",", ":"))
            os.replace(tmp, self.path)
        except OSError:
            pass  # best effort: the index only makes things faster
        self._dirty = False
