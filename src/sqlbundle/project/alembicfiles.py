"""Alembic's own configuration, read as Alembic reads it: a section of ``alembic.ini``
(``[alembic]``, or another with ``--name``) and ``[tool.alembic]`` in ``pyproject.toml``
(Alembic 1.16+)."""

from __future__ import annotations

import configparser
import os
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .settings import _apply, _read_toml


def _has_alembic_table(path: Path) -> bool:
    try:
        return "[tool.alembic" in path.read_text("utf-8")
    except OSError:
        return False


def _read_pyproject_alembic(path: Path) -> dict[str, Any] | None:
    """Alembic's own settings in ``[tool.alembic]`` (Alembic 1.16+), read as Alembic reads
    them: lists for path lists, ``%(here)s`` for the folder of pyproject.toml."""
    table = _read_toml(path).get("tool", {}).get("alembic")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError("[tool.alembic] must be a table", path=str(path))
    here = str(path.parent)

    def expand(value: Any, key: str) -> Any:
        if isinstance(value, str):
            return value.replace("%(here)s", here)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [v.replace("%(here)s", here) for v in value]
        raise ConfigError(f"[tool.alembic] {key}: expected a string or a list of strings, "
                          f"got {value!r}", path=str(path), line=key_line(path, key))

    raw: dict[str, Any] = {}
    for key in ("script_location", "version_locations", "recursive_version_locations",
                "file_template", "truncate_slug_length"):
        if key in table:
            value = table[key]
            raw[key] = value if isinstance(value, (bool, int)) else expand(value, key)
    out = _apply(raw, path.parent, path, "[tool.alembic]")
    if "prepend_sys_path" in table:
        out["prepend_sys_path"] = tuple(
            (path.parent / p).resolve() for p in expand(table["prepend_sys_path"],
                                                        "prepend_sys_path"))
    return out


def _split_alembic_paths(raw: str, section: configparser.SectionProxy) -> list[str]:
    sep = section.get("path_separator") or section.get("version_path_separator")
    seps = {"os": os.pathsep, ":": ":", ";": ";", "space": " ", "newline": "\n", ",": ","}
    if sep is None:
        # Alembic's legacy behaviour: split on spaces and commas.
        return [p for p in raw.replace(",", " ").split() if p]
    if sep not in seps:
        raise ConfigError(
            f"[alembic] path_separator {sep!r} is not one of: " + ", ".join(seps)
        )
    if seps[sep] == " ":
        return [p for p in raw.split() if p]
    return [p.strip() for p in raw.split(seps[sep]) if p.strip()]


def _read_alembic_ini(path: Path, section_name: str = "alembic",
                      location_elsewhere: bool = False) -> dict[str, Any]:
    """``[section_name]`` of an alembic.ini; ``location_elsewhere``: pyproject.toml's
    ``[tool.alembic]`` names the scripts, so the ini may hold only the URL and logging."""
    parser = configparser.ConfigParser(defaults={"here": str(path.parent)})
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc.strerror}", path=str(path)) from None
    except configparser.Error as exc:
        raise ConfigError(f"invalid ini file: {exc}", path=str(path)) from None
    if not parser.has_section(section_name):
        raise ConfigError(f"no [{section_name}] section", path=str(path))
    section = parser[section_name]
    try:
        raw: dict[str, Any] = {}
        location = section.get("script_location")
        if not location and location_elsewhere:
            url = section.get("sqlalchemy.url", "")
            dialect = _dialect_from_url(url)
            return {"dialects": (dialect,)} if dialect else {}
        if not location:
            raise ConfigError(
                f"[{section_name}] has no script_location", path=str(path),
                hint="set script_location = %(here)s/migrations",
            )
        if ":" in location and not os.path.isabs(location) and not os.path.exists(location):
            raise ConfigError(
                f"script_location {location!r} names a package resource; sqlbundle needs a "
                "folder path", path=str(path), hint="use %(here)s/<folder>",
            )
        raw["script_location"] = location
        _same_as_alembic(location, path, "script_location")
        versions = section.get("version_locations")
        if versions:
            raw["version_locations"] = _split_alembic_paths(versions, section)
            for folder in raw["version_locations"]:
                _same_as_alembic(folder, path, "version_locations")
        for key in ("recursive_version_locations", "file_template", "truncate_slug_length"):
            value = section.get(key)
            if value not in (None, ""):
                raw[key] = value
        url = section.get("sqlalchemy.url", "")
    except configparser.Error as exc:
        raise ConfigError(f"invalid value: {exc}", path=str(path)) from None
    out = _apply(raw, path.parent, path, f"[{section_name}]")
    dialect = _dialect_from_url(url)
    if dialect:
        out["dialects"] = (dialect,)
    return out


def _same_as_alembic(value: str, ini: Path, key: str) -> None:
    """A relative path in alembic.ini: Alembic reads it against the working directory,
    sqlbundle against the ini's folder, which is the same folder whenever Alembic runs from
    there (its default, ``-c alembic.ini``). Where the two name different existing folders
    (run from elsewhere), refuse rather than read a history Alembic would not."""
    if os.path.isabs(os.path.expanduser(value)):
        return
    ours = (ini.parent / value).resolve()
    theirs = (Path.cwd() / value).resolve()
    if theirs != ours and theirs.is_dir():
        raise ConfigError(
            f"[alembic] {key} = {value} is relative: sqlbundle reads {ours} (next to "
            f"{ini.name}), but Alembic run from this folder would read {theirs}",
            path=str(ini), line=key_line(ini, key),
            hint=f"write {key} = %(here)s/{value} so that both read the same folder, or run "
            f"from {ini.parent}",
        )


def key_line(path: Path, key: str) -> int | None:
    """The line that sets ``key`` in an ini or TOML file, for messages."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, 1):
        name = line.split("=", 1)[0].strip()
        if "=" in line and name in (key, f'"{key}"'):
            return number
    return None


def _dialect_from_url(url: str) -> str | None:
    """``postgresql+psycopg://…`` → ``postgresql``; only to choose a default dialect."""
    scheme = url.split("://", 1)[0].split("+", 1)[0].strip().lower() if "://" in url else ""
    known = {"postgresql": "postgresql", "postgres": "postgresql", "mysql": "mysql",
             "mariadb": "mariadb", "sqlite": "sqlite", "mssql": "mssql", "oracle": "oracle"}
    return known.get(scheme)
