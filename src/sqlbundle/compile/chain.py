"""State keys along a plan, for the step cache (``cache.steps``): the key of the schema the
plan starts from, each step's entry key, and, for a downgrade, the upgrade state a step's
result equals when it exactly undoes its upgrade."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..cache.steps import StepStore, chain, empty_key
from ..history.plan import Plan
from ..project.baseline import baseline_digest
from .recordings import Replay


@dataclass(frozen=True)
class Chain:
    store: StepStore
    direction: str
    start: str  # the key of the schema the plan starts from
    # Per step: (revision, path, content hash).
    scripts: tuple[tuple[str, str, str], ...]
    # Downgrades: per step, the key of the upgrade state the schema is back at after it when
    # the steps so far undid the last upgrades of the start's history exactly (None: not so).
    undone: tuple[str | None, ...]

    def entry_key(self, index: int, key: str) -> str:
        """The key of step ``index``'s entry when it runs on the state named ``key``."""
        return chain(key, self.direction, *self.scripts[index])

    def get(self, index: int, key: str, observed: bool) -> Any:
        """The entry of step ``index`` on the state named ``key``, or None; with ``observed``
        only an entry that holds what the build's observer (lint) made of the step."""
        entry = self.store.get(self.entry_key(index, key))
        if entry is None or (observed and entry[0][4] is None):
            return None
        return entry


def plan_chain(replay: Replay, plan: Plan) -> Chain | None:
    """The plan's keys, or None when the step cache is off or a file's hash is unknown."""
    store = replay.steps
    if store is None:
        return None
    project = replay.project
    graph = project.graph
    config = project.config

    def script_of(rev: str) -> tuple[str, str, str] | None:
        script = project.script(rev)
        return (rev, script.path or rev, script.sha256) if script.sha256 else None

    settings = "\0".join((config.version_table, config.version_table_schema or "",
                          baseline_digest(config)))
    keys = [empty_key(store.header, settings)]
    order = graph.topo_sorted(graph.ancestors(plan.start)) if plan.start else []
    for rev in order:
        found = script_of(rev)
        if found is None:
            return None
        keys.append(chain(keys[-1], "upgrade", *found))
    scripts = []
    for step in plan.steps:
        found = script_of(step.revision)
        if found is None:
            return None
        scripts.append(found)
    undone: list[str | None] = [None] * len(plan.steps)
    if plan.direction == "downgrade":
        # After downgrading j+1 steps the schema is the upgrade's at the first L-(j+1)
        # revisions of the start's history exactly when the steps so far are its last ones.
        position = {rev: index for index, rev in enumerate(order)}
        lowest = len(order)
        for index, step in enumerate(plan.steps):
            if step.revision not in position:
                break
            lowest = min(lowest, position[step.revision])
            if lowest == len(order) - index - 1:
                undone[index] = keys[lowest]
    return Chain(store, plan.direction, keys[-1], tuple(scripts), tuple(undone))
