"""A project: its configuration, its migration scripts and their revision graph."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .config import Config, check_locations, discover
from ..history.graph import RevisionGraph
from ..source.script import Script


@dataclass(frozen=True)
class Project:
    config: Config
    scripts: tuple[Script, ...]

    @cached_property
    def graph(self) -> RevisionGraph:
        """Built (and checked: cycles, missing parents) on first use; a rebuild answered from
        the render cache, keyed by the scripts alone, never needs it."""
        return RevisionGraph(self.scripts)

    def script(self, rev: str) -> Script:
        return self.graph.get(rev)

    def file_of(self, rev: str) -> Path:
        """Absolute path of a revision's file."""
        return Path(self.path_of(rev))

    def path_of(self, rev: str) -> str:
        """Absolute path of a revision's file, as text (cheaper: runs once per migration)."""
        path = self.graph.get(rev).path
        assert path is not None
        # root is already resolved; paths are relative to it (no per-call realpath).
        return os.path.normpath(os.path.join(self.config.root, path))

    @property
    def executed(self) -> list[Script]:
        """Scripts whose metadata was not literal, so their top level had to be run."""
        return [s for s in self.scripts if not s.static]


def open_project(
    config_path: Path | None = None,
    *,
    cwd: Path | None = None,
    use_cache: bool | None = None,
) -> Project:
    """Discover the configuration, load every migration's metadata, build the graph."""
    config = discover(cwd, config_path)
    return project_from_config(config, use_cache=use_cache)


def project_from_config(config: Config, *, use_cache: bool | None = None) -> Project:
    from ..source.loader import load_scripts

    from ..cache.files import cache_folder

    check_locations(config)
    if use_cache is None:
        use_cache = cache_folder(config.cache_dir) is not None
    cache = None
    if use_cache and config.cache_dir is not None:
        from ..source.index import ScriptIndex

        cache = ScriptIndex(config.cache_dir / "scripts.json")
    scripts = load_scripts(
        config.version_locations,
        recursive=config.recursive_version_locations,
        cache=cache,
        display_root=config.root,
    )
    return Project(config, tuple(scripts))
