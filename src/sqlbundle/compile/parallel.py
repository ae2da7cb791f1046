"""Rendering a long plan on two processes: the later steps in a forked child.

Rendering a step needs the replayed schema before it, and replaying (folding operations into
the state) is cheaper than rendering; so the child replays the first part without rendering
it, renders the rest, and sends the results back as a pickle, while the parent renders the
first part. The split comes from estimated costs, so that both finish at about the same
time. The results are exactly the serial ones: any failure in the child (an error in a
migration included) makes the parent render the rest itself, so errors are reported as a
serial run reports them. Only where ``fork`` is safe and cheap (Linux), with a second CPU,
and for plans big enough to pay for it; ``SQLBUNDLE_JOBS=1`` turns it off."""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .. import progress
from ..cache.files import dumps

Item = TypeVar("Item")
State = TypeVar("State")
Result = TypeVar("Result")

MIN_WORK = 2000  # cost units (about one per operation replayed); below, a fork costs more


def _workers() -> int:
    setting = os.environ.get("SQLBUNDLE_JOBS", "").strip()
    if setting.isdigit() and int(setting) >= 1:
        return min(int(setting), 2)
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return 2 if cpus >= 2 else 1


def split_point(costs: Sequence[tuple[float, float]]) -> int:
    """Index where the parent's share ends. ``costs`` are (process, fold) per item: the parent
    processes items[:s]; the child folds items[:s] and processes the rest, so s is where the
    two finish together."""
    child = sum(p for p, _ in costs)
    parent = 0.0
    for index, (process, fold) in enumerate(costs):
        parent += process
        child -= process - fold
        if parent >= child:
            return index + 1
    return len(costs)


def process_all(items: Sequence[Item], state: State, costs: Sequence[tuple[float, float]],
                process: Callable[[Item, State], tuple[State, Result]],
                fold: Callable[[Item, State], State]) -> tuple[list[Result], State]:
    """``process`` every item in order, threading the state through: (the results, the state
    after the last item); the same as a plain loop, computed on two processes when that pays.
    ``fold`` advances the state over an item without producing its result; ``costs``
    estimate (process, fold) per item."""
    results: list[Result] = []
    split = split_point(costs)
    if _workers() < 2 or sum(p for p, _ in costs) < MIN_WORK or split >= len(items):
        for item in items:
            state, result = process(item, state)
            results.append(result)
        return results, state
    child = _start_child(items, state, split, process, fold)
    try:
        for item in items[:split]:
            state, result = process(item, state)
            results.append(result)
        rest = _collect(child)
    except BaseException:
        _abandon(child)
        raise
    if rest is None or len(rest[0]) != len(items) - split:
        for item in items[split:]:  # the child failed: do it here (and raise its error here)
            state, result = process(item, state)
            results.append(result)
    else:
        results.extend(rest[0])
        state = rest[1]
    return results, state


def _start_child(items: Sequence[Any], state: Any, split: int,
                 process: Callable[[Any, Any], tuple[Any, Any]],
                 fold: Callable[[Any, Any], Any]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        status = 1
        progress.silence()  # the parent shows progress; the child's would garble the line
        try:
            os.close(read_end)
            for item in items[:split]:
                state = fold(item, state)
            out = []
            for item in items[split:]:
                state, result = process(item, state)
                out.append(result)
            data = dumps((out, state))
            with os.fdopen(write_end, "wb") as handle:
                handle.write(data)
            status = 0
        except BaseException:  # noqa: BLE001 - the parent redoes this half and reports
            pass
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _collect(child: tuple[int, int]) -> tuple[list[Any], Any] | None:
    pid, read_end = child
    with os.fdopen(read_end, "rb") as handle:
        data = handle.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - a truncated result is a failed child
        return None


def _abandon(child: tuple[int, int]) -> None:
    import signal

    pid, read_end = child
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        os.close(read_end)
    except OSError:
        pass
    try:
        os.waitpid(pid, 0)
    except OSError:
        pass
