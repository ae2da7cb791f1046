"""Running migration code: module execution with ``op`` and ``alembic`` bound to sqlbundle.

While a migration module runs, ``sys.modules['alembic']`` (and ``alembic.op``,
``alembic.context``) are replaced by small stand-ins so that unchanged Alembic migrations work
whether or not Alembic is installed, and never reach a real Alembic runtime.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import sys
import types
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import ScriptError
from .active import _ENV, _RECORDER, active_recorder  # noqa: F401 - callers import them here

if TYPE_CHECKING:
    from ..cache.code import CodeStore

_SHIMMED = ("alembic", "alembic.op", "alembic.context", "alembic.config", "alembic.command",
            "alembic.util")
@contextlib.contextmanager
def recording(recorder: Any) -> Iterator[Any]:
    """Bind ``op`` (and ``alembic.op``) to ``recorder`` for the duration of the block."""
    token = _RECORDER.set(recorder)
    try:
        with alembic_shim():
            yield recorder
    finally:
        _RECORDER.reset(token)


class _Context(types.ModuleType):
    """Stand-in for ``alembic.context``: forwards to the environment of the target being
    compiled (``offline.EnvironmentContext``), offline, with no live connection."""

    def __init__(self) -> None:
        super().__init__("alembic.context")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        from .target import current

        recorder = _RECORDER.get()
        return getattr(current(getattr(recorder, "dialect", None)).api, name)


@functools.cache
def _alembic_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("alembic")
    except metadata.PackageNotFoundError:
        return "1.16.5"


@functools.cache
def _shim_modules() -> dict[str, types.ModuleType]:
    """The stand-in modules, built once (stateless: ``op`` forwards to the active recorder,
    ``context`` to the active target; each run of migration code enters them, so building
    them per run cost a fifth of a fresh clone's recording)."""
    import importlib

    op = importlib.import_module("sqlbundle.op")
    alembic = types.ModuleType("alembic")
    alembic.__path__ = []  # a package, so "import alembic.op" works
    alembic.__dict__["__sqlbundle_shim__"] = True
    # Libraries migrations import check it (Flask-Migrate): the installed Alembic's, read from
    # its metadata without importing it, else the release whose API the stand-ins follow.
    alembic.__version__ = _alembic_version()  # type: ignore[attr-defined]
    context = _Context()
    alembic.op = op  # type: ignore[attr-defined]
    alembic.context = context  # type: ignore[attr-defined]
    modules = {"alembic": alembic, "alembic.op": op, "alembic.context": context}
    # Libraries that drive Alembic (Flask-Migrate) import these at their top level; using
    # them inside a migration is an error naming the line.
    for name in ("config", "command", "util"):
        module = types.ModuleType(f"alembic.{name}")
        module.__getattr__ = _unavailable(f"alembic.{name}")  # type: ignore[attr-defined]
        setattr(alembic, name, module)
        modules[f"alembic.{name}"] = module
    modules["alembic.util"].CommandError = type(  # type: ignore[attr-defined]
        "CommandError", (Exception,), {"__module__": "alembic.util"})
    return modules


def _unavailable(module: str) -> Any:
    """A module ``__getattr__``: any name imports (as a class, so that libraries can also
    subclass it), and using it is the error."""
    from .active import code_error

    def missing(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)

        def refuse(self: Any, *args: Any, **kwargs: Any) -> None:
            raise code_error(f"{module}.{name} is not available while sqlbundle runs "
                             "migrations (Alembic's own commands and configuration)")
        return type(name, (), {"__init__": refuse, "__module__": module})
    return missing


@contextlib.contextmanager
def alembic_shim() -> Iterator[None]:
    """Temporarily make ``import alembic`` resolve to sqlbundle's stand-ins."""
    shim = _shim_modules()
    if sys.modules.get("alembic") is shim["alembic"]:  # already in place (nested use)
        yield
        return
    from .opargs import tables_redefinable

    saved = {name: sys.modules.get(name) for name in _SHIMMED}
    sys.modules.update(shim)
    try:
        with tables_redefinable():  # each run of migration code as in a fresh process
            yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def _read(path: str, shown: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ScriptError(f"cannot read migration file: {exc.strerror}", path=shown) from None


def _compile(source: str, path: str, shown: str) -> types.CodeType:
    try:
        # dont_inherit: only the file's own __future__ imports apply, not this module's
        # (``annotations`` would turn ``Mapped[int]`` into a string SQLAlchemy cannot resolve).
        return compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise ScriptError(f"syntax error: {exc.msg}", path=shown, line=exc.lineno) from None


def migration_code(path: str, shown: str, digest: str | None = None,
                   code_store: CodeStore | None = None) -> types.CodeType:
    """Bytecode for a migration file, kept in ``code_store`` (keyed by the path and the
    content's sha256, as the script index already knows it) when there is one, so a hit reads
    neither the source nor the parser. Not kept in memory: each file runs once per replay."""
    if digest is not None and code_store is not None:
        found = code_store.get(path, digest)
        if found is not None:
            return found
    data = _read(path, shown)
    try:
        # As text-mode reading would: universal newlines.
        source = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise ScriptError(f"not UTF-8 text: {exc.reason}", path=shown) from None
    code = _compile(source, path, shown)
    if code_store is not None:
        # Keyed by what was read, in case the file changed since it was indexed.
        code_store.put(path, hashlib.sha256(data).hexdigest(), code)
    return code


def execute_module(source: str, path: str, name: str, shown: str | None = None) -> types.ModuleType:
    """Execute a migration file's top level (given as text) with the alembic stand-ins in
    place. ``shown`` is the path used in messages (relative to the project), ``path`` the real
    one."""
    shown = shown or path
    return _run_code(_compile(source, path, shown), path, name, shown)


def load_migration(path: str, name: str, shown: str, digest: str | None = None,
                   code_store: CodeStore | None = None) -> types.ModuleType:
    """Execute a migration file's top level; its functions can then be called repeatedly."""
    return _run_code(migration_code(path, shown, digest, code_store), path, name, shown)


def _run_code(code: types.CodeType, path: str, name: str, shown: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = path
    with alembic_shim():
        try:
            exec(code, module.__dict__)
        except ScriptError:
            raise
        except Exception as exc:  # the user's code failed; report where
            raise _code_failed(f"running the module failed: {type(exc).__name__}: {exc}",
                               exc, shown, path) from None
    return module


def _code_failed(message: str, exc: Exception, shown: str, path: str) -> ScriptError:
    """The user's code raised ``exc``: an error at its line, remembering what was raised
    (``cause``: the environment imports the other modules first when that may help)."""
    error = ScriptError(message, path=shown, line=_user_line(exc, path))
    error.cause = type(exc)  # type: ignore[attr-defined]
    return error


def _user_line(exc: BaseException, path: str) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == path:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def call_migration(module: types.ModuleType, direction: str, recorder: Any, shown: str) -> Any:
    """Call a loaded migration's ``upgrade()`` or ``downgrade()`` with ``op`` recording into
    ``recorder``. Returns the recorder."""
    path = module.__file__ or shown
    function = getattr(module, direction, None)
    if not callable(function):
        raise ScriptError(f"migration has no {direction}() function", path=shown)
    with recording(recorder):
        try:
            function()
        except ScriptError:
            raise
        except Exception as exc:
            raise _code_failed(f"{direction}() failed: {type(exc).__name__}: {exc}", exc,
                               shown, path) from None
    return recorder


def run_migration(path: str, direction: str, recorder: Any, *, name: str | None = None,
                  shown: str | None = None, digest: str | None = None) -> Any:
    """Execute a Python migration file and call its ``upgrade()`` or ``downgrade()`` with
    ``op`` recording into ``recorder``. Returns the recorder."""
    shown = shown or path
    with recording(recorder):
        module = load_migration(path, name or "sqlbundle_migration", shown, digest)
        return call_migration(module, direction, recorder, shown)
