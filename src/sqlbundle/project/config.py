"""Project configuration: discovery and validation.

Sources, looked for in the working directory and then each parent (or in ``--config DIR``):

* ``sqlbundle.toml`` (top-level keys),
* ``pyproject.toml`` with a ``[tool.sqlbundle]`` table,
* ``alembic.ini`` (an existing Alembic project; its ``[alembic]`` section, or the one
  ``--name`` selects, is honoured), and ``[tool.alembic]`` in ``pyproject.toml`` (Alembic
  1.16+ keeps its settings there, the ini then holding only the URL and logging).

When ``alembic.ini`` sits beside ``sqlbundle.toml`` or a ``pyproject.toml`` with
``[tool.sqlbundle]``, both are read: the ini gives what Alembic users already have, the sqlbundle
settings add what Alembic keeps in ``env.py`` (which sqlbundle never runs), and win on conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .alembicfiles import (
    _has_alembic_table,
    _read_alembic_ini,
    _read_pyproject_alembic,
    key_line,
)
from .settings import _apply, _read_toml

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
    version_num_length: int = 32  # Alembic's VARCHAR(32); wider for longer revision ids
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
    # Timeouts written into the SQL (see assemble/timeouts.py); None: the target's default.
    lock_timeout: str | None = None
    statement_timeout: str | None = None
    # MySQL/MariaDB: ALTER TABLE asks for the algorithm the lock report expects (render/locks).
    algorithm_clauses: bool = False
    # The safe forms (render/safe.py): CONCURRENTLY, NOT VALID + VALIDATE on existing tables.
    safe: bool = False
    # The alembic.ini section read (Alembic's --name, for multi-database projects).
    ini_section: str = "alembic"
    # [tool.alembic] prepend_sys_path (Alembic 1.16+), absolute; the ini's is read with it.
    prepend_sys_path: tuple[Path, ...] = ()
    # What was read from env.py, and what could not be (printed by the CLI as notes).
    notes: tuple[str, ...] = field(default=(), compare=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    # Which file set each setting, for messages about it (e.g. a missing versions folder).
    origins: dict[str, Path] = field(default_factory=dict, compare=False)

    @property
    def primary_versions(self) -> Path:
        """Where new revision files go by default: the first version location."""
        return self.version_locations[0]


# key → (type description, converter). Converters receive (value, base_dir, where).
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


def _config_in(directory: Path) -> list[Path]:
    """Config files in one directory, in reading order (alembic.ini first, then ours)."""
    found: list[Path] = []
    ini = directory / "alembic.ini"
    if ini.is_file():
        found.append(ini)
    toml = directory / "sqlbundle.toml"
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file() and (_has_tool_table(pyproject) or _has_alembic_table(pyproject)):
        found.append(pyproject)
    if toml.is_file():
        found.append(toml)
    return found


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text("utf-8")
    except OSError:
        return False
    return "[tool.sqlbundle" in text


def discover(start: Path | None = None, explicit: Path | None = None,
             name: str = "alembic") -> Config:
    """Find and read the project's configuration.

    ``explicit`` is a directory (look only there) or a config file. Without it, look in
    ``start`` (default: the working directory) and then each parent. ``name``: the
    alembic.ini section to read (Alembic's ``--name``).
    """
    if explicit is not None:
        explicit = explicit.expanduser().resolve()
        if explicit.is_file():
            files = [explicit]
            if explicit.name != "alembic.ini" and (explicit.parent / "alembic.ini").is_file():
                files.insert(0, explicit.parent / "alembic.ini")
            pyproject = explicit.parent / "pyproject.toml"
            if explicit.suffix == ".ini" and pyproject.is_file() and \
                    _has_alembic_table(pyproject):
                files.append(pyproject)
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
        return load_files(files, name)
    directory = (start or Path.cwd()).resolve()
    for candidate in [directory, *directory.parents]:
        files = _config_in(candidate)
        if files:
            return load_files(files, name)
    raise ConfigError(
        f"no sqlbundle project found in {directory} or its parents (looked for "
        + ", ".join(CONFIG_FILES) + ")",
        hint="run 'sqlbundle init' to create one, or pass --config DIR",
    )


def load_files(files: list[Path], name: str = "alembic") -> Config:
    """Merge settings from ``files`` (later files win) into a ``Config``; ``name`` is the
    alembic.ini section read."""
    settings: dict[str, Any] = {}
    origins: dict[str, Path] = {}
    alembic_toml: dict[str, Any] = {}
    for path in files:
        if path.name == "pyproject.toml" and _has_alembic_table(path):
            alembic_toml = _read_pyproject_alembic(path) or {}
    inis = [p for p in files if p.name == "alembic.ini" or p.suffix == ".ini"]
    if name != "alembic" and not inis:
        raise ConfigError(f"--name {name} selects a section of alembic.ini, and this project "
                          "has none", path=str(files[-1]))
    for path in files:
        if path in inis:
            found = _read_alembic_ini(path, name, "script_location" in alembic_toml)
        elif path.name == "pyproject.toml":
            found = dict(alembic_toml)
            tool = _read_pyproject(path) if _has_tool_table(path) else None
            found.update(tool or {})
            if not found and tool is None and not alembic_toml:
                raise ConfigError("pyproject.toml has no [tool.sqlbundle] or [tool.alembic] "
                                  "table", path=str(path))
        else:
            found = _read_sqlbundle_toml(path)
        settings.update(found)
        origins.update(dict.fromkeys(found, path))
    settings["ini_section"] = name
    root = files[-1].parent.resolve()
    notes: tuple[str, ...] = ()
    if inis or alembic_toml:
        settings, notes = _with_env_py(settings, root)
    return replace(finish(root, tuple(files), settings), origins=origins, notes=notes)


def _with_env_py(settings: dict[str, Any], root: Path) -> tuple[dict[str, Any], tuple[str, ...]]:
    """An Alembic project's ``env.py`` settings (read, never run) where no sqlbundle file
    gives them, and the notes saying what was taken and what could not be read."""
    from .envpy import read_env_py

    env_py = settings.get("script_location", root) / "env.py"
    if not env_py.is_file():
        return settings, ()
    try:
        shown = env_py.relative_to(root).as_posix()
    except ValueError:
        shown = str(env_py)
    found = read_env_py(env_py, shown)
    taken = {k: v for k, v in found.settings.items() if k not in settings}
    notes = [text for key, text in found.problems if key not in settings]
    if taken:
        notes.insert(0, f"{shown}: read " + ", ".join(f"{k} = {v!r}" for k, v in
                                                        sorted(taken.items())))
    return {**settings, **taken}, tuple(notes)


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
