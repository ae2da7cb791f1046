"""The wheel carries dialects/ and templates/ and works from a fresh virtual environment."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_data_and_runs_in_a_fresh_venv(tmp_path):
    # Build from a copy of the tracked files so the checkout stays clean.
    src = tmp_path / "src"
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    if not files:
        pytest.skip("not a git checkout")
    for name in files:
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, target)
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(src)], check=True, capture_output=True)
    wheel = next(dist.glob("sqlbundle-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("sqlbundle/_data/dialects/postgresql.toml",
                     "sqlbundle/_data/dialects/oracle.toml",
                     "sqlbundle/_data/templates/migration.py.j2",
                     "sqlbundle/_data/templates/project.toml.j2"):
        assert expected in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   capture_output=True)
    exe = env_dir / "bin" / "sqlbundle"
    work = tmp_path / "elsewhere"
    work.mkdir()
    listed = subprocess.run([str(exe), "dialects"], cwd=work, capture_output=True, text=True,
                            check=True).stdout
    assert "postgresql  PostgreSQL  default 16" in listed
    subprocess.run([str(exe), "init", "proj", "--dialect", "mysql@5.7"], cwd=work, check=True,
                   capture_output=True)
    assert '"mysql@5.7"' in (work / "proj" / "sqlbundle.toml").read_text()
    subprocess.run([str(exe), "revision", "-m", "first", "--rev-id", "abc123"], cwd=work / "proj",
                   check=True, capture_output=True)
    heads = subprocess.run([str(exe), "heads"], cwd=work / "proj", capture_output=True,
                           text=True, check=True).stdout
    assert heads == "abc123 (head), first\n"
