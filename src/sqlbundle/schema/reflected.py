"""A live database's schema -> ``SchemaState``, in the form the replay holds it.

Databases report what they store, not what was written: PostgreSQL casts literals
(``'EUR'::character varying``), rewrites ``BETWEEN`` and ``IN`` and gives SERIAL columns a
``nextval(...)`` default; MariaDB adds display widths (``INTEGER(11)``), stores BOOLEAN as
``TINYINT(1)``, calls functions with parentheses (``current_timestamp()``), indexes foreign
keys and cannot tell a unique constraint from a unique index. ``Normaliser`` undoes that in one
place, from the profile's ``[verify]`` facts (dialects/*.toml) and a few rules that hold for
every database. Given the ``expected`` state (the replay), a value the database reports that
means the same as the expected one (both read through ``canonical_sql``) takes the expected
spelling, so that only real differences remain for the comparer.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal, InvalidOperation
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from ..profile import Profile
from .fromsa import table_state
from .state import (
    ColumnState,
    ForeignKeyState,
    IndexState,
    SchemaState,
    TableState,
    UniqueState,
    evolve,
)

# sqlbundle's own tables next to the version table (assemble/segments.py, assemble/phases.py).
HELPER_SUFFIXES = ("_progress", "_phases")

# Type names of more than one word that a cast may name (PostgreSQL's spelling).
_CAST = re.compile(
    r"::\s*(?:\"?(?:character varying|double precision|bit varying|"
    r"time(?:stamp)?(?:\(\d+\))? with(?:out)? time zone)\"?|\"?[a-z_][a-z0-9_.]*\"?)"
    r"(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?")
_STRING = re.compile(r"('(?:[^']|'')*')")
# SQL's functions written without parentheses, which some databases report with them.
_NILADIC = re.compile(r"\b(current_timestamp|current_date|current_time|localtimestamp|"
                      r"localtime|current_user|session_user)\(\)")
_NILADIC_ANY_CASE = re.compile(_NILADIC.pattern, re.IGNORECASE)
_ANY_ARRAY = re.compile(r"([\w.]+)\s*=\s*any\s*\(\s*array\[([^\]]*)\]\s*\)")
_BETWEEN = re.compile(r"([\w.]+) between ([^\s()]+) and ([^\s()]+)")
_NOT_IS = re.compile(r"\bnot ([\w.]+) is (null|true|false)\b")
_NUMBER = re.compile(r"(?<![\w.])'?(-?\d+\.\d+|-?\d+)'?(?![\w.])")
_FALSE, _TRUE = {"0", "false", "'0'", "'f'", "b'0'"}, {"1", "true", "'1'", "'t'", "b'1'"}


def reflected_state(bind: Any, profile: Profile, version_table: str,
                    expected: SchemaState | None = None) -> SchemaState:
    """The schema of the database behind ``bind`` (an engine or a connection), without the
    version table and sqlbundle's helper tables next to it, normalised as the replay for
    ``profile`` would hold it; ``expected`` (the replayed state) settles spellings the
    database cannot tell apart (``0.00`` or ``0``, ``BETWEEN`` or two comparisons)."""
    skip = {version_table} | {version_table + suffix for suffix in HELPER_SUFFIXES}
    metadata = sa.MetaData()
    metadata.reflect(bind, only=lambda name, _: name not in skip)
    state = SchemaState()
    for table in sorted(metadata.tables.values(), key=lambda t: (t.schema or "", t.name)):
        state = state.with_table(table_state(table, bind.dialect))
    enums = _enums(bind)
    if enums:
        state = evolve(state, enums=enums)
    return as_replayed(state, profile, bind.dialect, expected)


def as_replayed(reported: SchemaState, profile: Profile, dialect: Any,
                expected: SchemaState | None = None) -> SchemaState:
    """A schema a database reported (reflected, or read from its dump), rewritten as the
    replay for ``profile`` holds it; see ``reflected_state``."""
    normaliser = Normaliser(profile, dialect)
    state = reported
    for table in sorted(reported.tables.values(), key=lambda t: (t.schema or "", t.name)):
        want = expected.table(table.name, table.schema) if expected is not None else None
        state = state.with_table(normaliser.table(table, want))
    return state


def _enums(bind: Any) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """Named enum types (where the database has them), the default schema's as ``None``."""
    inspector = sa.inspect(bind)
    if not hasattr(inspector, "get_enums"):
        return {}
    return {(None if e.get("visible", True) else e["schema"], e["name"]): tuple(e["labels"])
            for e in inspector.get_enums()}


def canonical_sql(text: str, synonyms: dict[str, str] | None = None) -> str:
    """SQL text in one spelling, for deciding that two texts mean the same: casts, identifier
    quotes, case, spaces and grouping parentheses do not count, nor ``BETWEEN`` against two
    comparisons, ``= ANY (ARRAY[...])`` against ``IN (...)``, ``0.00`` against ``0``; string
    literals do."""
    parts = _STRING.split(str(text).strip())
    for i in range(0, len(parts), 2):
        part = re.sub(r"\s+", " ", parts[i]).lower().replace('"', "").replace("`", "")
        for name, same in (synonyms or {}).items():
            part = re.sub(rf"\b{re.escape(name.lower())}\(", same.lower() + "(", part)
        parts[i] = _NILADIC.sub(r"\1", part)
    text = _CAST.sub("", "".join(parts))
    text = re.sub(r"\s*([,=<>+*/\[\]-])\s*", r"\1", text)
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", re.sub(r"\s+", " ", text)))
    text = re.sub(r"\bin \(", "in(", _ANY_ARRAY.sub(r"\1 in(\2)", text))
    text = _ungroup(text)
    text = _BETWEEN.sub(r"\1>=\2 and \1<=\3", text)
    text = _NOT_IS.sub(r"\1 is not \2", text)  # sqlglot's spelling of IS NOT NULL
    return _NUMBER.sub(lambda m: _number(m.group(1)), text)


def _number(text: str) -> str:
    try:
        value = Decimal(text).normalize()
    except InvalidOperation:  # pragma: no cover - the pattern admits numbers only
        return text
    return format(value, "f")


def _ungroup(text: str) -> str:
    """Parentheses that group (not a call's, nor a list's): gone around a term without
    AND/OR, and around the whole text."""
    group = re.compile(r"(?<![\w\]])\(([^()]*)\)")
    while True:
        changed = group.sub(lambda m: m.group(1) if not re.search(r"\b(and|or)\b|,", m.group(1))
                            else f"\0{m.group(1)}\1", text)
        if changed == text:
            break
        text = changed
    text = text.replace("\0", "(").replace("\1", ")")
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1]
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def reported_text(text: str) -> str:
    """A default or condition as the database reported it, less the casts and call
    parentheses it added (kept when nothing expected means the same)."""
    parts = _STRING.split(str(text).strip())
    for i in range(0, len(parts), 2):
        parts[i] = _NILADIC_ANY_CASE.sub(lambda m: m.group(1).upper(), parts[i])
    text = _CAST.sub("", "".join(parts))
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


class Normaliser:
    """What ``profile``'s database reports, rewritten as the replay holds it."""

    def __init__(self, profile: Profile, dialect: Any) -> None:
        facts = profile.verify
        self.dialect = dialect
        self.boolean_type = str(facts.get("boolean_type", "")).upper()
        serial = facts.get("serial_default")
        self.serial_default = re.compile(serial, re.IGNORECASE) if serial else None
        self.fk_actions = {k.upper(): str(v).upper()
                           for k, v in facts.get("fk_action_synonyms", {}).items()}
        self.synonyms = dict(facts.get("function_synonyms", {}))
        self.fk_indexes = profile.fk_creates_index
        self.string_lengths = bool(facts.get("string_lengths", True))
        self.type_synonyms = {k.upper(): str(v).upper()
                              for k, v in facts.get("type_synonyms", {}).items()}

    def canonical(self, text: str) -> str:
        return canonical_sql(text, self.synonyms)

    # ---- one table

    def table(self, reported: TableState, want: TableState | None) -> TableState:
        columns = tuple(self.column(c, want.column(c.name) if want else None)
                        for c in reported.columns)
        uniques, indexes = self.keys(reported, want)
        return evolve(
            reported, columns=columns,
            foreign_keys=self.align(reported.foreign_keys, want and want.foreign_keys,
                                    self.fk_key),
            checks=self.align(reported.checks, want and want.checks,
                              lambda c: self.canonical(_sql(c.sqltext, self.dialect))),
            uniques=self.align(uniques, want and want.uniques, lambda u: u.columns),
            indexes=indexes,
            # Table options the replay does not hold are the server's defaults.
            kwargs=tuple((k, v) for k, v in reported.kwargs
                         if want is not None and k in dict(want.kwargs)))

    def column(self, col: ColumnState, want: ColumnState | None) -> ColumnState:
        type_ = self.type(col.type)
        if not self.string_lengths and want is not None and isinstance(type_, sa.String) \
                and isinstance(want.type, sa.String) and not getattr(type_, "length", None):
            type_ = want.type  # the database keeps no length to compare
        if want is not None and self.type_synonyms and \
                self.type_synonyms.get(self._name(type_)) == self._name(want.type):
            type_ = want.type
        default = col.server_default
        if default is not None:
            text = _sql(default, self.dialect)
            if self.serial_default is not None and col.autoincrement is True and \
                    self.serial_default.search(text):
                default = None  # what SERIAL makes, not a default anyone wrote
            elif want is not None and want.server_default is not None and \
                    self.default_key(text, type_) == self.default_key(
                        self.expected_default(want), want.type):
                default = want.server_default
            else:
                default = sa.text(reported_text(text))
        identity, computed = col.identity, col.computed
        if want is not None and _same_identity(identity, want.identity):
            identity = want.identity
        if want is not None and computed is not None and want.computed is not None and \
                self.canonical(_sql(computed.sqltext, self.dialect)) == \
                self.canonical(_sql(want.computed.sqltext, self.dialect)) and \
                want.computed.persisted in (None, computed.persisted):
            computed = want.computed
        return evolve(col, type=type_, server_default=default, identity=identity,
                      computed=computed)

    def type(self, type_: Any) -> Any:
        compiler = self.dialect.type_compiler_instance
        if self.boolean_type and compiler.process(type_).upper() == self.boolean_type:
            return sa.Boolean()
        if getattr(type_, "display_width", None) is not None:
            # MySQL's display width changes nothing stored; the replay never holds one.
            type_ = copy.copy(type_)
            type_.display_width = None
        return type_

    def _name(self, type_: Any) -> str:
        """A type's name as the dialect writes it, without its arguments."""
        try:
            text = self.dialect.type_compiler_instance.process(type_)
        except Exception:  # a type this dialect cannot write has no synonym either
            return ""
        return text.split("(")[0].strip().upper()

    def default_key(self, text: str, type_: Any) -> str:
        key = self.canonical(text)
        if isinstance(type_, sa.Boolean):
            key = "false" if key in _FALSE else "true" if key in _TRUE else key
        return key

    def expected_default(self, want: ColumnState) -> str:
        """The expected default as the dialect writes it in DDL."""
        try:
            column = sa.Column(want.name, want.type, server_default=want.server_default)
            sa.Table("_verify", sa.MetaData(), column)
            text = self.dialect.ddl_compiler(self.dialect, None).get_column_default_string(
                column)
        except Exception:  # a construct this dialect cannot compile: compare its text
            text = None
        return text if text is not None else _sql(want.server_default, self.dialect)

    def fk_key(self, fk: ForeignKeyState) -> tuple[Any, ...]:
        def action(value: str | None) -> str | None:
            value = " ".join((value or "").upper().split()) or None
            value = self.fk_actions.get(value or "", value)
            return None if value == "NO ACTION" else value

        return (fk.columns, fk.referred_table, fk.referred_columns, action(fk.ondelete),
                action(fk.onupdate), bool(fk.deferrable), (fk.initially or "").upper(),
                (fk.match or "").upper())

    @staticmethod
    def align(reported: tuple[Any, ...], want: tuple[Any, ...] | None,
              key: Callable[[Any], Any]) -> tuple[Any, ...]:
        """Each reported item that means the same as an expected one (by name, else by
        definition when the expected has no name of its own) becomes the expected one."""
        left = list(want or ())
        out = []
        for item in reported:
            match = next((w for w in left if item.name and item.name == w.known_name), None)
            if match is None:
                # By definition where one side has no name: the expected left it to the
                # database, or the database keeps none (DuckDB).
                match = next((w for w in left if not (w.name and item.name)
                              and key(w) == key(item)), None)
            if match is not None and key(match) == key(item):
                left.remove(match)
                item = match
            out.append(item)
        return tuple(out)

    def keys(self, reported: TableState, want: TableState | None
             ) -> tuple[tuple[UniqueState, ...], tuple[IndexState, ...]]:
        """Unique constraints and indexes. A database that keeps a unique constraint as a
        unique index (MySQL) reports one for the other: the expected form wins. An index the
        database made for a foreign key (``fk_creates_index``) is marked implicit."""
        uniques, indexes = list(reported.uniques), []
        want_uniques = {u.known_name: u for u in want.uniques} if want else {}
        for index in reported.indexes:
            twin = want_uniques.get(index.name)
            if index.unique and twin is not None and twin.columns == index.columns:
                uniques.append(UniqueState(index.name, index.columns))
                continue
            expected = want.index(index.name) if want is not None else None
            if expected is not None and self.index_key(expected) == self.index_key(index):
                index = expected
            elif self.fk_indexes and not index.unique and (
                    (expected is not None and expected.implicit)
                    or any(fk.columns == index.columns and index.name in (fk.name, fk.columns[0])
                           for fk in reported.foreign_keys)):
                index = evolve(index, implicit=True)
            indexes.append(index)
        for unique in list(uniques):
            twin = want.index(unique.known_name or "") if want is not None else None
            if twin is not None and twin.unique and twin.columns == unique.columns:
                uniques.remove(unique)
                indexes.append(twin)
        return tuple(uniques), tuple(sorted(indexes, key=lambda i: i.name))

    def index_key(self, index: IndexState) -> tuple[Any, ...]:
        exprs = tuple(e if isinstance(e, str) else self.canonical(_sql(e, self.dialect))
                      for e in index.expressions)
        options = tuple(sorted((k, self.canonical(_sql(v, self.dialect))) for k, v in
                               index.kwargs if k.endswith("_where") and v is not None))
        return exprs, bool(index.unique), options


def _same_identity(reported: Any, written: Any) -> bool:
    """Whether a reported identity is the one written: the database fills in every option
    (start, bounds, cache), the author states some; those stated must agree."""
    if reported is None or written is None:
        return False
    options = ("always", "on_null", "start", "increment", "minvalue", "maxvalue", "cycle",
               "cache", "order")
    for name in options:
        stated = getattr(written, name, None)
        if name == "always":
            stated = bool(stated)
        if stated is not None and stated != getattr(reported, name, None) and \
                not (name == "always" and stated == bool(getattr(reported, name, None))):
            return False
    return True


def _sql(value: Any, dialect: Any) -> str:
    """SQL text of a default, condition or expression as ``dialect`` writes it."""
    if isinstance(value, str):
        return value
    if isinstance(value, sa.sql.elements.TextClause):
        return value.text
    return str(value.compile(dialect=dialect,
                             compile_kwargs={"literal_binds": True, "include_table": False}))

