"""What migration code sees of its target: dialect, profile, configuration, revision arguments,
the offline ``MigrationContext``/``EnvironmentContext`` (see ``environment`` for the whole story).
``current()`` is the environment of the code running now."""

from __future__ import annotations

import copy
import hashlib
import os
import re
import types

from functools import cached_property
from typing import Any

from ..errors import ScriptError
from .active import _ENV, code_error


# Errors that another module's import can cure (Alembic imports them all before running any).
RETRYABLE = (ImportError, NameError, AttributeError, LookupError)


def module_name(path: str) -> str:
    """The ``__name__`` Alembic gives a revision module (from its file name)."""
    return re.sub(r"\W", "_", os.path.basename(path))


class TargetEnvironment:
    """Everything migration code sees for one target (``environment.Environment`` adds the
    running of that code)."""

    def __init__(self, dialect: Any, profile: Any = None, project: Any = None,
                 range: Any = None) -> None:
        self.dialect = dialect
        self.profile = profile
        self.project = project
        # A ``history.plan.Range``, or a function making one (called when migration code first
        # asks for it: naming a range costs a walk of the history).
        self.range = range
        self.tainted: set[str] = set()
        # Environment variables migration code read (None: it read them all).
        self.variables: set[str | None] = set()
        # (revision, direction) -> the schema that revision's code runs on, for inspection;
        # set by the replay (None: inspecting needs a live database).
        self.schema_source: Any = None
        # What each (revision, direction) recorded, as soon as it has: a downgrade that
        # inspects runs on the schema its upgrade leaves.
        self.recorded: dict[tuple[str, str], Any] = {}
        self._schema_seen: tuple[Any, int, Any] = (None, 0, None)  # see schema_now
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
        section = self.project.config.ini_section if self.project is not None else "alembic"
        return read_ini(self._ini, section).get(section, "sqlalchemy.url", fallback=None)

    @cached_property
    def code_dialect(self) -> Any:
        """The dialect migration code sees: the target's, named as the target's own SQLAlchemy
        dialect would be (MariaDB is ``mysql`` unless the ini's URL says ``mariadb://``)."""
        if self.dialect is None:
            raise _no_target("the target's dialect")
        from .offline_config import url_backend

        name, version = self.dialect.name, self.dialect.server_version_info
        if self.profile is not None:
            # Third-party SQLAlchemy dialects (duckdb_engine, snowflake-sqlalchemy) name the
            # target their own way, though sqlbundle compiles with another dialect.
            name = self.profile.code_dialect_name or name
            if self.profile.name == "mariadb" and url_backend(self._ini_url) == "mariadb":
                name = "mariadb"
            # Where a target is named by product release, the version a live server reports.
            releases = self.profile.server_versions
            version = releases.get(self.profile.version.split(".")[0], version)
        from .inspector import OfflineInspector

        seen = copy.copy(self.dialect)  # the renderer's own dialect stays as it is
        seen.name, seen.server_version_info = name, version
        # Inspector.from_engine(bind) builds the dialect's own inspector class: this one.
        seen.inspector = OfflineInspector
        return seen

    @cached_property
    def config(self) -> Any:
        from .offline_config import OfflineConfig, url_backend

        url = self._ini_url
        if self.dialect is not None and url_backend(url) != self.code_dialect.name:
            url = f"{self.code_dialect.name}://"
        locations = [str(p) for p in self.project.config.version_locations] \
            if self.project is not None else []
        section = self.project.config.ini_section if self.project is not None else "alembic"
        return OfflineConfig(self._ini, url or "", locations, section)

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

        if self.range is None:
            raise _no_target("the revision history")
        return RangeArguments(self.range() if callable(self.range) else self.range)

    def _graph(self) -> Any:
        if self.project is None:
            raise _no_target("the revision history")
        return self.project.graph

    # ---------------------------------------------------------------- cache bookkeeping

    def schema_now(self) -> Any:
        """The replayed schema at this point of the running revision: the schema before it
        and what its code recorded so far. Reading it makes the revision depend on the ones
        before it (taint)."""
        from .active import active_recorder

        revision, direction = self._calling
        if self.schema_source is None or revision is None:
            raise code_error("inspecting the database needs a live database here",
                             hint="inspect only inside upgrade()/downgrade()")
        recorder = active_recorder("sqlalchemy.inspect(bind)")
        self.taint()
        # Inspecting code asks many times in one call (every column of every table): fold
        # only what the recorder added since the last answer.
        seen, done, state = self._schema_seen
        if seen is not recorder:
            done, state = 0, self.schema_source(revision, direction)
        for op in recorder.operations[done:]:
            state = op.apply(state)
        self._schema_seen = (recorder, len(recorder.operations), state)
        return state

    def taint(self) -> None:
        """The running module's operations depend on the range or the history."""
        if self._running is not None:
            self.tainted.add(self._running)

    def read_variable(self, name: str | None) -> None:
        """Migration code read environment variable ``name`` (None: all of them)."""
        self.variables.add(name)
        self.taint()

    def volatile_key(self, variables: Any = None) -> str:
        """The range-, history- and environment-dependent values tainted modules may have
        read; ``variables``: the environment variables to include (default: those read)."""
        names = self.variables if variables is None else variables
        values = sorted((n, os.environ.get(n)) for n in names if n is not None) \
            if None not in names else sorted(os.environ.items())
        text = repr((tuple(self._graph().heads), self._range.key, values))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

def _no_target(what: str) -> ScriptError:
    return code_error(f"{what} is not known here: this code runs outside a build for a target "
                      "(e.g. a module top level run to read non-literal revision metadata)",
                      hint="keep revision, down_revision, branch_labels and depends_on literal")


def current(dialect: Any = None) -> TargetEnvironment:
    """The environment of the code running now, or a bare one for ``dialect``."""
    env = _ENV.get()
    return env if env is not None else TargetEnvironment(dialect)
