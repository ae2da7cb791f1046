"""Files sqlbundle writes get the modes the user's umask allows (0644 under 022), not the 0600
of a temporary file: a colleague or the CI user must be able to read them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def run(umask: int, *args, cwd: Path) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
    env.pop("SQLBUNDLE_CONFIG", None)
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True,
                          preexec_fn=lambda: os.umask(umask))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_every_writer_honours_the_umask(tmp_path, umask):
    files, folders = 0o666 & ~umask, 0o777 & ~umask
    run(umask, "init", "proj", "--dialect", "sqlite", cwd=tmp_path)
    project = tmp_path / "proj"
    written = [p for p in project.rglob("*") if p.is_file()]
    assert written and {mode(p) for p in written} == {files}
    run(umask, "revision", "-m", "create things", "--rev-id", "aaaa00000001", cwd=project)
    (migration,) = (project / "versions").glob("aaaa00000001_*.py")
    assert mode(migration) == files
    run(umask, "upgrade", "base:heads", "-d", "sqlite", "-o", "up.sql", cwd=project)
    assert mode(project / "up.sql") == files
    run(umask, "lock", cwd=project)
    assert mode(project / "sqlbundle.lock") == files
    run(umask, "bundle", "-d", "sqlite", cwd=project)
    bundle = project / "bundles" / "sqlite"
    assert mode(bundle) == folders and mode(bundle / "rollback") == folders
    assert {mode(p) for p in bundle.rglob("*") if p.is_file()} == {files}
    cache = [p for p in (project / ".sqlbundle-cache").rglob("*") if p.is_file()]
    assert cache and {mode(p) for p in cache} == {files}
