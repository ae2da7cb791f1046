"""The renderer registry: ``(operation type, dialect)`` -> renderer.

``render_operation(op, before, after, ctx)`` picks the function registered for
``(type(op), dialect)`` or else ``(type(op), None)``. Dialect modules register overrides only
where their database differs; registering the same key twice is an error. The registry imports
no dialect module: ``render/__init__`` imports them all, and each registers itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..schema.operations import Operation
from ..schema.state import SchemaState
from .context import RenderContext, Statement


Renderer = Callable[[Any, SchemaState, SchemaState, RenderContext], list[Statement]]


_REGISTRY: dict[tuple[type, str | None], Renderer] = {}


def register(op_type: type, *dialects: str | None) -> Callable[[Renderer], Renderer]:
    """Register a renderer for ``op_type`` on ``dialects`` (none given: the default)."""

    def decorate(func: Renderer) -> Renderer:
        for dialect in dialects or (None,):
            key = (op_type, dialect)
            if key in _REGISTRY:
                raise RuntimeError(f"duplicate renderer for {op_type.__name__} on {dialect}")
            _REGISTRY[key] = func
        return func

    return decorate


def render_operation(op: Operation, before: SchemaState, after: SchemaState,
                     ctx: RenderContext) -> list[Statement]:
    func = _renderer(type(op), ctx.name)
    if func is None:
        raise ctx.unsupported(f"no renderer for {op.describe()}")
    statements = func(op, before, after, ctx)
    if getattr(op, "autocommit", False):
        statements = [replace(s, autocommit=True) for s in statements]
    return statements


@functools.cache
def _renderer(op_type: type, dialect_name: str) -> Renderer | None:
    """The dialect's renderer for ``op_type``, else the default one (looked up once per pair:
    a long history renders thousands of operations of a few kinds)."""
    return _REGISTRY.get((op_type, dialect_name)) or _REGISTRY.get((op_type, None))
