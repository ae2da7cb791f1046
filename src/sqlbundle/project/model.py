"""A project: its configuration, its migration scripts and their revision graph."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..cache import Caches
from .config import Config, check_locations, discover
from ..history.graph import RevisionGraph
from ..source.script import Script


@dataclass(frozen=True)
class Project:
    config: Config
    scripts: tuple[Script, ...]
    # The command's speed-up stores, built once with the project (off unless asked for).
    caches: Caches = field(default_factory=Caches.off, compare=False)

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
    caches: Caches | None = None,
    name: str = "alembic",
) -> Project:
    """Discover the configuration, load every migration's metadata, build the graph.
    ``caches``: the command's stores (default: the configured ``cache_dir`` with the
    environment's switches); ``use_cache=False`` leaves the metadata index alone (a project
    read once, such as a git checkout). ``name``: the alembic.ini section (Alembic's
    ``--name``)."""
    config = discover(cwd, config_path, name)
    return project_from_config(config, use_cache=use_cache, caches=caches)


def project_from_config(config: Config, *, use_cache: bool | None = None,
                        caches: Caches | None = None) -> Project:
    from ..source.loader import load_scripts

    check_locations(config)
    if caches is None:
        caches = Caches.configured(config.cache_dir)
    if use_cache is False:
        caches = caches.without_index()
    index = None
    index_file = caches.index_file()
    if index_file is not None:
        from ..source.index import ScriptIndex

        index = ScriptIndex(index_file)
    scripts = load_scripts(
        config.version_locations,
        recursive=config.recursive_version_locations,
        cache=index,
        display_root=config.root,
        code_store=caches.code_store(),
    )
    return Project(config, tuple(scripts), caches)
