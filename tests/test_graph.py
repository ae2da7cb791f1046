"""The revision graph, tested with in-memory revisions (no files)."""

from __future__ import annotations

import pytest

from sqlbundle.errors import GraphError, MultipleHeadsError, ResolutionError
from sqlbundle.history.graph import RevisionGraph
from sqlbundle.source.script import Script


def rev(revision, down=(), labels=(), deps=(), message=""):
    if isinstance(down, str):
        down = (down,)
    return Script(revision, tuple(down), tuple(labels), tuple(deps), message or revision,
                  path=f"versions/{revision}.py", line=3)


def graph(*scripts):
    return RevisionGraph(scripts)


# base -> a1 -> a2 (branch point) -> b1 -> b2 (label "feat_b")
#                                  -> c1 (label "feat_c") -> c2
#                          b2 + c2 -> m1 (merge) -> m2
@pytest.fixture
def shop():
    return graph(
        rev("a1000001"),
        rev("a2000002", "a1000001"),
        rev("b1000003", "a2000002", labels=("feat_b",)),
        rev("b2000004", "b1000003"),
        rev("c1000005", "a2000002", labels=("feat_c",)),
        rev("c2000006", "c1000005"),
        rev("m1000007", ("b2000004", "c2000006")),
        rev("m2000008", "m1000007"),
    )


def test_heads_bases_branch_and_merge_points(shop):
    assert shop.heads == ["m2000008"]
    assert shop.bases == ["a1000001"]
    assert shop.branch_points == ["a2000002"]
    assert shop.merge_points == ["m1000007"]
    assert shop.children("a2000002") == ["b1000003", "c1000005"]


def test_topological_order_finishes_one_branch_before_the_next(shop):
    assert shop.revisions == [
        "a1000001", "a2000002", "b1000003", "b2000004", "c1000005", "c2000006",
        "m1000007", "m2000008",
    ]


def test_order_does_not_depend_on_input_order(shop):
    scripts = [shop.get(r) for r in shop.revisions]
    for permutation in (list(reversed(scripts)), scripts[3:] + scripts[:3]):
        assert RevisionGraph(permutation).revisions == shop.revisions


def test_several_heads():
    g = graph(rev("a1"), rev("b1", "a1"), rev("c1", "a1"))
    assert g.heads == ["b1", "c1"]
    with pytest.raises(MultipleHeadsError) as err:
        g.resolve("head")
    text = str(err.value)
    assert "b1 (versions/b1.py:3)" in text and "c1 (versions/c1.py:3)" in text
    assert "sqlbundle merge b1 c1" in text
    assert g.resolve("heads").revisions == ("b1", "c1")


def test_multiple_bases():
    g = graph(rev("a1"), rev("x1", labels=("other",)), rev("x2", "x1"))
    assert g.bases == ["a1", "x1"]
    assert g.heads == ["a1", "x2"]
    assert g.resolve("other@head").revisions == ("x2",)
    assert g.resolve("other@base").revisions == ()  # Alembic's reading: base


@pytest.mark.parametrize(
    "text, expected",
    [
        ("m2000008", ("m2000008",)),
        ("m2", ("m2000008",)),
        ("head", ("m2000008",)),
        ("heads", ("m2000008",)),
        ("base", ()),
        ("feat_b", ("b1000003",)),
        ("feat_c@head", ("m2000008",)),
        ("feat_c@base", ()),
        ("feat_c@c2", ("c2000006",)),
        ("b1@head", ("m2000008",)),
        ("head-1", ("m1000007",)),
        ("c2000006-1", ("c1000005",)),
        ("a1+1", ("a2000002",)),
        ("a1+0", ("a1000001",)),
        ("a1-1", ()),  # one step below a base is base
        ("feat_b@a2", ("a2000002",)),  # on the label's line of descent (below it)
        ("feat_b@heads", ("m2000008",)),
        ("feat_c@c2+1", ("m1000007",)),
        ("b1,c1", ("b1000003", "c1000005")),
        ("feat_b+1", ("b2000004",)),
    ],
)
def test_resolve(shop, text, expected):
    assert shop.resolve(text).revisions == expected


def test_labels_cover_descendants_and_unbranched_ancestors():
    g = graph(rev("r0"), rev("r1", "r0"), rev("a1", "r1"), rev("a2", "a1", labels=("lab",)),
              rev("a3", "a2"), rev("b1", "r1"))
    assert g.branch_labels_of("a3") == ("lab",)
    assert g.branch_labels_of("a1") == ("lab",)  # below the label, up to the branch point
    assert g.branch_labels_of("r1") == ()  # the branch point itself is shared
    assert g.branch_labels_of("b1") == ()
    assert g.resolve("lab@base").revisions == ()


@pytest.mark.parametrize(
    "text, message",
    [
        ("zz", "no revision or branch label matches 'zz'"),
        ("a", "revision prefix 'a' is ambiguous: it matches a1000001 (versions/a1000001.py:3), "
              "a2000002 (versions/a2000002.py:3)"),
        ("nolabel@head", "no revision or branch label matches 'nolabel'"),
        ("head-1-", "no revision or branch label matches 'head-1-'"),
        ("m1-1", "m1000007 is a merge of b2000004, c2000006"),
        ("a2+1", "a2000002 is a branch point (b1000003, c1000005)"),
        ("a1-2", "walks below base"),  # a1-1 is base, as Alembic reads it
        ("head+1", "walks above a head"),
        ("+1", "relative to the database's current revision"),
        ("feat_b@zzz", "no revision or branch label matches 'zzz'"),
        ("feat_b@c2", "revision c2000006 is not on branch 'feat_b'"),
    ],
)
def test_resolution_errors(shop, text, message):
    with pytest.raises(ResolutionError) as err:
        shop.resolve(text)
    assert message in str(err.value)


def test_unknown_label_lists_known_labels(shop):
    with pytest.raises(ResolutionError) as err:
        shop.resolve("feat_x@head")
    assert "known branch labels: feat_b, feat_c" in str(err.value)


def test_resolve_single_rejects_several(shop):
    with pytest.raises(MultipleHeadsError):
        shop.resolve_single("b1,c1")


def test_duplicate_revision_names_both_files():
    with pytest.raises(GraphError) as err:
        RevisionGraph([rev("a1"), Script("a1", (), path="versions/other.py", line=7)])
    assert str(err.value).startswith(
        "duplicate revision id 'a1' in versions/a1.py:3 and versions/other.py:7"
    )


def test_missing_parent_names_the_file():
    with pytest.raises(GraphError) as err:
        graph(rev("a1"), rev("b1", "nope"))
    assert str(err.value).startswith(
        "versions/b1.py:3: revision b1 names down_revision 'nope', which does not exist"
    )


def test_self_parent():
    with pytest.raises(GraphError, match="names itself"):
        graph(rev("a1", "a1"))


def test_cycle_is_reported_with_its_files():
    with pytest.raises(GraphError) as err:
        graph(rev("a1"), rev("b1", ("a1", "d1")), rev("c1", "b1"), rev("d1", "c1"))
    text = str(err.value)
    assert "the revision history has a cycle: " in text
    assert "b1 -> c1 -> d1 -> b1" in text or "c1 -> d1 -> b1 -> c1" in text or \
        "d1 -> b1 -> c1 -> d1" in text
    assert "versions/b1.py:3" in text and "versions/d1.py:3" in text
    assert "versions/a1.py" not in text


def test_cycle_through_depends_on():
    with pytest.raises(GraphError, match="cycle"):
        graph(rev("a1"), rev("b1", "a1", deps=("c1",)), rev("c1", "b1"))


def test_duplicate_label():
    with pytest.raises(GraphError, match="branch label 'x' is declared by both"):
        graph(rev("a1", labels=("x",)), rev("b1", "a1", labels=("x",)))


def test_label_colliding_with_reserved_word():
    with pytest.raises(GraphError, match="reserved word"):
        graph(rev("a1", labels=("head",)))


@pytest.mark.parametrize("bad", ["base", "a-b", "a+b", "x@y", ""])
def test_unusable_revision_ids(bad):
    with pytest.raises(GraphError, match="is not usable"):
        graph(rev(bad))


def test_depends_on_resolves_labels_and_prefixes():
    g = graph(rev("a1", labels=("core",)), rev("x1", labels=("other",)),
              rev("x2", "x1", deps=("core",)), rev("x3", "x2", deps=("a1",)))
    assert g.dependencies("x2") == ("a1",)
    assert g.heads == ["a1", "x3"]  # depends_on does not make a1 a non-head
    assert "a1" in g.ancestors(["x2"])
    assert "a1" not in g.ancestors(["x2"], dependencies=False)
    # x3's dependency is already declared by its ancestor x2: not a version-table parent.
    assert g.normalized_down_revisions("x2") == ("x1", "a1")
    assert g.normalized_down_revisions("x3") == ("x2",)


def test_depends_on_unknown_revision_is_an_error():
    with pytest.raises(GraphError) as err:
        graph(rev("a1"), rev("b1", "a1", deps=("zzz",)))
    assert "versions/b1.py:3: revision b1 depends_on 'zzz'" in str(err.value)


def test_large_linear_history_is_fast_enough_to_build():
    scripts = [rev("r0")] + [rev(f"r{i}", f"r{i - 1}") for i in range(1, 5000)]
    g = RevisionGraph(scripts)
    assert g.heads == ["r4999"]
    assert g.resolve("head-4999").revisions == ("r0",)
