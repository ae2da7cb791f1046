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


def write_cache_file(path: Path | str, data: bytes | str) -> None:
    import tempfile  # only when something changed: a cache hit reads and never writes

    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        from ..modes import file_mode

        os.fchmod(fd, file_mode())  # shared checkouts: the CI user reads the cache too
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
    from ..resources import data_dir

    folders = [
        Path(__file__).resolve().parent.parent,  # the whole package
        data_dir("dialects"), data_dir("templates"),
    ]
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

    from .. import __version__

    return "\0".join((__version__, code_fingerprint(None), sqlalchemy.__version__, sys.version,
                       target, settings))


def _rebuilt(cls: type, state: dict[str, Any]) -> Any:
    obj = cls.__new__(cls)
    obj.__dict__.update(state)
    return obj


def _type_decorator_state(obj: Any) -> tuple[Any, ...]:
    # Without this, unpickling asks the half-built object for __setstate__, which a
    # TypeDecorator answers through its __getattr__ by memoizing ``impl_instance`` from the
    # class-level ``impl`` (a class, not an instance): the type then cannot compile.
    state = {k: v for k, v in obj.__dict__.items() if k != "impl_instance"}
    return _rebuilt, (type(obj), state)


def dumps(value: Any) -> bytes:
    """``pickle.dumps`` that SQLAlchemy ``TypeDecorator`` types survive (user types such as
    sqlmodel's ``AutoString`` or airflow's ``UtcDateTime`` are TypeDecorators)."""
    import copyreg
    import io
    import pickle

    from sqlalchemy.types import TypeDecorator

    table = dict(copyreg.dispatch_table)
    todo = [TypeDecorator]
    while todo:
        cls = todo.pop()
        table[cls] = _type_decorator_state
        todo.extend(cls.__subclasses__())
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = table
    pickler.dump(value)
    return buffer.getvalue()


class PickledEntries:
    """Pickled values by key, in one pack file per target: read whole when opened, written
    whole (under ``header``) by the subclass. A pack written under another header, or one that
    cannot be read, is empty; an entry that cannot be unpickled (a user type that no longer
    imports, say) is a miss; a value that cannot be pickled is not kept."""

    def __init__(self, path: Path, header: str) -> None:
        import pickle

        self.path = path
        self.header = header
        self.entries: dict[str, bytes] = {}

        try:
            with open(path, "rb") as handle:
                found, entries = pickle.load(handle)
        except Exception:  # noqa: BLE001 - any unreadable pack is an empty cache
            return
        if found == header and isinstance(entries, dict):
            self.entries = entries

    def get(self, key: str) -> Any:
        import pickle

        data = self.entries.get(key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - e.g. a user type that no longer imports
            del self.entries[key]
            return None

    @staticmethod
    def dump(value: Any) -> bytes | None:
        try:
            return dumps(value)
        except Exception:  # noqa: BLE001 - not picklable: computed again next time
            return None

    def write(self, entries: dict[str, bytes]) -> None:
        import pickle

        write_cache_file(self.path, pickle.dumps((self.header, entries), pickle.HIGHEST_PROTOCOL))
