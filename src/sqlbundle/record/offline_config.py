"""``context.config``: Alembic's ``Config`` as migration code reads it, from ``alembic.ini``.

Options are read from the project's ``alembic.ini`` (with ``%(here)s``), as Alembic reads them,
except ``sqlalchemy.url``: a migration sees a URL of the target being compiled (the ini's own
when it names that backend), since sqlbundle compiles one history for several databases.
A project without an ini has an empty ``[alembic]`` section. ``attributes`` starts empty,
``cmd_opts`` is what ``alembic upgrade --sql`` without ``-x`` or ``--tag`` would give.
"""

from __future__ import annotations

import configparser
import os
import re
from pathlib import Path
from typing import Any

from ..errors import ConfigError

SECTION = "alembic"
_SEPARATORS = {"os": os.pathsep, ":": ":", ";": ";", "space": " ", "newline": "\n", ",": ","}


def ini_file(sources: tuple[Path, ...]) -> Path | None:
    """The Alembic ini among a project's config sources."""
    return next((p for p in sources if p.suffix == ".ini"), None)


def ini_digest(sources: tuple[Path, ...]) -> str:
    """The content hash of a project's alembic.ini: ``context.config`` reads it, so what
    migrations record may depend on it (part of the record and render cache keys)."""
    import hashlib

    path = ini_file(sources)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else ""
    except OSError:
        return ""


def read_ini(path: Path | None, section: str = SECTION) -> configparser.ConfigParser:
    """The ini as Alembic's ``Config.file_config`` holds it (``here`` as a default), with
    ``section`` (Alembic's ``--name``) present."""
    here = str(path.parent) if path is not None else os.getcwd()
    parser = configparser.ConfigParser(defaults={"here": here})
    if path is not None:
        try:
            with path.open(encoding="utf-8") as handle:
                parser.read_file(handle)
        except (OSError, configparser.Error) as exc:
            raise ConfigError(f"cannot read config: {exc}", path=str(path)) from None
    if not parser.has_section(section):
        parser.add_section(section)
    return parser


def url_backend(url: str | None) -> str:
    """``postgresql+psycopg://...`` -> ``postgresql``."""
    return (url or "").split("://", 1)[0].split("+", 1)[0].strip().lower() if url and \
        "://" in url else ""


def split_paths(parser: configparser.ConfigParser, key: str, section: str = SECTION
                ) -> list[str]:
    """A path-list option split as Alembic splits it (``path_separator``, else the legacy
    spaces, commas and colons)."""
    raw = parser.get(section, key, fallback=None)
    if not raw:
        return []
    sep = parser.get(section, "path_separator", fallback=None)
    if sep is None:
        return [p for p in re.split(r", *|(?: +)|\:", raw) if p]
    char = _SEPARATORS.get(sep, sep)
    return [p.strip() for p in raw.split(char) if p.strip()]


class OfflineConfig:
    """Stand-in for ``alembic.config.Config`` (what ``context.config`` is)."""

    def __init__(self, path: Path | None, url: str, version_locations: list[str],
                 section: str = SECTION) -> None:
        import argparse  # only when a migration reads context.config

        self.config_ini_section = section
        self.config_file_name = str(path) if path is not None else None
        self.file_config = read_ini(path, section)
        if self.file_config.get(section, "sqlalchemy.url", fallback=None) != url:
            self.file_config.set(section, "sqlalchemy.url", url.replace("%", "%%"))
        self._version_locations = version_locations
        self.attributes: dict[str, Any] = {}
        self.cmd_opts = argparse.Namespace(
            config=[self.config_file_name] if path is not None else None, name=section, x=None, sql=True, tag=None,
            raiseerr=False, quiet=False)
        self.messaging_opts = {"quiet": True}

    def get_section_option(self, section: str, name: str, default: str | None = None
                           ) -> str | None:
        if not self.file_config.has_section(section):
            from .active import code_error

            raise code_error(f"context.config: the config file {self.config_file_name!r} has "
                             f"no [{section}] section")
        return self.file_config.get(section, name, fallback=default)

    def get_main_option(self, name: str, default: str | None = None) -> str | None:
        return self.get_section_option(self.config_ini_section, name, default)

    get_alembic_option = get_main_option

    def get_alembic_boolean_option(self, name: str) -> bool:
        value = self.get_main_option(name)
        return value is not None and value.strip().lower() in ("true", "1", "yes", "on")

    def get_section(self, name: str, default: Any = None) -> Any:
        if not self.file_config.has_section(name):
            return default
        return dict(self.file_config.items(name))

    def set_section_option(self, section: str, name: str, value: str) -> None:
        if not self.file_config.has_section(section):
            self.file_config.add_section(section)
        self.file_config.set(section, name, value)

    def set_main_option(self, name: str, value: str) -> None:
        self.set_section_option(self.config_ini_section, name, value)

    def remove_main_option(self, name: str) -> None:
        self.file_config.remove_option(self.config_ini_section, name)

    def get_version_locations_list(self) -> list[str]:
        return list(self._version_locations)

    def get_prepend_sys_paths_list(self) -> list[str]:
        return split_paths(self.file_config, "prepend_sys_path")

    def print_stdout(self, text: str, *arg: Any) -> None:
        """Alembic's messages; sqlbundle's standard output carries the SQL alone."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        from .active import code_error

        raise code_error(f"context.config.{name} is not available offline")
