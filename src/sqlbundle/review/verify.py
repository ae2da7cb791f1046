"""``verify``, the engine half: apply a bundle's upgrade, its rollback and the upgrade again to
a throwaway database (``review/scratch.py``), with the database's own client as a DBA would,
and read the schema back after each pass (``schema/reflected.py``).

The result is a value: one ``Pass`` per run, holding the reflected schema in the form the
replay holds it and the version table's rows. Comparing it with the replayed schema and
reporting the differences is the caller's (the CLI's) business.
"""

from __future__ import annotations

import importlib
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .. import progress
from ..assemble.bundle import Bundle
from ..errors import SqlbundleError
from ..profile import Profile
from ..schema.reflected import reflected_state
from ..schema.state import SchemaState
from .scratch import INSTALL, Scratch, client_setup, create_engine, scratch_database

UPGRADE, ROLLBACK = "upgrade.sql", "rollback/rollback.sql"
# The round trip: (pass name, the bundle file it applies).
PASSES = (("upgrade", UPGRADE), ("rollback", ROLLBACK), ("upgrade again", UPGRADE))
_SHOWN_LINES = 15  # of the client's output, in an error


@dataclass(frozen=True)
class Pass:
    name: str  # "upgrade", "rollback", "upgrade again"
    state: SchemaState  # the reflected schema after the pass, as the replay would hold it
    versions: tuple[str, ...]  # version-table rows after the pass, sorted


def verify_bundle(bundle: Bundle, profile: Profile, url: str | None, workdir: Path, *,
                  expected: SchemaState | tuple[SchemaState, ...] | None = None,
                  setup: str | None = None) -> tuple[Pass, ...]:
    """Apply ``bundle`` (upgrade, rollback, upgrade) to a throwaway database and reflect it
    after each pass. ``url``: a scratch server (a SQLAlchemy URL) where a database is created
    and dropped; None: a file in ``workdir`` for an embedded engine. ``expected`` (the
    replayed state, or one per pass) settles spellings the database cannot tell apart; see
    ``schema.reflected``. ``setup``: SQL applied first (a range that does not start at base
    needs the database at its start). A client's error stops it with a ``SqlbundleError``
    naming the pass, the file and the client's message; the database is dropped either way."""
    workdir = Path(workdir)
    folder = _write(bundle, workdir / "bundle")
    version_table = bundle.manifest.get("version_table", "alembic_version")
    version_schema = bundle.manifest.get("version_table_schema")
    wanted = expected if isinstance(expected, tuple) else (expected,) * len(PASSES)
    passes = []
    with scratch_database(profile, url, workdir) as scratch:
        if setup is not None:
            start = workdir / "setup.sql"
            start.write_text(setup, encoding="utf-8")
            apply_file(profile, scratch, start, "setup", start.name)
        for number, ((name, file), want) in enumerate(zip(PASSES, wanted)):
            progress.step(f"verify ({profile.target})", number, len(PASSES), name)
            try:
                apply_file(profile, scratch, folder / file, name, file)
            except SqlbundleError as exc:
                raise PassFailed(exc.message, tuple(passes), path=exc.path) from None
            state, versions = read_back(profile, scratch, version_table, version_schema,
                                        want)
            passes.append(Pass(name, state, versions))
    progress.clear()
    return tuple(passes)


class PassFailed(SqlbundleError):
    """The client stopped applying a pass; ``passes``: the ones done before it."""

    def __init__(self, message: str, passes: tuple[Pass, ...], **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.passes = passes


def _write(bundle: Bundle, folder: Path) -> Path:
    """The bundle's files on disk, where the client reads them."""
    for name, text in bundle.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


# ------------------------------------------------------------------------- applying


def apply_file(profile: Profile, scratch: Scratch, path: Path, pass_name: str,
               label: str) -> None:
    """Run ``path`` against the scratch database with the profile's client (``apply``), or,
    for an embedded engine without one on PATH, with its Python module."""
    facts = profile.verify
    program = shlex.split(profile.apply)[0]
    if facts.get("client", True) and shutil.which(program):
        _run_client(profile, scratch, path, pass_name, label, program)
    elif facts.get("embedded"):
        _run_embedded(facts["embedded"], scratch, path, pass_name, label)
    else:
        raise SqlbundleError(
            f"verify applies {profile.title} bundles with {program}, which is not on PATH",
            hint=f"install the {profile.title} client ({program}); the bundle's README "
                 f"applies it the same way: {profile.apply}")


def _run_client(profile: Profile, scratch: Scratch, path: Path, pass_name: str, label: str,
                program: str) -> None:
    # The profile's command line exactly as the bundle's README shows it to a DBA; the
    # database reaches it through the environment the profile names.
    command = profile.apply.format(file=shlex.quote(str(path)))
    done = subprocess.run(["/bin/sh", "-c", command], cwd=path.parent,
                          env=client_setup(profile, scratch), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, errors="replace")
    if done.returncode != 0:
        said = (done.stderr.strip() or done.stdout.strip()).splitlines()[-_SHOWN_LINES:]
        raise SqlbundleError(
            f"{pass_name}: {program} stopped applying {label} (exit {done.returncode}): "
            + ("\n".join(said) or "no message"), path=label)


def _run_embedded(module_name: str, scratch: Scratch, path: Path, pass_name: str,
                  label: str) -> None:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise SqlbundleError(f"verify needs the Python package {module_name!r}, which is not "
                             "installed", hint=INSTALL) from None
    con = module.connect(str(scratch.file))
    try:
        # The script's own BEGIN/COMMIT frame each step, as in the client.
        run = getattr(con, "executescript", None) or con.execute
        run(path.read_text(encoding="utf-8"))
    except module.Error as exc:
        raise SqlbundleError(f"{pass_name}: {module_name} stopped applying {label}: {exc}",
                             path=label) from None
    finally:
        con.close()


# ------------------------------------------------------------------------- reading back


def read_back(profile: Profile, scratch: Scratch, version_table: str,
              version_schema: str | None, expected: SchemaState | None
              ) -> tuple[SchemaState, tuple[str, ...]]:
    """The scratch database's schema (see ``schema.reflected``) and its version rows."""
    if profile.verify.get("catalog"):  # read through its own catalog (DuckDB)
        return _read_duckdb(profile, scratch, version_table, expected)
    engine = create_engine(scratch.url)
    try:
        with engine.connect() as conn:
            state = reflected_state(conn, profile, version_table, expected)
            versions: tuple[str, ...] = ()
            if sa.inspect(conn).has_table(version_table, schema=version_schema):
                table = sa.table(version_table, sa.column("version_num"),
                                 schema=version_schema)
                versions = tuple(sorted(row[0] for row in conn.execute(sa.select(table))))
    except sa.exc.OperationalError as exc:
        raise SqlbundleError(f"cannot read the scratch database back: {exc.orig}") from None
    finally:
        engine.dispose()
    return state, versions


def _read_duckdb(profile: Profile, scratch: Scratch, version_table: str,
                 expected: SchemaState | None) -> tuple[SchemaState, tuple[str, ...]]:
    """A DuckDB file, read through its own catalog (``schema.duckcatalog``)."""
    from ..schema.duckcatalog import catalog_state
    from ..schema.reflected import HELPER_SUFFIXES, as_replayed
    from ..render.context import sa_dialect

    try:
        import duckdb
    except ImportError:
        raise SqlbundleError("verify needs the Python package 'duckdb', which is not "
                             "installed", hint=INSTALL) from None
    con = duckdb.connect(str(scratch.file), read_only=True)
    try:
        skip = {version_table} | {version_table + suffix for suffix in HELPER_SUFFIXES}
        state = catalog_state(con, skip)
        found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                            [version_table]).fetchone()
        versions = tuple(sorted(row[0] for row in con.execute(
            f'SELECT version_num FROM "{version_table}"').fetchall())) if found[0] else ()
    finally:
        con.close()
    return as_replayed(state, profile, sa_dialect(profile), expected), versions


# ------------------------------------------------------------------------- the round trip


@dataclass(frozen=True)
class PassReport:
    name: str
    differences: tuple  # schemadiff.Difference values: the database against the replay
    versions: tuple[str, ...]
    expected_versions: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.differences and self.versions == self.expected_versions


@dataclass(frozen=True)
class VerifyReport:
    target: str
    range: str
    where: str  # "an embedded SQLite file" or the scratch server, password hidden
    passes: tuple[PassReport, ...]  # those that ran
    stopped: str | None = None  # why the next pass could not be applied

    @property
    def ok(self) -> bool:
        return self.stopped is None and all(p.ok for p in self.passes)


def verify(project: Any, range_text: str, target: Any, url: str | None, workdir: Path
           ) -> VerifyReport:
    """Build ``range_text``'s bundle for ``target``, apply it both ways and again, and compare
    each pass with the replayed schema and version rows. A range that does not start at base
    starts from the schema at its start (``sqlbundle schema --stamp``)."""
    from ..assemble.bundle import build_bundle
    from ..compile.steps import replayed_state
    from ..history.plan import upgrade_range_of
    from ..profile import parse_target
    from .schemadiff import schema_differences
    from .snapshot import snapshot_sql, take_snapshot
    from .scratch import shown_url

    profile = parse_target(target)
    range_ = upgrade_range_of(project.graph, range_text)
    assert range_.plan is not None
    start, end = range_.plan.start, range_.plan.end
    bundle = build_bundle(project, range_, profile)
    before = replayed_state(project, ",".join(start) or "base", profile)
    after = replayed_state(project, ",".join(end) or "base", profile)
    setup = snapshot_sql(project, take_snapshot(project, ",".join(start), profile),
                         stamp=True) if start else None
    wanted = (after, before, after)
    stopped = None
    try:
        passes = verify_bundle(bundle, profile, url, workdir, expected=wanted, setup=setup)
    except PassFailed as exc:
        passes, stopped = exc.passes, exc.message
    reports = tuple(
        PassReport(p.name, schema_differences(p.state, want, profile), p.versions, versions)
        for p, want, versions in zip(passes, wanted, (end, start, end)))
    where = shown_url(url) if url else f"an embedded {profile.title} file"
    return VerifyReport(profile.target, range_.text, where, reports, stopped)
