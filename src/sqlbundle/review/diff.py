"""Comparing bundles: what SQL a change to the migrations really changes.

Two sides, each a set of SQL files keyed by relative path: read from bundle folders on disk, or
built offline from two git revisions of the project. The result is a value (``BundleDiff``);
``unified_text`` and ``render_markdown`` turn it into text. Nothing here prints.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..assemble.manifest import MANIFEST
from ..errors import SqlbundleError
from ..project.templating import render

WORKING_TREE = "working tree"


@dataclass(frozen=True)
class FileChange:
    path: str  # relative POSIX path (prefixed with the dialect when comparing several bundles)
    status: str  # "added", "removed" or "changed"
    diff: str  # unified diff of this file, ending with a newline

    @property
    def fence(self) -> str:
        """A Markdown code fence longer than any backtick run in the diff."""
        longest, run = 0, 0
        for char in self.diff:
            run = run + 1 if char == "`" else 0
            longest = max(longest, run)
        return "`" * max(3, longest + 1)


@dataclass(frozen=True)
class BundleDiff:
    old: str  # labels for the two sides (folder or git revision)
    new: str
    changes: tuple[FileChange, ...]  # sorted by path
    compared: int = 0  # how many distinct file paths were compared

    @property
    def identical(self) -> bool:
        return not self.changes

    def by_status(self, status: str) -> list[str]:
        return [c.path for c in self.changes if c.status == status]

    def summary(self) -> str:
        if self.identical:
            return "no differences"
        parts = [f"{len(self.by_status(s))} {s}" for s in ("added", "removed", "changed")
                 if self.by_status(s)]
        count = len(self.changes)
        return f"{count} file{'s' if count != 1 else ''} differ: " + ", ".join(parts)


# ----------------------------------------------------------------------------- comparing


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def file_diff(path: str, old: str | None, new: str | None, *, context: int = 3) -> str:
    """A unified diff of one file (``None``: the file is missing on that side)."""
    from_file = f"a/{path}" if old is not None else "/dev/null"
    to_file = f"b/{path}" if new is not None else "/dev/null"
    out = difflib.unified_diff(_lines(old or ""), _lines(new or ""), from_file, to_file,
                               n=context)
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def diff_files(old: dict[str, str], new: dict[str, str], *, old_label: str = "old",
               new_label: str = "new", context: int = 3) -> BundleDiff:
    """Compare two ``{relative path: text}`` maps, file by file, in path order."""
    changes = []
    paths = sorted(set(old) | set(new))
    for path in paths:
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        changes.append(FileChange(path, status, file_diff(path, before, after, context=context)))
    return BundleDiff(old_label, new_label, tuple(changes), len(paths))


def sql_files(files: dict[str, str], prefix: str = "") -> dict[str, str]:
    """The ``.sql`` files of a bundle's ``files`` map, optionally under ``prefix/``."""
    head = f"{prefix}/" if prefix else ""
    return {f"{head}{name}": text for name, text in sorted(files.items())
            if name.endswith(".sql")}


# ----------------------------------------------------------------------------- bundle folders


def _is_bundle(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("tool") == "sqlbundle"


def _read_sql_tree(folder: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    for path in sorted(folder.rglob("*.sql")):
        if path.is_file():
            rel = path.relative_to(folder).as_posix()
            try:
                files[rel] = path.read_text("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise SqlbundleError(f"cannot read bundle file: {exc}", path=str(path)) from None
    return files


def read_bundle_dir(folder: Path) -> dict[str, str]:
    """The SQL files of a bundle folder (one holding ``manifest.json``), or of a folder of
    bundles such as the project's ``output_dir`` (keys then start with the dialect folder)."""
    if not folder.is_dir():
        raise SqlbundleError("not a bundle folder: no such directory", path=str(folder))
    if _is_bundle(folder):
        return _read_sql_tree(folder)
    subfolders = sorted(p for p in folder.iterdir() if p.is_dir() and _is_bundle(p))
    if not subfolders:
        raise SqlbundleError(
            f"not a bundle folder: no {MANIFEST} from sqlbundle here or in its subfolders",
            path=str(folder), hint="pass folders written by 'sqlbundle bundle'")
    files: dict[str, str] = {}
    for sub in subfolders:
        files.update(sql_files(_read_sql_tree(sub), sub.name))
    return files


def diff_bundle_dirs(old: Path, new: Path, *, context: int = 3) -> BundleDiff:
    """Compare the SQL files of two bundle folders (or two folders of bundles)."""
    old_files, new_files = read_bundle_dir(old), read_bundle_dir(new)
    return diff_files(old_files, new_files, old_label=str(old), new_label=str(new),
                      context=context)


# ----------------------------------------------------------------------------- git revisions


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=str(cwd), capture_output=True,
                              env=dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C"))
    except FileNotFoundError:
        raise SqlbundleError("git is not installed (or not on PATH)") from None


def _git_error(proc: subprocess.CompletedProcess) -> str:
    text = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    return text[-1] if text else f"git exited with code {proc.returncode}"


def git_toplevel(path: Path) -> Path:
    """The root of the git working tree that holds ``path``."""
    proc = _git(["rev-parse", "--show-toplevel"], path)
    if proc.returncode != 0:
        raise SqlbundleError("not a git repository", path=str(path),
                             hint="--git and --since compare revisions of a project kept "
                                  "in git")
    return Path(proc.stdout.decode("utf-8").strip()).resolve()


def resolve_ref(repo: Path, ref: str) -> str:
    """The commit id ``ref`` names in ``repo``."""
    if not ref.strip() or ref.startswith("-"):
        raise SqlbundleError(f"unknown git revision {ref!r}")
    proc = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
                repo)
    if proc.returncode != 0:
        raise SqlbundleError(f"unknown git revision {ref!r}", path=str(repo),
                             hint="name a commit, branch or tag, e.g. HEAD~1 or main")
    return proc.stdout.decode("ascii").strip()


def changed_since(root: Path, ref: str) -> set[str]:
    """Files under ``root`` (relative to it, POSIX) a branch added or changed since ``ref``:
    the working tree against ``ref``'s merge base with HEAD, new untracked files included
    (what a pull request would show, before it is committed too)."""
    repo = git_toplevel(root)
    commit = resolve_ref(repo, ref)
    base = _git(["merge-base", commit, "HEAD"], repo)
    merge_base = base.stdout.decode("ascii", "replace").strip()
    start = merge_base if base.returncode == 0 and merge_base else commit
    found: list[str] = []
    for args in (["diff", "--name-only", "--no-renames", "-z", start, "--"],
                 ["ls-files", "--others", "--exclude-standard", "-z"]):
        proc = _git(args, repo)
        if proc.returncode != 0:
            raise SqlbundleError(f"git {args[0]} failed: {_git_error(proc)}", path=str(repo))
        found += [name for name in proc.stdout.decode("utf-8", "surrogateescape").split("\0")
                  if name]
    out = set()
    real_root = root.resolve()
    for name in found:
        path = (repo / name).resolve()
        if path.is_relative_to(real_root):
            out.add(path.relative_to(real_root).as_posix())
    return out


def _extract(repo: Path, commit: str, dest: Path) -> None:
    proc = _git(["archive", "--format=tar", commit], repo)
    if proc.returncode != 0:
        raise SqlbundleError(f"git archive {commit[:12]} failed: {_git_error(proc)}")
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(dest, filter="data")
        else:  # pragma: no cover - Python < 3.10.12
            archive.extractall(dest)


@contextmanager
def checkout(repo: Path, ref: str) -> Iterator[Path]:
    """A temporary copy of the tree of ``ref`` (committed files only); removed afterwards."""
    commit = resolve_ref(repo, ref)
    temp = Path(tempfile.mkdtemp(prefix="sqlbundle-diff-"))
    try:
        _extract(repo, commit, temp)
        yield temp
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def build_sql(project_location: Path, targets: Sequence[str] | None, range_text: str, *,
              use_cache: bool | None = None) -> tuple[dict[str, str], tuple[str, ...]]:
    """Open the project at ``project_location`` (a folder or config file), build a bundle per
    target and return its SQL files keyed ``<dialect>/<path>``, and the targets built."""
    from ..assemble.bundle import build_bundle
    from ..project.model import open_project

    project = open_project(project_location, use_cache=use_cache)
    chosen = tuple(targets) if targets else tuple(project.config.dialects)
    files: dict[str, str] = {}
    for target in chosen:
        bundle = build_bundle(project, range_text, target)
        files.update(sql_files(bundle.files, bundle.dialect))
    return files, chosen


def _where(location: Path, root: Path) -> Path:
    try:
        return location.resolve().relative_to(root)
    except ValueError:
        raise SqlbundleError("the project is not inside the git repository", path=str(location)
                             ) from None


def diff_git(project_location: Path, old_ref: str, new_ref: str | None = None, *,
             targets: Sequence[str] | None = None, range_text: str = "base:heads",
             context: int = 3) -> BundleDiff:
    """Build the project at two git revisions (``new_ref`` None: the working tree) and compare
    the SQL of their bundles. ``project_location`` is the project folder or its config file in
    the working tree; the same relative path is used inside each revision."""
    location = project_location.resolve()
    repo = git_toplevel(location if location.is_dir() else location.parent)
    relative = _where(location, repo)
    # Check both refs before building anything: a typo fails fast.
    resolve_ref(repo, old_ref)
    if new_ref is not None:
        resolve_ref(repo, new_ref)

    def side(ref: str | None, chosen: Sequence[str] | None
             ) -> tuple[dict[str, str], tuple[str, ...]]:
        if ref is None:
            return build_sql(location, chosen, range_text)
        with checkout(repo, ref) as tree:
            place = tree / relative
            if not place.exists():
                raise SqlbundleError(f"{ref}: the project ({relative.as_posix() or '.'}) does "
                                     "not exist at this revision")
            try:
                return build_sql(place, chosen, range_text, use_cache=False)
            except SqlbundleError as exc:
                exc.message = f"at {ref}: {exc.message}"
                raise

    # The new side decides the default dialects: that is the configuration under review.
    new_files, chosen = side(new_ref, targets)
    old_files, _ = side(old_ref, chosen)
    return diff_files(old_files, new_files, old_label=old_ref,
                      new_label=new_ref if new_ref is not None else WORKING_TREE,
                      context=context)


# ----------------------------------------------------------------------------- output


def unified_text(result: BundleDiff) -> str:
    """Every file's unified diff, in path order ("" when identical)."""
    return "".join(change.diff for change in result.changes)


def render_markdown(result: BundleDiff, templates_dir: Path | None = None) -> str:
    """A change ticket: summary, then a fenced ``diff`` block per file."""
    return render("diff.md.j2", templates_dir, old=result.old, new=result.new,
                  summary=result.summary(), identical=result.identical,
                  changes=result.changes, compared=result.compared,
                  added=result.by_status("added"), removed=result.by_status("removed"),
                  changed=result.by_status("changed"))
