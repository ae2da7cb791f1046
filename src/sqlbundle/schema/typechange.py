"""What changing a column's type costs: nothing, a table rewrite, or possible data loss.

``type_change(old, new, profile, dialect)`` compares two SQLAlchemy types as the target renders
them. Which widenings a database does in place (no rewrite) is data in its profile.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..profile import Profile

_INT_RANK = {"TINYINT": 0, "SMALLINT": 1, "MEDIUMINT": 2, "INTEGER": 3, "INT": 3, "BIGINT": 4}
_INT_DIGITS = {0: 3, 1: 5, 2: 8, 3: 10, 4: 19}

Verdict = tuple[str, str]  # ("narrow" | "family" | "rewrite", reason)


def family(type_: Any) -> str:
    """A coarse type family: casts within one are usually safe, across them they are not."""
    checks = (
        (sa.Enum, "enum"), (sa.Boolean, "boolean"), (sa.Interval, "interval"),
        (sa.String, "string"), (sa.Integer, "integer"), (sa.Float, "float"),
        (sa.Numeric, "numeric"), (sa.DateTime, "datetime"), (sa.Date, "date"),
        (sa.Time, "time"), (sa.LargeBinary, "binary"), (sa.JSON, "json"), (sa.Uuid, "uuid"),
        (sa.ARRAY, "array"),
    )
    for cls, name in checks:
        if isinstance(type_, cls):
            return name
    return type(type_).__name__.lower()


def compiled_sql(type_: Any, dialect: Any) -> str:
    try:
        return str(type_.compile(dialect=dialect))
    except Exception:  # a type the dialect cannot render: compare what the author wrote
        return repr(type_)


def _int_rank(type_: Any) -> int:
    name = type(type_).__name__.upper()
    if name in _INT_RANK:
        return _INT_RANK[name]
    if isinstance(type_, sa.BigInteger):
        return 4
    if isinstance(type_, sa.SmallInteger):
        return 1
    return 3


def _string(type_: Any) -> tuple[str, int | None]:
    """("char" | "var", length or None for unbounded)."""
    if isinstance(type_, sa.Text):
        return "var", None
    kind = "char" if type(type_).__name__.upper() in ("CHAR", "NCHAR") else "var"
    return kind, getattr(type_, "length", None)


def _in_place(fam: str, profile: Profile) -> bool:
    # Families whose widening the database does in place, without touching rows.
    return fam in profile.widen_in_place


def _strings(old: Any, new: Any, profile: Profile, shown: str) -> Verdict | None:
    (old_kind, old_len), (new_kind, new_len) = _string(old), _string(new)
    if new_len is not None and (old_len is None or new_len < old_len):
        return "narrow", f"{shown} narrows the column"
    if old_kind != new_kind:
        return "rewrite", f"{shown} converts every row"
    if not _in_place("string", profile):
        return "rewrite", f"{shown} changes the column type"
    # MySQL/MariaDB store a VARCHAR's length in 1 byte up to 255 bytes and in 2 above;
    # changing that rewrites the table.
    limit = profile.length_byte_limit
    if limit:
        if new_len is None or (old_len is not None and (old_len <= limit) != (new_len <= limit)):
            return "rewrite", f"{shown} changes how the length is stored"
    return None


def _numbers(old: Any, new: Any, profile: Profile, shown: str) -> Verdict | None:
    old_p, old_s = old.precision, old.scale or 0
    new_p, new_s = new.precision, new.scale or 0
    if new_p is not None and (old_p is None or new_s < old_s or new_p - new_s < old_p - old_s):
        return "narrow", f"{shown} reduces precision or scale"
    if new_s == old_s and _in_place("numeric", profile):
        return None
    return "rewrite", f"{shown} rewrites every value"


def _across(old: Any, new: Any, old_fam: str, new_fam: str, shown: str) -> Verdict:
    """A change of family: lossless ones still rewrite; the rest may fail or change values."""
    lossless = False
    if old_fam == "integer" and new_fam == "numeric":
        digits = _INT_DIGITS[_int_rank(old)]
        lossless = new.precision is None or new.precision - (new.scale or 0) >= digits
    elif old_fam in ("integer", "enum", "boolean", "date", "uuid") and new_fam == "string":
        need = {"integer": 20, "boolean": 5, "date": 10, "uuid": 36}.get(
            old_fam, max((len(v) for v in getattr(old, "enums", ())), default=0))
        length = _string(new)[1]
        lossless = length is None or length >= need
    elif old_fam == "date" and new_fam == "datetime":
        lossless = True
    if lossless:
        return "rewrite", f"{shown} converts every row"
    return "family", f"{shown} changes the type family ({old_fam} to {new_fam})"


def type_change(old: Any, new: Any, profile: Profile, dialect: Any) -> Verdict | None:
    """None when changing ``old`` to ``new`` touches no rows, else what it costs."""
    if old is None or isinstance(old, sa.types.NullType) or isinstance(new, sa.types.NullType):
        return None  # the history does not know the old type: nothing to compare
    before, after = compiled_sql(old, dialect), compiled_sql(new, dialect)
    old_fam, new_fam = family(old), family(new)
    if old_fam == new_fam == "enum":
        # Values first: PostgreSQL renders both as the type's name.
        gone = sorted(set(old.enums) - set(new.enums))
        if gone:
            return "narrow", f"{before} to {after} drops value(s) {', '.join(gone)}"
    if before == after:
        return None
    shown = f"{before} to {after}"
    if old_fam != new_fam:
        return _across(old, new, old_fam, new_fam, shown)
    if old_fam == "string":
        return _strings(old, new, profile, shown)
    if old_fam == "integer":
        if _int_rank(new) < _int_rank(old):
            return "narrow", f"{shown} narrows the column"
        return "rewrite", f"{shown} rewrites every value"
    if old_fam == "numeric":
        return _numbers(old, new, profile, shown)
    if old_fam == "float":
        old_p, new_p = getattr(old, "precision", None), getattr(new, "precision", None)
        if new_p is not None and (old_p is None or new_p < old_p):
            return "narrow", f"{shown} reduces precision"
    return "rewrite", f"{shown} converts every row"
