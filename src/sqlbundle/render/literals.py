"""Inline SQL literals for data operations, exactly right per target dialect.

Bundles are applied by the database's own client (psql, mariadb, sqlite3, sqlcmd, SQL*Plus) and
never through a driver, so every value in a bulk insert or Core insert/update/delete is written
into the file as literal text. :func:`render_literal` turns one Python value into that text.

Choices (pinned by the golden tests in ``tests/test_literals.py``):
* ``None`` is ``NULL``, also for JSON columns (as SQLAlchemy's own ``literal_binds`` does); pass
  ``sqlalchemy.JSON.NULL`` for a JSON ``null``.
* Strings: quotes doubled; ``%`` and ``:`` kept as written (the text never meets a DBAPI).
  Control characters (U+0000..U+001F) are never written raw: SQL*Plus ends a statement at a
  blank line, T-SQL drops a backslash before a line end, checkouts rewrite line ends.
  PostgreSQL switches to ``E'...'`` only when the string has one (then backslashes are doubled
  too) and rejects NUL, which ``text`` cannot hold; MySQL/MariaDB always double backslashes
  (``NO_BACKSLASH_ESCAPES`` is not the default sql_mode) and use ``\\t \\n \\r \\0 \\Z``;
  SQLite, SQL Server, Oracle and DuckDB concatenate ``char(n)``-style calls.
  SQL Server gets ``N'...'`` when the text is not pure ASCII or the column type is
  Unicode/UnicodeText. Client variables cannot fire: Oracle writes ``&`` as ``CHR(38)`` (SQL*Plus
  DEFINE), SQL Server splits ``$(`` across two literals (sqlcmd variables).
  Long text is widened so the engine neither truncates nor rejects it: SQL Server ``+`` stops at
  8000 bytes unless an operand is ``(N)VARCHAR(MAX)``; Oracle literals stop at 4000 bytes, so
  Oracle text is cut into 500-character literals, one per line (SQL*Plus line limit), led by
  ``TO_CLOB`` past 4000 bytes. Oracle stores ``''`` as NULL: that is Oracle, not this module.
* Booleans: ``TRUE``/``FALSE`` on PostgreSQL and DuckDB, ``1``/``0`` elsewhere (MySQL's BOOLEAN
  is TINYINT(1); SQLite before 3.23 has no TRUE; SQL Server BIT; Oracle before 23 has no boolean).
* Floats use ``repr`` (shortest round trip). NaN/Infinity: PostgreSQL and DuckDB casts, SQLite
  ``9e999`` for +-Infinity, Oracle ``BINARY_DOUBLE_*`` constants for BINARY_DOUBLE/BINARY_FLOAT
  columns; anything else raises. Decimals are written digit for digit, never with an exponent.
* Date/time: PostgreSQL and DuckDB typed ANSI literals; MySQL/MariaDB plain text, aware values
  converted to UTC (no time-zone-aware type; apply with ``time_zone = '+00:00'`` for TIMESTAMP
  columns); SQLite the text SQLAlchemy stores (always 6 fractional digits, aware values keep
  their offset); SQL Server ``CAST('...' AS DATE/DATETIME2/DATETIMEOFFSET/TIME)`` with ISO 8601
  text, which no ``SET LANGUAGE``/``DATEFORMAT`` can misread; Oracle ``DATE '...'`` and
  ``TO_TIMESTAMP[_TZ]`` with a mask that matches the text exactly (fraction always present).
  ``timedelta``: native intervals on PostgreSQL, DuckDB and Oracle; with an ``sa.Interval``
  column elsewhere, the epoch-relative datetime SQLAlchemy stores; otherwise unsupported.
* Binary: hex literals (``'\\x..'::bytea`` needs ``standard_conforming_strings = on``, the default
  since PostgreSQL 9.1, as plain strings with backslashes do). Oracle RAW stops at 2000 bytes.
* JSON (an ``sa.JSON`` column, or any dict/list): ``json.dumps`` with sorted keys, compact
  separators and ``ensure_ascii=False``, then a string literal; PostgreSQL adds ``::json`` or
  ``::jsonb`` when the column type says which.
* UUIDs: the hyphenated text (PostgreSQL ``::uuid``); with an ``sa.Uuid`` column on a database
  without a native UUID type, the 32-digit hex that SQLAlchemy stores.
* Enum members: ``.value``; with an ``sa.Enum`` column, what SQLAlchemy persists (the member
  *name* unless ``values_callable`` says otherwise). TypeDecorators apply their
  ``process_literal_param``/``process_bind_param`` first, then their ``impl`` type.
* Non-ASCII text is written as UTF-8: run sqlcmd with ``-f 65001``, SQL*Plus with an AL32UTF8
  ``NLS_LANG``, and ``SET NAMES utf8mb4`` for MySQL/MariaDB (their clients default to utf8mb3).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import math
import re
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as sa_pg

from ..errors import SqlbundleError

__all__ = ["DIALECTS", "LiteralRules", "UnsupportedLiteral", "register_literals",
           "render_literal"]


class UnsupportedLiteral(SqlbundleError):
    """A value that has no exact inline literal in the target dialect."""


def _unsupported(value: Any, dialect: str, why: str, todo: str) -> UnsupportedLiteral:
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return UnsupportedLiteral(
        f"cannot write {type(value).__module__}.{type(value).__qualname__} value {shown} as an "
        f"inline SQL literal for {dialect}: {why}",
        hint=todo,
    )


_CONTROL = re.compile("([\x00-\x1f])")
QUOTES = str.maketrans({"'": "''"})
# PostgreSQL E'' strings: every control character escaped, so the file holds none raw.
_PG_E_ESCAPES = str.maketrans(
    {chr(i): f"\\x{i:02x}" for i in range(1, 32)}
    | {"'": "''", "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
)


def _pg_string(text: str) -> str:
    if "\0" in text:
        raise ValueError("PostgreSQL text cannot hold the NUL character (U+0000)")
    if _CONTROL.search(text):
        return "E'" + text.translate(_PG_E_ESCAPES) + "'"
    return "'" + text.translate(QUOTES) + "'"


def _interval_pg(td: dt.timedelta) -> str:
    # psycopg2's own spelling: each field keeps its sign, whatever IntervalStyle says.
    return f"{td.days} days {td.seconds}.{td.microseconds:06d} seconds"


@dataclass(frozen=True)
class LiteralRules:
    """How one dialect spells literals; data rather than branches."""

    escapes: dict[int, str] = field(default_factory=lambda: QUOTES)  # applied inside '...'
    char_fn: str | None = None   # control characters become concatenated calls, e.g. "chr({})"
    concat: str = " || "
    specials: re.Pattern[str] = _CONTROL  # characters written through char_fn
    splits: tuple[str, ...] = ()  # sequences the client would expand: split across two literals
    chunk: int | None = None      # longest text in one literal (characters)
    # (UTF-8 bytes, template, N template): past that many bytes, retype the first operand of a
    # concatenation so the engine neither truncates nor rejects the result.
    widen: tuple[int, str, str] | None = None
    national: bool = False       # N'...' for non-ASCII text (SQL Server)
    pg_strings: bool = False     # E'...' when control characters appear
    true_false: tuple[str, str] = ("1", "0")
    nonfinite: dict[str, str] = field(default_factory=dict)    # "nan"/"inf"/"-inf" -> literal
    nonfinite_types: tuple[type, ...] = ()  # non-finite floats only for these column types
    binary: Callable[[bytes], str] = lambda b: f"X'{b.hex().upper()}'"
    binary_max: int | None = None
    # Date/time templates: {d} date, {t} time of day, {z} +HH:MM offset, {i} interval text.
    date: str = "'{d}'"
    datetime: str = "'{d} {t}'"
    datetime_tz: str | None = None       # None: convert to UTC and use `datetime`
    time: str | None = "'{t}'"
    time_tz: str | None = None
    interval: str | None = None
    interval_text: Callable[[dt.timedelta], str] = _interval_pg
    always_fraction: bool = False        # .ffffff even when zero
    json_cast: bool = False              # ::json / ::jsonb from the column type
    uuid: str = "'{}'"
    native_uuid: bool = True             # False: sa.Uuid columns hold 32 hex digits


# Each dialect's render module registers how it writes literals (as it registers renderers).
_RULES: dict[str, LiteralRules] = {}


def register_literals(dialect: str, rules: LiteralRules) -> None:
    """``rules`` are how ``dialect`` writes literals (once per dialect)."""
    if dialect in _RULES:
        raise ValueError(f"literal rules for {dialect!r} registered twice")
    _RULES[dialect] = rules


def __getattr__(name: str) -> Any:
    # DIALECTS: every dialect with literal rules, known once the render package is imported.
    if name == "DIALECTS":
        return tuple(sorted(_RULES))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_EPOCH = dt.datetime(1970, 1, 1)  # sa.Interval's epoch on databases without INTERVAL


def render_literal(value: Any, dialect: str, type_: Any = None) -> str:
    """SQL literal text for ``value`` in ``dialect`` (one of :data:`DIALECTS`).

    ``type_`` is an optional SQLAlchemy type instance of the target column that steers the
    rendering (JSON, Enum, Uuid, Interval, Unicode, TypeDecorator...). Raises
    :class:`UnsupportedLiteral` for values without an exact literal.
    """
    name = dialect.split("@", 1)[0].lower()
    rules = _RULES.get(name)
    if rules is None:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of "
                         f"{', '.join(sorted(_RULES))}")
    if isinstance(type_, type):
        type_ = type_()
    return _render(value, name, rules, type_)


def _render(value: Any, name: str, r: LiteralRules, type_: Any) -> str:
    if value is None or isinstance(value, sa.sql.elements.Null):
        return "NULL"
    if isinstance(type_, sa.TypeDecorator) and not isinstance(type_, sa.Interval):
        return _render(_decorated(value, name, type_), name, r, type_.impl_instance)
    if isinstance(type_, sa.Enum):
        db_value = getattr(type_, "_db_value_for_elem", None)
        try:  # what SQLAlchemy persists: member names unless values_callable is given
            value = db_value(value) if db_value else getattr(value, "name", value)
        except LookupError as err:
            raise _unsupported(value, name, str(err), "use one of the Enum's values") from None
        return _render(value, name, r, None)
    if isinstance(value, enum.Enum):
        return _render(value.value, name, r, type_)
    if isinstance(type_, sa.ARRAY):
        raise _unsupported(value, name, "ARRAY literals are not supported",
                           "insert the array with raw SQL (op.execute)")
    if isinstance(type_, sa.JSON) or isinstance(value, (dict, list)) or value is sa.JSON.NULL:
        return _json(None if value is sa.JSON.NULL else value, name, r, type_)
    if isinstance(value, bool):
        return r.true_false[0] if value else r.true_false[1]
    if isinstance(value, int):
        return str(int(value))  # int() so int subclasses do not bring their own __str__
    if isinstance(value, float):
        return _float(value, name, r, type_)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise _unsupported(value, name, "non-finite Decimal values have no portable literal",
                               "store NULL or a float instead")
        return format(value, "f")  # plain digits: Decimal('1E+3') -> 1000
    if isinstance(value, str):
        return _string(str.__str__(value), name, r, type_)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _binary(bytes(value), name, r)
    if isinstance(value, dt.datetime):
        return _datetime(value, name, r)
    if isinstance(value, dt.date):
        return r.date.format(d=value.isoformat())
    if isinstance(value, dt.time):
        return _time(value, name, r)
    if isinstance(value, dt.timedelta):
        return _timedelta(value, name, r, type_)
    if isinstance(value, uuid.UUID):
        if isinstance(type_, sa.Uuid) and not (r.native_uuid and type_.native_uuid):
            return _string(value.hex, name, r, None)  # SQLAlchemy's CHAR(32) storage
        return r.uuid.format(str(value))
    raise _unsupported(value, name, "no literal form is defined for this Python type",
                       "convert the value to str, int, Decimal, bytes, date/time, UUID or JSON")


@lru_cache(maxsize=None)
def _sa_dialect(name: str) -> sa.engine.Dialect:
    if name in ("duckdb", "snowflake"):  # no SQLAlchemy dialect ships for them
        return sa.engine.default.DefaultDialect()
    return sa.create_mock_engine(f"{name}://", executor=None).dialect


def _decorated(value: Any, name: str, type_: sa.TypeDecorator) -> Any:
    """Apply a TypeDecorator's own conversion, as SQLAlchemy's literal rendering does."""
    for hook in ("process_literal_param", "process_bind_param"):
        if getattr(type(type_), hook) is not getattr(sa.TypeDecorator, hook):
            return getattr(type_, hook)(value, _sa_dialect(name))
    return value


def _quoted(text: str, r: LiteralRules, national: bool) -> str:
    opening = "N'" if national else "'"
    quoted = opening + text.translate(r.escapes) + "'"
    for seq in r.splits:  # 'a$(b' -> 'a$' + '(b': nothing left for the client to expand
        quoted = quoted.replace(seq, seq[0] + "'" + r.concat + opening + seq[1:])
    return quoted


def _string(text: str, name: str, r: LiteralRules, type_: Any) -> str:
    if r.pg_strings:
        try:
            return _pg_string(text)
        except ValueError as err:
            raise _unsupported(text, name, str(err),
                               "remove the NUL characters or store the value as bytea") from None
    national = r.national and (not text.isascii()
                               or isinstance(type_, (sa.Unicode, sa.UnicodeText)))
    if r.char_fn is None:  # escapes inside one literal (MySQL/MariaDB)
        return _quoted(text, r, national)
    char_fn = ("N" + r.char_fn) if national else r.char_fn
    pieces: list[str] = []
    for part in r.specials.split(text):
        if r.specials.fullmatch(part):
            pieces.append(char_fn.format(ord(part)))
        elif part:
            step = r.chunk or len(part)
            pieces += [_quoted(part[i:i + step], r, national) for i in range(0, len(part), step)]
    if not pieces:
        return _quoted("", r, national)
    if r.widen and len(text.encode("utf-8")) > r.widen[0]:
        pieces[0] = r.widen[2 if national else 1].format(pieces[0])
    if r.chunk and len(text) > r.chunk:  # keep lines short for SQL*Plus
        return (r.concat.rstrip() + "\n").join(pieces)
    return r.concat.join(pieces)


def _float(value: float, name: str, r: LiteralRules, type_: Any) -> str:
    if math.isfinite(value):
        return repr(value)  # shortest text that reads back as the same double
    key = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    literal = r.nonfinite.get(key)
    if literal is None or (r.nonfinite_types and not isinstance(type_, r.nonfinite_types)):
        where = (" outside BINARY_DOUBLE/BINARY_FLOAT columns" if r.nonfinite_types else "")
        raise _unsupported(value, name, f"{key} has no literal in {name}{where}",
                           "store NULL or a sentinel value instead")
    return literal


def _binary(data: bytes, name: str, r: LiteralRules) -> str:
    if r.binary_max is not None and len(data) > r.binary_max:
        raise _unsupported(data, name, f"RAW literals hold at most {r.binary_max} bytes",
                           "load large BLOBs with PL/SQL (DBMS_LOB) or SQL*Loader")
    return r.binary(data)


def _clock(value: dt.time | dt.datetime, r: LiteralRules) -> str:
    text = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if value.microsecond or r.always_fraction:
        text += f".{value.microsecond:06d}"
    return text


def _offset(offset: dt.timedelta, value: Any, name: str) -> str:
    seconds = int(offset.total_seconds())
    if seconds % 60 or offset.microseconds:
        raise _unsupported(value, name, "its UTC offset has seconds, which no literal can carry",
                           "convert the value to UTC first")
    sign = "-" if seconds < 0 else "+"
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _datetime(value: dt.datetime, name: str, r: LiteralRules) -> str:
    offset = value.utcoffset()
    if offset is not None and r.datetime_tz is None:
        # No time-zone-aware type: store the instant in UTC.
        value, offset = value.astimezone(dt.timezone.utc).replace(tzinfo=None), None
    if offset is None:
        return r.datetime.format(d=value.date().isoformat(), t=_clock(value, r))
    return r.datetime_tz.format(d=value.date().isoformat(), t=_clock(value, r),
                                z=_offset(offset, value, name))


def _time(value: dt.time, name: str, r: LiteralRules) -> str:
    offset = value.utcoffset()
    template = r.time if offset is None else r.time_tz
    if template is None:
        what = "time-of-day" if offset is None else "time-zone-aware time"
        raise _unsupported(value, name, f"{name} has no {what} type",
                           "store a datetime, or a naive time as text")
    z = _offset(offset, value, name) if offset is not None else ""
    return template.format(t=_clock(value, r), z=z)


def _timedelta(value: dt.timedelta, name: str, r: LiteralRules, type_: Any) -> str:
    if isinstance(type_, sa.Interval) and (r.interval is None or not type_.native):
        return _datetime(_EPOCH + value, name, r)  # SQLAlchemy's emulated Interval storage
    if r.interval is None:
        raise _unsupported(value, name, f"{name} has no INTERVAL type",
                           "pass type_=sa.Interval() for SQLAlchemy's epoch-based storage")
    return r.interval.format(i=r.interval_text(value))


def _json(value: Any, name: str, r: LiteralRules, type_: Any) -> str:
    try:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False)
    except (TypeError, ValueError) as err:
        raise _unsupported(value, name, f"not serialisable as JSON ({err})",
                           "convert it to plain dicts, lists, str, int, float, bool and None")
    literal = _string(text, name, r, type_)
    if r.json_cast and isinstance(type_, sa.JSON):
        literal += "::jsonb" if isinstance(type_, sa_pg.JSONB) else "::json"
    return literal
