"""What an Alembic project sets in ``env.py``, read statically (never run): sqlbundle needs no
configuration of its own for the common cases.

* ``target_metadata = Base.metadata`` (or a name imported from a module): the import path,
  as the ``target_metadata`` setting writes it (``package.module:Base.metadata``);
* ``context.configure(version_table=..., version_table_schema=...)`` with literal values.

What cannot be read this way (a computed value, calls that disagree) is a note naming the line
and the ``sqlbundle.toml`` key that says it instead. ``include_schemas`` is noted only:
sqlbundle compares every schema the models name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class EnvSettings:
    settings: dict[str, Any]  # setting name -> value, as the sqlbundle.toml key would give
    problems: tuple[tuple[str, str], ...]  # (setting, what could not be read and why)


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> what it names: ``module`` or ``module:attr``."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}:{alias.name}"
    return names


def _dotted(node: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(parts)]


def _metadata_path(node: ast.expr, imports: dict[str, str]) -> str | None:
    """``Base.metadata`` with ``from app.models import Base`` -> ``app.models:Base.metadata``."""
    parts = _dotted(node)
    if not parts or parts[0] not in imports:
        return None
    origin, rest = imports[parts[0]], parts[1:]
    if ":" in origin:
        return ".".join([origin, *rest])
    # ``import app.models as m`` then ``m.Base.metadata``: module app.models, attr Base.metadata
    if not rest:
        return None
    return f"{origin}:{'.'.join(rest)}"


def read_env_py(path: Path, shown: str) -> EnvSettings:
    try:
        tree = ast.parse(path.read_text("utf-8"), filename=shown)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return EnvSettings({}, (("target_metadata", f"{shown}: could not be read; set "
                                 "target_metadata and version_table in sqlbundle.toml"),))
    imports = _imports(tree)
    settings: dict[str, Any] = {}
    notes: list[tuple[str, str]] = []
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "target_metadata" for t in targets) \
                    and node.value is not None:
                value = node.value
                if isinstance(value, ast.Constant) and value.value is None:
                    settings.pop("target_metadata", None)
                    continue
                found = _metadata_path(value, imports)
                if found is None:
                    notes.append(("target_metadata", f"{shown}:{node.lineno}: target_metadata "
                                  "is not an imported name sqlbundle can follow; set "
                                  "target_metadata = \"package.module:Base.metadata\" in "
                                  "sqlbundle.toml"))
                    settings.pop("target_metadata", None)
                else:
                    settings["target_metadata"] = found
    seen: dict[str, tuple[Any, int]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "configure"):
            continue
        for keyword in node.keywords:
            key = keyword.arg
            if key not in ("version_table", "version_table_schema", "include_schemas"):
                continue
            try:
                value = ast.literal_eval(keyword.value)
            except ValueError:
                if key != "include_schemas":
                    notes.append((key, f"{shown}:{keyword.value.lineno}: {key} is not a "
                                       f"literal; set {key} in sqlbundle.toml"))
                seen[key] = (_UNREADABLE, keyword.value.lineno)
                continue
            if key in seen and seen[key][0] != value:
                notes.append((key, f"{shown}:{keyword.value.lineno}: context.configure() "
                                   f"calls disagree on {key}; set {key} in sqlbundle.toml"))
                seen[key] = (_UNREADABLE, keyword.value.lineno)
            elif key not in seen:
                seen[key] = (value, keyword.value.lineno)
    for key in ("version_table", "version_table_schema"):
        if key in seen and seen[key][0] is not _UNREADABLE:
            value = seen[key][0]
            if value is None or isinstance(value, str):
                settings[key] = value
    settings.pop("include_schemas", None)
    return EnvSettings(settings, tuple(dict.fromkeys(notes)))


_UNREADABLE = object()
