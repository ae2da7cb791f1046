"""The schema state, its name map, the frozen operations and how each applies."""
