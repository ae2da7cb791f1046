"""Files in sqlbundle's cache folder: written whole, or not at all.

Every cache (metadata index, rendered scripts, bytecode, parsed statements) is an optimisation:
a write goes to a temporary sibling and is renamed into place, and any failure (read-only
project, full disk) is ignored.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_folder(cache_dir: Path | None, switch: str = "SQLBUNDLE_NO_CACHE") -> Path | None:
    """The cache folder, or None when caching is off (no folder, or ``SQLBUNDLE_NO_CACHE`` or
    the given switch set in the environment)."""
    names = {"SQLBUNDLE_NO_CACHE", switch}
    if cache_dir is None or any(os.environ.get(n, "") not in ("", "0") for n in names):
        return None
    return Path(cache_dir)


def write_cache_file(path: Path | str, data: bytes | str) -> None:
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
