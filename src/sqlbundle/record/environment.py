"""The environment migration code runs in, for one target: Alembic's, offline.

Alembic runs one database per process: ``env.py`` configures a context, then every revision
module of the history is imported, then the plan's ``upgrade()``s run, all seeing that
database's dialect. sqlbundle compiles each target separately, so each target gets an
``Environment``:

* ``alembic.context`` / ``op.get_bind()`` / ``op.get_context()`` answer for the target (its
  dialect, with the stated server version), ``context.config`` reads ``alembic.ini``;
* ``sys.path`` starts with the ini's ``prepend_sys_path``, and the project's own modules that
  migration code imports are kept per target (a helper that picks types by dialect at import
  time is imported afresh for the next target) and kept out of the process afterwards;
* a revision module runs once per target; modules are executed only when recorded (the fast
  path), but when one fails on something not there yet (an import, a name, a registered key),
  every revision module is imported first, as Alembic does, and it is tried again;
* a module that reads the range or the history (``revision_arguments``, heads) is
  "tainted": its operations depend on more than its file, so the record cache does not keep
  them and the state cache keys states built with them by those values.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
import re
import sys
import types
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import Any

from ..errors import ScriptError, SqlbundleError

# Errors that another module's import can cure (Alembic imports them all before running any).
RETRYABLE = (ImportError, NameError, AttributeError, LookupError)
# The dialect name third-party SQLAlchemy dialects report for targets that sqlbundle compiles
# with another SQLAlchemy dialect (duckdb_engine, snowflake-sqlalchemy).
CODE_DIALECT_NAME = {"duckdb": "duckdb", "snowflake": "snowflake"}
# Where a target is named by product release, the version number a live server reports.
SERVER_VERSION = {"mssql": {"2012": (11,), "2014": (12,), "2016": (13,), "2017": (14,),
                            "2019": (15,), "2022": (16,)}}


def module_name(path: str) -> str:
    """The ``__name__`` Alembic gives a revision module (from its file name)."""
    return re.sub(r"\W", "_", os.path.basename(path))


class Environment:
    """Everything migration code sees for one target; see the module docstring."""

    def __init__(self, dialect: Any, profile: Any = None, project: Any = None,
                 range_text: str | None = None, plan: Any = None) -> None:
        self.dialect = dialect
        self.profile = profile
        self.project = project
        self.range_text = range_text
        self.plan = plan
        self.tainted: set[str] = set()
        self._modules: dict[str, types.ModuleType] = {}
        self._imported_all = False
        self._running: str | None = None
        self._calling: tuple[str | None, str | None] = (None, None)  # (revision, direction)
        self._own: dict[str, types.ModuleType] = {}  # project modules imported for this target

    # ---------------------------------------------------------------- what migrations see

    @cached_property
    def context(self) -> Any:
        from .offline import MigrationContext

        return MigrationContext(self)

    @cached_property
    def api(self) -> Any:
        """What ``alembic.context`` forwards to."""
        from .offline import EnvironmentContext

        return EnvironmentContext(self)

    @cached_property
    def _ini(self) -> Any:
        from .offline_config import ini_file

        return ini_file(self.project.config.sources) if self.project is not None else None

    @cached_property
    def _ini_url(self) -> str | None:
        from .offline_config import read_ini

        if self._ini is None:
            return None
        return read_ini(self._ini).get("alembic", "sqlalchemy.url", fallback=None)

    @cached_property
    def code_dialect(self) -> Any:
        """The dialect migration code sees: the target's, named as the target's own SQLAlchemy
        dialect would be (MariaDB is ``mysql`` unless the ini's URL says ``mariadb://``)."""
        if self.dialect is None:
            raise _no_target("the target's dialect")
        from .offline_config import url_backend

        name, version = self.dialect.name, self.dialect.server_version_info
        if self.profile is not None:
            name = CODE_DIALECT_NAME.get(self.profile.name, name)
            if self.profile.name == "mariadb" and url_backend(self._ini_url) == "mariadb":
                name = "mariadb"
            releases = SERVER_VERSION.get(self.profile.name, {})
            version = releases.get(self.profile.version.split(".")[0], version)
        if (name, version) == (self.dialect.name, self.dialect.server_version_info):
            return self.dialect
        seen = copy.copy(self.dialect)  # the renderer's own dialect stays as it is
        seen.name, seen.server_version_info = name, version
        return seen

    @cached_property
    def config(self) -> Any:
        from .offline_config import OfflineConfig, url_backend

        url = self._ini_url
        if self.dialect is not None and url_backend(url) != self.code_dialect.name:
            url = f"{self.code_dialect.name}://"
        locations = [str(p) for p in self.project.config.version_locations] \
            if self.project is not None else []
        return OfflineConfig(self._ini, url or "", locations)

    @property
    def transactional_ddl(self) -> bool:
        if self.profile is None:
            raise _no_target("the target's transactional DDL")
        return bool(self.profile.transactional_ddl)

    @cached_property
    def opts(self) -> Any:
        from .offline import Opts

        config = self.project.config if self.project is not None else None
        return Opts(
            self, starting_rev=None, destination_rev=None,  # per call: see Opts
            as_sql=True, literal_binds=True, transaction_per_migration=False,
            transactional_ddl=self.transactional_ddl if self.profile is not None else None,
            version_table=config.version_table if config else "alembic_version",
            version_table_schema=config.version_table_schema if config else None,
            tag=None, output_encoding="utf-8")

    def heads(self) -> tuple[str, ...]:
        self.taint()
        return tuple(self._graph().heads)

    def arguments(self) -> Any:
        """The revision arguments of the call running now (``revision_arguments``)."""
        self.taint()
        return self._range.for_call(*self._calling)

    @cached_property
    def _range(self) -> Any:
        from .revision_arguments import RangeArguments

        return RangeArguments(self._graph(), self.range_text, self.plan)

    def _graph(self) -> Any:
        if self.project is None:
            raise _no_target("the revision history")
        return self.project.graph

    # ---------------------------------------------------------------- cache bookkeeping

    def taint(self) -> None:
        """The running module's operations depend on the range or the history."""
        if self._running is not None:
            self.tainted.add(self._running)

    def volatile_key(self) -> str:
        """The range- and history-dependent values tainted modules may have read."""
        text = repr((tuple(self._graph().heads), self._range.key))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    # ---------------------------------------------------------------- running code

    @contextlib.contextmanager
    def running(self, path: str) -> Iterator[None]:
        """Run code of the migration at ``path`` in this environment."""
        from .runtime import _ENV, alembic_shim

        previous, self._running = self._running, path
        if _ENV.get() is self:
            try:
                yield
            finally:
                self._running = previous
            return
        token = _ENV.set(self)
        saved_path = sys.path
        sys.path = self._sys_path
        shadowed = {n: sys.modules[n] for n in self._own if n in sys.modules}
        sys.modules.update(self._own)
        count = len(sys.modules)
        try:
            with alembic_shim():
                yield
        finally:
            sys.path = saved_path
            if len(sys.modules) > count:
                self._keep_own(list(sys.modules)[count:])
            for name in self._own:
                sys.modules.pop(name, None)
            sys.modules.update(shadowed)
            _ENV.reset(token)
            self._running = previous

    @cached_property
    def _prepend(self) -> list[str]:
        """The ini's ``prepend_sys_path``, relative to its folder (where Alembic is run)."""
        from .offline_config import split_paths

        if self._ini is None:
            return []
        base = str(self._ini.parent)
        return [os.path.normpath(os.path.join(base, p))
                for p in split_paths(self.config.file_config, "prepend_sys_path")]

    @cached_property
    def _sys_path(self) -> list[str]:
        """``sys.path`` while migration code runs, kept between runs of this target."""
        return self._prepend + list(sys.path)

    @cached_property
    def _project_folders(self) -> tuple[str, ...]:
        if self.project is None:
            return ()
        config = self.project.config
        folders = {str(config.root), str(config.script_location),
                   *(str(p) for p in config.version_locations)}
        folders.update(self._prepend)
        return tuple(sorted(os.path.realpath(f) + os.sep for f in folders))

    def _keep_own(self, names: list[str]) -> None:
        """Project modules imported by migration code belong to this target (installed
        packages, even in a virtualenv inside the project, are shared)."""
        installed = tuple(os.path.realpath(p) + os.sep for p in
                          {sys.prefix, sys.base_prefix, sys.exec_prefix})
        for name in names:
            module = sys.modules.get(name)
            path = getattr(module, "__file__", None)
            if module is None or not path:
                continue
            real = os.path.realpath(path)
            if real.startswith(self._project_folders) and not real.startswith(installed) and \
                    f"{os.sep}site-packages{os.sep}" not in real:
                self._own[name] = module

    # ---------------------------------------------------------------- modules

    def load(self, path: str, shown: str, digest: str | None = None) -> types.ModuleType:
        """The revision module at ``path``, executed once for this target."""
        module = self._modules.get(path)
        if module is not None:
            return module
        try:
            return self._execute(path, shown, digest)
        except ScriptError as exc:
            if not self._import_all_for(exc):
                raise
        return self._modules.get(path) or self._execute(path, shown, digest)

    def call(self, module: types.ModuleType, direction: str, make_recorder: Callable[[], Any],
             shown: str, rev: str | None = None) -> Any:
        """Call ``upgrade()``/``downgrade()`` of revision ``rev`` recording into a new
        recorder; returns it."""
        from . import runtime

        path = module.__file__ or shown
        previous, self._calling = self._calling, (rev, direction)
        try:
            try:
                with self.running(path):
                    return runtime.call_migration(module, direction, make_recorder(), shown)
            except ScriptError as exc:
                if not self._import_all_for(exc):
                    raise
            with self.running(path):
                return runtime.call_migration(module, direction, make_recorder(), shown)
        finally:
            self._calling = previous

    def _execute(self, path: str, shown: str, digest: str | None) -> types.ModuleType:
        """Execute a revision module's top level; ``op`` at module level can inspect the
        target (``op.get_bind().dialect``) but not record: Alembic would emit that SQL while
        importing the history, outside any revision's step."""
        from . import runtime
        from .recorder import Recorder

        source = self.project.config.source_dialect if self.project is not None else None
        recorder = Recorder(path, self.dialect, shown=shown, source_dialect=source)
        with self.running(path), runtime.recording(recorder):
            module = runtime.load_migration(path, module_name(path), shown, digest)
        if recorder.operations:
            op = recorder.operations[0]
            raise ScriptError(f"op.{op.kind} runs at module level, when the history is "
                              "imported, outside any revision's step", path=shown,
                              line=getattr(op, "line", None), hint="move it into upgrade()")
        self._modules[path] = module
        return module

    def _import_all_for(self, exc: ScriptError) -> bool:
        """Import every revision module, as Alembic does before running any, when ``exc``
        is a failure that may need another module; False when that cannot help."""
        cause = getattr(exc, "cause", None)
        if self._imported_all or self.project is None or cause is None or \
                not issubclass(cause, RETRYABLE):
            return False
        self._imported_all = True
        config = self.project.config
        pending = [s for s in self.project.scripts if s.kind == "python" and s.path]
        # Alembic's order: version locations in turn, files sorted by path in each.
        folders = [os.path.join(str(p), "") for p in config.version_locations]
        paths = {s.revision: os.path.normpath(os.path.join(config.root, s.path))
                 for s in pending}
        pending.sort(key=lambda s: (next((i for i, f in enumerate(folders)
                                          if paths[s.revision].startswith(f)), len(folders)),
                                    paths[s.revision]))
        while pending:  # a module failing for want of a later one is tried again after it
            failed = []
            for script in pending:
                if paths[script.revision] in self._modules:
                    continue
                try:
                    self._execute(paths[script.revision], script.path, script.sha256 or None)
                except SqlbundleError:
                    failed.append(script)
            if len(failed) == len(pending):
                break
            pending = failed
        return True


def _no_target(what: str) -> ScriptError:
    from .offline import code_error

    return code_error(f"{what} is not known here: this code runs outside a build for a target "
                      "(e.g. a module top level run to read non-literal revision metadata)",
                      hint="keep revision, down_revision, branch_labels and depends_on literal")


def current(dialect: Any = None) -> Environment:
    """The environment of the code running now, or a bare one for ``dialect``."""
    from .runtime import _ENV

    env = _ENV.get()
    return env if env is not None else Environment(dialect)
