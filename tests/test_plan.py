"""Plans and their version-table changes, from in-memory graphs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sqlbundle.errors import ResolutionError
from sqlbundle.history.graph import RevisionGraph
from sqlbundle.history.plan import VersionChange, plan_downgrade, plan_upgrade
from sqlbundle.source.script import Script


def rev(revision, down=(), labels=(), deps=()):
    if isinstance(down, str):
        down = (down,)
    return Script(revision, tuple(down), tuple(labels), tuple(deps), path=f"v/{revision}.py")


@pytest.fixture
def g():
    # a1 -> a2 -> {b1 -> b2, c1 (label c) -> c2} -> m1 -> m2
    return RevisionGraph([
        rev("a1"), rev("a2", "a1"), rev("b1", "a2"), rev("b2", "b1"),
        rev("c1", "a2", labels=("c",)), rev("c2", "c1"), rev("m1", ("b2", "c2")), rev("m2", "m1"),
    ])


def steps(plan):
    return [(s.revision, s.version.describe()) for s in plan.steps]


def test_upgrade_from_base(g):
    plan = plan_upgrade(g, "heads")
    assert steps(plan) == [
        ("a1", "insert a1"),
        ("a2", "update a1 -> a2"),
        ("b1", "update a2 -> b1"),
        ("b2", "update b1 -> b2"),
        ("c1", "insert c1"),  # a2 is no longer a row: the second branch starts a new row
        ("c2", "update c1 -> c2"),
        ("m1", "delete c2, update b2 -> m1"),  # first parent's row is kept, in file order
        ("m2", "update m1 -> m2"),
    ]
    assert plan.start == () and plan.end == ("m2",)
    assert plan.steps[5].heads_before == ("b2", "c1")
    assert plan.steps[6].heads_after == ("m1",)


def test_upgrade_partial_ranges(g):
    assert [s.revision for s in plan_upgrade(g, "a2:b2").steps] == ["b1", "b2"]
    assert steps(plan_upgrade(g, "b2:c@head"))[:2] == [("c1", "insert c1"), ("c2", "update c1 -> c2")]
    with pytest.raises(ResolutionError, match="a2 is a branch point"):
        plan_upgrade(g, "a1:+2")


def test_relative_end_is_relative_to_start():
    g = RevisionGraph([rev("a1"), rev("a2", "a1"), rev("a3", "a2"), rev("a4", "a3")])
    assert [s.revision for s in plan_upgrade(g, "a1:+2").steps] == ["a2", "a3"]
    assert [s.revision for s in plan_downgrade(g, "a4:-2").steps] == ["a4", "a3"]


def test_upgrade_from_several_heads(g):
    plan = plan_upgrade(g, "b2,c2:heads")
    assert steps(plan) == [("m1", "delete c2, update b2 -> m1"), ("m2", "update m1 -> m2")]


def test_upgrade_wrong_direction(g):
    with pytest.raises(ResolutionError) as err:
        plan_upgrade(g, "m2:a2")
    assert "goes the wrong way for an upgrade" in str(err.value)
    assert "sqlbundle downgrade m2:a2" in str(err.value)


def test_empty_upgrade_when_already_there(g):
    assert plan_upgrade(g, "m2:m2").steps == ()


def test_downgrade_to_base(g):
    plan = plan_downgrade(g, "heads:base")
    assert steps(plan) == [
        ("m2", "update m2 -> m1"),
        ("m1", "update m1 -> b2, insert c2"),
        ("c2", "update c2 -> c1"),
        ("c1", "delete c1"),  # a2 is still implied by b2
        ("b2", "update b2 -> b1"),
        ("b1", "update b1 -> a2"),
        ("a2", "update a2 -> a1"),
        ("a1", "delete a1"),
    ]
    assert plan.end == ()


def test_downgrade_keeps_other_branches(g):
    plan = plan_downgrade(g, "b2,c2:b1")
    assert steps(plan) == [("b2", "update b2 -> b1")]
    assert plan.end == ("b1", "c2")


def test_downgrade_label_base_removes_the_branch_down_to_its_base():
    # Alembic's label@base: base, narrowed to the roots below the label. A branch with a root
    # of its own goes alone; the other root's branch stays.
    g = RevisionGraph([rev("a1"), rev("a2", "a1"), rev("x1", labels=("x",)), rev("x2", "x1")])
    plan = plan_downgrade(g, "a2,x2:x@base")
    assert [s.revision for s in plan.steps] == ["x2", "x1"]
    assert plan.end == ("a2",)


def test_downgrade_label_base_of_a_branch_off_a_branch_point_goes_to_base(g):
    # One root: Alembic removes everything applied (its label@base means base here).
    plan = plan_downgrade(g, "b2,c2:c@base")
    assert {s.revision for s in plan.steps} == {"a1", "a2", "b1", "b2", "c1", "c2"}
    assert plan.end == ()


def test_downgrade_wrong_direction(g):
    with pytest.raises(ResolutionError, match="goes the wrong way for a downgrade"):
        plan_downgrade(g, "b2:m2")


def test_downgrade_needs_a_range(g):
    with pytest.raises(ResolutionError, match="downgrade needs a range"):
        plan_downgrade(g, "a1")


def test_round_trip_restores_version_rows(g):
    up = plan_upgrade(g, "heads")
    down = plan_downgrade(g, "heads:base")
    assert [s.revision for s in down.steps] == [s.revision for s in reversed(up.steps)]
    for u, d in zip(up.steps, reversed(down.steps)):
        assert u.heads_before == d.heads_after and u.heads_after == d.heads_before


def test_dependency_merges_rows_like_alembic():
    # x2 depends on a1 (another branch's head): applying x2 removes a1's row, as Alembic does.
    g = RevisionGraph([rev("a1", labels=("core",)), rev("x1", labels=("other",)),
                       rev("x2", "x1", deps=("a1",))])
    plan = plan_upgrade(g, "heads")
    assert steps(plan) == [("a1", "insert a1"), ("x1", "insert x1"),
                           ("x2", "delete a1, update x1 -> x2")]
    down = plan_downgrade(g, "x2:base")
    assert steps(down)[0] == ("x2", "update x2 -> x1, insert a1")


def test_version_change_describe():
    assert VersionChange(delete=("a",), update=("b", "c"), insert=("d",)).describe() == \
        "delete a, update b -> c, insert d"


def test_plans_are_identical_across_hash_seeds(tmp_path):
    # An 8-branch fan-out and merge: the reference tool's row choice followed set order here.
    code = (
        "from sqlbundle.history.graph import RevisionGraph\n"
        "from sqlbundle.history.plan import plan_upgrade, plan_downgrade\n"
        "from sqlbundle.source.script import Script\n"
        "s=[Script('root',())]+[Script(f'br{i}',('root',)) for i in range(8)]\n"
        "s.append(Script('merge',tuple(f'br{i}' for i in (3,1,7,0,5,2,6,4))))\n"
        "g=RevisionGraph(s)\n"
        "for p in (plan_upgrade(g,'heads'), plan_downgrade(g,'heads:base')):\n"
        "    for st in p.steps: print(st.revision, st.version.describe())\n"
    )
    outputs = set()
    for seed in ("0", "1", "12345", "random"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        outputs.add(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                   capture_output=True, text=True).stdout)
    assert len(outputs) == 1
    out = outputs.pop()
    assert ("merge delete br1, delete br7, delete br0, delete br5, delete br2, delete br6, "
            "delete br4, update br3 -> merge") in out
