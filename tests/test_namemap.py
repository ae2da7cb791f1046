"""NameMap, the replayed schema's table map: a dict's contents, shared structure, stable order."""

from __future__ import annotations

import os
import pickle
import random
import subprocess
import sys

import pytest

from sqlbundle.schema.namemap import NameMap, empty


def _order(key):
    return (key[0] is not None, key[0] or "", key[1])


@pytest.mark.parametrize("seed", range(5))
def test_random_updates_match_a_dict_and_leave_older_maps_alone(seed):
    rng = random.Random(seed)
    names = [(rng.choice([None, "s", "audit"]), f"t{rng.randrange(400)}") for _ in range(600)]
    shadow: dict = {}
    current = empty()
    history = []
    for step in range(3000):
        key = rng.choice(names)
        if key in shadow and rng.random() < 0.4:
            del shadow[key]
            current = current.remove(key)
        else:
            shadow[key] = step
            current = current.set(key, step)
        if step % 300 == 0:
            history.append((current, dict(shadow)))
    for snapshot, contents in history + [(current, shadow)]:
        assert len(snapshot) == len(contents)
        assert dict(snapshot.items()) == contents
        assert list(snapshot) == sorted(contents, key=_order)  # (schema, name) order
        assert snapshot.values() == [contents[k] for k in sorted(contents, key=_order)]
        for key in names[:50]:
            assert (key in snapshot) == (key in contents)
            assert snapshot.get(key) == contents.get(key)
        assert snapshot == NameMap(contents) == contents
        assert pickle.loads(pickle.dumps(snapshot)) == snapshot
    with pytest.raises(KeyError):
        empty().remove((None, "missing"))
    with pytest.raises(KeyError):
        empty()[(None, "missing")]


def test_iteration_does_not_depend_on_the_hash_seed():
    code = ("from sqlbundle.schema.namemap import empty\n"
            "m = empty()\n"
            "for i in range(300):\n"
            "    m = m.set(('s' if i % 3 else None, f'n{i * 7919 % 1000}'), i)\n"
            "print(list(m.items()))\n")
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env=dict(os.environ, PYTHONHASHSEED=seed)).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize("seed", range(3))
def test_changes_names_what_differs_between_two_maps(seed):
    rng = random.Random(seed)
    start = NameMap({(None, f"t{i}"): object() for i in range(200)})
    later, shadow = start, dict(start.items())
    for _ in range(30):
        key = (rng.choice([None, "s"]), f"t{rng.randrange(260)}")
        if key in shadow and rng.random() < 0.4:
            del shadow[key]
            later = later.remove(key)
        else:
            shadow[key] = object()
            later = later.set(key, shadow[key])
    old = dict(start.items())
    expected = (sorted(shadow.keys() - old.keys(), key=_order),
                sorted(old.keys() - shadow.keys(), key=_order),
                sorted((k for k in old.keys() & shadow.keys() if old[k] is not shadow[k]),
                       key=_order))
    assert start.changes(later) == expected
    assert later.changes(later) == ([], [], [])
    # A map rebuilt from the same items shares no bucket and holds the same objects.
    assert start.changes(NameMap(dict(start.items()))) == ([], [], [])
