"""The rules of offline autogenerate: what differs between two states, as ``Change`` values.

``Comparer(current, target, dialect, named_enums).run()`` walks tables, columns, keys,
constraints, indexes, comments and named enum types, and records for each difference the
operations that make it and their inverse, in the phase where they must run (see
``autogen``). Both states are read with the default schema folded into ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from .values import (
    ADD_COLUMNS,
    ADD_CONSTRAINTS,
    ADD_FOREIGN_KEYS,
    ALTER_COLUMNS,
    CREATE_ENUMS,
    CREATE_TABLES,
    DROP_COLUMNS,
    DROP_CONSTRAINTS,
    DROP_ENUMS,
    DROP_FOREIGN_KEYS,
    DROP_TABLES,
    TABLE_COMMENTS,
    Change,
    ReviewNote,
    dependency_order,
    fk_signature,
    index_signature,
    pair_constraints,
    expression_text,
    normalize_sql,
    sort_key,
)
from ..schema.operations import (
    AddColumn,
    AddConstraint,
    AlterColumn,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropEnum,
    DropIndex,
    DropTable,
    SetTableComment,
)
from ..schema.state import ColumnState, IndexState, SchemaState, TableState
from .typeforms import TypeForms

_DROP_TYPE = {"primary": "primary", "foreign": "foreignkey", "unique": "unique",
              "check": "check", "exclude": "exclude"}
_LABEL = {"primary": "primary key", "foreign": "foreign key", "unique": "unique constraint",
          "check": "check constraint", "exclude": "exclude constraint"}


def _subject(table: TableState, item: Any) -> str:
    """A constraint as reports name it: by its name, else by its columns or condition."""
    if item.name:
        return f"{item.name} on {table.display}"
    what = getattr(item, "columns", None)
    what = f"({', '.join(what)})" if what else str(getattr(item, "sqltext", "") or "")
    return f"{what} on {table.display}"


def _shown(table: TableState) -> str:
    return table.display


def _null(nullable: bool) -> str:
    return "NULL" if nullable else "NOT NULL"


class Comparer(TypeForms):
    """One comparison of ``current`` with ``target``; ``run()`` returns the changes."""

    def __init__(self, current: SchemaState, target: SchemaState, dialect: Any,
                 named_enums: bool) -> None:
        self.dialect = dialect
        self.named_enums = named_enums
        self.default_schema = getattr(dialect, "default_schema_name", None) or None
        self.ddl = dialect.ddl_compiler(dialect, None)
        self.current = self._tables(current)
        self.target = self._tables(target)
        self.current_enum_keys = {(self._schema(s), n) for s, n in current.enums}
        self.changes: list[Change] = []

    # ---- plumbing

    def _schema(self, schema: str | None) -> str | None:
        return None if schema == self.default_schema else schema

    def _tables(self, state: SchemaState) -> dict[tuple[str | None, str], TableState]:
        out = {}
        for table in state.tables.values():
            fks = tuple(replace(fk, referred_schema=self._schema(fk.referred_schema))
                        for fk in table.foreign_keys)
            table = replace(table, schema=self._schema(table.schema), foreign_keys=fks)
            out[table.key] = table
        return {key: out[key] for key in sorted(out, key=sort_key)}

    def add(self, phase: int, description: str, upgrade: Iterable[Any],
            downgrade: Iterable[Any], kind: str = "", subject: str = "",
            facets: tuple[tuple[str, str, str], ...] = ()) -> None:
        self.changes.append(Change(phase, description, tuple(upgrade), tuple(downgrade), kind,
                                   subject, facets))

    # ---- the whole schema

    def run(self) -> list[Change]:
        created = [k for k in self.target if k not in self.current]
        dropped = [k for k in self.current if k not in self.target]
        self.enums()
        renames = self.table_renames(created, dropped)
        self.create_tables(created, renames)
        self.drop_tables(dropped, renames)
        for key, table in self.target.items():
            if key in self.current:
                self.compare_table(self.current[key], table)
        return sorted(self.changes, key=lambda c: c.phase)

    def used_enums(self, tables: Iterable[TableState]) -> dict[tuple[str | None, str], tuple]:
        out: dict[tuple[str | None, str], tuple] = {}
        for table in tables:
            for col in table.columns:
                type_ = col.type
                if isinstance(type_, sa.Enum) and type_.native_enum and type_.name:
                    # The type's own schema: an Enum without schema= is in the default one.
                    key = (self._schema(type_.schema), type_.name)
                    out.setdefault(key, tuple(type_.enums))
        return {k: out[k] for k in sorted(out, key=sort_key)}

    def enums(self) -> None:
        if not self.named_enums:
            return
        now, wanted = self.used_enums(self.current.values()), self.used_enums(self.target.values())
        known = set(now) | (self.current_enum_keys if self.dialect.name == "postgresql" else set())
        for (schema, name), values in wanted.items():
            shown = f"{schema}.{name}" if schema else name
            if (schema, name) not in known:
                self.add(CREATE_ENUMS, f"add enum type {shown}",
                         [CreateEnum(name, values, schema)], [DropEnum(name, schema)],
                         "enum type", shown)
            elif (schema, name) in now and now[(schema, name)] != values:
                note = ReviewNote(
                    f"enum type {shown} changes its values from {list(now[(schema, name)])} to "
                    f"{list(values)}; autogenerate cannot change an enum type: write it by "
                    "hand (PostgreSQL: ALTER TYPE ... ADD VALUE)")
                self.add(ALTER_COLUMNS, f"change enum type {shown} values", [note], [note],
                         "enum type", shown, (("values", ", ".join(now[(schema, name)]),
                                               ", ".join(values)),))
        for (schema, name), values in now.items():
            if (schema, name) not in wanted:
                shown = f"{schema}.{name}" if schema else name
                self.add(DROP_ENUMS, f"drop enum type {shown}",
                         [DropEnum(name, schema)], [CreateEnum(name, values, schema)],
                         "enum type", shown)

    def table_renames(self, created: list, dropped: list) -> dict[Any, ReviewNote]:
        notes: dict[Any, ReviewNote] = {}
        for old_key in dropped:
            old = self.current[old_key]
            shape = sorted((c.name, self.type_key(c.type)) for c in old.columns)
            for new_key in created:
                new = self.target[new_key]
                if new_key in notes or sorted(
                        (c.name, self.type_key(c.type)) for c in new.columns) != shape:
                    continue
                note = ReviewNote(
                    f"table {old.display} is dropped and {new.display} created with the same "
                    f"columns: if this is a rename, replace both with op.rename_table("
                    f"\"{old.name}\", \"{new.name}\") to keep the data")
                notes[old_key] = notes[new_key] = note
                break
        return notes

    def create_tables(self, keys: list, renames: dict[Any, ReviewNote]) -> None:
        schemas = {t.schema for t in self.current.values()} | {None}
        order, deferred = dependency_order(self.target[k] for k in keys)
        for table in order:
            cut = deferred.get(table.key, ())
            notes = [renames[table.key]] if table.key in renames else []
            if table.schema not in schemas:
                notes.append(ReviewNote(f"schema {table.schema} is new: it must exist before "
                                        "this migration runs (CREATE SCHEMA)"))
            up = notes + [CreateTable(self.op_table(table, cut))] + [
                CreateIndex(table.name, ix, table.schema) for ix in table.indexes
                if not ix.implicit]
            self.add(CREATE_TABLES, f"add table {_shown(table)}", up,
                     [DropTable(table.name, table.schema)], "table", _shown(table))
            for fk in cut:
                self.add_constraint(table, "foreign", fk, ADD_FOREIGN_KEYS,
                                    f"add foreign key {fk.name or ''} on {_shown(table)}")

    def drop_tables(self, keys: list, renames: dict[Any, ReviewNote]) -> None:
        order, deferred = dependency_order(self.current[k] for k in keys)
        for table in reversed(order):
            cut = deferred.get(table.key, ())
            notes = [renames[table.key]] if table.key in renames else []
            down = notes + [CreateTable(self.op_table(table, cut))] + [
                CreateIndex(table.name, ix, table.schema) for ix in table.indexes
                if not ix.implicit]
            self.add(DROP_TABLES, f"drop table {_shown(table)}",
                     [DropTable(table.name, table.schema)], down, "table", _shown(table))
            for fk in cut:
                self.drop_constraint(table, "foreign", fk, DROP_FOREIGN_KEYS,
                                     f"drop foreign key {fk.name or ''} on {_shown(table)}")

    # ---- one table

    def compare_table(self, cur: TableState, new: TableState) -> None:
        self.columns(cur, new)
        self.primary_key(cur, new)
        self.constraints(cur, new, "foreign", cur.foreign_keys, new.foreign_keys, fk_signature,
                         DROP_FOREIGN_KEYS, ADD_FOREIGN_KEYS)
        self.constraints(cur, new, "unique", cur.uniques, new.uniques, lambda u: u.columns,
                         DROP_CONSTRAINTS, ADD_CONSTRAINTS)
        self.constraints(cur, new, "check", cur.checks, new.checks,
                         lambda c: normalize_sql(expression_text(c.sqltext, self.dialect)),
                         DROP_CONSTRAINTS, ADD_CONSTRAINTS)
        self.constraints(cur, new, "exclude", cur.excludes, new.excludes,
                         lambda e: (e.elements, e.using,
                                    normalize_sql(expression_text(e.where or "", self.dialect))),
                         DROP_CONSTRAINTS, ADD_CONSTRAINTS)
        self.indexes(cur, new)
        if (cur.comment or None) != (new.comment or None):
            self.add(TABLE_COMMENTS, f"change comment on table {_shown(new)}",
                     [SetTableComment(new.name, new.comment or None, new.schema)],
                     [SetTableComment(cur.name, cur.comment or None, cur.schema)],
                     "table", _shown(new), (("comment", cur.comment or "", new.comment or ""),))
        if dict(cur.kwargs) != dict(new.kwargs):
            note = ReviewNote(f"table options of {_shown(new)} change from {dict(cur.kwargs)} to "
                              f"{dict(new.kwargs)}; autogenerate does not alter table options")
            self.add(TABLE_COMMENTS, f"change table options of {_shown(new)}", [note], [note],
                     "table", _shown(new), (("options", str(dict(cur.kwargs)),
                                             str(dict(new.kwargs))),))

    def columns(self, cur: TableState, new: TableState) -> None:
        old_cols = {c.name: c for c in cur.columns}
        new_cols = {c.name: c for c in new.columns}
        added = [c for c in new.columns if c.name not in old_cols]
        dropped = [c for c in cur.columns if c.name not in new_cols]
        renames: dict[str, ReviewNote] = {}
        for old in dropped:
            match = next((c for c in added if c.name not in renames
                          and self.type_key(c.type) == self.type_key(old.type)), None)
            if match is not None:
                renames[match.name] = renames[old.name] = ReviewNote(
                    f"{_shown(cur)}.{old.name} is dropped and {_shown(new)}.{match.name} added "
                    f"with the same type: if this is a rename, replace both with "
                    f"op.alter_column(\"{cur.name}\", \"{old.name}\", new_column_name="
                    f"\"{match.name}\") (and the reverse in downgrade()) to keep the data")
        for col in added:
            notes = [renames[col.name]] if col.name in renames else []
            notes += self.not_null_note(new, col)
            self.add(ADD_COLUMNS, f"add column {_shown(new)}.{col.name}",
                     notes + [AddColumn(new.name, self.op_column(col), new.schema)],
                     [DropColumn(new.name, col.name, new.schema)],
                     "column", f"{_shown(new)}.{col.name}")
        for col in dropped:
            notes = [renames[col.name]] if col.name in renames else []
            notes += self.not_null_note(cur, col)
            self.add(DROP_COLUMNS, f"drop column {_shown(cur)}.{col.name}",
                     [DropColumn(cur.name, col.name, cur.schema)],
                     notes + [AddColumn(cur.name, self.op_column(col), cur.schema)],
                     "column", f"{_shown(cur)}.{col.name}")
        for col in new.columns:
            if col.name in old_cols:
                self.alter_column(cur, old_cols[col.name], col)

    def not_null_note(self, table: TableState, col: ColumnState) -> list[ReviewNote]:
        if col.nullable or col.server_default is not None or col.identity is not None or \
                col.computed is not None:
            return []
        return [ReviewNote(
            f"{_shown(table)}.{col.name} is added NOT NULL without a server default: rows "
            "already in the table need a value; add it nullable, fill it, then make it "
            "NOT NULL (or give it a server_default)")]

    def alter_column(self, table: TableState, old: ColumnState, new: ColumnState) -> None:
        up: dict[str, Any] = {}
        down: dict[str, Any] = {}
        what: list[str] = []
        facets: list[tuple[str, str, str]] = []  # (aspect, current, target)
        notes: list[ReviewNote] = []
        where = f"{_shown(table)}.{new.name}"
        old_type, new_type = self.type_key(old.type), self.type_key(new.type)
        if old_type and new_type and old_type != new_type:
            up["type"], down["type"] = self.op_type(new.type), self.op_type(old.type)
            what.append(f"type {old_type} -> {new_type}")
            facets.append(("type", old_type, new_type))
            notes += self.type_notes(where, old, new, old_type, new_type)
        if old.nullable != new.nullable:
            up["nullable"], down["nullable"] = new.nullable, old.nullable
            what.append("NOT NULL" if not new.nullable else "nullable")
            facets.append(("nullable", _null(old.nullable), _null(new.nullable)))
            if not new.nullable:
                notes.append(ReviewNote(f"{where} becomes NOT NULL: rows holding NULL must be "
                                        "filled first (an UPDATE before this step)"))
        old_default, new_default = self.default_key(old), self.default_key(new)
        if old_default != new_default:
            up["server_default"], down["server_default"] = new.server_default, old.server_default
            what.append(f"server default {old_default or 'none'} -> {new_default or 'none'}")
            facets.append(("server default", old_default or "none", new_default or "none"))
        if (old.comment or None) != (new.comment or None):
            up["comment"], down["comment"] = new.comment or None, old.comment or None
            what.append("comment")
            facets.append(("comment", old.comment or "", new.comment or ""))
        for attr, label in (("identity", "identity"), ("computed", "computed expression")):
            if repr(getattr(old, attr)) != repr(getattr(new, attr)) and \
                    (getattr(old, attr) is not None or getattr(new, attr) is not None):
                what.append(label)
                facets.append((label, repr(getattr(old, attr)), repr(getattr(new, attr))))
                notes.append(ReviewNote(f"{where} changes its {label}; autogenerate does not "
                                        "alter it: write the change by hand"))
        if not what:
            return

        def existing(col: ColumnState) -> dict[str, Any]:
            return {"existing_type": self.op_type(col.type), "existing_nullable": col.nullable,
                    "existing_server_default": col.server_default,
                    "existing_comment": col.comment}

        ups: list[Any] = list(notes)
        downs: list[Any] = list(notes)
        if up:
            ups.append(AlterColumn(table.name, new.name, table.schema, **up, **existing(old)))
            downs.insert(0, AlterColumn(table.name, new.name, table.schema, **down,
                                        **existing(new)))
        self.add(ALTER_COLUMNS, f"change column {where}: {', '.join(what)}", ups, downs,
                 "column", where, tuple(facets))

    def type_notes(self, where: str, old: ColumnState, new: ColumnState, old_key: str,
                   new_key: str) -> list[ReviewNote]:
        if old_key.split("(")[0].strip() != new_key.split("(")[0].strip():
            return [ReviewNote(f"{where} changes type from {old_key} to {new_key}: existing "
                               "values must convert (PostgreSQL may need postgresql_using=)")]
        for attr in ("length", "precision", "scale"):
            before, after = getattr(old.type, attr, None), getattr(new.type, attr, None)
            if isinstance(before, int) and isinstance(after, int) and after < before:
                return [ReviewNote(f"{where} narrows from {old_key} to {new_key}: existing "
                                   "values that do not fit make this step fail")]
        return []

    def primary_key(self, cur: TableState, new: TableState) -> None:
        old, pk = cur.primary_key, new.primary_key
        if old is not None and pk is not None and old.columns == pk.columns and \
                (not old.name or not pk.name or old.name == pk.name):
            return
        if old is not None:
            self.drop_constraint(cur, "primary", old, DROP_CONSTRAINTS,
                                 f"drop primary key {old.name or ''} on {_shown(cur)}")
        if pk is not None:
            self.add_constraint(new, "primary", pk, ADD_CONSTRAINTS,
                                f"add primary key {pk.name or ''} on {_shown(new)} "
                                f"({', '.join(pk.columns)})")

    def constraints(self, cur: TableState, new: TableState, kind: str, old_items: Any,
                    new_items: Any, signature: Callable[[Any], Any], drop_phase: int,
                    add_phase: int) -> None:
        label = _LABEL[kind]
        pairs, added, dropped = pair_constraints(old_items, new_items, signature)
        changed = [(old, item) for old, item in pairs if signature(old) != signature(item)]
        for old in sorted(dropped + [o for o, _ in changed], key=lambda c: c.name or ""):
            self.drop_constraint(cur, kind, old, drop_phase,
                                 f"drop {label} {old.name or ''} on {_shown(cur)}")
        for item in sorted(added + [n for _, n in changed], key=lambda c: c.name or ""):
            self.add_constraint(new, kind, item, add_phase,
                                f"add {label} {item.name or ''} on {_shown(new)}")

    def drop_constraint(self, table: TableState, kind: str, item: Any, phase: int,
                        description: str) -> None:
        description = description.replace("  ", " ")
        shown = _LABEL[kind], _subject(table, item)
        if not item.name:
            note = ReviewNote(f"{description}: it has no name, so autogenerate cannot drop it; "
                              "drop it by the name the database gave it")
            self.add(phase, description, [note], [note], *shown)
            return
        self.add(phase, description,
                 [DropConstraint(table.name, item.name, table.schema, _DROP_TYPE[kind])],
                 [AddConstraint(table.name, item, table.schema)], *shown)

    def add_constraint(self, table: TableState, kind: str, item: Any, phase: int,
                       description: str) -> None:
        description = description.replace("  ", " ")
        if item.name:
            down: list[Any] = [DropConstraint(table.name, item.name, table.schema,
                                              _DROP_TYPE[kind])]
        else:
            down = [ReviewNote(f"{description}: it has no name, so downgrade() cannot drop "
                               "it; name it in the models")]
        self.add(phase, description, [AddConstraint(table.name, item, table.schema)], down,
                 _LABEL[kind], _subject(table, item))

    def indexes(self, cur: TableState, new: TableState) -> None:
        def same(index: IndexState, other: IndexState | None) -> bool:
            return other is not None and index_signature(index, self.dialect) == \
                index_signature(other, self.dialect)

        # The index MySQL made for a foreign key is the database's, not the models'.
        old_ix = {i.name: i for i in cur.indexes if not i.implicit}
        new_ix = {i.name: i for i in new.indexes if not i.implicit}
        for name in sorted(old_ix):
            index = old_ix[name]
            if same(index, new_ix.get(name)):
                continue
            notes = []
            if any(fk.columns == index.columns[:len(fk.columns)] for fk in new.foreign_keys):
                notes.append(ReviewNote(
                    f"index {name} on {_shown(cur)} may back a foreign key: MySQL and MariaDB "
                    "refuse to drop it while the key exists"))
            self.add(DROP_CONSTRAINTS, f"drop index {name} on {_shown(cur)}",
                     notes + [DropIndex(name, cur.name, cur.schema)],
                     [CreateIndex(cur.name, index, cur.schema)], "index", f"{name} on {_shown(cur)}")
        for name in sorted(new_ix):
            index = new_ix[name]
            if same(index, old_ix.get(name)):
                continue
            self.add(ADD_CONSTRAINTS, f"add index {name} on {_shown(new)}",
                     [CreateIndex(new.name, index, new.schema)],
                     [DropIndex(name, new.name, new.schema)], "index", f"{name} on {_shown(new)}")
