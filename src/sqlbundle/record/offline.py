"""What migration code reaches besides ``op``: Alembic's offline objects, for one target.

``op.get_bind()``, ``op.get_context()`` (``context.get_context()``), its ``impl`` and the
``alembic.context`` module's own functions behave as in ``alembic upgrade --sql``: the dialect
is the target being compiled (with its stated server version), executing DDL or DML records it,
and anything that needs a live database (reading results, the version table, env.py's own
calls) is an error naming the migration's file and line. One ``MigrationContext`` (with one
bind and one impl) serves a whole target, as in Alembic; each call forwards to the recording in
progress, so an object kept at module level records into the migration that uses it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from .inspector import register as register_inspector
from .active import code_error

OFFLINE_HINT = (
    "offline SQL cannot depend on query results; compute the values when writing the "
    "migration, or move the data logic into SQL (op.execute with UPDATE ... SELECT)"
)
ENV_PY_HINT = "it belongs in env.py, which sqlbundle never runs; nothing in a migration needs it"


def _recorder(what: str) -> Any:
    from .active import active_recorder

    return active_recorder(what)




class OfflineResult:
    """What ``bind.execute()`` returns offline: reading it is an error."""

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise code_error("reading query results is not possible", hint=OFFLINE_HINT)

    fetchall = fetchone = fetchmany = scalar = scalar_one = scalars = first = one = all = _fail
    mappings = scalar_one_or_none = one_or_none = _fail

    def __iter__(self) -> Iterator[Any]:
        return self._fail()

    @property
    def rowcount(self) -> int:
        # Read to loop a batched UPDATE until it changes nothing: offline the loop would write
        # the statement once and leave the other batches undone, so it is an error (Alembic's
        # None makes such loops write one batch, silently).
        raise code_error(
            "result.rowcount is not known offline: a statement repeated until it changes no "
            "rows would be written once, leaving the rest of the rows unchanged",
            hint="write the backfill as one statement without LIMIT (op.execute), or run it "
                 "outside the migration")

    def close(self) -> None:
        """Nothing to release offline."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise code_error(f"result.{name} is not known offline", hint=OFFLINE_HINT)


class OfflineBind:
    """``op.get_bind()`` / ``context.get_bind()``: Alembic's offline mock connection.
    Executing DDL/DML records it; anything that reads fails."""

    def __init__(self, env: Any) -> None:
        self._env = env

    @property
    def dialect(self) -> Any:
        return self._env.code_dialect

    @property
    def name(self) -> str:
        return self.dialect.name

    @property
    def engine(self) -> OfflineBind:
        return self

    def connect(self, **kwargs: Any) -> OfflineBind:
        return self

    def execution_options(self, **kwargs: Any) -> OfflineBind:
        return self

    def schema_for_object(self, obj: Any) -> str | None:
        return obj.schema

    def close(self) -> None:
        """Nothing to release offline (an ORM session closes its connection on errors)."""

    @staticmethod
    def _refuse_reads(recorder: Any, statement: Any, args: tuple[Any, ...],
                      kwargs: dict[str, Any]) -> None:
        if args or kwargs.get("parameters"):
            raise recorder.error("bind parameters cannot be executed offline",
                                 hint="inline the values, e.g. with op.inline_literal()")
        if isinstance(statement, sa.sql.Select) or (
                isinstance(statement, str) and statement.lstrip().upper().startswith("SELECT")):
            raise recorder.error("a SELECT cannot run offline", hint=OFFLINE_HINT)

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> OfflineResult:
        recorder = _recorder("get_bind().execute()")
        self._refuse_reads(recorder, statement, args, kwargs)
        recorder.execute(statement)
        return OfflineResult()

    def exec_driver_sql(self, statement: Any, *args: Any, **kwargs: Any) -> OfflineResult:
        if not isinstance(statement, str):
            return self.execute(statement, *args, **kwargs)
        from ..schema.operations import Execute

        recorder = _recorder("get_bind().exec_driver_sql()")
        self._refuse_reads(recorder, statement, args, kwargs)
        # Straight to the driver, never through text(): a backslash stays as written.
        recorder.record(Execute(statement, source_dialect=recorder.source_dialect,
                                written_for=recorder.written_for))
        return OfflineResult()

    def _run_ddl_visitor(self, visitor: Any, element: Any, **kwargs: Any) -> None:
        from ..schema.operations import CreateEnum, DropEnum

        recorder = _recorder("get_bind() DDL")
        checkfirst = bool(kwargs.get("checkfirst", False))
        creating = "Generator" in visitor.__name__
        if isinstance(element, sa.Enum):
            if creating:
                recorder.record(CreateEnum(element.name, tuple(element.enums), element.schema,
                                           checkfirst))
            else:
                recorder.record(DropEnum(element.name, element.schema, checkfirst))
            return
        if isinstance(element, (sa.MetaData, sa.Table)):
            _create_or_drop_all(recorder, element, creating, kwargs.get("tables"))
            return
        raise recorder.error(
            f"{type(element).__name__}.{'create' if creating else 'drop'}(bind) is not supported "
            "offline", hint="use op.create_table / op.drop_table")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in _TRANSACTION_API:
            raise code_error(f"get_bind().{name}(): an ORM Session or a transaction of its own "
                             "on the migration's connection needs a live database (it reads "
                             "rows)", hint=OFFLINE_HINT)
        raise code_error(f"get_bind().{name} needs a live database", hint=OFFLINE_HINT)


# What an ORM Session (or code managing its own transaction) asks of a connection first.
_TRANSACTION_API = frozenset({"in_transaction", "in_nested_transaction", "begin",
                              "begin_nested", "get_transaction", "get_nested_transaction",
                              "commit", "rollback"})


register_inspector(OfflineBind)  # sqlalchemy.inspect(bind): the replayed schema answers


class OfflineImpl:
    """``op.get_context().impl``: the facts of Alembic's per-dialect implementation that do not
    need a database; its DDL methods are Alembic's machinery behind ``op``."""

    as_sql = True
    literal_binds = True
    command_terminator = ";"

    def __init__(self, env: Any, bind: OfflineBind) -> None:
        self._env = env
        self.bind = self.connection = bind

    @property
    def dialect(self) -> Any:
        return self._env.code_dialect

    @property
    def __dialect__(self) -> str:
        return self.dialect.name

    @property
    def transactional_ddl(self) -> bool:
        return self._env.transactional_ddl

    def execute(self, sql: Any, execution_options: Any = None) -> None:
        _recorder("get_context().impl.execute()").execute(sql, execution_options=execution_options)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name == "static_output":
            raise code_error("get_context().impl.static_output() writes text outside any "
                             "statement, which sqlbundle does not keep", hint="use op.execute()")
        raise code_error(f"get_context().impl.{name} is Alembic's internal machinery and is not "
                         "available offline", hint=f"use op.{name}() if it is an operation")


class Opts(dict):  # type: ignore[type-arg]
    """``MigrationContext.opts``: what ``context.configure()`` and ``alembic upgrade --sql``
    would have put there offline (``starting_rev``/``destination_rev`` are the range's sides,
    as written: reading them taints the running module, see ``environment``)."""

    VOLATILE = ("starting_rev", "destination_rev")

    def __init__(self, env: Any, **values: Any) -> None:
        super().__init__(**values)
        self._env = env

    def __getitem__(self, key: str) -> Any:
        if key in self.VOLATILE:
            return getattr(self._env.arguments(), key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default

    def __missing__(self, key: str) -> Any:
        raise code_error(f"get_context().opts[{key!r}] is not known offline: sqlbundle never "
                         "runs env.py's context.configure()",
                         hint="known options: " + ", ".join(sorted(self)))


class MigrationContext:
    """``context.get_context()`` / ``op.get_context()`` offline (``as_sql`` is true)."""

    as_sql = True
    purge = False

    def __init__(self, env: Any) -> None:
        self._env = env
        self.bind = self.connection = OfflineBind(env)
        self.impl = OfflineImpl(env, self.bind)

    @property
    def dialect(self) -> Any:
        return self._env.code_dialect

    @property
    def opts(self) -> Opts:
        return self._env.opts

    @property
    def config(self) -> Any:
        return self._env.config

    @property
    def environment_context(self) -> Any:
        return self._env.api

    @property
    def transactional_ddl(self) -> bool:
        return self._env.transactional_ddl

    @property
    def version_table(self) -> str:
        return self.opts["version_table"]

    @property
    def version_table_schema(self) -> str | None:
        return self.opts["version_table_schema"]

    @contextlib.contextmanager
    def autocommit_block(self) -> Iterator[None]:
        with _recorder("get_context().autocommit_block()").autocommit():
            yield

    def execute(self, sql: Any, execution_options: Any = None) -> None:
        _recorder("get_context().execute()").execute(sql, execution_options=execution_options)

    def get_current_heads(self) -> tuple[str, ...]:
        """As Alembic offline: the revisions the range starts from (not a database's)."""
        return self._env.arguments().current_heads

    def get_current_revision(self) -> str | None:
        heads = self.get_current_heads()
        if len(heads) > 1:
            raise code_error("get_current_revision(): the range starts from several heads",
                             hint="use get_current_heads()")
        return heads[0] if heads else None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in ("begin_transaction", "run_migrations", "configure", "stamp"):
            raise code_error(f"get_context().{name}() is not available offline", hint=ENV_PY_HINT)
        raise code_error(f"get_context().{name} is not available offline")


class EnvironmentContext:
    """What ``alembic.context`` offers migration code (Alembic's EnvironmentContext) offline."""

    def __init__(self, env: Any) -> None:
        self._env = env

    @property
    def config(self) -> Any:
        return self._env.config

    def is_offline_mode(self) -> bool:
        return True

    def requires_connection(self) -> bool:
        return False

    def is_transactional_ddl(self) -> bool:
        return self._env.transactional_ddl

    def get_context(self) -> MigrationContext:
        return self._env.context

    def get_bind(self) -> OfflineBind:
        return self._env.context.bind

    def get_impl(self) -> OfflineImpl:
        return self._env.context.impl

    def execute(self, sql: Any, execution_options: Any = None) -> None:
        self._env.context.execute(sql, execution_options)

    def get_x_argument(self, as_dictionary: bool = False) -> list[str] | dict[str, str]:
        """sqlbundle takes no ``-x`` arguments: as Alembic run without any."""
        return {} if as_dictionary else []

    def get_tag_argument(self) -> str | None:
        return None

    def get_head_revision(self) -> str | None:
        heads = self._env.heads()
        if len(heads) > 1:
            raise code_error("context.get_head_revision(): the history has several heads",
                             hint="use context.get_head_revisions()")
        return heads[0] if heads else None

    def get_head_revisions(self) -> tuple[str, ...]:
        return self._env.heads()

    def get_revision_argument(self) -> Any:
        return self._env.arguments().destination

    def get_starting_revision_argument(self) -> Any:
        return self._env.arguments().starting

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in ("configure", "run_migrations", "begin_transaction"):
            raise code_error(f"context.{name}() is not available in a migration", hint=ENV_PY_HINT)
        if name == "static_output":
            raise code_error("context.static_output() writes text outside any statement, which "
                             "sqlbundle does not keep", hint="use op.execute()")
        if name == "script":
            raise code_error("context.script (Alembic's ScriptDirectory) is not available: "
                             "sqlbundle reads the history itself",
                             hint="context.get_head_revisions() and the get_*_argument() "
                                  "functions are")
        raise code_error(f"alembic.context.{name} is not available offline")


def _create_or_drop_all(recorder: Any, element: Any, creating: bool, only: Any) -> None:
    """``metadata.create_all(op.get_bind())`` / ``drop_all`` / ``Table.create``: offline,
    Alembic writes every CREATE (or DROP) TABLE without checking first; so do we, in the order
    of the foreign keys between them."""
    from dataclasses import replace

    from ..schema.operations import AddConstraint, CreateTable, DropConstraint, DropEnum, DropTable
    from ..schema.fromsa import table_state

    tables = [element] if isinstance(element, sa.Table) else [
        t for t in element.sorted_tables if only is None or t in only]
    # use_alter foreign keys: SQLAlchemy adds them once every table exists (and drops them
    # before any table goes), where the database has ALTER for them.
    alter = recorder.dialect.supports_alter
    states = [table_state(table, recorder.dialect) for table in tables]
    if not creating:
        for state in states if alter else ():
            for fk in state.foreign_keys:
                if fk.forward and fk.known_name:
                    recorder.record(DropConstraint(state.name, fk.known_name, state.schema,
                                                   "foreignkey"))
        for state in reversed(states):
            recorder.record(DropTable(state.name, state.schema))
    later = []
    for state in states if creating else ():
        if alter:
            later += [(state, fk) for fk in state.foreign_keys if fk.forward]
            state = replace(state, foreign_keys=tuple(
                fk for fk in state.foreign_keys if not fk.forward))
        recorder.record(CreateTable(state))
    for state, fk in later:
        recorder.record(AddConstraint(state.name, fk, state.schema))
    if not creating:
        # SQLAlchemy drops the named enum types of what it dropped (PostgreSQL); IF EXISTS:
        # the type may have gone with its last table already.
        for name, schema in _enum_types(reversed(tables)):
            recorder.record(DropEnum(name, schema, checkfirst=True))


def _enum_types(tables: Any) -> list[tuple[str, str | None]]:
    """(name, schema) of the named enum types the tables' columns use, first use first."""
    out: list[tuple[str, str | None]] = []
    for table in tables:
        for column in table.columns:
            type_ = column.type
            if isinstance(type_, sa.Enum) and type_.name and type_.native_enum and \
                    getattr(type_, "create_type", True):
                key = (type_.name, type_.schema or table.schema)
                if key not in out:
                    out.append(key)
    return out
