"""Files in sqlbundle's cache folder: written whole, or not at all.

Every cache (metadata index, rendered scripts, recorded operations, bytecode, parsed statements)
is an optimisation, invalidated by ``code_fingerprint`` when sqlbundle itself changes:
a write goes to a temporary sibling and is renamed into place, and any failure (read-only
project, full disk) is ignored.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any


def cache_folder(cache_dir: Path | None, switch: str = "SQLBUNDLE_NO_CACHE") -> Path | None:
    """The cache folder, or None when caching is off (no folder, or ``SQLBUNDLE_NO_CACHE`` or
    the given switch set in the environment)."""
    names = {"SQLBUNDLE_NO_CACHE", switch}
    if cache_dir is None or any(os.environ.get(n, "") not in ("", "0") for n in names):
        return None
    return Path(cache_dir)


def write_cache_file(path: Path | str, data: bytes | str) -> None:
    import tempfile  # only when something changed: a cache hit reads and never writes

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


def code_fingerprint(extra: Path | None) -> str:
    """Size and mtime of sqlbundle's own code, dialect profiles and templates: an edited
    profile or template (or a development change) must miss the cache too."""
    from .resources import data_dir

    folders = [Path(__file__).resolve().parent, data_dir("dialects"), data_dir("templates")]
    if extra is not None:
        folders.append(extra)
    parts = []
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".pyc",)):
                    continue
                try:
                    stat = os.stat(os.path.join(root, name))
                except OSError:
                    continue
                parts.append(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def pickle_header(target: str, settings: str) -> str:
    """What a pickled cache entry depends on besides its own key: sqlbundle's code and
    SQLAlchemy's and Python's versions (the pickles hold their objects), the target and the
    settings that reach the recording."""
    import sys

    import sqlalchemy

    from . import __version__

    return "\0".join((__version__, code_fingerprint(None), sqlalchemy.__version__, sys.version,
                       target, settings))


def read_pack(path: Path | None, header: str) -> Any:
    """The payload of a pickle pack written with ``header``; None when missing, unreadable
    or written for anything else."""
    import pickle

    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            found, payload = pickle.load(handle)
    except Exception:  # noqa: BLE001 - any unreadable pack is an empty cache
        return None
    return payload if found == header else None


def write_pack(path: Path, header: str, payload: Any) -> None:
    import pickle

    write_cache_file(path, pickle.dumps((header, payload), pickle.HIGHEST_PROTOCOL))
