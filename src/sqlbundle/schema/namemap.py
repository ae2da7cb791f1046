"""An immutable mapping keyed by ``(schema, name)`` whose updates share almost all of it.

The replayed schema changes one table per operation. With a plain dict every change copied
(and later freed) the whole table map, so replaying a long history cost time in proportion to
revisions x tables: most of a 5,000-revision replay. Here the entries live in a fixed number
of small buckets; an update copies the bucket row and one bucket only.

Iteration is in ``(schema, name)`` order, never in hash order, so nothing built from it can
depend on ``PYTHONHASHSEED``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

V = TypeVar("V")
Key = tuple[Any, str]  # (schema or None, name)

_WIDTH = 64  # buckets; a power of two (the mask below)
_MASK = _WIDTH - 1
_EMPTY: tuple[dict[Any, Any], ...] = tuple({} for _ in range(_WIDTH))


def _order(key: Key) -> tuple[bool, str, str]:
    return (key[0] is not None, key[0] or "", key[1])


class NameMap(Mapping[Key, V], Generic[V]):
    __slots__ = ("_buckets", "_size")

    def __init__(self, items: Mapping[Key, V] | Iterable[tuple[Key, V]] = ()) -> None:
        buckets: list[dict[Key, V]] = [{} for _ in range(_WIDTH)]
        for key, value in (items.items() if isinstance(items, Mapping) else items):
            buckets[hash(key) & _MASK][key] = value
        self._buckets: tuple[dict[Key, V], ...] = tuple(buckets)
        self._size = sum(len(b) for b in buckets)

    @classmethod
    def _make(cls, buckets: tuple[dict[Key, V], ...], size: int) -> NameMap[V]:
        new = object.__new__(cls)
        new._buckets, new._size = buckets, size
        return new

    def __getitem__(self, key: Key) -> V:
        return self._buckets[hash(key) & _MASK][key]

    def get(self, key: Key, default: Any = None) -> Any:
        return self._buckets[hash(key) & _MASK].get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._buckets[hash(key) & _MASK]

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Key]:
        return iter(sorted((k for b in self._buckets for k in b), key=_order))

    def items(self) -> list[tuple[Key, V]]:  # type: ignore[override]
        return sorted((kv for b in self._buckets for kv in b.items()),
                      key=lambda kv: _order(kv[0]))

    def values(self) -> list[V]:  # type: ignore[override]
        return [value for _, value in self.items()]

    def set(self, key: Key, value: V) -> NameMap[V]:
        """A map with ``key`` set to ``value``; this one is unchanged."""
        index = hash(key) & _MASK
        bucket = dict(self._buckets[index])
        size = self._size + (key not in bucket)
        bucket[key] = value
        buckets = list(self._buckets)
        buckets[index] = bucket
        return NameMap._make(tuple(buckets), size)

    def remove(self, key: Key) -> NameMap[V]:
        """A map without ``key`` (which must be present); this one is unchanged."""
        index = hash(key) & _MASK
        bucket = dict(self._buckets[index])
        del bucket[key]
        buckets = list(self._buckets)
        buckets[index] = bucket
        return NameMap._make(tuple(buckets), self._size - 1)

    def changes(self, later: NameMap[V]) -> tuple[list[Key], list[Key], list[Key]]:
        """(keys only in ``later``, keys only here, keys in both whose values are not the same
        object), in key order. Buckets that ``later`` shares with this map are skipped, so
        comparing a state with the next one costs what changed, not the whole map."""
        added: list[Key] = []
        removed: list[Key] = []
        changed: list[Key] = []
        for mine, theirs in zip(self._buckets, later._buckets):
            if mine is theirs:
                continue
            for key, value in theirs.items():
                if key not in mine:
                    added.append(key)
                elif mine[key] is not value:
                    changed.append(key)
            removed.extend(key for key in mine if key not in theirs)
        return (sorted(added, key=_order), sorted(removed, key=_order),
                sorted(changed, key=_order))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NameMap):
            return self._buckets == other._buckets
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (NameMap, (self.items(),))

    def __repr__(self) -> str:
        return f"NameMap({dict(self.items())!r})"


def empty() -> NameMap[Any]:
    return NameMap._make(_EMPTY, 0)
