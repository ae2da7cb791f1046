"""Project configuration: discovery and validation.

Sources, looked for in the working directory and then each parent (or in ``--config DIR``):

* ``sqlbundle.toml`` (top-level keys),
* ``pyproject.toml`` with a ``[tool.sqlbundle]`` table,
* ``alembic.ini`` (an existing Alembic project; its ``[alembic]`` section is honoured).

When ``alembic.ini`` sits beside ``sqlbundle.toml`` or a ``pyproject.toml`` with
``[tool.sqlbundle]``, both are read: the ini gives what Alembic users already have, the sqlbundle
settings add what Alembic keeps in ``env.py`` (which sqlbundle never runs), and win on conflict.
"""

from __future__ import annotations

import configparser
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILES = ("sqlbundle.toml", "pyproject.toml", "alembic.ini")
DEFAULT_FILE_TEMPLATE = "%(rev)s_%(slug)s"


@dataclass(frozen=True)
class Config:
    """Resolved settings; every path is absolute."""

    root: Path
    sources: tuple[Path, ...] = ()
    script_location: Path = Path(".")
    version_locations: tuple[Path, ...] = ()
    recursive_version_locations: bool = False
    version_table: str = "alembic_version"
    version_table_schema: str | None = None
    dialects: tuple[str, ...] = ("postgresql",)
    output_dir: Path = Path("bundles")
    templates_dir: Path | None = None
    target_metadata: str | None = None
    file_template: str = DEFAULT_FILE_TEMPLATE
    truncate_slug_length: int = 40
    source_dialect: str | None = None
    cache_dir: Path | None = None
    baseline: str | None = None  # models the history starts from ("module:attr")
    baseline_sql: Path | None = None  # a schema dump the history starts from
    # Where new migration files import ``op`` from: "alembic" keeps them loadable by Alembic
    # too (the default in a project with an alembic.ini), "sqlbundle" otherwise.
    op_import: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    # Which file set each setting, for messages about it (e.g. a missing versions folder).
    origins: dict[str, Path] = field(default_factory=dict, compare=False)

    @property
    def primary_versions(self) -> Path:
        """Where new revision files go by default: the first version location."""
        return self.version_locations[0]


# key → (type description, converter). Converters receive (value, base_dir, where).
def _path(value: Any, base: Path, where: str) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: expected a path (string), got {value!r}")
    return (base / os.path.expanduser(value)).resolve()


def _paths(value: Any, base: Path, where: str) -> tuple[Path, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where}: expected a list of paths, got {value!r}")
    return tuple(_path(v, base, where) for v in value)


def _str(value: Any, base: Path, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: expected a non-empty string, got {value!r}")
    return value.strip()


def _opt_str(value: Any, base: Path, where: str) -> str | None:
    if value in (None, ""):
        return None
    return _str(value, base, where)


def _strs(value: Any, base: Path, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split()]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _dialects(value: Any, base: Path, where: str) -> tuple[str, ...]:
    """Target names checked where they are written (each ``name[@version]`` must load)."""
    from ..profile import load_profile

    names = _strs(value, base, where)
    for name in names:
        try:
            load_profile(name)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc.message}", hint=exc.hint) from None
    return names


def _op_import(value: Any, base: Path, where: str) -> str:
    text = _str(value, base, where)
    if text not in ("alembic", "sqlbundle"):
        raise ConfigError(f"{where}: expected \"alembic\" or \"sqlbundle\", got {text!r}")
    return text


def _bool(value: Any, base: Path, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no", "1", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    raise ConfigError(f"{where}: expected true or false, got {value!r}")


def _int(value: Any, base: Path, where: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: expected a whole number, got {value!r}") from None
    if number < 0 or isinstance(value, bool):
        raise ConfigError(f"{where}: expected a whole number >= 0, got {value!r}")
    return number


def _file_template(value: Any, base: Path, where: str) -> str:
    text = _str(value, base, where)
    try:
        text % _TEMPLATE_PROBE
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(
            f"{where}: invalid file_template {text!r} ({exc}); tokens are "
            + ", ".join(f"%({k})s" for k in sorted(_TEMPLATE_PROBE))
        ) from None
    return text


_TEMPLATE_PROBE = {
    "rev": "r", "slug": "s", "epoch": 0, "year": 2026, "month": 1, "day": 1,
    "hour": 0, "minute": 0, "second": 0,
}

SETTINGS: dict[str, tuple[str, Any]] = {
    "script_location": ("script_location", _path),
    "version_locations": ("version_locations", _paths),
    "recursive_version_locations": ("recursive_version_locations", _bool),
    "version_table": ("version_table", _str),
    "version_table_schema": ("version_table_schema", _opt_str),
    "dialects": ("dialects", _dialects),
    "output_dir": ("output_dir", _path),
    "templates_dir": ("templates_dir", _path),
    "target_metadata": ("target_metadata", _opt_str),
    "file_template": ("file_template", _file_template),
    "truncate_slug_length": ("truncate_slug_length", _int),
    "source_dialect": ("source_dialect", _opt_str),
    "cache_dir": ("cache_dir", _path),
    "baseline": ("baseline", _opt_str),
    "baseline_sql": ("baseline_sql", _path),
    "op_import": ("op_import", _op_import),
}


def _apply(values: dict[str, Any], base: Path, source: Path, table: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in sorted(values):
        if key not in SETTINGS:
            raise ConfigError(
                f"unknown setting {key!r} in {table}",
                path=str(source),
                hint="known settings: " + ", ".join(sorted(SETTINGS)),
            )
        attr, convert = SETTINGS[key]
        try:
            out[attr] = convert(values[key], base, f"{table} {key}")
        except ConfigError as exc:
            raise ConfigError(exc.message, path=str(source), hint=exc.hint) from None
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc.strerror}", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(f"invalid TOML: {exc}", path=str(path), line=line) from None


def _read_sqlbundle_toml(path: Path) -> dict[str, Any]:
    data = _read_toml(path)
    # Accept an optional [sqlbundle] table as well as top-level keys.
    if set(data) == {"sqlbundle"} and isinstance(data["sqlbundle"], dict):
        data = data["sqlbundle"]
    return _apply(data, path.parent, path, "sqlbundle.toml")


def _read_pyproject(path: Path) -> dict[str, Any] | None:
    data = _read_toml(path)
    table = data.get("tool", {}).get("sqlbundle")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError("[tool.sqlbundle] must be a table", path=str(path))
    return _apply(table, path.parent, path, "[tool.sqlbundle]")


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


def _read_alembic_ini(path: Path, section_name: str = "alembic") -> dict[str, Any]:
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
        if not location:
            raise ConfigError(
                "[alembic] has no script_location", path=str(path),
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


def _config_in(directory: Path) -> list[Path]:
    """Config files in one directory, in reading order (alembic.ini first, then ours)."""
    found: list[Path] = []
    ini = directory / "alembic.ini"
    if ini.is_file():
        found.append(ini)
    toml = directory / "sqlbundle.toml"
    pyproject = directory / "pyproject.toml"
    if toml.is_file():
        found.append(toml)
    elif pyproject.is_file() and _has_tool_table(pyproject):
        found.append(pyproject)
    return found


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text("utf-8")
    except OSError:
        return False
    return "[tool.sqlbundle" in text


def discover(start: Path | None = None, explicit: Path | None = None) -> Config:
    """Find and read the project's configuration.

    ``explicit`` is a directory (look only there) or a config file. Without it, look in
    ``start`` (default: the working directory) and then each parent.
    """
    if explicit is not None:
        explicit = explicit.expanduser().resolve()
        if explicit.is_file():
            files = [explicit]
            if explicit.name != "alembic.ini" and (explicit.parent / "alembic.ini").is_file():
                files.insert(0, explicit.parent / "alembic.ini")
        elif explicit.is_dir():
            files = _config_in(explicit)
            if not files:
                raise ConfigError(
                    "no sqlbundle.toml, [tool.sqlbundle] in pyproject.toml, or alembic.ini here",
                    path=str(explicit),
                    hint="run 'sqlbundle init' to create a project",
                )
        else:
            raise ConfigError("config path does not exist", path=str(explicit))
        return load_files(files)
    directory = (start or Path.cwd()).resolve()
    for candidate in [directory, *directory.parents]:
        files = _config_in(candidate)
        if files:
            return load_files(files)
    raise ConfigError(
        f"no sqlbundle project found in {directory} or its parents (looked for "
        + ", ".join(CONFIG_FILES) + ")",
        hint="run 'sqlbundle init' to create one, or pass --config DIR",
    )


def load_files(files: list[Path]) -> Config:
    """Merge settings from ``files`` (later files win) into a ``Config``."""
    settings: dict[str, Any] = {}
    origins: dict[str, Path] = {}
    for path in files:
        if path.name == "alembic.ini" or path.suffix == ".ini":
            found = _read_alembic_ini(path)
        elif path.name == "pyproject.toml":
            found = _read_pyproject(path)
            if found is None:
                raise ConfigError("pyproject.toml has no [tool.sqlbundle] table", path=str(path))
        else:
            found = _read_sqlbundle_toml(path)
        settings.update(found)
        origins.update(dict.fromkeys(found, path))
    root = files[-1].parent.resolve()
    return replace(finish(root, tuple(files), settings), origins=origins)


def finish(root: Path, sources: tuple[Path, ...], settings: dict[str, Any]) -> Config:
    """Fill in defaults that depend on other settings."""
    script_location = settings.get("script_location", root)
    versions = settings.get("version_locations")
    if versions is None:
        # Alembic keeps versions in <script_location>/versions; a sqlbundle project may keep
        # them directly in the script location's "versions" folder too.
        versions = (script_location / "versions",)
    config = Config(
        root=root,
        sources=sources,
        script_location=script_location,
        version_locations=tuple(versions),
        output_dir=settings.get("output_dir", root / "bundles"),
        cache_dir=settings.get("cache_dir", root / ".sqlbundle-cache"),
    )
    rest = {k: v for k, v in settings.items()
            if k not in ("script_location", "version_locations", "output_dir", "cache_dir")}
    return replace(config, **rest)


def check_locations(config: Config) -> None:
    """Every folder the configuration names must exist: a missing versions folder (a typo, a
    folder not checked out) is an error naming the file and key, never an empty history."""
    origins = config.origins
    fallback = config.sources[-1] if config.sources else None
    missing: list[tuple[str, str]] = []  # (key, message)
    if "script_location" in origins and not config.script_location.is_dir():
        missing.append(("script_location",
                        f"script_location names {config.script_location}, which does not exist"))
    elif "version_locations" not in origins:
        for folder in config.version_locations:
            if not folder.is_dir():
                missing.append(("script_location", f"the versions folder {folder} (from "
                                "script_location) does not exist"))
    for folder in config.version_locations if "version_locations" in origins else ():
        if not folder.is_dir():
            missing.append(("version_locations",
                            f"version_locations names {folder}, which does not exist"))
    if missing:
        key, message = missing[0]
        origin = origins.get(key, fallback)
        raise ConfigError(
            message, path=str(origin) if origin else None,
            line=key_line(origin, key) if origin else None,
            hint="fix the path, or create the folder; a missing folder is never read as an "
            "empty history",
        )
