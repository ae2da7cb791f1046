"""Where the packaged ``dialects/`` and ``templates/`` folders are.

In a wheel they are copied to ``sqlbundle/_data/``; in a source checkout or editable install they
are the repository's top-level folders.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """The packaged folder ``name`` (``"dialects"`` or ``"templates"``)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"sqlbundle's {name}/ folder is missing from this installation; reinstall sqlbundle"
    )
