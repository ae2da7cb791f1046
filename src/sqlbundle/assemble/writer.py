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

from .bundle import Bundle
from .manifest import MANIFEST
from ..errors import SqlbundleError
from ..modes import folder_mode


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
    """Write ``bundle`` to ``out_dir/<dialect>`` atomically; returns that folder."""
    target = out_dir / bundle.dialect
    if target.exists() and not force and not _is_own_bundle(target, bundle.dialect):
        raise SqlbundleError(
            "refusing to replace a folder that is not a sqlbundle bundle for "
            f"{bundle.dialect}", path=str(target), hint="pass --force to replace it")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{bundle.dialect}.tmp-", dir=out_dir))
    except OSError as exc:
        raise SqlbundleError(f"cannot write the bundle: {exc.strerror}",
                             path=str(exc.filename or out_dir)) from None
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
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{bundle.dialect}.old-", dir=out_dir))
            os.rmdir(old)
            os.replace(target, old)
        os.replace(temp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise SqlbundleError(f"cannot write the bundle: {exc.strerror}",
                             path=str(exc.filename or target)) from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return target
