"""Modes of the files and folders sqlbundle writes: what the user's umask allows, as any tool
would give (0644 and 0755 under umask 022). Writes through ``tempfile`` start at 0600 and
0700, private to the writer: a colleague or the CI user could not read the result."""

from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=1)
def umask() -> int:
    mask = os.umask(0o022)  # reading the mask means setting it: put it straight back
    os.umask(mask)
    return mask


def file_mode() -> int:
    return 0o666 & ~umask()


def folder_mode() -> int:
    return 0o777 & ~umask()
