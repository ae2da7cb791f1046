"""The schema a history starts from, for projects that began with ``create_all``: their first
revision alters tables that no revision created.

``baseline = "package.module:Base.metadata"`` names SQLAlchemy models (read as
``op.create_table`` would record them); ``baseline_sql = "schema.sql"`` names a schema dump
(``pg_dump --schema-only``, ``mysqldump --no-data``, ``sqlite3 db .schema``), read with sqlglot
in the source dialect. Both may be given (the models are added first). Only what the replayed
schema models is taken from a dump (tables, columns, constraints, indexes, enums); ownership,
grants, sequences, functions and session settings are left out. The version table is never
part of a baseline: the guards look for it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..profile import Profile
from ..schema.state import SchemaState
from .config import Config

# psql meta-commands in a dump (``\restrict`` in recent pg_dump): not SQL.
_META = re.compile(r"^\\\S.*$", re.MULTILINE)


def has_baseline(config: Config) -> bool:
    return bool(config.baseline or config.baseline_sql)


def _models_digest(config: Config, spec: str) -> str:
    """The content of the module tree the models come from (a changed model changes the
    baseline, and so every cached state built on it)."""
    top = spec.partition(":")[0].strip().split(".")[0]
    root = config.root.resolve()
    files = sorted((root / top).rglob("*.py")) if (root / top).is_dir() else \
        [root / f"{top}.py"]
    digest = hashlib.sha256(spec.encode())
    for path in files:
        try:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()


def baseline_digest(config: Config) -> str:
    """What the baseline is built from, for cache keys ("" when there is none)."""
    if not has_baseline(config):
        return ""
    parts = []
    if config.baseline:
        parts.append("models\0" + _models_digest(config, config.baseline))
    if config.baseline_sql:
        parts.append("sql\0" + hashlib.sha256(_read_dump(config, config.baseline_sql)
                                               .encode()).hexdigest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _read_dump(config: Config, path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"baseline_sql: cannot read {path}: {exc}",
                          path=str(config.sources[-1]) if config.sources else None) from None


def dump_state(state: SchemaState, text: str, read: str, dump_schema: str) -> SchemaState:
    """``state`` with what a schema dump (in sqlglot dialect ``read``) creates. Names the dump
    qualifies with the database's default schema (``dump_schema``) become unqualified, as
    migrations write them."""
    # Here, not at the top: cache keys import this module, and a cache hit loads no SQLAlchemy.
    from ..schema.rawddl import fold, raw_operations, raw_statements

    from sqlglot import exp

    text = _META.sub("", text)
    for statement in raw_statements(text, read):
        tree = statement.tree
        if tree is None or not statement.changes_schema:
            continue
        if dump_schema:
            tree = tree.copy()  # parsed trees are cached: leave them as parsed
            for table in tree.find_all(exp.Table):
                if table.args.get("db") is not None and table.db == dump_schema:
                    table.set("db", None)
        ops = raw_operations(tree, state, read)
        followed = fold(state, ops) if ops is not None else None
        if followed is not None:
            state = followed
    return state


def baseline_state(config: Config, state: SchemaState, source: Profile, dialect: Any
                   ) -> SchemaState:
    """``state`` (an empty schema) with the project's baseline; ``source`` is the profile the
    dump was taken from, ``dialect`` the SQLAlchemy dialect models are read for."""
    if config.baseline:
        from .models import load_metadata, metadata_state

        state = metadata_state(load_metadata(config, config.baseline, "baseline"), dialect,
                               state)
    if config.baseline_sql:
        text = _read_dump(config, config.baseline_sql)
        state = dump_state(state, text, source.sqlglot_dialect, source.dump_schema)
    for key in [k for k in state.tables if k[1] == config.version_table]:
        state = state.without_table(key)
    return state
