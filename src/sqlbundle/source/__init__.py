"""Migration files -> ``Script`` values (Python via ast, SQL headers), the metadata index."""
