"""Every speed-up store behind one ``Caches`` value: cache files, the metadata index file,
migration bytecode, recorded operations, replayed states, parsed statements, rendered scripts.
Knows no Project or Script: callers key their entries."""

from .caches import Caches  # noqa: F401
