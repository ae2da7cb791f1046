"""Rendering operations into statements, per dialect (see ``registry.render_operation``).

As sqlglot's ``dialects/__init__`` does, this package imports the generic renderers and every
dialect module; each registers its renderers with ``registry``, which imports none of them.
"""

from . import base, duckdb, mssql, mysql, oracle, postgresql, snowflake, sqlite  # noqa: F401
