"""The settings a configuration may hold: each key's attribute and converter, checked where
it is read, so that a bad value is an error naming the file and the key."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from ..errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


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


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*$", re.IGNORECASE)
_UNITS = {"ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000}
OFF = ("off", "none", "0")


def parse_duration(text: str, where: str) -> int:
    """Milliseconds of ``5s``, ``500ms``, ``2min``, ``1h`` (a bare number is seconds); 0 for
    ``off``. A bad value is an error naming ``where``."""
    value = text.strip().lower()
    if value in OFF:
        return 0
    match = _DURATION.match(value)
    if match is None:
        raise ConfigError(f"{where}: expected a duration such as 5s, 500ms or 2min, or off; "
                          f"got {text!r}")
    return int(float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()])


def _duration(value: Any, base: Path, where: str) -> str:
    """A timeout, kept as written once it reads as one (``5s``, ``500ms``, ``off``)."""
    text = str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else _str(value, base, where)
    parse_duration(text, where)
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
    "lock_timeout": ("lock_timeout", _duration),
    "version_num_length": ("version_num_length", _int),
    "statement_timeout": ("statement_timeout", _duration),
    "algorithm_clauses": ("algorithm_clauses", _bool),
    "safe": ("safe", _bool),
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
