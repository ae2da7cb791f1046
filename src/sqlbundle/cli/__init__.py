"""The command line: a typer app over the Python API.

The command modules register their commands on ``app.app`` when imported; the order here is
the order ``sqlbundle --help`` lists them in.
"""

from . import scaffolding, listings, sql, review, schemas, schematools  # noqa: F401, I001 - registration order
from .app import main

__all__ = ["main"]
