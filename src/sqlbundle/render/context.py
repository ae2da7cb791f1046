"""Values shared by the renderers: the statement model, diagnostics and the render context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..profile import Profile, parse_version
from ..errors import SqlbundleError


@dataclass(frozen=True)
class Statement:
    """One statement, without its terminator.

    ``block`` marks procedural code (PL/pgSQL ``DO``, T-SQL ``IF ... BEGIN``, PL/SQL) that
    sqlglot cannot check and that SQL*Plus ends with ``/``. ``autocommit`` statements must run
    outside a transaction. ``batch_first`` statements must open a T-SQL batch.
    """

    sql: str
    block: bool = False
    autocommit: bool = False
    batch_first: bool = False
    dml: bool = False
    fk_off: bool = False  # SQLite table copy: foreign-key enforcement must be off


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    path: str | None = None
    line: int | None = None
    severity: str = "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path and self.line else (
            f"{self.path}: " if self.path else "")
        return f"{where}{self.severity} {self.code}: {self.message}"


class Unsupported(SqlbundleError):
    """The target dialect cannot express an operation; never rendered as wrong SQL."""


@dataclass
class RenderContext:
    profile: Profile
    dialect: Any
    path: str | None = None
    line: int | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.profile.name

    def warn(self, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(code, message, self.path, self.line))

    def unsupported(self, message: str, hint: str | None = None) -> Unsupported:
        return Unsupported(f"{message} (dialect {self.profile.target})", path=self.path,
                           line=self.line, hint=hint)

    def quote(self, name: str) -> str:
        return self.dialect.identifier_preparer.quote(name)

    def table_name(self, name: str, schema: str | None = None) -> str:
        quoted = self.quote(name)
        return f"{self.dialect.identifier_preparer.quote_schema(schema)}.{quoted}" if schema \
            else quoted


# What SQLAlchemy would learn from a live server, set per dialect by its render module.
DialectSetup = Callable[[Any, Profile, tuple[int, ...]], None]
_SETUPS: dict[str, DialectSetup] = {}


def sets_up(*dialects: str) -> Callable[[DialectSetup], DialectSetup]:
    """Register ``fn(dialect, profile, version)`` that sets capabilities of the SQLAlchemy
    dialect for the named profiles (one per dialect)."""
    def decorate(fn: DialectSetup) -> DialectSetup:
        for name in dialects:
            if name in _SETUPS:
                raise ValueError(f"dialect setup for {name!r} registered twice")
            _SETUPS[name] = fn
        return fn
    return decorate


def sa_dialect(profile: Profile) -> Any:
    """A SQLAlchemy dialect instance for the profile's target version, with no connection.

    ``paramstyle="named"`` keeps ``%`` as written (pyformat drivers would double it).
    """
    from sqlalchemy.dialects import registry

    name = profile.sqlalchemy_dialect
    if name == "mariadb":
        from sqlalchemy.dialects.mysql.base import MySQLDialect

        dialect = MySQLDialect(paramstyle="named", is_mariadb=True)
    elif name == "default":  # no SQLAlchemy dialect for the target: the generic ANSI compiler
        from sqlalchemy.engine.default import DefaultDialect

        dialect = DefaultDialect(paramstyle="named")
    elif name.startswith("sqlbundle."):  # our own, e.g. sqlbundle.render.snowflake:SnowflakeDialect
        import importlib

        module, _, cls_name = name.partition(":")
        dialect = getattr(importlib.import_module(module), cls_name)(paramstyle="named")
    else:
        cls = registry.load(name)
        dialect = cls(paramstyle="named")
    version = parse_version(profile.version)
    dialect.server_version_info = version
    # Raw SQL defaults written in another dialect are transpiled to this one (rawdefs).
    dialect.sqlbundle_sqlglot = profile.sqlglot_dialect
    # Capabilities SQLAlchemy would learn from a live server, decided from the profile instead.
    dialect.default_schema_name = profile.default_schema or None
    setup = _SETUPS.get(profile.name)
    if setup is not None:
        setup(dialect, profile, version)
    if profile.max_identifier_length:
        dialect.max_identifier_length = profile.identifier_limit
    return dialect
