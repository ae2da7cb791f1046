"""What differs between a database's schema and the history's, for ``drift`` and ``verify``.

The comparison is autogenerate's (types and defaults as the dialect writes them, constraints
paired by name or by definition), read the other way round: what the upgrade from the
database to the history would add is *missing* from the database, what it would drop is
*extra*, what it would change (or drop and add again under one name) is *different*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..profile import Profile
from ..schema.state import SchemaState

MISSING, EXTRA, DIFFERENT = "missing", "extra", "different"
_STATUS = {"add": MISSING, "drop": EXTRA, "change": DIFFERENT}
# Reports list tables first, then what is on them, in this order.
_KINDS = ("enum type", "table", "column", "primary key", "foreign key", "unique constraint",
          "check constraint", "exclude constraint", "index")


@dataclass(frozen=True)
class Difference:
    status: str  # MISSING (in the history, not the database), EXTRA, DIFFERENT
    kind: str  # "table", "column", "index", "foreign key", ...
    subject: str  # "customers.email", "ix_orders_placed on orders"
    details: tuple[tuple[str, str, str], ...] = ()  # (aspect, database, history)

    def text(self) -> str:
        where = {MISSING: "in the history, not in the database",
                 EXTRA: "in the database, not in the history"}.get(self.status)
        line = f"{self.status} {self.kind} {self.subject}"
        if where:
            return f"{line} ({where})"
        return line + ": " + "; ".join(f"{aspect} {db} in the database, {hist} in the history"
                                       for aspect, db, hist in self.details)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "kind": self.kind, "subject": self.subject,
                "details": [{"aspect": a, "database": d, "history": h}
                            for a, d, h in self.details]}


def schema_differences(database: SchemaState, history: SchemaState, profile: Profile
                       ) -> tuple[Difference, ...]:
    """Every difference of ``database`` from ``history`` for ``profile``, sorted by table."""
    from ..autogen.api import compare_states
    from ..render.context import sa_dialect

    dialect = sa_dialect(profile)
    comparison = compare_states(database, history, dialect, named_enums=profile.named_enums)
    found: dict[tuple[str, str], Difference] = {}
    for change in comparison.changes:
        if not change.kind:
            continue
        key = (change.kind, change.subject)
        status = _STATUS[change.action]
        if status == DIFFERENT:
            found[key] = Difference(DIFFERENT, change.kind, change.subject, change.facets)
            continue
        item = _definition(change, dialect)
        earlier = found.get(key)
        if earlier is not None and earlier.status != status and earlier.status != DIFFERENT:
            # Dropped and added again under one name: the same object, defined differently.
            db, hist = (earlier.details, item) if status == MISSING else (item, earlier.details)
            found[key] = Difference(DIFFERENT, change.kind, change.subject,
                                    (("definition", _shown(db), _shown(hist)),))
        else:
            found[key] = Difference(status, change.kind, change.subject, item)
    return tuple(sorted(
        (d if d.status == DIFFERENT else Difference(d.status, d.kind, d.subject)
         for d in found.values()), key=_order))


def _order(d: Difference) -> tuple[str, int, str]:
    table = d.subject.split(" on ", 1)[-1] if " on " in d.subject else d.subject.split(".")[0]
    return (table, _KINDS.index(d.kind) if d.kind in _KINDS else len(_KINDS), d.subject)


def _shown(details: Any) -> str:
    return details[0][1] if details else "?"


def _definition(change: Any, dialect: Any) -> tuple[tuple[str, str, str], ...]:
    """The definition of what the change adds or drops, kept while pairing changes."""
    from ..autogen.values import expression_text

    ops = change.upgrade if change.action == "add" else change.downgrade
    for op in ops:
        item = getattr(op, "constraint", None) or getattr(op, "index", None)
        if item is None:
            continue
        if hasattr(item, "referred_table"):
            text = (f"({', '.join(item.columns)}) REFERENCES {item.referred_table} "
                    f"({', '.join(item.referred_columns)})"
                    + (f" ON DELETE {item.ondelete}" if item.ondelete else "")
                    + (f" ON UPDATE {item.onupdate}" if item.onupdate else ""))
        elif hasattr(item, "sqltext"):
            text = expression_text(item.sqltext, dialect) \
                if not isinstance(item.sqltext, str) else item.sqltext
        elif hasattr(item, "expressions"):
            exprs = [e if isinstance(e, str) else expression_text(e, dialect)
                     for e in item.expressions]
            text = ("UNIQUE " if item.unique else "") + f"({', '.join(exprs)})"
        else:
            text = f"({', '.join(getattr(item, 'columns', ()))})"
        return (("definition", text, text),)
    return ()


def differences_markdown(differences: tuple[Difference, ...], title: str = "") -> str:
    lines = [f"# {title}", ""] if title else []
    if not differences:
        return "\n".join(lines + ["No differences.", ""])
    lines += ["| | What | Database | History |", "|---|---|---|---|"]
    for d in differences:
        if d.status == DIFFERENT:
            for aspect, db, hist in d.details:
                lines.append(f"| different | {d.kind} `{d.subject}`: {aspect} | `{db}` | "
                             f"`{hist}` |")
        else:
            there, absent = "present", "absent"
            db, hist = (absent, there) if d.status == MISSING else (there, absent)
            lines.append(f"| {d.status} | {d.kind} `{d.subject}` | {db} | {hist} |")
    return "\n".join(lines + ["", f"{len(differences)} difference(s).", ""])
