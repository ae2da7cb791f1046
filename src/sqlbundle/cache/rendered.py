"""Rendered scripts kept between runs: the text and diagnostics by a key the caller works
out from everything the output depends on. Plain JSON files, safe to delete."""

from __future__ import annotations

import json
from pathlib import Path

from .files import write_cache_file


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
