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

import collections.abc
import contextlib
import os
import sys
import types
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import Any

from ..errors import ScriptError, SqlbundleError
from .active import _ENV
from .target import (  # noqa: F401 - callers import current and module_name here


    RETRYABLE,
    TargetEnvironment,
    current,
    module_name,
)


class _Watched(collections.abc.MutableMapping):  # type: ignore[type-arg]
    """``os.environ`` while migration code runs: what it reads is noted (and taints the running
    module), since what a migration records may depend on it (airflow reads its settings from
    the environment) and cached recordings must not outlive a change."""

    def __init__(self, real: Any, env: Any) -> None:
        self._real, self._env = real, env

    def _read(self, key: str) -> None:
        self._env.read_variable(key)

    def __getitem__(self, key: str) -> str:
        self._read(key)
        return self._real[key]

    def get(self, key: str, default: Any = None) -> Any:
        self._read(key)
        return self._real.get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self._read(key)
        return key in self._real

    def __setitem__(self, key: str, value: str) -> None:
        self._real[key] = value

    def __delitem__(self, key: str) -> None:
        del self._real[key]

    def __iter__(self) -> Iterator[str]:
        self._env.read_variable(None)  # every variable: the whole environment matters
        return iter(self._real)

    def __len__(self) -> int:
        return len(self._real)

    def copy(self) -> dict[str, str]:
        self._env.read_variable(None)
        return dict(self._real)

    def __getattr__(self, name: str) -> Any:  # encodekey, putenv helpers of os._Environ
        return getattr(self._real, name)


class Environment(TargetEnvironment):
    """Everything migration code sees for one target, and the running of that code; see the
    module docstring."""

    # ---------------------------------------------------------------- running code

    @contextlib.contextmanager
    def running(self, path: str) -> Iterator[None]:
        """Run code of the migration at ``path`` in this environment."""
        from .runtime import alembic_shim

        previous, self._running = self._running, path
        if _ENV.get() is self:
            try:
                yield
            finally:
                self._running = previous
            return
        token = _ENV.set(self)
        saved_path, saved_environ = sys.path, os.environ
        sys.path = self._sys_path
        os.environ = _Watched(saved_environ, self)  # type: ignore[assignment]
        shadowed = {n: sys.modules[n] for n in self._own if n in sys.modules}
        sys.modules.update(self._own)
        count = len(sys.modules)
        try:
            with alembic_shim():
                yield
        finally:
            sys.path, os.environ = saved_path, saved_environ  # type: ignore[assignment]
            if len(sys.modules) > count:
                self._keep_own(list(sys.modules)[count:])
            for name in self._own:
                sys.modules.pop(name, None)
            sys.modules.update(shadowed)
            _ENV.reset(token)
            self._running = previous

    @cached_property
    def _prepend(self) -> list[str]:
        """``prepend_sys_path`` of ``[tool.alembic]``, then the ini's, relative to its folder
        (where Alembic is run)."""
        from .offline_config import split_paths

        found = [str(p) for p in self.project.config.prepend_sys_path] \
            if self.project is not None else []
        if self._ini is None:
            return found
        base = str(self._ini.parent)
        return found + [os.path.normpath(os.path.join(base, p)) for p in split_paths(
            self.config.file_config, "prepend_sys_path", self.config.config_ini_section)]

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
            try:
                path = getattr(module, "__file__", None)
            except Exception:  # a lazy module's __getattr__ may raise anything (langflow)
                path = None
            if module is None or not isinstance(path, str) or not path:
                continue
            real = os.path.realpath(path)
            if real.startswith(self._project_folders) and not real.startswith(installed) and \
                    f"{os.sep}site-packages{os.sep}" not in real:
                self._own[name] = module

    # ---------------------------------------------------------------- modules

    @cached_property
    def _code_store(self) -> Any:
        """Where migration bytecode is kept (the project's caches), or None."""
        return self.project.caches.code_store() if self.project is not None else None

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
            module = runtime.load_migration(path, module_name(path), shown, digest,
                                            self._code_store)
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
