"""The graph answers the same questions as Alembic (a test-only dependency) on the samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from sqlbundle.errors import ResolutionError
from sqlbundle.project.model import open_project

alembic_script = pytest.importorskip("alembic.script")
alembic_config = pytest.importorskip("alembic.config")

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def alembic_dir(sample: str):
    if sample == "alembic_project":
        cfg = alembic_config.Config(str(SAMPLES / sample / "alembic.ini"))
    else:
        cfg = alembic_config.Config()
        cfg.set_main_option("script_location", str(SAMPLES / sample))
        cfg.set_main_option("version_locations", str(SAMPLES / sample / "versions"))
        cfg.set_main_option("path_separator", "os")
    return alembic_script.ScriptDirectory.from_config(cfg)


@pytest.fixture(params=["shop", "alembic_project"])
def pair(request):
    project = open_project(SAMPLES / request.param, use_cache=False)
    return project.graph, alembic_dir(request.param)


def test_heads_bases_and_parents_match(pair):
    graph, ref = pair
    assert graph.heads == sorted(ref.get_heads())
    assert graph.bases == sorted(ref.get_bases())
    revs = {r.revision: r for r in ref.walk_revisions()}
    assert sorted(revs) == sorted(graph.revisions)
    for rev, ref_rev in revs.items():
        script = graph.get(rev)
        down = ref_rev.down_revision
        assert script.down_revisions == ((down,) if isinstance(down, str) else tuple(down or ()))
        assert graph.branch_labels_of(rev) == tuple(sorted(ref_rev.branch_labels)), rev
        assert script.message == (ref_rev.doc or "").strip()
        ours = graph.normalized_down_revisions(rev)
        theirs = ref_rev._normalized_down_revisions
        n = len(script.down_revisions)
        # Parents keep file order; Alembic's dependency part follows set order, so compare sets.
        assert ours[:n] == theirs[:n] and set(ours[n:]) == set(theirs[n:]), rev


@pytest.mark.parametrize("ident", ["head", "heads", "base"])
def test_identifiers_resolve_like_alembic(pair, ident):
    graph, ref = pair
    expected = sorted(r.revision for r in ref.revision_map.get_revisions(ident) if r)
    assert sorted(graph.resolve(ident).revisions) == expected


@pytest.mark.parametrize("steps", [1, 2, 3])
def test_relative_steps_walk_down_revision(pair, steps):
    graph, ref = pair
    rev = ref.get_current_head()
    for _ in range(steps):
        rev = ref.get_revision(rev).down_revision
        if isinstance(rev, tuple):  # a merge: walking further down is ambiguous for both
            with pytest.raises(ResolutionError, match="is a merge of"):
                graph.resolve(f"head-{steps}")
            return
    assert graph.resolve(f"head-{steps}").revisions == (rev,)


def test_label_heads_and_bases_like_alembic(pair):
    graph, ref = pair
    for label in graph.labels:
        for suffix in ("head", "heads", "base"):
            ident = f"{label}@{suffix}"
            expected = sorted(r.revision for r in ref.revision_map.get_revisions(ident))
            assert sorted(graph.resolve(ident).revisions) == expected, ident


def test_upgrade_applies_the_same_revisions(pair):
    from sqlbundle.history.plan import plan_upgrade

    graph, ref = pair
    ours = [s.revision for s in plan_upgrade(graph, "base:heads").steps]
    theirs = [r.revision for r in ref.revision_map.iterate_revisions("heads", "base")]
    assert sorted(ours) == sorted(theirs)
    # Parents always come first in our order.
    seen: set[str] = set()
    for rev in ours:
        assert set(graph.get(rev).down_revisions) <= seen
        seen.add(rev)
