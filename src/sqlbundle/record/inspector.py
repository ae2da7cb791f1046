"""``sqlalchemy.inspect(op.get_bind())`` offline: the replayed schema answers.

Real histories inspect the database to decide what to do (``if "x" not in
inspector.get_table_names()``, ``{c["name"] for c in inspector.get_columns("t")}``). Offline
there is no database, but the replay knows the schema right before the running revision (and
the operations it recorded so far): the answers come from there, shaped as SQLAlchemy's
inspector shapes them. A revision that inspects depends on the revisions before it, so its
recording is not cached by its file alone (the environment's taint). Where the replay does not
know (after raw SQL it could not follow, or a revision it could not replay), asking is an error
naming the file and line, never a guess.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy import inspection

from ..schema.state import SchemaState, StateError
from ..schema.table import ColumnState, PrimaryKeyState, TableState
from .active import code_error

_UNKNOWN_HINT = ("the replayed schema lost track of it after raw SQL or a revision it could not "
                 "replay: declare the schema (baseline_sql), or decide in the migration without "
                 "inspecting")


class OfflineInspector:
    """The subset of ``sqlalchemy.engine.Inspector`` migrations use, answered from the replay."""

    def __init__(self, bind: Any) -> None:
        self.bind = bind
        self.engine = bind
        self.dialect = bind.dialect
        self.info_cache: dict[Any, Any] = {}

    # What SQLAlchemy's Inspector.from_engine(bind) calls on the class it finds on the dialect.
    def _init_connection(self, bind: Any) -> None:
        self.__init__(bind)  # type: ignore[misc]

    _init_engine = _init_connection

    @property
    def default_schema_name(self) -> str | None:
        return getattr(self.dialect, "default_schema_name", None)

    def clear_cache(self) -> None:
        """Answers are never cached: each one reads the schema as recorded so far."""

    # ------------------------------------------------------------------ the schema

    def _state(self) -> SchemaState:
        env = self.bind._env
        try:
            return env.schema_now()
        except StateError as exc:
            raise code_error(f"inspecting the schema: {exc.message}") from None

    def _schema(self, schema: str | None) -> str | None:
        return None if schema is not None and schema == self.default_schema_name else schema

    def _version_table(self, schema: str | None) -> str | None:
        config = getattr(self.bind._env.project, "config", None)
        if config is None or self._schema(config.version_table_schema) != schema:
            return None
        return config.version_table

    def _table(self, name: str, schema: str | None) -> TableState:
        state = self._state()
        schema = self._schema(schema)
        if name == self._version_table(schema) and state.table(name, schema) is None:
            # Not part of the replayed schema, but in every database the bundle runs on, as
            # Alembic creates it.
            return TableState(name, schema, (ColumnState("version_num", sa.String(32), False),),
                              PrimaryKeyState(f"{name}_pkc", ("version_num",)))
        table = state.table(name, schema)
        if table is None:
            if state.opaque:
                raise code_error(f"cannot tell offline whether table {name!r} exists",
                                 hint=_UNKNOWN_HINT)
            raise sa.exc.NoSuchTableError(name)
        if table.partial:
            raise code_error(f"the replayed schema knows only part of table {name!r}",
                             hint=_UNKNOWN_HINT)
        return table

    def get_schema_names(self) -> list[str]:
        schemas = {key[0] for key in self._state().tables} - {None}
        return sorted(schemas | {self.default_schema_name or "public"})

    def get_table_names(self, schema: str | None = None, **kw: Any) -> list[str]:
        state = self._state()
        if state.opaque:
            raise code_error("cannot list the tables offline", hint=_UNKNOWN_HINT)
        schema = self._schema(schema)
        names = {name for (owner, name) in state.tables if owner == schema}
        version = self._version_table(schema)
        return sorted(names | ({version} if version else set()))

    def has_table(self, table_name: str, schema: str | None = None, **kw: Any) -> bool:
        try:
            self._table(table_name, schema)
        except sa.exc.NoSuchTableError:
            return False
        return True

    def get_columns(self, table_name: str, schema: str | None = None, **kw: Any
                    ) -> list[dict[str, Any]]:
        table = self._table(table_name, schema)
        out = []
        for col in table.columns:
            default = col.server_default
            if default is not None and not isinstance(default, str):
                default = str(getattr(default, "text", default))
            item = {"name": col.name, "type": col.type, "nullable": col.nullable,
                    "default": default, "autoincrement": col.autoincrement,
                    "comment": col.comment}
            if col.computed is not None:
                item["computed"] = {"sqltext": str(col.computed.sqltext),
                                    "persisted": col.computed.persisted}
            out.append(item)
        return out

    def get_pk_constraint(self, table_name: str, schema: str | None = None, **kw: Any
                          ) -> dict[str, Any]:
        pk = self._table(table_name, schema).primary_key
        if pk is None:
            return {"name": None, "constrained_columns": []}
        return {"name": pk.known_name, "constrained_columns": list(pk.columns)}

    def get_foreign_keys(self, table_name: str, schema: str | None = None, **kw: Any
                         ) -> list[dict[str, Any]]:
        out = []
        for fk in self._table(table_name, schema).foreign_keys:
            options = {k: v for k, v in (("ondelete", fk.ondelete), ("onupdate", fk.onupdate),
                                         ("deferrable", fk.deferrable),
                                         ("initially", fk.initially)) if v is not None}
            out.append({"name": fk.known_name, "constrained_columns": list(fk.columns),
                        "referred_schema": fk.referred_schema,
                        "referred_table": fk.referred_table,
                        "referred_columns": list(fk.referred_columns), "options": options})
        return out

    def get_unique_constraints(self, table_name: str, schema: str | None = None, **kw: Any
                               ) -> list[dict[str, Any]]:
        return [{"name": u.known_name, "column_names": list(u.columns)}
                for u in self._table(table_name, schema).uniques]

    def get_indexes(self, table_name: str, schema: str | None = None, **kw: Any
                    ) -> list[dict[str, Any]]:
        out = []
        for index in self._table(table_name, schema).indexes:
            names = [e if isinstance(e, str) else None for e in index.expressions]
            item: dict[str, Any] = {"name": index.name, "column_names": names,
                                    "unique": index.unique, "dialect_options": dict(index.kwargs)}
            if None in names:
                item["expressions"] = [e if isinstance(e, str) else str(e)
                                       for e in index.expressions]
            out.append(item)
        return out

    def get_check_constraints(self, table_name: str, schema: str | None = None, **kw: Any
                              ) -> list[dict[str, Any]]:
        return [{"name": c.known_name, "sqltext": c.sqltext}
                for c in self._table(table_name, schema).checks]

    def get_table_comment(self, table_name: str, schema: str | None = None, **kw: Any
                          ) -> dict[str, Any]:
        return {"text": self._table(table_name, schema).comment}

    def get_enums(self, schema: str | None = None, **kw: Any) -> list[dict[str, Any]]:
        state = self._state()
        wanted = self._schema(schema) if schema != "*" else "*"
        return [{"name": name, "schema": owner, "visible": owner is None,
                 "labels": list(labels)}
                for (owner, name), labels in sorted(state.enums.items(), key=str)
                if wanted == "*" or owner == wanted]

    # ------------------------------------------------------------------ reflection

    @contextlib.contextmanager
    def _inspection_context(self) -> Iterator[OfflineInspector]:
        yield self

    def _get_reflection_info(self, **kw: Any) -> None:
        return None  # reflect_table reads the replayed schema directly

    def get_view_names(self, schema: str | None = None, **kw: Any) -> list[str]:
        raise code_error("views are not part of the replayed schema", hint=_UNKNOWN_HINT)

    def reflect_table(self, table: sa.Table, include_columns: Any = None,
                      exclude_columns: Any = (), resolve_fks: bool = True,
                      _extend_on: Any = None, _reflect_info: Any = None) -> None:
        """``MetaData.reflect(bind)`` / ``Table(..., autoload_with=bind)``: ``table`` filled
        from the replayed schema, as SQLAlchemy fills it from a database."""
        known = self._table(table.name, table.schema)
        wanted = [c for c in known.columns
                  if (not include_columns or c.name in include_columns)
                  and c.name not in (exclude_columns or ())]
        for col in wanted:
            if col.name in table.c:
                continue
            default = col.server_default
            if isinstance(default, str):
                default = sa.text(default)
            table.append_column(sa.Column(
                col.name, col.type, nullable=col.nullable, comment=col.comment,
                server_default=sa.schema.DefaultClause(default) if default is not None
                else None, autoincrement=col.autoincrement), replace_existing=True)
        names = {c.name for c in wanted}
        pk = known.primary_key
        if pk is not None and set(pk.columns) <= names:
            table.primary_key.name = pk.known_name
            table.primary_key._reload([table.c[n] for n in pk.columns])  # as SQLAlchemy does
        for fk in known.foreign_keys:
            if not set(fk.columns) <= names:
                continue
            referred = ".".join(p for p in (fk.referred_schema, fk.referred_table) if p)
            if resolve_fks and referred not in table.metadata.tables and \
                    referred != table.fullname:
                sa.Table(fk.referred_table, table.metadata, schema=fk.referred_schema,
                         autoload_with=self)
            table.append_constraint(sa.ForeignKeyConstraint(
                list(fk.columns), [f"{referred}.{c}" for c in fk.referred_columns],
                name=fk.known_name, ondelete=fk.ondelete, onupdate=fk.onupdate))
        for unique in known.uniques:
            if set(unique.columns) <= names:
                table.append_constraint(sa.UniqueConstraint(*unique.columns,
                                                            name=unique.known_name))
        for check in known.checks:
            table.append_constraint(sa.CheckConstraint(sa.text(check.sqltext),
                                                       name=check.known_name))
        for index in known.indexes:
            if all(isinstance(e, str) and e in names for e in index.expressions):
                sa.Index(index.name, *(table.c[e] for e in index.expressions),
                         unique=index.unique)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise code_error(f"inspector.{name}() is not answered offline (the replayed schema "
                         "holds tables, columns, keys, indexes, checks and enum types)",
                         hint="decide in the migration without inspecting")


def register(bind_type: type) -> None:
    """Make ``sqlalchemy.inspect(bind)`` give an ``OfflineInspector`` for ``bind_type`` (and
    the inspector itself for one, as SQLAlchemy's reflection asks)."""
    if bind_type not in inspection._registrars:
        inspection._registrars[bind_type] = OfflineInspector
        inspection._registrars[OfflineInspector] = True
