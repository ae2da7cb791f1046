"""Progress on stderr: shown on a terminal for long builds, never anywhere else."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from sqlbundle import progress
from sqlbundle.cache import Caches
from sqlbundle.compile.steps import compile_range
from sqlbundle.project.model import open_project

SHOP = Path(__file__).resolve().parent.parent / "samples" / "shop"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def shop():
    from dataclasses import replace

    project = open_project(SHOP, use_cache=False)
    return replace(project, caches=Caches.off())


def test_a_build_on_a_terminal_shows_counts_and_the_step_then_clears_the_line(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "EVERY", 0.0)
    monkeypatch.setenv("SQLBUNDLE_JOBS", "1")
    terminal = Terminal()
    progress.enable(terminal)
    try:
        compiled = compile_range(shop(), "base:heads", "postgresql")
    finally:
        progress.disable()
    shown = terminal.getvalue()
    total = len(compiled.steps)
    assert f"\rupgrade postgresql@16: 0/{total} 3f9a1c7e2b04 create customers table" in shown
    assert f"\rupgrade postgresql@16: {total - 1}/{total} 6e4a0d9c1b7f" in shown
    assert shown.endswith("\r\x1b[K")  # nothing left on the line for the output after it


def test_nothing_is_shown_when_stderr_is_not_a_terminal_or_before_a_second(monkeypatch):
    piped = io.StringIO()
    progress.enable(piped)
    compile_range(shop(), "base:heads", "postgresql")
    progress.disable()
    assert piped.getvalue() == ""
    terminal = Terminal()
    progress.enable(terminal)  # a short build: done before the line would appear
    compile_range(shop(), "base:heads", "postgresql")
    progress.disable()
    assert terminal.getvalue() == ""


def test_the_cli_writes_no_progress_to_a_pipe(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(SHOP), "upgrade",
                           "base:heads", "-d", "sqlite"], capture_output=True, text=True,
                          env={"SQLBUNDLE_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert "\r" not in proc.stderr and "\x1b[" not in proc.stderr
