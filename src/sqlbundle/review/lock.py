"""The lock: ``sqlbundle.lock`` in the project root records each revision's source checksum.

A migration that has run in production must never change; committing the lock lets ``sqlbundle
check`` notice when one did. ``sqlbundle lock`` adds revisions not yet locked and refuses to
change the checksum of a locked one unless ``--relock REV`` names it.

**Checksum.** ``sha256`` (hex) of the file's bytes after normalising them so that edits which do
not change a migration's meaning do not count:

1. every ``CRLF`` line ending becomes ``LF``;
2. trailing whitespace (space, tab, CR, form feed, vertical tab) is stripped from every line;
3. trailing blank lines are removed; the remaining lines are joined with ``LF`` and, when there
   is at least one, end with a single ``LF`` (so a missing final newline does not count either).

The file's name and location are not part of the checksum: renaming or moving a migration does
not trip the lock (the lock records the path only to name the file in messages, and ``lock``
updates it).

**Format.** JSON, keys sorted, two-space indent, LF line endings, one trailing newline, so the
bytes depend only on the revisions and their checksums::

    {
      "checksum": "sha256, CRLF->LF, trailing whitespace and trailing blank lines stripped",
      "format": 1,
      "revisions": {
        "3f9a1c7e2b04": {"checksum": "…", "path": "versions/3f9a1c7e2b04_create_customers.py"}
      },
      "tool": "sqlbundle"
    }

Nothing here prints or exits; problems are raised as :class:`SqlbundleError`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from ..errors import SqlbundleError
from ..modes import file_mode
from ..project.model import Project

LOCK_FILE = "sqlbundle.lock"
FORMAT = 1
CHECKSUM_RULE = "sha256, CRLF->LF, trailing whitespace and trailing blank lines stripped"
_TRAILING = b" \t\r\f\v"


def normalized_checksum(data: bytes) -> str:
    """The lock checksum of a file's bytes (see the module docstring)."""
    lines = [line.rstrip(_TRAILING) for line in data.replace(b"\r\n", b"\n").split(b"\n")]
    while lines and not lines[-1]:
        lines.pop()
    body = b"\n".join(lines) + (b"\n" if lines else b"")
    return hashlib.sha256(body).hexdigest()


def file_checksum(path: Path, shown: str | None = None) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SqlbundleError(f"cannot read migration file: {exc.strerror}",
                             path=shown or str(path)) from None
    return normalized_checksum(data)


@dataclass(frozen=True)
class LockEntry:
    revision: str
    path: str  # POSIX, relative to the project root
    checksum: str

    def as_dict(self) -> dict:
        return {"revision": self.revision, "path": self.path, "checksum": self.checksum}


@dataclass(frozen=True)
class Lock:
    entries: dict[str, LockEntry] = field(default_factory=dict)  # revision -> entry


def lock_path(project: Project) -> Path:
    return project.config.root / LOCK_FILE


def render_lock(lock: Lock) -> str:
    """The lock file's text: deterministic, sorted by revision."""
    data = {
        "tool": "sqlbundle",
        "format": FORMAT,
        "checksum": CHECKSUM_RULE,
        "revisions": {rev: {"path": e.path, "checksum": e.checksum}
                      for rev, e in sorted(lock.entries.items())},
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def parse_lock(text: str, shown: str = LOCK_FILE) -> Lock:
    """Read a lock file's text; a corrupt file or one from a newer sqlbundle is an error."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SqlbundleError(f"the lock file is not valid JSON: {exc}", path=shown,
                             hint="restore it from version control, or delete it and run "
                                  "`sqlbundle lock`") from None
    if not isinstance(data, dict) or data.get("tool") != "sqlbundle":
        raise SqlbundleError("not a sqlbundle lock file", path=shown)
    fmt = data.get("format")
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
        raise SqlbundleError(f"unknown lock file format {fmt!r}", path=shown)
    if fmt > FORMAT:
        raise SqlbundleError(
            f"the lock file has format {fmt}, newer than this sqlbundle reads ({FORMAT})",
            path=shown, hint="upgrade sqlbundle")
    if data.get("checksum", CHECKSUM_RULE) != CHECKSUM_RULE:
        raise SqlbundleError(f"unknown checksum rule {data.get('checksum')!r}", path=shown)
    revisions = data.get("revisions")
    if not isinstance(revisions, dict):
        raise SqlbundleError("the lock file has no 'revisions' table", path=shown)
    entries = {}
    for rev, item in revisions.items():
        if not (isinstance(item, dict) and isinstance(item.get("path"), str)
                and isinstance(item.get("checksum"), str) and len(item["checksum"]) == 64):
            raise SqlbundleError(f"bad lock entry for revision {rev!r}", path=shown)
        entries[rev] = LockEntry(rev, item["path"], item["checksum"])
    return Lock(entries)


def read_lock_text(path: Path, shown: str = LOCK_FILE) -> str | None:
    """The lock file's text, or None when there is no lock file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SqlbundleError(f"cannot read the lock file: {exc.strerror}", path=shown) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SqlbundleError("the lock file is not UTF-8", path=shown) from None


def read_lock(path: Path, shown: str = LOCK_FILE) -> Lock | None:
    """The lock at ``path``, or None when there is no lock file."""
    text = read_lock_text(path, shown)
    return None if text is None else parse_lock(text, shown)


def write_lock_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically: a temporary sibling, flushed, then renamed."""
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise SqlbundleError(f"cannot write the lock file: {exc.strerror}",
                             path=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(temp, file_mode())  # mkstemp's 0600 would lock out everyone else
        except OSError:
            pass
        os.replace(temp, path)
    except OSError as exc:
        _remove(temp)
        raise SqlbundleError(f"cannot write the lock file: {exc.strerror}",
                             path=str(path)) from None
    except BaseException:
        _remove(temp)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def current_entries(project: Project) -> dict[str, LockEntry]:
    """Each revision's entry as the files are now (only revisions that have a file)."""
    out = {}
    for script in project.scripts:
        if script.path is None:
            continue
        absolute = project.file_of(script.revision)
        shown = PurePath(script.path).as_posix()
        out[script.revision] = LockEntry(script.revision, shown,
                                         file_checksum(absolute, script.path))
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class Edited:
    """A locked revision whose file no longer matches its locked checksum."""

    locked: LockEntry
    current: LockEntry

    def as_dict(self) -> dict:
        return {"revision": self.locked.revision, "path": self.current.path,
                "locked_path": self.locked.path, "locked_checksum": self.locked.checksum,
                "checksum": self.current.checksum}


@dataclass(frozen=True)
class Moved:
    """A locked revision, unchanged, whose file has a new path."""

    locked: LockEntry
    current: LockEntry

    def as_dict(self) -> dict:
        return {"revision": self.locked.revision, "from": self.locked.path,
                "to": self.current.path}


@dataclass(frozen=True)
class LockStatus:
    """How the migrations compare with the lock."""

    unchanged: tuple[LockEntry, ...]
    edited: tuple[Edited, ...]
    moved: tuple[Moved, ...]
    gone: tuple[LockEntry, ...]  # locked, but no migration has that revision any more
    unlocked: tuple[LockEntry, ...]  # migrations not in the lock yet

    @property
    def ok(self) -> bool:
        return not self.edited and not self.gone

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "unchanged": len(self.unchanged),
            "edited": [e.as_dict() for e in self.edited],
            "moved": [m.as_dict() for m in self.moved],
            "gone": [g.as_dict() for g in self.gone],
            "unlocked": [u.as_dict() for u in self.unlocked],
        }


def compare(locked: Lock, current: dict[str, LockEntry]) -> LockStatus:
    unchanged, edited, moved, gone, unlocked = [], [], [], [], []
    for rev in sorted(set(locked.entries) | set(current)):
        old, new = locked.entries.get(rev), current.get(rev)
        if old is None:
            unlocked.append(new)
        elif new is None:
            gone.append(old)
        elif old.checksum != new.checksum:
            edited.append(Edited(old, new))
        else:
            unchanged.append(old)
            if old.path != new.path:
                moved.append(Moved(old, new))
    return LockStatus(tuple(unchanged), tuple(edited), tuple(moved), tuple(gone),
                      tuple(unlocked))


def lock_status(project: Project, locked: Lock) -> LockStatus:
    return compare(locked, current_entries(project))


@dataclass(frozen=True)
class LockPlan:
    """What ``sqlbundle lock`` would write, and why."""

    lock: Lock
    text: str
    added: tuple[LockEntry, ...]
    relocked: tuple[Edited, ...]
    moved: tuple[Moved, ...]
    dropped: tuple[LockEntry, ...]
    refused: tuple[Edited, ...]  # edited but not named by --relock: nothing may be written
    kept_gone: tuple[LockEntry, ...]  # files gone, kept in the lock (not named by --relock)
    changed: bool  # whether the text differs from the current file

    def as_dict(self) -> dict:
        return {
            "revisions": len(self.lock.entries),
            "added": [e.as_dict() for e in self.added],
            "relocked": [e.as_dict() for e in self.relocked],
            "moved": [m.as_dict() for m in self.moved],
            "dropped": [e.as_dict() for e in self.dropped],
            "refused": [e.as_dict() for e in self.refused],
            "kept_gone": [e.as_dict() for e in self.kept_gone],
            "changed": self.changed,
        }


def _resolve_relock(names: list[str], known: set[str]) -> set[str]:
    out = set()
    for name in names:
        name = name.strip()
        if name in known:
            out.add(name)
            continue
        matches = sorted(rev for rev in known if name and rev.startswith(name))
        if len(matches) == 1:
            out.add(matches[0])
        elif not matches:
            raise SqlbundleError(f"--relock {name}: no locked or current revision has that id")
        else:
            raise SqlbundleError(f"--relock {name}: ambiguous, matches " + ", ".join(matches))
    return out


def plan_lock(project: Project, existing: Lock | None, relock: list[str] | tuple = (),
              previous_text: str | None = None) -> LockPlan:
    """The new lock: add unlocked revisions, update moved paths, re-lock or drop only the
    revisions named in ``relock``. Edited revisions not named end up in ``refused``."""
    existing = existing or Lock()
    current = current_entries(project)
    named = _resolve_relock(list(relock), set(existing.entries) | set(current))
    status = compare(existing, current)
    entries = dict(existing.entries)
    for entry in status.unlocked:
        entries[entry.revision] = entry
    for item in status.moved:
        entries[item.current.revision] = item.current
    relocked = tuple(e for e in status.edited if e.locked.revision in named)
    refused = tuple(e for e in status.edited if e.locked.revision not in named)
    for item in relocked:
        entries[item.current.revision] = item.current
    dropped = tuple(g for g in status.gone if g.revision in named)
    kept = tuple(g for g in status.gone if g.revision not in named)
    for entry in dropped:
        del entries[entry.revision]
    lock = Lock(dict(sorted(entries.items())))
    text = render_lock(lock)
    return LockPlan(lock, text, status.unlocked, relocked, status.moved, dropped, refused, kept,
                    changed=text != previous_text)


def plan_project_lock(project: Project, relock: list[str] | tuple = ()) -> LockPlan:
    """:func:`plan_lock` against the project's own ``sqlbundle.lock`` (read, not written)."""
    path = lock_path(project)
    previous = read_lock_text(path)
    existing = None if previous is None else parse_lock(previous)
    return plan_lock(project, existing, relock, previous)


def write_lock(project: Project, plan: LockPlan) -> Path:
    """Write ``plan`` to the project's ``sqlbundle.lock`` atomically. Refuses a plan that would
    silently drop edits (``plan.refused``)."""
    if plan.refused:
        raise SqlbundleError("refusing to write a lock that re-locks edited migrations "
                             "not named by --relock", path=LOCK_FILE)
    path = lock_path(project)
    write_lock_text(path, plan.text)
    return path
