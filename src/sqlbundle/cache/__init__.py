"""Every speed-up store: cache files, recorded operations, replayed states."""
