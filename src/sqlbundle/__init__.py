"""sqlbundle: compile migration histories into reviewable SQL bundles, offline.

Importing the package is cheap on purpose: graph commands must not pay for SQLAlchemy or
sqlglot. ``from sqlbundle import op`` gives the operations API used by migration files.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "op"]
