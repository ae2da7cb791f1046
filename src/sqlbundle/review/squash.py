"""Squashing: replace the history up to a revision by one baseline migration.

The baseline keeps the revision's id, so a database at that revision (or past it) needs
nothing: its version row still names a revision of the history, and the revisions after it
still name it as their ``down_revision``. Its ``upgrade()`` creates the schema the history
replays to at that revision, written as autogenerate writes a migration (``compare_states``
from an empty schema, then ``render_ops_python``); its ``downgrade()`` drops everything. The
file names the ids it replaces (a ``replaces`` tuple and a ``Replaces:`` docstring line).

``plan_squash`` returns a value and changes nothing in the project: it refuses what a squash
cannot carry (raw DDL the replay cannot follow, data changes unless told, an ancestry other
revisions still build on, locked files unless told) and proves the baseline before anyone
writes it, by replaying it (from a staging folder outside the project) for every configured
dialect and comparing the schema with the history's. ``write_squash`` then makes the change
all or nothing.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any

from ..errors import ResolutionError, SqlbundleError
from ..modes import file_mode
from ..project.model import Project
from ..project.scaffold import NewFile
from .lock import Lock, LockEntry, lock_path, normalized_checksum, read_lock, render_lock

# A raw statement that changes the schema; anything else an ``execute`` runs writes data.
_DDL = re.compile(r"(^|;)\s*(CREATE|ALTER|DROP|RENAME|COMMENT)\b", re.IGNORECASE)
_DML = re.compile(r"(^|;)\s*(INSERT|UPDATE|DELETE|MERGE|REPLACE|COPY|UPSERT|CALL|EXEC|DO)\b",
                  re.IGNORECASE)


@dataclass(frozen=True)
class SquashPlan:
    """What ``squash`` would change: the baseline file, the files it replaces, the lock."""

    revision: str  # the revision squashed to; the baseline keeps its id
    replaces: tuple[str, ...]  # the other revisions the baseline replaces, sorted
    new_file: NewFile
    removed: tuple[Path, ...]  # every replaced file, the revision's own included, sorted
    lock_text: str | None  # the new sqlbundle.lock, or None when it stays as it is
    lock_dropped: tuple[str, ...]  # locked revisions whose entries the new lock drops
    dialects: tuple[str, ...]  # the targets the baseline was proved for
    data_dropped: tuple[str, ...]  # "rev: what" for data changes the baseline does not carry

    def as_dict(self) -> dict:
        return {"revision": self.revision, "replaces": list(self.replaces),
                "new_file": str(self.new_file.path), "removed": [str(p) for p in self.removed],
                "lock_updated": self.lock_text is not None,
                "lock_dropped": list(self.lock_dropped), "dialects": list(self.dialects),
                "data_dropped": list(self.data_dropped)}


def plan_squash(project: Project, to: str, message: str, include_locked: bool = False, *,
                without_data: bool = False) -> SquashPlan:
    """The baseline replacing the history up to ``to``, proved for every configured dialect.
    ``include_locked``: replacing locked revisions is allowed (their lock entries go, the
    baseline's is added). ``without_data``: data changes (``bulk_insert``, ``INSERT``...) in
    the replaced revisions are allowed to go (new databases will not have those rows)."""
    from ..compile.steps import replayed_state

    config = project.config
    if not message.strip():
        raise SqlbundleError("squash needs a message (-m) for the baseline migration")
    rev = _resolve(project, to)
    graph = project.graph
    ancestry = graph.ancestors([rev])
    _check_closed(project, rev, ancestry)
    if all(s.kind != "python" for s in project.scripts):
        raise SqlbundleError(
            "this project's migrations are all SQL files; squash writes a Python baseline",
            hint="squash works on projects with Python migrations; for a SQL-only history, "
                 "write the baseline by hand from `sqlbundle upgrade base:REV`")
    if config.baseline or config.baseline_sql:
        raise SqlbundleError(
            "the project starts from a baseline setting (baseline / baseline_sql); a squashed "
            "baseline would create those tables a second time",
            hint="squash a project whose history creates every table")
    removed = tuple(sorted(project.file_of(r) for r in ancestry))
    dropped = _locked(project, ancestry, include_locked)
    states = {name: replayed_state(project, rev, name) for name in config.dialects}
    data = _check_history(project, rev, states, without_data)
    name, text = _baseline_text(project, rev, ancestry, message, states[config.dialects[0]])
    new_file = NewFile(_folder(project, rev) / name, text)
    if new_file.path.exists() and new_file.path not in removed:
        raise SqlbundleError("file already exists", path=str(new_file.path),
                             hint="pick another message (-m)")
    _prove(project, rev, new_file, states)
    lock_text = None
    if dropped:
        lock = read_lock(lock_path(project)) or Lock()
        entries = {k: v for k, v in lock.entries.items() if k not in ancestry}
        shown = PurePath(os.path.relpath(new_file.path, config.root)).as_posix()
        entries[rev] = LockEntry(rev, shown, normalized_checksum(text.encode("utf-8")))
        lock_text = render_lock(Lock(dict(sorted(entries.items()))))
    return SquashPlan(rev, _replaces(project, rev, ancestry), new_file, removed, lock_text,
                      dropped, tuple(config.dialects), data)


# ------------------------------------------------------------------ what may be squashed


def _resolve(project: Project, to: str) -> str:
    graph = project.graph
    if len(graph) == 0:
        raise SqlbundleError("the history is empty: there is nothing to squash")
    if to.strip() in ("", "base") or to.strip().endswith("@base"):
        raise ResolutionError(f"--to {to}: squash needs a revision, not base",
                              hint="name the revision the baseline should stand for")
    try:
        return graph.resolve_single(to)
    except ResolutionError as exc:
        raise ResolutionError(f"--to {to}: {exc.message}", hint=exc.hint) from None


def _check_closed(project: Project, rev: str, ancestry: set[str]) -> None:
    """Only ``rev`` may be named from outside the replaced part: a revision after it that
    builds on a replaced revision (a branch leaving the squashed part below ``rev``) would lose
    its parent."""
    graph = project.graph
    outside = []
    for other in graph.revisions:
        if other in ancestry:
            continue
        named = set(graph.get(other).down_revisions) | set(graph.dependencies(other))
        for parent in sorted(named & ancestry - {rev}):
            outside.append(f"{other} builds on {parent}")
    if outside:
        raise SqlbundleError(
            f"cannot squash to {rev}: revisions outside its history build on revisions it would "
            "replace (" + "; ".join(outside) + ")",
            hint="squash to a revision every other branch leaves from or merges into (e.g. the "
                 "merge of those branches), or merge them first")


def _locked(project: Project, ancestry: set[str], include_locked: bool) -> tuple[str, ...]:
    """The locked revisions among those replaced (their entries go, the baseline's comes);
    refused unless ``include_locked``."""
    lock = read_lock(lock_path(project))
    locked = tuple(sorted(r for r in (lock.entries if lock else {}) if r in ancestry))
    if locked and not include_locked:
        raise SqlbundleError(
            f"{len(locked)} revision(s) to replace are locked (they may have run in "
            "production): " + ", ".join(locked), path="sqlbundle.lock",
            hint="pass --include-locked to replace them anyway; the lock then records the "
                 "baseline instead")
    return locked


def _check_history(project: Project, rev: str, states: dict[str, Any], without_data: bool
                   ) -> tuple[str, ...]:
    """Refuse raw DDL the replay could not follow (its effect would be missing from the
    baseline); return the data changes, refused unless ``without_data``."""
    from ..cache import Caches
    from ..compile.steps import compile_range

    # Without the step cache: an entry it holds carries another observer's findings (lint's).
    uncached = replace(project, caches=Caches.off())
    first = project.config.dialects[0]
    opaque = [name for name, state in states.items() if state.opaque]
    found: dict[str, list[str]] = {}
    for name in dict.fromkeys([first, *opaque[:1]]):
        for step in compile_range(uncached, f"base:{rev}", name, observe=_observe).steps:
            made_opaque, data = step.observed
            if made_opaque:
                raise SqlbundleError(
                    f"revision {step.script.revision} runs raw SQL that the replayed schema "
                    f"cannot follow for {name}, so a baseline written from that schema could "
                    "miss what it did", path=step.script.path,
                    hint="squash to a revision before it, or write that change with op.* calls")
            if data and name == first:
                found[step.script.revision] = list(data)
    if opaque:  # made opaque before the range (a revision that cannot run offline)
        raise SqlbundleError(f"the history up to {rev} runs SQL that the replayed schema "
                             f"cannot follow for {opaque[0]}; a baseline could miss it")
    notes = tuple(f"{r} ({project.script(r).path}): {d}" for r, ds in found.items() for d in ds)
    if notes and not without_data:
        raise SqlbundleError(
            "the revisions to replace change data, which a schema baseline does not carry:\n  "
            + "\n  ".join(notes),
            hint="pass --without-data if new databases need none of it (databases that ran "
                 "them keep their rows), or squash to a revision before them")
    return notes


def _observe(step: Any, script: Any, ops: tuple, traced: list, before: Any, after: Any
             ) -> tuple[bool, tuple[str, ...]]:
    """Per step: whether it made the schema opaque, and its data changes, described."""
    data = tuple(op.describe() for op in ops if _writes_data(op))
    return (after.opaque and not before.opaque, data)


def _writes_data(op: Any) -> bool:
    if op.kind == "bulk_insert":
        return True
    if op.kind != "execute":
        return False
    sql = op.sql if isinstance(op.sql, str) else getattr(op.sql, "text", None)
    if not isinstance(sql, str):
        return True  # a Core insert/update (or something it cannot read): assume data
    return bool(_DML.search(sql)) or not _DDL.search(sql)


# ------------------------------------------------------------------ the baseline file


def _baseline_text(project: Project, rev: str, ancestry: set[str], message: str,
                   state: Any) -> tuple[str, str]:
    """The baseline migration's file name and text: the project's template with the bodies
    autogenerate writes from an empty schema, ``replaces`` in the module and its docstring."""
    from ..autogen.api import compare_states, render_ops_python, with_imports
    from ..profile import load_profile
    from ..render.context import sa_dialect
    from ..project.scaffold import plan_revision
    from ..schema.state import SchemaState

    config = project.config
    profile = load_profile(config.dialects[0])
    named = any(load_profile(d).named_enums for d in config.dialects)
    comparison = compare_states(SchemaState(), state, sa_dialect(profile), named_enums=named)
    upgrade = render_ops_python(comparison.upgrade)
    downgrade = render_ops_python(comparison.downgrade)
    graph = project.graph
    labels = tuple(sorted({label for r in ancestry for label in graph.get(r).branch_labels}))
    with tempfile.TemporaryDirectory(prefix="sqlbundle-squash-") as staging:
        # Planned as the first revision of an empty history in an empty folder: the template
        # and the name stay scaffold's, and nothing collides with the files it replaces.
        squashed = replace(project, config=replace(config, version_locations=(Path(staging),)),
                           scripts=())
        new_file, _ = plan_revision(squashed, message, rev_id=rev, parents=(),
                                    branch_labels=labels, upgrade_body=upgrade.body,
                                    downgrade_body=downgrade.body)
    text = with_imports(new_file.text, sorted(set(upgrade.imports) | set(downgrade.imports)))
    return new_file.path.name, _with_replaces(text, _replaces(project, rev, ancestry))


def _replaces(project: Project, rev: str, ancestry: set[str]) -> tuple[str, ...]:
    """The ids the baseline stands for, sorted: the revisions replaced now and those an
    earlier baseline among them replaced (its ``replaces``, read statically), so a second
    squash still names every revision a database's version row may hold."""
    import ast

    found = set(ancestry - {rev})
    for other in ancestry:
        if project.script(other).kind != "python":
            continue
        try:
            tree = ast.parse(project.file_of(other).read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue  # the loader read this file already; an earlier baseline is plain text
        for node in tree.body:
            if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] \
                    == ["replaces"]:
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    continue
                if isinstance(value, tuple):
                    found.update(v for v in value if isinstance(v, str))
    return tuple(sorted(found - {rev}))


def _with_replaces(text: str, replaces: tuple[str, ...]) -> str:
    """``text`` with a ``Replaces:`` docstring line and a ``replaces`` tuple, placed after
    ``Revises:`` and ``depends_on`` (a custom template without them gets them at the end of
    its module header)."""
    lines = text.split("\n")
    shown = ", ".join(replaces) or "(nothing)"
    at = next((i for i, line in enumerate(lines) if line.startswith("Revises:")), None)
    if at is not None:
        lines.insert(at + 1, f"Replaces: {shown} (squashed)")
    value = "(" + "".join(f'\n    "{r}",' for r in replaces) + "\n)" if replaces else "()"
    anchor = next((i for i, line in enumerate(lines) if line.startswith("depends_on =")), None)
    if anchor is None:
        anchor = next((i - 1 for i, line in enumerate(lines) if line.startswith("def ")),
                      len(lines))
    lines[anchor + 1:anchor + 1] = [
        "", "# The revisions this baseline replaces (sqlbundle squash).", f"replaces = {value}"]
    return "\n".join(lines)


def _folder(project: Project, rev: str) -> Path:
    """Where the revision's own file is, when that is a versions folder."""
    folder = project.file_of(rev).parent
    return folder if folder in project.config.version_locations else \
        project.config.version_locations[0]


def _prove(project: Project, rev: str, new_file: NewFile, states: dict[str, Any]) -> None:
    """Replay the baseline alone (from a staging folder) for every dialect and refuse unless
    it builds the schema the history builds at ``rev``."""
    from ..autogen.api import compare_states
    from ..cache import Caches
    from ..compile.steps import replayed_state
    from ..profile import load_profile
    from ..render.context import sa_dialect
    from ..source.loader import load_scripts

    config = project.config
    differences: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sqlbundle-squash-") as staging:
        folder = Path(staging)
        (folder / new_file.path.name).write_text(new_file.text, encoding="utf-8")
        scripts = load_scripts([folder], display_root=config.root)
        trial = Project(replace(config, version_locations=(folder,)), tuple(scripts),
                        Caches.off())
        for name, expected in states.items():
            profile = load_profile(name)
            built = replayed_state(trial, rev, profile)
            comparison = compare_states(built, expected, sa_dialect(profile),
                                        named_enums=profile.named_enums)
            differences += [f"{name}: {text}" for text in comparison.descriptions]
    if differences:
        raise SqlbundleError(
            f"the baseline would not build the schema the history builds at {rev}:\n  "
            + "\n  ".join(differences),
            hint="nothing was written; squash to another revision, or report this as a bug")


# ------------------------------------------------------------------ writing


def write_squash(project: Project, plan: SquashPlan) -> None:
    """Make ``plan`` all or nothing: the baseline and the lock are staged as temporary
    siblings, the replaced files moved aside, everything renamed into place, and only then
    the moved files deleted; any failure before that puts every file back."""
    for path in plan.removed:
        if not path.is_file():
            raise SqlbundleError("a file to replace is gone since the squash was planned",
                                 path=str(path), hint="run squash again")
    token = uuid.uuid4().hex[:8]  # one name shared by this run's files
    staged: list[Path] = []
    aside: list[tuple[Path, Path]] = []
    placed = False
    try:
        new_tmp = _stage(plan.new_file.path.parent, plan.new_file.text, token)
        staged.append(new_tmp)
        lock_tmp = None
        if plan.lock_text is not None:
            lock_tmp = _stage(lock_path(project).parent, plan.lock_text, token)
            staged.append(lock_tmp)
        for path in plan.removed:
            moved = path.with_name(f".{path.name}.squash-{token}")
            os.replace(path, moved)
            aside.append((path, moved))
        os.replace(new_tmp, plan.new_file.path)
        placed = True
        if lock_tmp is not None:
            os.replace(lock_tmp, lock_path(project))
    except OSError as exc:
        if placed:
            _unlink(plan.new_file.path)
        for path, moved in reversed(aside):
            os.replace(moved, path)
        for path in staged:
            _unlink(path)
        raise SqlbundleError(f"cannot squash: {exc.strerror}; nothing was changed",
                             path=str(exc.filename or plan.new_file.path)) from None
    for _, moved in aside:
        _unlink(moved)


def _stage(folder: Path, text: str, token: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".squash-{token}-", suffix=".tmp", dir=folder)
    os.fchmod(fd, file_mode())  # mkstemp's 0600 would lock out everyone else
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return Path(name)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
