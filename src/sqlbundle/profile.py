"""Dialect profiles: one TOML data file per target database in ``dialects/``.

A target is written ``name`` or ``name@version`` (``mysql@5.7``); without a version the
profile's documented default applies. Features that depend on the server version are listed in
the profile as ``feature = "first version that has it"``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_REQUIRED = {
    "name": str, "title": str, "sqlalchemy_dialect": str, "sqlglot_dialect": str,
    "default_version": str, "versions": list, "terminator": str, "batch_separator": str,
    "transactional_ddl": bool, "max_identifier_length": int, "apply": str,
}


def parse_version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


@dataclass(frozen=True)
class Profile:
    """A dialect profile at one target server version."""

    name: str
    title: str
    sqlalchemy_dialect: str
    sqlglot_dialect: str
    version: str
    default_version: str
    versions: tuple[str, ...]
    terminator: str
    batch_separator: str
    transactional_ddl: bool
    max_identifier_length: int
    apply: str
    features: dict[str, str] = field(default_factory=dict, compare=False)
    source: str = ""
    default_schema: str = ""
    dump_schema: str = ""  # the schema a schema dump qualifies names with (PostgreSQL: public)
    block_delimiter: str = ""  # the client's DELIMITER around a procedural block (MySQL: //)
    short_identifier_length: int = 0  # the limit before the "long_identifiers" feature
    # How the database names a constraint declared without a name (a key of gennames.RULES,
    # or "none" / "unpredictable").
    constraint_names: str = "none"
    # Framing: how the dialect's own client runs a file (see dialects/README.md).
    batch_separator_after: str = "statement"  # "statement", or "block" (after PL/SQL only)
    preamble: tuple[str, ...] = ()
    # The statement that makes {schema} the session's default schema (a tenant's bundle);
    # empty: the target has none, and a bundle per schema is unsupported.
    use_schema: str = ""
    begin: str = ""
    commit: str = ""
    # Timeouts (see assemble/timeouts.py): {ms} / {s} are the value in milliseconds / seconds.
    lock_timeout_local: str = ""  # inside a transaction only (PostgreSQL's SET LOCAL)
    statement_timeout_local: str = ""
    lock_timeout_session: str = ""  # for the session (outside transactions, or everywhere)
    lock_timeout_reset: str = ""
    statement_timeout_off: str = ""  # lifted around statements outside a transaction
    statement_timeout_reset: str = ""
    default_lock_timeout: str = ""  # e.g. "5s"; empty: none unless the project sets one
    default_statement_timeout: str = ""
    table_copy_prelude: str = ""
    # Whether a wider version_num needs an ALTER (false where VARCHAR lengths are not kept).
    widen_version_column: bool = True
    header_notes: tuple[str, ...] = ()
    # Facts the renderers read (see dialects/README.md).
    batch_first: bool = False
    qualified_version_column: bool = True
    concurrently_outside_transaction: bool = False
    exclude_constraints: bool = False
    ignores_check_constraints: bool = False
    type_features: dict[str, str] = field(default_factory=dict, compare=False)
    column_positions: bool = False
    inline_indexes: bool = False
    alter_column_using: bool = False
    drop_index_on_table: bool = False
    named_enums: bool = False
    # The form a guard takes: a key of assemble/guards.py's builders (how the client stops).
    guard: str = ""
    # Statements the target refuses inside a transaction block (None: every statement may run
    # in one); compiled once here from the profile's regular expression.
    outside_transaction: re.Pattern[str] | None = field(default=None, compare=False)
    # Referential actions: rewritten (None: left out) and refused, per ondelete/onupdate.
    fk_actions: dict[str, str | None] = field(default_factory=dict, compare=False)
    fk_unsupported: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    # Types raw SQL may not use although sqlglot writes them unchanged for this target.
    missing_types: frozenset[str] = frozenset()
    other_types: dict[str, str] = field(default_factory=dict, compare=False)
    # Column types raw SQL keeps as written where sqlglot would name another (SQLite takes a
    # column's behaviour from the name: DECIMAL is NUMERIC, sqlglot's REAL is not).
    declared_types: frozenset[str] = frozenset()
    # Type changes (lint): what a rewrite costs, which families widen in place, and the VARCHAR
    # length (characters) up to which the stored length takes one byte (0: no such limit).
    rewrite_cost: str = ""
    widen_in_place: tuple[str, ...] = ()
    length_byte_limit: int = 0
    # The lock report (render/locks.py): the lock each kind of statement takes on the table it
    # changes, the levels weakest first; or, where the server picks an algorithm, the choices
    # per kind ("ALGORITHM/LOCK[ rebuild][ from VERSION]", the first the target has wins).
    locks: dict[str, str] = field(default_factory=dict, compare=False)
    lock_levels: tuple[str, ...] = ()
    algorithms: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    # Functions whose default fills every existing row one by one (a table rewrite).
    volatile_functions: frozenset[str] = frozenset()
    fk_creates_index: bool = False  # a foreign key gets an index of its own when it has none
    # How a step that leaves its transaction is written to run again (assemble/segments.py).
    rerun: dict[str, str] = field(default_factory=dict, compare=False)
    # What migration code sees: the SQLAlchemy dialect name its own driver would report (empty:
    # the compiling dialect's name), and the server version per release name.
    code_dialect_name: str = ""
    server_versions: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False)
    # How Alembic's op restates a column from alter_column's existing_* hints (a key of
    # schema/hints.py's rules; empty: it alters one property at a time).
    alembic_restates: str = ""
    # verify (review/verify.py): how a throwaway database is made, applied and reflected.
    verify: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def identifier_limit(self) -> int:
        """The longest identifier the target version accepts (0: no limit)."""
        if self.short_identifier_length and not self.supports("long_identifiers"):
            return self.short_identifier_length
        return self.max_identifier_length

    @property
    def target(self) -> str:
        """``name@version``, as used in file names and headers."""
        return f"{self.name}@{self.version}"

    def supports(self, feature: str) -> bool:
        """True when the target version has ``feature`` (unknown features are unsupported).

        A target names as much of the version as it cares about: ``mysql@8.0`` means a current
        8.0 release (so it has 8.0.13's features); ``mysql@8.0.12`` means exactly that one.
        """
        first = self.features.get(feature)
        if first is None:
            return False
        target = parse_version(self.version)
        return target >= parse_version(first)[: len(target)]


def profiles_dir() -> Path:
    from .resources import data_dir

    return data_dir("dialects")


def known_dialects() -> list[str]:
    return sorted(p.stem for p in profiles_dir().glob("*.toml"))


@lru_cache(maxsize=None)
def _read_profile(name: str) -> dict:
    path = profiles_dir() / f"{name}.toml"
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(
            f"unknown dialect {name!r}",
            hint="known dialects: " + ", ".join(known_dialects()),
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid dialect profile: {exc}", path=str(path)) from None
    for key, kind in _REQUIRED.items():
        if not isinstance(data.get(key), kind):
            raise ConfigError(
                f"dialect profile needs {key!r} ({kind.__name__})", path=str(path)
            )
    data["_source"] = str(path)
    return data


def parse_target(target: str | Profile) -> Profile:
    """A target as a value, parsed once where the API is entered: a ``Profile`` (the dialect
    and its version, and what follows from them) passes through; ``name[@version]`` is read."""
    return target if isinstance(target, Profile) else load_profile(target)


def load_profile(target: str) -> Profile:
    """The profile for ``name`` or ``name@version``; unknown names or versions list the known."""
    name, _, version = target.strip().partition("@")
    name = name.lower()
    if not name or "/" in name or name.startswith("."):
        raise ConfigError(f"unknown dialect {target!r}",
                          hint="known dialects: " + ", ".join(known_dialects()))
    data = _read_profile(name)
    versions = tuple(data["versions"])
    version = version or data["default_version"]
    if version not in versions:
        # Accept a more precise version (8.0.36) when it starts with a known one.
        matches = [v for v in versions if version.startswith(v + ".")]
        try:
            parse_version(version)
        except ValueError:
            matches = []
        if not matches:
            raise ConfigError(
                f"unknown version {version!r} for dialect {name!r}",
                hint=f"known versions: {', '.join(versions)} (default {data['default_version']})",
            )
    return Profile(
        name=data["name"],
        title=data["title"],
        sqlalchemy_dialect=data["sqlalchemy_dialect"],
        sqlglot_dialect=data["sqlglot_dialect"],
        version=version,
        default_version=data["default_version"],
        versions=versions,
        terminator=data["terminator"],
        batch_separator=data["batch_separator"],
        transactional_ddl=data["transactional_ddl"],
        max_identifier_length=data["max_identifier_length"],
        apply=data["apply"],
        features=dict(data.get("features", {})),
        source=data["_source"],
        default_schema=str(data.get("default_schema", "")),
        dump_schema=str(data.get("dump_schema", "")),
        block_delimiter=str(data.get("block_delimiter", "")),
        short_identifier_length=int(data.get("short_identifier_length", 0)),
        constraint_names=str(data.get("constraint_names", "none")),
        batch_separator_after=str(data.get("batch_separator_after", "statement")),
        preamble=tuple(data.get("preamble", ())),
        use_schema=str(data.get("use_schema", "")),
        widen_version_column=bool(data.get("widen_version_column", True)),
        lock_timeout_local=str(data.get("lock_timeout_local", "")),
        statement_timeout_local=str(data.get("statement_timeout_local", "")),
        lock_timeout_session=str(data.get("lock_timeout_session", "")),
        lock_timeout_reset=str(data.get("lock_timeout_reset", "")),
        statement_timeout_off=str(data.get("statement_timeout_off", "")),
        statement_timeout_reset=str(data.get("statement_timeout_reset", "")),
        default_lock_timeout=str(data.get("default_lock_timeout", "")),
        default_statement_timeout=str(data.get("default_statement_timeout", "")),
        begin=str(data.get("begin", "")),
        commit=str(data.get("commit", "")),
        table_copy_prelude=str(data.get("table_copy_prelude", "")),
        header_notes=tuple(data.get("header_notes", ())),
        batch_first=bool(data.get("batch_first", False)),
        qualified_version_column=bool(data.get("qualified_version_column", True)),
        concurrently_outside_transaction=bool(data.get("concurrently_outside_transaction",
                                                       False)),
        exclude_constraints=bool(data.get("exclude_constraints", False)),
        ignores_check_constraints=bool(data.get("ignores_check_constraints", False)),
        type_features=dict(data.get("type_features", {})),
        column_positions=bool(data.get("column_positions", False)),
        inline_indexes=bool(data.get("inline_indexes", False)),
        alter_column_using=bool(data.get("alter_column_using", False)),
        drop_index_on_table=bool(data.get("drop_index_on_table", False)),
        named_enums=bool(data.get("named_enums", False)),
        guard=str(data.get("guard", "")),
        outside_transaction=_pattern(data.get("outside_transaction")),
        fk_actions={key.upper(): (value.upper() or None)
                    for key, value in data.get("fk_actions", {}).items()},
        fk_unsupported={key: tuple(v.upper() for v in values)
                        for key, values in data.get("fk_unsupported", {}).items()},
        missing_types=frozenset(t.upper() for t in data.get("missing_types", ())),
        other_types={key.upper(): str(v) for key, v in data.get("other_types", {}).items()},
        declared_types=frozenset(t.upper() for t in data.get("declared_types", ())),
        rewrite_cost=str(data.get("rewrite_cost", "")),
        widen_in_place=tuple(data.get("widen_in_place", ())),
        length_byte_limit=int(data.get("length_byte_limit", 0)),
        locks={key: str(value) for key, value in data.get("locks", {}).items()},
        lock_levels=tuple(data.get("lock_levels", ())),
        algorithms={key: tuple(values) for key, values in data.get("algorithms", {}).items()},
        volatile_functions=frozenset(f.lower() for f in data.get("volatile_functions", ())),
        fk_creates_index=bool(data.get("fk_creates_index", False)),
        rerun={key: str(value) for key, value in data.get("rerun", {}).items()},
        code_dialect_name=str(data.get("code_dialect_name", "")),
        server_versions={key: tuple(v) for key, v in data.get("server_versions", {}).items()},
        alembic_restates=str(data.get("alembic_restates", "")),
        verify=dict(data.get("verify", {})),
    )


@lru_cache(maxsize=None)
def _pattern(text: str | None) -> re.Pattern[str] | None:
    """A profile's regular expression, compiled once (matched from a statement's start)."""
    return re.compile(text, re.IGNORECASE) if text else None
