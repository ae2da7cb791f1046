"""Names the database gives what a migration leaves unnamed.

Real histories create constraints without a name (an inline ``sa.ForeignKey``, ``unique=True``,
a ``CheckConstraint`` without ``name=``) and later drop them by the name the database chose:
``posts_author_id_fkey`` on PostgreSQL, ``posts_ibfk_1`` on MySQL and MariaDB. The replayed
state records that name beside the constraint (``generated_name``) so later operations find it;
the DDL still leaves the name out, as the author wrote it, and the database names it itself.

One rule per kind of database, picked by the dialect profile's ``constraint_names`` (data, so the
operations stay free of dialect branches):

* ``postgresql``: ``<table>_<columns>_fkey|key|pkey|check|excl`` (``_idx`` for an unnamed raw
  index), truncated to 63 bytes and numbered on a clash (``_fkey1``) as PostgreSQL's
  makeObjectName, ChooseConstraintName and ChooseRelationName do;
* ``mysql``, ``mariadb``: ``<table>_ibfk_<n>`` (after the highest n in use, renamed with the
  table), a unique key named after its first column (``_2``, ``_3`` on a clash), CHECKs named
  ``<table>_chk_<n>`` (MySQL) or ``CONSTRAINT_<n>`` and, declared on a column, the column's name
  (MariaDB), and the index the server adds for a foreign key that no index serves;
* ``none`` (SQLite, DuckDB: no name at all) and ``unpredictable`` (SQL Server, Oracle,
  Snowflake: ``FK__posts__autho__3B75D760``, ``SYS_C0012345``): the state knows a constraint by
  the name the history's ``source_dialect`` would have given it (an alias the author saw);
  their renderers drop it by its columns or look the real name up when the script runs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .table import IndexState, TableState, evolve

_PG_NAME_BYTES = 63  # NAMEDATALEN - 1
_WORD = re.compile(r'"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|([A-Za-z_][A-Za-z0-9_$]*)')
_STRING = re.compile(r"'(?:[^']|'')*'")


def _unnamed(item: Any) -> bool:
    return item is not None and item.name is None and item.generated_name is None


class Rule:
    """How one kind of database names what is left unnamed (the default: it does not)."""

    # MySQL: a unique constraint is an index, so DROP INDEX drops it.
    uniques_are_indexes = False
    # MySQL: an index name is the table's own (two tables may both have ``parent_id``).
    index_names_per_table = False
    # Whether a generated name must be free in the whole schema (the state then keeps every
    # constraint name in ``constraint_owners``).
    schema_wide_names = False
    # Whether dropping a column drops a primary key it is part of, other columns and all
    # (PostgreSQL), rather than taking the column out of the key (MySQL).
    drop_column_drops_key = False

    def name_table(self, state: Any, old: TableState | None,
                   table: TableState) -> TableState:
        return table

    def renamed(self, table: TableState, old_name: str) -> TableState:
        """The table after RENAME TABLE (``table`` already has its new name)."""
        return table


# ---------------------------------------------------------------------------- PostgreSQL


def pg_object_name(name1: str, name2: str | None, label: str) -> str:
    """PostgreSQL's makeObjectName: ``name1_name2_label`` within 63 bytes, the longer part
    shortened first, never splitting a character."""
    b1, b2 = name1.encode(), (name2 or "").encode()
    avail = _PG_NAME_BYTES - (len(label) + 1) - (1 if name2 else 0)
    n1, n2 = len(b1), len(b2)
    while n1 + n2 > avail:
        if n1 > n2:
            n1 -= 1
        else:
            n2 -= 1
    parts = [b1[:n1].decode("utf-8", "ignore")]
    if name2:
        parts.append(b2[:n2].decode("utf-8", "ignore"))
    return "_".join(parts + [label])


def pg_addition(names: Any) -> str:
    """ChooseIndexNameAddition: the names joined by ``_``, stopping once 63 bytes are
    reached (makeObjectName cuts the rest)."""
    out = ""
    for name in names:
        out = f"{out}_{name}" if out else name
        if len(out.encode()) > _PG_NAME_BYTES:
            break
    return out


def pg_index_column(expression: Any) -> str:
    """The name an index column contributes: the column, a function's name, or ``expr``."""
    if isinstance(expression, str) and expression.isidentifier():
        return expression
    text = str(expression).strip()
    match = re.match(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(", text)
    return match.group(1).lower() if match else "expr"


def check_columns(sqltext: Any, table: TableState) -> list[str]:
    """The table's columns a CHECK expression (text or a SQLAlchemy construct) mentions,
    distinct, in order."""
    from .expressions import condition_text, construct_columns

    text = condition_text(sqltext)
    if text is None:
        words = construct_columns(sqltext)
    else:
        words = []
        for match in _WORD.finditer(_STRING.sub("''", text)):
            quoted = match.group(1) or match.group(2) or match.group(3)
            words.append(quoted.replace('""', '"') if quoted else match.group(4))
    found: list[str] = []
    for word in words:
        if word not in found and table.has_column(word):
            found.append(word)
    return found


class PostgreSQL(Rule):
    schema_wide_names = True
    drop_column_drops_key = True

    def name_table(self, state: Any, old: TableState | None,
                   table: TableState) -> TableState:
        if not _has_unnamed(table):
            return table
        schema, base = table.schema, table.name
        # Names this table already holds, or took earlier in this statement.
        constraints = set(table.constraint_names())
        relations = {i.name for i in table.indexes if i.name} | {base}

        def choose(name2: str | None, label: str, *, index: bool, constraint: bool) -> str:
            # ChooseConstraintName (constraint names only) / ChooseRelationName (tables and
            # indexes, plus constraint names for an index-backed constraint): label, label1, ...
            n = 0
            while True:
                name = pg_object_name(base, name2, f"{label}{n}" if n else label)
                if not ((constraint and name in constraints) or (index and name in relations)
                        or state.name_taken(name, schema, relations=index,
                                            constraints=constraint)):
                    break
                n += 1
            if constraint:
                constraints.add(name)
            if index:
                relations.add(name)
            return name

        changes: dict[str, Any] = {}
        # The order PostgreSQL names them in CREATE TABLE: checks, index constraints, foreign keys.
        if any(_unnamed(c) for c in table.checks):
            changes["checks"] = tuple(
                evolve(c, generated_name=choose(_single(check_columns(c.sqltext, table)),
                                                 "check", index=False, constraint=True))
                if _unnamed(c) else c for c in table.checks)
        if _unnamed(table.primary_key):
            changes["primary_key"] = evolve(table.primary_key, generated_name=choose(
                None, "pkey", index=True, constraint=True))
        if any(_unnamed(u) for u in table.uniques):
            changes["uniques"] = tuple(
                evolve(u, generated_name=choose(pg_addition(u.columns), "key", index=True,
                                                 constraint=True))
                if _unnamed(u) else u for u in table.uniques)
        if any(_unnamed(e) for e in table.excludes):
            changes["excludes"] = tuple(
                evolve(e, generated_name=choose(
                    pg_addition(pg_index_column(x) for x, _ in e.elements), "excl",
                    index=True, constraint=True))
                if _unnamed(e) else e for e in table.excludes)
        if any(_unnamed(f) for f in table.foreign_keys):
            changes["foreign_keys"] = tuple(
                evolve(f, generated_name=choose(pg_addition(f.columns), "fkey", index=False,
                                                 constraint=True))
                if _unnamed(f) else f for f in table.foreign_keys)
        if any(not i.name for i in table.indexes):  # CREATE INDEX ON t (...) in raw SQL
            changes["indexes"] = tuple(
                evolve(i, name=choose(pg_addition(pg_index_column(x) for x in i.expressions),
                                       "idx", index=True, constraint=False))
                if not i.name else i for i in table.indexes)
        return evolve(table, **changes) if changes else table


def _has_unnamed(table: TableState) -> bool:
    return (_unnamed(table.primary_key) or any(_unnamed(c) for c in table.foreign_keys)
            or any(_unnamed(c) for c in table.uniques) or any(_unnamed(c) for c in table.checks)
            or any(_unnamed(c) for c in table.excludes) or any(not i.name for i in table.indexes))


def _single(columns: list[str]) -> str | None:
    # PostgreSQL names a CHECK after its column only when it mentions exactly one.
    return columns[0] if len(columns) == 1 else None


# ---------------------------------------------------------------------------- MySQL, MariaDB


class MySQL(Rule):
    uniques_are_indexes = True
    index_names_per_table = True
    renamed_patterns: tuple[str, ...] = ("ibfk", "chk")  # <table>_<label>_<n> follows the table

    def name_table(self, state: Any, old: TableState | None,
                   table: TableState) -> TableState:
        pk = table.primary_key
        if old is not None and pk is old.primary_key and table.foreign_keys is old.foreign_keys \
                and table.uniques is old.uniques and table.indexes is old.indexes \
                and not any(_unnamed(c) or c.inline for c in table.checks):
            return table  # no new key, nothing unnamed
        changes: dict[str, Any] = {}
        if pk is not None and pk.generated_name is None:
            # Whatever the author called it, MySQL's primary key is PRIMARY.
            changes["primary_key"] = evolve(pk, generated_name="PRIMARY")
        if any(_unnamed(f) for f in table.foreign_keys):
            changes["foreign_keys"] = _numbered(table.foreign_keys, f"{table.name}_ibfk_")
        checks = self.name_checks(table)
        if checks is not table.checks:
            changes["checks"] = checks
        if any(_unnamed(u) for u in table.uniques):
            taken = _index_names(table)
            uniques = []
            for u in table.uniques:
                if _unnamed(u):
                    u = evolve(u, generated_name=_key_name(u.columns[0], taken))
                    taken.add(u.generated_name.lower())
                uniques.append(u)
            changes["uniques"] = tuple(uniques)
        table = evolve(table, **changes) if changes else table
        return _implicit_indexes(old, table)

    def name_checks(self, table: TableState) -> tuple[Any, ...]:
        if not any(_unnamed(c) for c in table.checks):
            return table.checks
        return _numbered(table.checks, f"{table.name}_chk_")

    def renamed(self, table: TableState, old_name: str) -> TableState:
        changes: dict[str, Any] = {}
        for field, label in (("foreign_keys", "ibfk"), ("checks", "chk")):
            if label not in self.renamed_patterns:
                continue
            pattern = re.compile(re.escape(f"{old_name}_{label}_") + r"(\d+)$")
            items = tuple(_retitled(item, pattern, f"{table.name}_{label}_")
                          for item in getattr(table, field))
            if items != getattr(table, field):
                changes[field] = items
        return evolve(table, **changes) if changes else table


class MariaDB(MySQL):
    renamed_patterns = ("ibfk",)

    def name_checks(self, table: TableState) -> tuple[Any, ...]:
        # A CHECK on a column is part of its definition, named after it: a renamed column
        # renames it.
        stale = [c for c in table.checks if c.inline and c.generated_name is not None
                 and c.generated_name.lower() != c.column.lower()
                 and not c.generated_name.lower().startswith(f"{c.column.lower()}_")]
        if stale:
            table = evolve(table, checks=tuple(evolve(c, generated_name=None) if c in stale
                                                else c for c in table.checks))
        if not any(_unnamed(c) for c in table.checks):
            return table.checks
        # Any other CONSTRAINT_<n>, the first n free, counting on within one statement.
        taken = {n.lower() for c in table.checks if (n := c.name or c.generated_name)}
        counter = [1]

        def free(base: str) -> str:
            while True:
                name = f"{base}{counter[0]}"
                counter[0] += 1
                if name.lower() not in taken:
                    return name

        out = []
        for c in table.checks:
            if _unnamed(c):
                if c.column and c.column.lower() not in taken:
                    name = c.column
                else:
                    name = free(f"{c.column}_" if c.column else "CONSTRAINT_")
                taken.add(name.lower())
                c = evolve(c, generated_name=name)
            out.append(c)
        return tuple(out)


def _numbered(items: tuple[Any, ...], prefix: str) -> tuple[Any, ...]:
    """Unnamed items get ``prefix<n>``, n after the highest already in use (MySQL's rule for
    ``_ibfk_`` and ``_chk_``, in declaration order)."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)$", re.IGNORECASE)
    used = [int(m.group(1)) for i in items
            if (m := pattern.match(i.name or i.generated_name or ""))]
    n = max(used, default=0)
    out = []
    for item in items:
        if _unnamed(item):
            n += 1
            item = evolve(item, generated_name=f"{prefix}{n}")
        out.append(item)
    return tuple(out)


def _retitled(item: Any, pattern: re.Pattern[str], prefix: str) -> Any:
    if item.name and (m := pattern.match(item.name)):
        return evolve(item, name=prefix + m.group(1))
    if item.generated_name and (m := pattern.match(item.generated_name)):
        return evolve(item, generated_name=prefix + m.group(1))
    return item


def _index_names(table: TableState) -> set[str]:
    """Key names in use on a MySQL table (case-insensitive)."""
    names = {"primary"} | {i.name.lower() for i in table.indexes}
    return names | {n.lower() for u in table.uniques if (n := u.name or u.generated_name)}


def _key_name(column: str, taken: set[str]) -> str:
    """MySQL's make_unique_key_name: the column, else ``column_2``, ``column_3``, ..."""
    if column.lower() not in taken:
        return column
    n = 2
    while f"{column}_{n}".lower() in taken:
        n += 1
    return f"{column}_{n}"


def _key_columns(table: TableState, implicit: bool = True) -> list[tuple[str, ...]]:
    """The column lists of the table's keys (primary, unique, plain column indexes)."""
    keys = [table.primary_key.columns] if table.primary_key else []
    return keys + [u.columns for u in table.uniques] + [
        i.columns for i in table.indexes
        if len(i.columns) == len(i.expressions) and (implicit or not i.implicit)]


def _serves(key: tuple[str, ...], columns: tuple[str, ...]) -> bool:
    return tuple(key[:len(columns)]) == tuple(columns)


def _implicit_indexes(old: TableState | None, table: TableState) -> TableState:
    """The index MySQL adds for a foreign key no index serves (named after the key's name, or
    its first column), without the ones an index the author made now serves (MySQL drops
    those when that index is created). A key whose serving index the author drops gets one
    again: MySQL refuses to drop the last index a key needs, so the renderer adds it in the
    same statement (see render/mysql.py)."""
    indexes = table.indexes
    if any(i.implicit for i in indexes):
        made = _key_columns(table, implicit=False)
        kept = tuple(i for i in indexes
                     if not (i.implicit and any(_serves(k, i.columns) for k in made)))
        indexes = kept if len(kept) != len(indexes) else indexes
    old_fks = {f.known_name for f in old.foreign_keys} if old is not None else set()
    lost = old is not None and len(table.indexes) < len(old.indexes)  # an index was dropped
    added: list[IndexState] = []
    for fk in table.foreign_keys:
        if fk.known_name in old_fks and not lost:
            continue
        current = evolve(table, indexes=indexes + tuple(added))
        if any(_serves(k, fk.columns) for k in _key_columns(current)):
            continue
        name = fk.name or _key_name(fk.columns[0], _index_names(current))
        added.append(IndexState(name, fk.columns, implicit=True))
    if indexes is table.indexes and not added:
        return table
    return evolve(table, indexes=indexes + tuple(added))


# ---------------------------------------------------------------------------- aliases


class Aliases(Rule):
    """A database whose names cannot be known offline: constraints are known by the names the
    history's source database would give them; nothing else of that database is modelled."""

    def __init__(self, source: Rule) -> None:
        self.source = source
        self.schema_wide_names = source.schema_wide_names

    def name_table(self, state: Any, old: TableState | None,
                   table: TableState) -> TableState:
        named = self.source.name_table(state, old, table)
        # Only constraint names: none of the source database's implicit indexes.
        if named.indexes is not table.indexes:
            named = evolve(named, indexes=table.indexes)
        return named

    def renamed(self, table: TableState, old_name: str) -> TableState:
        return self.source.renamed(table, old_name)


RULES: dict[str, Rule] = {"postgresql": PostgreSQL(), "mysql": MySQL(), "mariadb": MariaDB()}
RULES.update({f"as {key}": Aliases(rule) for key, rule in list(RULES.items())})


def rule_of(state: Any) -> Rule:
    return RULES[state.naming] if state.naming is not None else Rule()


def knows_names(state: Any) -> bool:
    """Whether the state holds the names the database itself gives (not aliases or none)."""
    return state.naming is not None and not isinstance(RULES[state.naming], Aliases)


def name_table(state: Any, old: TableState | None, table: TableState) -> TableState:
    return RULES[state.naming].name_table(state, old, table) if state.naming else table


def renamed(state: Any, table: TableState, old_name: str) -> TableState:
    return RULES[state.naming].renamed(table, old_name) if state.naming else table


@lru_cache(maxsize=None)
def naming_for(target: str, source_dialect: str | None) -> str | None:
    """The ``RULES`` key a replay for ``target`` names constraints with: the target's own rule,
    else the source database's as aliases, else None (constraints stay unnamed)."""
    from ..profile import known_dialects, load_profile

    own = load_profile(target).constraint_names
    if own in RULES:
        return own
    if not source_dialect:
        return None
    source = source_dialect.lower()
    profiles = [load_profile(name) for name in known_dialects()]
    match = next((p for p in profiles if p.name == source), None) or \
        next((p for p in profiles if p.sqlglot_dialect == source), None)
    if match is None or match.constraint_names not in RULES:
        return None
    return f"as {match.constraint_names}"
