"""What is being recorded right now: the recorder ``op`` forwards to and the environment of the
target whose migration code runs. Context variables only; ``op``, the runtime and the offline
stand-ins all read them, and this module imports none of those."""

from __future__ import annotations

import contextvars
from typing import Any

from ..errors import ScriptError

_RECORDER: contextvars.ContextVar[Any] = contextvars.ContextVar("sqlbundle_recorder", default=None)
# The environment.Environment of the target whose migration code is running.
_ENV: contextvars.ContextVar[Any] = contextvars.ContextVar("sqlbundle_environment", default=None)


def active_recorder(what: str) -> Any:
    """The recorder ``op`` forwards to; an error when no migration is being run."""
    recorder = _RECORDER.get()
    if recorder is None:
        raise ScriptError(
            f"{what} was called outside a migration run",
            hint="op.* functions only work inside upgrade()/downgrade() run by sqlbundle",
        )
    return recorder


def code_error(message: str, hint: str | None = None) -> ScriptError:
    """An error at the migration line that is running (when a recording is in progress)."""
    recorder = _RECORDER.get()
    if recorder is not None and hasattr(recorder, "error"):
        return recorder.error(message, hint=hint)
    return ScriptError(message, hint=hint)
