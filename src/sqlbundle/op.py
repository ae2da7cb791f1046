"""``op``: the operations API that migration files call.

``from sqlbundle import op`` and ``from alembic import op`` (when sqlbundle runs the file) both
give this module. Each attribute is forwarded to the recorder that is active while sqlbundle runs
a migration's ``upgrade()`` or ``downgrade()``; outside such a run there is nothing to record
into, so calls fail with a clear message.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    from .record.active import active_recorder

    return getattr(active_recorder(f"op.{name}"), name)
