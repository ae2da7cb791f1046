"""Writing bundles: into a temporary sibling folder, then renamed into place.

A failure or an interrupt leaves either the old bundle or the new one, never a mix. An existing
folder is replaced only when it is sqlbundle's own bundle for the same dialect, or with force.
A file whose bytes are already those of the old bundle's file is hard-linked into the new
folder rather than written again: a rebuild after one new migration changes a handful of a
long history's thousands of files, and a link costs a fraction of a write.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .manifest import MANIFEST
from ..errors import SqlbundleError
from ..modes import folder_mode

if TYPE_CHECKING:  # a run that finds every bundle current writes nothing, imports nothing
    from .bundle import Bundle


def _is_own_bundle(folder: Path, dialect: str) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("tool") == "sqlbundle" and \
        manifest.get("dialect") == dialect


def _write(path: str, data: bytes) -> None:
    # Plain descriptors: a long history's bundle is thousands of small files.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _linked(old: str, new: str, data: bytes) -> bool:
    """Hard-link ``old`` as ``new`` when it holds exactly ``data`` (its size first: most
    changed files change length); False when it does not, or links are not possible here."""
    try:
        info = os.lstat(old)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        with open(old, "rb") as handle:
            if handle.read() != data:
                return False
        os.link(old, new)
    except OSError:
        return False
    return True


def write_bundle(bundle: Bundle, out_dir: Path, *, force: bool = False) -> Path:
    """Write ``bundle`` to ``out_dir/<folder>`` (the dialect, and a tenant's schema) atomically;
    returns that folder."""
    return write_bundles([bundle], out_dir, force=force)[0]


def write_bundles(bundles: list[Bundle], out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write each bundle to ``out_dir/<dialect>``, all or none: every folder is staged before
    any is renamed into place, and a failure while renaming puts back those already moved."""
    targets = [out_dir / bundle.folder for bundle in bundles]
    for bundle, target in zip(bundles, targets):
        if target.exists() and not force and not _is_own_bundle(target, bundle.dialect):
            raise SqlbundleError(
                "refusing to replace a folder that is not a sqlbundle bundle for "
                f"{bundle.dialect}", path=str(target), hint="pass --force to replace it")
    staged: list[Path] = []
    try:
        for bundle, target in zip(bundles, targets):
            staged.append(_stage(bundle, out_dir, target))
        _swap(staged, targets, out_dir)
    except OSError as exc:
        raise SqlbundleError(f"cannot write the bundle: {exc.strerror}",
                             path=str(exc.filename or out_dir)) from None
    finally:
        for temp in staged:
            shutil.rmtree(temp, ignore_errors=True)  # gone already when renamed into place
    return targets


def _stage(bundle: Bundle, out_dir: Path, target: Path) -> Path:
    """The bundle's files in a new hidden sibling of ``target``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{bundle.folder}.tmp-", dir=out_dir))
    try:
        made = {""}
        previous = str(target) if target.is_dir() else None
        for name, text in bundle.files.items():
            folder = name.rpartition("/")[0]
            if folder not in made:
                (temp / folder).mkdir(parents=True, exist_ok=True)
                made.add(folder)
            data = text.encode("utf-8")
            path = os.path.join(temp, name)
            if previous is None or not _linked(os.path.join(previous, name), path, data):
                _write(path, data)
        os.chmod(temp, folder_mode())  # mkdtemp's 0700 would lock out everyone else
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return temp


def _swap(staged: list[Path], targets: list[Path], out_dir: Path) -> None:
    """Rename each staged folder into place; on any failure, undo the renames done so far."""
    done: list[tuple[Path, Path, Path | None]] = []  # (staged, target, old)
    try:
        for temp, target in zip(staged, targets):
            old = None
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=out_dir))
                os.rmdir(old)
                os.replace(target, old)
            done.append((temp, target, old))
            os.replace(temp, target)
    except BaseException:
        for temp, target, old in reversed(done):
            if not temp.exists() and target.exists():
                os.replace(target, temp)
            if old is not None:
                os.replace(old, target)
        raise
    for _, _, old in done:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
