"""``sqlbundle drift``: a schema dump a DBA hands over, compared with the replayed history.

No connection: the dump is read with sqlglot (``schema.dumps``). It is compared with the
schema at the revision its version table records, or the one asked for, or, when the dump
has no version rows, the revision whose schema it is closest to (named, with how close).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import progress
from ..errors import SqlbundleError
from ..profile import Profile, parse_target
from ..project.model import Project
from ..schema.state import SchemaState
from .schemadiff import Difference, schema_differences


@dataclass(frozen=True)
class DriftReport:
    dump: str  # the dump's path as given
    target: str
    revisions: tuple[str, ...]  # what the dump was compared with
    chosen_by: str  # "version table", "--at" or "closest"
    differences: tuple[Difference, ...]
    skipped: tuple[str, ...]  # dump statements that could not be read ("FILE:LINE: ...")

    @property
    def drifted(self) -> bool:
        return bool(self.differences)

    def as_dict(self) -> dict[str, Any]:
        return {"dump": self.dump, "target": self.target, "revisions": list(self.revisions),
                "chosen_by": self.chosen_by, "drifted": self.drifted,
                "differences": [d.as_dict() for d in self.differences],
                "skipped": list(self.skipped)}

    def heading(self) -> str:
        at = ", ".join(self.revisions) or "base"
        how = {"version table": "the revision its version table records",
               "--at": "the revision asked for",
               "closest": "the closest revision (the dump has no version rows)"}[self.chosen_by]
        return f"{self.dump} ({self.target}) against the history at {at}, {how}"


def drift(project: Project, dump: Path, target: str | Profile, at: str | None = None
          ) -> DriftReport:
    from ..compile.steps import replayed_state
    from ..render.context import sa_dialect
    from ..schema.dumps import read_dump
    from ..schema.reflected import as_replayed

    profile = parse_target(target)
    try:
        text = dump.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SqlbundleError(f"{dump}: no such file") from None
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        raise SqlbundleError(f"{dump}:{line}: not UTF-8 text ({exc.reason})",
                             hint="pass the text a dump tool writes") from None
    except OSError as exc:
        raise SqlbundleError(f"{dump}: cannot read it ({exc.strerror})") from None
    config = project.config
    found = read_dump(text, str(dump), profile, config.version_table,
                      source_dialect=config.source_dialect)
    graph = project.graph
    if at is not None:
        revisions, how = tuple(sorted(graph.resolve(at).revisions)), "--at"
    elif found.versions is not None:
        known = set(graph.revisions)
        unknown = [v for v in found.versions if v not in known]
        if unknown:
            raise SqlbundleError(
                f"{dump}: its version table records {', '.join(unknown)}, which this history "
                "does not have", hint="compare with a revision of this history: --at REV")
        revisions, how = tuple(found.versions), "version table"
    else:
        revisions, how = _closest(project, profile, found.state), "closest"
    history = replayed_state(project, ",".join(revisions) or "base", profile)
    database = as_replayed(found.state, profile, sa_dialect(profile), history)
    return DriftReport(str(dump), profile.target, revisions, how,
                       schema_differences(database, history, profile), found.skipped)


def _table_names(table: Any) -> frozenset[str]:
    """What the closeness score counts of a table: its columns, indexes and named
    constraints (the table itself counts once)."""
    return frozenset(
        ["", *(f".{c.name}" for c in table.columns),
         *(f" index {ix.name}" for ix in table.indexes if not ix.implicit),
         *(f" constraint {n}" for n in table.constraint_names())])


def _closest(project: Project, profile: Profile, dumped: SchemaState) -> tuple[str, ...]:
    """The revision whose schema has the fewest names the dump lacks or adds; among equals,
    the fewest differences in full, then the latest."""
    from ..compile.replay import revision_states
    from ..compile.steps import replay_to

    wanted = {t.key: _table_names(t) for t in dumped.tables.values()}
    absent = sum(len(names) for names in wanted.values())  # every wanted name, none found
    # Tables a revision leaves alone are the same objects in the next state: score each once.
    seen: dict[int, tuple[Any, int, int]] = {}
    scored: list[tuple[int, int, str, SchemaState]] = []
    total = len(project.graph.revisions)
    for order, (rev, state) in enumerate(revision_states(replay_to(project, "heads", profile))):
        progress.step(f"closest revision ({profile.target})", order, total, rev)
        score = absent
        for table in state.tables.values():
            known = seen.get(id(table))
            if known is None or known[0] is not table:
                names = _table_names(table)
                want = wanted.get(table.key, frozenset())
                known = seen[id(table)] = (table, len(names ^ want), len(want))
            score += known[1] - known[2]
        scored.append((score, -order, rev, state))
    progress.clear()
    if not scored:
        return ()
    from ..render.context import sa_dialect
    from ..schema.reflected import as_replayed

    best = min(score for score, *_ in scored)
    # Revisions that differ in types or defaults only tie on names: compare those in full
    # (the latest few, which is where a database usually is).
    ties = sorted((item for item in scored if item[0] == best), key=lambda item: item[1])
    dialect = sa_dialect(profile)
    ranked = [(len(schema_differences(as_replayed(dumped, profile, dialect, state), state,
                                      profile)), order, rev)
              for _, order, rev, state in ties[:_TIES]]
    return (min(ranked)[2],)


_TIES = 25  # revisions compared in full when names alone cannot tell them apart
