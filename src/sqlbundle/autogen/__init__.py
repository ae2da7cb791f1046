"""Offline autogenerate: models -> state, compared with the replayed state, written as a file."""
