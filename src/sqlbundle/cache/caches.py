"""The ``Caches`` value: the cache folder and the switches, read once per command.

Every store a command may use is opened from it, so the environment switches
(``SQLBUNDLE_NO_CACHE`` and the per-store ``SQLBUNDLE_NO_RECORD_CACHE``,
``SQLBUNDLE_NO_STATE_CACHE``, ``SQLBUNDLE_NO_RENDER_CACHE``) and the configured ``cache_dir``
are read here and nowhere else. A store that is off is None.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # each store is imported when first opened: a render-cache hit opens one
    from .code import CodeStore
    from .parsed import ParsedMemo
    from .records import RecordCache
    from .rendered import RenderStore
    from .states import StateCache
    from .steps import StepStore


def _on(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "") in ("", "0")


class Caches:
    """The cache folder (None: no caching) and which stores are on. A plain class, not a
    dataclass: it is built on every command, a render-cache hit included."""

    __slots__ = ("folder", "index", "code", "records", "states", "parsed", "render",
                 "_headers", "_stores", "_code")

    def __init__(self, folder: Path | None = None, *, index: bool = True, code: bool = True,
                 records: bool = True, states: bool = True, parsed: bool = True,
                 render: bool = True) -> None:
        self.folder = folder
        self.index = index  # scanned migration metadata (scripts.json)
        self.code = code  # marshalled migration bytecode
        self.records = records  # recorded operations per file
        self.states = states  # replayed schemas a plan starts from
        self.parsed = parsed  # statements sqlglot already parsed cleanly
        self.render = render  # whole rendered scripts, and rendered steps
        self._headers: dict[str, str] = {}  # pickle headers by target and settings
        # Stores opened by this command, by target and settings: each pack is read once, and
        # what one range of a build adds is not lost when another range saves.
        self._stores: dict[str, tuple[RecordCache | None, StateCache | None,
                                      StepStore | None]] = {}
        self._code: list[CodeStore | None] = []  # the one code store, once opened

    def __repr__(self) -> str:
        on = [n for n in self.__slots__[1:-3] if getattr(self, n)]
        return f"Caches({self.folder!r}, on={on})"

    @classmethod
    def configured(cls, cache_dir: Path | None,
                   environ: Mapping[str, str] | None = None) -> Caches:
        """The caches of a project whose configuration names ``cache_dir``, with the
        environment's switches applied: the one place they are read."""
        env = os.environ if environ is None else environ
        if cache_dir is None or not _on(env, "SQLBUNDLE_NO_CACHE"):
            return cls.off()
        return cls(Path(cache_dir), records=_on(env, "SQLBUNDLE_NO_RECORD_CACHE"),
                   states=_on(env, "SQLBUNDLE_NO_STATE_CACHE"),
                   render=_on(env, "SQLBUNDLE_NO_RENDER_CACHE"))

    @classmethod
    def off(cls) -> Caches:
        return cls(None)

    def without_index(self) -> Caches:
        return Caches(self.folder, index=False, code=self.code, records=self.records,
                      states=self.states, parsed=self.parsed, render=self.render)

    def _folder(self, switch: bool) -> Path | None:
        return self.folder if switch else None

    def index_file(self) -> Path | None:
        """Where the scanned-metadata index is kept (None: scan every file)."""
        folder = self._folder(self.index)
        return folder / "scripts.json" if folder is not None else None

    def code_store(self) -> CodeStore | None:
        """The bytecode pack, one per command: every target's environment shares it."""
        if not self._code:
            from .code import CodeStore

            folder = self._folder(self.code)
            self._code.append(CodeStore(folder / "code") if folder is not None else None)
        return self._code[0]

    def replay_stores(self, target: str, settings: str
                      ) -> tuple[RecordCache | None, StateCache | None, StepStore | None]:
        """The record, state and step caches for ``target``, opened once per command. All
        key their entries under one header (it fingerprints sqlbundle's code), worked out
        once per command and target."""
        name = target + "\0" + settings
        if name in self._stores:
            return self._stores[name]
        records, states = self._folder(self.records), self._folder(self.states)
        steps = self._folder(self.render)
        if records is None and states is None and steps is None:
            return None, None, None
        from .records import RecordCache
        from .states import StateCache
        from .steps import StepStore

        header = self.header(target, settings)
        stores = self._stores[name] = (
            RecordCache(records, target, header) if records is not None else None,
            StateCache(states, target, header) if states is not None else None,
            StepStore(steps, target, header) if steps is not None else None)
        return stores

    def header(self, target: str, settings: str) -> str:
        name = target + "\0" + settings
        header = self._headers.get(name)
        if header is None:
            from .files import pickle_header

            header = self._headers[name] = pickle_header(target, settings)
        return header

    def parsed_memo(self, dialect: str, version: str) -> ParsedMemo:
        """Statements parsed cleanly before for ``dialect`` (kept in memory only when off)."""
        from .parsed import ParsedMemo

        return ParsedMemo(self._folder(self.parsed), dialect, version)

    def render_store(self) -> RenderStore | None:
        from .rendered import RenderStore

        folder = self._folder(self.render)
        return RenderStore(folder / "render") if folder is not None else None
