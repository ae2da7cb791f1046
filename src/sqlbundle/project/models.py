"""The user's SQLAlchemy models as a ``SchemaState``: for autogenerate (``target_metadata``)
and as the schema a history starts from (``baseline``). No database.

Both settings name a ``MetaData`` as ``"package.module:attr.path"`` (e.g.
``"models:Base.metadata"``). The module is imported with the project's root folder on
``sys.path`` for the duration of the import only; every ``Table`` is then converted with the
same ``table_state`` the recorder uses for ``op.create_table``, so both sides of a comparison
are built alike.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .config import Config
from ..errors import ConfigError
from ..schema.operations import with_enums
from ..schema.fromsa import table_state
from ..schema.state import SchemaState

SETTING = "target_metadata"
EXAMPLE = '"package.module:Base.metadata"'


def _where(config: Config) -> str | None:
    return str(config.sources[-1]) if config.sources else None


def _error(config: Config, message: str, hint: str | None = None, setting: str = SETTING
           ) -> ConfigError:
    return ConfigError(f"{setting}: {message}", path=_where(config), hint=hint)


def _file_of(module: Any) -> str | None:
    try:
        path = getattr(module, "__file__", None)
    except Exception:  # a lazy module's __getattr__ may raise anything
        return None
    return path if isinstance(path, str) else None


def _under(path: str | None, root: Path) -> bool:
    if not path:
        return False
    try:
        Path(path).resolve().relative_to(root)
    except ValueError:
        return False
    return True


@contextlib.contextmanager
def _project_import(root: Path, top: str) -> Iterator[None]:
    """``root`` first on ``sys.path`` while importing; afterwards the path is restored and the
    project's own modules are forgotten, so a second project (or an edited file) is imported
    afresh. A module of the same name imported earlier from elsewhere is put back."""
    saved_path = list(sys.path)
    shadowed = {name: module for name, module in sys.modules.items()
                if name == top or name.startswith(top + ".")}
    for name in shadowed:
        del sys.modules[name]
    before = set(sys.modules)
    saved_bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # leave no __pycache__ in the user's project
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path[:] = saved_path
        sys.dont_write_bytecode = saved_bytecode
        for name in sorted(set(sys.modules) - before):
            module = sys.modules.get(name)
            if name == top or name.startswith(top + ".") or \
                    _under(_file_of(module), root):
                del sys.modules[name]
        sys.modules.update(shadowed)


def load_target_metadata(config: Config) -> list[sa.MetaData]:
    """Import the configured ``target_metadata`` (one ``MetaData`` or a list of them)."""
    spec = config.target_metadata
    if not spec:
        raise ConfigError(
            f"{SETTING} is not set: autogenerate needs your models' MetaData",
            path=_where(config),
            hint=f"add {SETTING} = {EXAMPLE} to sqlbundle.toml ([tool.sqlbundle] in "
                 "pyproject.toml), relative to the project folder")
    return load_metadata(config, spec)


def load_metadata(config: Config, spec: str, setting: str = SETTING) -> list[sa.MetaData]:
    """Import the ``MetaData`` (or list of them) that ``spec`` names for ``setting``."""
    module_name, sep, attr_path = spec.partition(":")
    module_name, attr_path = module_name.strip(), attr_path.strip()
    if not sep or not module_name or not attr_path:
        raise _error(config, f"{spec!r} is not of the form {EXAMPLE}", setting=setting)
    root = config.root.resolve()
    with _project_import(root, module_name.split(".")[0]):
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # whatever the user's module raises
            raise _error(config, f"cannot import {module_name!r} (from {spec!r}): "
                                 f"{type(exc).__name__}: {exc}",
                         hint=f"the module is imported with {root}{os.sep} on sys.path; "
                              "check the module path and that the models import cleanly",
                         setting=setting) from None
    found: Any = module
    parts = attr_path.split(".")
    for index, part in enumerate(parts):
        try:
            found = getattr(found, part)
        except AttributeError:
            owner = module_name + (":" + ".".join(parts[:index]) if index else "")
            raise _error(config, f"{owner} has no attribute {part!r} (from {spec!r})",
                         setting=setting) from None
    items = list(found) if isinstance(found, (list, tuple)) else [found]
    if not items or not all(isinstance(m, sa.MetaData) for m in items):
        raise _error(config, f"{spec!r} is a {type(found).__name__}, not a sqlalchemy MetaData",
                     hint="point it at the declarative base's metadata, e.g. Base.metadata",
                     setting=setting)
    return items


def metadata_state(metadata: sa.MetaData | list[sa.MetaData], dialect: Any,
                   state: SchemaState | None = None) -> SchemaState:
    """Every table of ``metadata`` as the replay would hold it after ``create_table``, added to
    ``state`` (default: an empty schema)."""
    tables: list[sa.Table] = []
    for item in metadata if isinstance(metadata, list) else [metadata]:
        tables.extend(item.tables.values())
    state = SchemaState() if state is None else state
    for table in sorted(tables, key=lambda t: (t.schema or "", t.name)):
        converted = table_state(table, dialect)
        state = with_enums(state, converted.columns, converted.schema).with_table(converted)
    return state


def models_state(config: Config, dialect: Any) -> SchemaState:
    """The configured models as a ``SchemaState`` for ``dialect``."""
    return metadata_state(load_target_metadata(config), dialect)
