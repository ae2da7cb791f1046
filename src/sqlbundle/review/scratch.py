"""The throwaway database ``verify`` applies a bundle to: a file in the working folder for an
embedded engine (SQLite, DuckDB), or a database sqlbundle creates on a scratch server the user
names and always drops again (PostgreSQL, MariaDB, MySQL). Never an existing database.

How each target makes, finds and drops one, and how its client is told where it is, are the
profile's ``[verify]`` facts (dialects/*.toml); this module names no dialect.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from ..errors import SqlbundleError
from ..profile import Profile
from ..render.context import sa_dialect

NAME_PREFIX = "sqlbundle_verify_"
INSTALL = "pip install 'sqlbundle[verify]'"


@dataclass(frozen=True)
class Scratch:
    """One throwaway database: the SQLAlchemy URL that reflects it, and the values the
    profile's client settings (``client_env``, ``client_files``) are written with."""

    url: sa.engine.URL
    values: dict[str, str] = field(default_factory=dict)
    file: Path | None = None  # the database file of an embedded engine


def new_name() -> str:
    return NAME_PREFIX + uuid.uuid4().hex[:12]


def create_engine(url: sa.engine.URL | str, **kwargs: Any) -> sa.engine.Engine:
    """A SQLAlchemy engine (no pool: nothing stays connected), or a ``SqlbundleError``
    naming the driver that is not installed."""
    try:
        return sa.create_engine(url, poolclass=NullPool, **kwargs)
    except ImportError as exc:
        missing = exc.name or str(exc)
        parsed = sa.engine.make_url(url)
        # SQLAlchemy picks a default driver when the URL names none (psycopg for PostgreSQL).
        other = "" if "+" in parsed.drivername else \
            f", or name an installed driver in the URL ({parsed.drivername}+<driver>://...)"
        raise SqlbundleError(
            f"verify needs the Python package {missing!r} to reach {shown_url(url)}, and it is "
            "not installed", hint=INSTALL + other) from None
    except sa.exc.NoSuchModuleError as exc:
        raise SqlbundleError(f"verify cannot load SQLAlchemy's dialect for {shown_url(url)} "
                             f"({exc})", hint=INSTALL) from None


def shown_url(url: sa.engine.URL | str) -> str:
    url = sa.engine.make_url(url)
    return url.render_as_string(hide_password=True)


@contextlib.contextmanager
def scratch_database(profile: Profile, url: str | None, workdir: Path) -> Iterator[Scratch]:
    """A new, empty database for ``profile``: on the server ``url`` names, or (no ``url``)
    a file in ``workdir`` for an embedded engine. Dropped when the block ends, however."""
    facts = profile.verify
    if url is None:
        if "url" not in facts:
            raise SqlbundleError(
                f"verify needs a scratch {profile.title} server for {profile.name} bundles",
                hint=f"pass --url with a SQLAlchemy URL of a server where sqlbundle may "
                     f"create and drop a database ({NAME_PREFIX}<hex>)")
        with _embedded(profile, workdir) as scratch:
            yield scratch
        return
    if "create_database" not in facts:
        raise SqlbundleError(f"verify cannot create a throwaway {profile.title} database",
                             hint="verify supports the dialects whose profile has [verify]")
    with _on_server(profile, url, workdir) as scratch:
        yield scratch


@contextlib.contextmanager
def _embedded(profile: Profile, workdir: Path) -> Iterator[Scratch]:
    workdir.mkdir(parents=True, exist_ok=True)
    file = (workdir / f"{new_name()}.db").resolve()
    if file.exists():
        raise SqlbundleError(f"{file} exists: verify never reuses a database")
    scratch = Scratch(sa.engine.make_url(profile.verify["url"].format(file=file)),
                      {"file": str(file), "database": str(file), "folder": str(workdir)},
                      file)
    try:
        yield scratch
    finally:
        for path in (file, *(file.with_name(file.name + s) for s in
                             ("-journal", "-wal", "-shm", ".wal"))):
            path.unlink(missing_ok=True)


def _admin_url(profile: Profile, url: str) -> sa.engine.URL:
    """The server ``url`` names, checked: the profile's kind of server, and no database
    but one of the server's own (PostgreSQL's ``postgres``) that the admin connection uses."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise SqlbundleError(f"--url is not a SQLAlchemy URL: {exc}") from None
    try:
        # The same SQLAlchemy dialect package (any driver; mysql+pymysql for MariaDB too).
        matches = _package(parsed.get_dialect()) == _package(type(sa_dialect(profile)))
    except sa.exc.NoSuchModuleError:
        matches = False
    if not matches:
        raise SqlbundleError(f"--url {shown_url(parsed)} is not a {profile.title} server",
                             hint=f"verify -d {profile.name} needs a {profile.title} URL")
    own = profile.verify.get("server_databases", [])
    if parsed.database and parsed.database not in own:
        raise SqlbundleError(
            f"--url names the database {parsed.database!r}: verify never applies a bundle "
            "to an existing database; it creates its own on the server and drops it after",
            hint="name the server only" + (f" (or its database {own[0]!r})" if own else "")
                 + f", e.g. {shown_url(parsed.set(database=own[0] if own else None))}")
    return parsed


@contextlib.contextmanager
def _on_server(profile: Profile, url: str, workdir: Path) -> Iterator[Scratch]:
    facts = profile.verify
    server = _admin_url(profile, url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = new_name()
    quoted = admin.dialect.identifier_preparer.quote(name)
    try:
        with admin.connect() as conn:
            if conn.execute(sa.text(facts["database_exists"]), {"name": name}).first():
                raise SqlbundleError(f"a database {name!r} exists on {shown_url(server)}: verify "
                                     "never reuses a database", hint="run verify again")
            conn.exec_driver_sql(facts["create_database"].format(name=quoted))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        raise SqlbundleError(f"cannot reach the scratch server {shown_url(server)}: "
                             f"{_first_line(exc)}") from None
    folder = workdir / "client"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    client_url = server.set(drivername=server.get_backend_name(), database=name, password=None)
    values = {"database": name, "host": server.host or "", "port": str(server.port or ""),
              "username": server.username or "", "password": server.password or "",
              "client_url": client_url.render_as_string(hide_password=False),
              "folder": str(folder.resolve())}
    try:
        yield Scratch(server.set(database=name), values)
    finally:
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(facts["drop_database"].format(name=quoted))
        finally:
            admin.dispose()


def database_exists(profile: Profile, url: str, name: str) -> bool:
    """Whether the server ``url`` names holds a database ``name`` (for tests and reports)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            query = sa.text(profile.verify["database_exists"])
            return conn.execute(query, {"name": name}).first() is not None
    finally:
        engine.dispose()


def client_setup(profile: Profile, scratch: Scratch) -> dict[str, str]:
    """The environment the profile's client reads the database from, after writing the
    files it reads (an option file holding the password, readable by the user only)."""
    facts = profile.verify
    folder = Path(scratch.values.get("folder", "."))
    for name, template in facts.get("client_files", {}).items():
        lines = [line for line in template.format(**scratch.values).splitlines()
                 if not line.endswith("=")]  # a setting left empty is not set
        path = folder / name
        path.touch(mode=0o600, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = dict(os.environ)
    for key, template in facts.get("client_env", {}).items():
        value = template.format(**scratch.values)
        if value:
            env[key] = value
    return env


def _package(cls: type) -> str:
    return ".".join(cls.__module__.split(".")[:3])


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
