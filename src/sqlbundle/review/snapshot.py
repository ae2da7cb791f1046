"""``sqlbundle schema``: the replayed schema at a revision, as a CREATE script for a dialect,
as a stable JSON description, or as Markdown for a ticket.

The CREATE script is what autogenerate writes for an empty database against the schema at
the revision, rendered by the same renderers as a bundle; before it is returned, its own
operations are replayed and must give back the same schema, so a form the renderers cannot
write is an error rather than a script that builds something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..errors import SqlbundleError
from ..profile import Profile, parse_target
from ..project.model import Project
from ..schema.state import SchemaState, TableState

FORMAT = 1  # of the JSON description


@dataclass(frozen=True)
class Snapshot:
    revision_text: str  # as asked for ("heads", an id, a label)
    revisions: tuple[str, ...]  # the revisions the schema is at (resolved, sorted)
    profile: Profile
    state: SchemaState


def take_snapshot(project: Project, revision_text: str, target: str | Profile) -> Snapshot:
    """The schema the history builds up to ``revision_text`` for ``target``; an error when
    raw SQL left part of it unknown (the script would silently miss it)."""
    from ..compile.steps import replayed_state

    profile = parse_target(target)
    revisions = tuple(sorted(project.graph.resolve(revision_text).revisions))
    state = replayed_state(project, revision_text, profile)
    if state.opaque:
        raise SqlbundleError(
            f"the history up to {revision_text} runs raw SQL that the replayed schema cannot "
            "follow, so the schema there is not fully known",
            hint="`sqlbundle lint` names the statements (SBL012); write them with op.* calls")
    partial = [t.display for t in state.tables.values() if t.partial]
    if partial:
        raise SqlbundleError(
            f"only part of table(s) {', '.join(sorted(partial))} is known at {revision_text} "
            "(filled in from migration hints), so their CREATE statements cannot be written")
    return Snapshot(revision_text, revisions, profile, state)


def _comparison(start: SchemaState, end: SchemaState, profile: Profile) -> Any:
    from ..autogen.api import compare_states
    from ..render.context import sa_dialect

    return compare_states(start, end, sa_dialect(profile), named_enums=profile.named_enums)


def snapshot_sql(project: Project, snapshot: Snapshot, *, stamp: bool = False) -> str:
    """The CREATE script: enum types, tables parents first, indexes, foreign keys that close
    a cycle; with ``stamp`` the version table and its rows last."""
    from ..assemble.framing import preamble, terminate
    from ..compile.steps import render_step
    from ..render.context import sa_dialect
    from ..source.script import Script

    profile = snapshot.profile
    dialect = sa_dialect(profile)
    from ..autogen.api import ReviewNote

    # Review notes (a schema that must exist first) are for migration authors, not SQL.
    ops = tuple(op for op in _comparison(SchemaState(naming=snapshot.state.naming),
                                         snapshot.state, profile).upgrade
                if not isinstance(op, ReviewNote))
    script = Script("schema", path="<schema>")
    built, (statements, _copies, diagnostics, *_rest) = render_step(
        script, ops, SchemaState(naming=snapshot.state.naming), profile, dialect)
    if diagnostics:
        raise SqlbundleError(f"the schema cannot be written for {profile.target}: "
                             f"{diagnostics[0]}")
    left = _comparison(built, snapshot.state, profile)
    if not left.empty:
        raise SqlbundleError(
            f"the CREATE script for {profile.target} would not build the replayed schema: "
            + "; ".join(left.descriptions[:5]))
    shown = ", ".join(snapshot.revisions) or "base"
    lines = [f"-- Schema at {shown} for {profile.target} ({profile.title}), written by "
             f"sqlbundle {__version__} from the replayed history",
             f"-- apply with: {profile.apply.format(file='<this file>')}"]
    lines += [f"-- {note}" for note in profile.header_notes]
    lines += preamble(profile)
    body = [terminate(s, profile) for s in statements]
    if stamp and snapshot.revisions:
        body += _stamp(project, snapshot)
    if profile.begin and all(not s.autocommit for s in statements):
        body = [profile.begin, *body, profile.commit]
    elif profile.commit and stamp:
        body.append(profile.commit)  # the version rows are DML (Oracle commits them here)
    if not statements:
        lines.append("-- no tables at this revision")
    return "\n".join(lines + body) + "\n"


def _stamp(project: Project, snapshot: Snapshot) -> list[str]:
    from ..assemble.framing import terminate
    from ..compile.stamp import compile_stamp

    plan = compile_stamp(project, snapshot.revision_text, snapshot.profile)
    (step,) = plan.steps
    return [terminate(s, snapshot.profile)
            for s in (*step.creates_version_table, *step.version)]


# ---------------------------------------------------------------------------- description


class _Forms:
    """Types and defaults as the dialect writes them (autogenerate's comparison keys)."""

    def __init__(self, profile: Profile) -> None:
        from ..autogen.typeforms import TypeForms
        from ..render.context import sa_dialect

        self.forms = TypeForms()
        self.forms.dialect = sa_dialect(profile)
        self.forms.ddl = self.forms.dialect.ddl_compiler(self.forms.dialect, None)
        self.forms.named_enums = profile.named_enums

    def column(self, col: Any) -> dict[str, Any]:
        computed = col.computed
        return {"name": col.name, "type": self.forms.type_key(col.type),
                "nullable": bool(col.nullable), "default": self.forms.default_text(col),
                "identity": col.identity is not None,
                "computed": _text(computed.sqltext, self.forms.dialect) if computed else None,
                "comment": col.comment or None}


def _text(expr: Any, dialect: Any) -> str:
    from ..autogen.values import expression_text

    return expr if isinstance(expr, str) else expression_text(expr, dialect)


def _table(table: TableState, forms: _Forms) -> dict[str, Any]:
    dialect = forms.forms.dialect
    pk = table.primary_key
    out: dict[str, Any] = {
        "name": table.name,
        "schema": table.schema,
        "columns": [forms.column(col) for col in table.columns],
        "primary_key": {"name": pk.known_name, "columns": list(pk.columns)} if pk else None,
        "foreign_keys": sorted(({
            "name": fk.known_name, "columns": list(fk.columns),
            "referred_table": fk.referred_table, "referred_schema": fk.referred_schema,
            "referred_columns": list(fk.referred_columns),
            "ondelete": fk.ondelete, "onupdate": fk.onupdate} for fk in table.foreign_keys),
            key=_by_name),
        "unique_constraints": sorted(({"name": u.known_name, "columns": list(u.columns)}
                                      for u in table.uniques), key=_by_name),
        "check_constraints": sorted(({"name": c.known_name,
                                      "condition": _text(c.sqltext, dialect)}
                                     for c in table.checks), key=_by_name),
        "indexes": sorted(({"name": ix.name, "unique": ix.unique,
                            "expressions": [_text(e, dialect) for e in ix.expressions],
                            "options": {k: v if isinstance(v, (bool, int, str)) else
                                        _text(v, dialect) for k, v in ix.kwargs},
                            "implicit": ix.implicit}
                           for ix in table.indexes), key=_by_name),
    }
    out["exclude_constraints"] = sorted(({"name": x.known_name,
                                          "elements": [list(e) for e in x.elements],
                                          "using": x.using, "where": x.where}
                                         for x in table.excludes), key=_by_name)
    out["comment"] = table.comment or None
    return out


def _by_name(item: dict[str, Any]) -> tuple[str, str]:
    return (item["name"] or "", repr(item.get("columns") or item.get("condition")))


def snapshot_data(snapshot: Snapshot) -> dict[str, Any]:
    """A stable, sorted description: tables by schema and name (columns in table order),
    constraints and indexes by name, types and defaults as the dialect writes them."""
    forms = _Forms(snapshot.profile)
    tables = sorted(snapshot.state.tables.values(), key=lambda t: (t.schema or "", t.name))
    enums = [{"name": name, "schema": schema, "values": list(values)}
             for (schema, name), values in sorted(snapshot.state.enums.items(),
                                                  key=lambda kv: (kv[0][0] or "", kv[0][1]))]
    return {"format": FORMAT, "revisions": list(snapshot.revisions),
            "target": snapshot.profile.target, "enums": enums,
            "tables": [_table(t, forms) for t in tables]}


def snapshot_markdown(project: Project, snapshot: Snapshot) -> str:
    from ..project.templating import render

    data = snapshot_data(snapshot)
    return render("schema.md.j2", project.config.templates_dir, title=snapshot.profile.title,
                  **data).rstrip("\n") + "\n"
