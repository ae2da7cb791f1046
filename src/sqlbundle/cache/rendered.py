"""Rendered scripts kept between runs: the text and diagnostics by a key the caller works
out from everything the output depends on. Plain JSON files, safe to delete."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from .files import code_fingerprint, write_cache_file


def render_key(templates_dir: Path | None, target: str, direction: str, range_text: str,
               settings: Sequence[str], scripts: Iterable[tuple[str, str | None, str]]) -> str:
    """The key of a rendered script: sqlbundle's version and code (and the project's templates),
    the target, direction and range, the settings that reach the SQL, and every migration's
    (revision, path, content hash), so that any edit anywhere in the history misses."""
    from .. import __version__

    parts = [__version__, code_fingerprint(templates_dir), target, direction, range_text,
             *settings]
    parts += [f"{rev}\0{path}\0{sha}" for rev, path, sha in sorted(scripts)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


class RenderStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> tuple[str, list[str]] | None:
        try:
            data = json.loads((self.folder / f"{key}.json").read_text("utf-8"))
            return data["text"], list(data["diagnostics"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, text: str, diagnostics: list[str]) -> None:
        write_cache_file(self.folder / f"{key}.json",
                         json.dumps({"text": text, "diagnostics": diagnostics}))

    def get_value(self, key: str) -> object:
        """A JSON value kept with ``put_value`` (None: not kept)."""
        try:
            return json.loads((self.folder / f"{key}.json").read_text("utf-8"))["value"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put_value(self, key: str, value: object) -> None:
        write_cache_file(self.folder / f"{key}.json", json.dumps({"value": value}))
