"""Progress of long builds on stderr: what is being done, counts, and the step at hand.

Shown only when the CLI turned it on (stderr is a terminal) and only once a build has taken
more than about a second, then redrawn at most ten times a second on one line, which is
cleared when the command ends: pipes, files and CI logs see nothing of it.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

DELAY = 1.0  # seconds before the line first appears
EVERY = 0.1  # seconds between redraws


class _Line:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.drawn = 0.0
        self.shown = False

    def draw(self, stage: str, done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if now - self.started < DELAY or (now - self.drawn < EVERY and done < total):
            return
        self.drawn = now
        width = max(shutil.get_terminal_size((80, 24)).columns - 1, 20)
        text = f"{stage}: {done}/{total} {what}"[:width]
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


_line: _Line | None = None


def enable(stream: TextIO | None = None) -> None:
    """Show progress on ``stream`` (stderr) from now on, if it is a terminal."""
    global _line
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    _line = _Line(stream) if isatty is not None and isatty() else None


def disable() -> None:
    """Clear the line and show nothing more (the command ends, or a forked child starts)."""
    global _line
    if _line is not None:
        _line.clear()
    _line = None


def silence() -> None:
    """Show nothing more, leaving the line as it is (a forked child: the parent owns it)."""
    global _line
    _line = None


def step(stage: str, done: int, total: int, what: str = "") -> None:
    """``done`` of ``total`` of ``stage`` are finished; ``what`` names the one at hand."""
    if _line is not None:
        _line.draw(stage, done, total, what)


def clear() -> None:
    """Clear the line before other output goes to the same terminal."""
    if _line is not None:
        _line.clear()
