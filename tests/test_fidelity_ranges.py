"""Ranges read exactly as Alembic reads them, proven against Alembic's own ScriptDirectory.

For every range text of a generated matrix (absolute ids, partial ids, ``head``/``heads``/
``base``, branch labels, ``+N``/``-N`` bare and relative to ids, labels and revisions used as
labels), on the samples and on generated branched histories, the oracle below does what
``alembic upgrade|downgrade|stamp X --sql`` and ``alembic history -r X`` do (the same split of
the text, the same offline starting revision, then ``ScriptDirectory._upgrade_revs`` /
``_downgrade_revs`` / ``_stamp_revs`` / ``walk_revisions``, with Alembic's ``HeadMaintainer``
keeping the version rows) and sqlbundle must:

* select the same revisions (history: in the same order), ending with the same version rows;
* where Alembic fails, fail too with one ``ResolutionError`` (exit 2 on the command line), except
  for the few extensions listed in ``EXTENSIONS`` (each with its reason).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sqlbundle.errors import SqlbundleError
from sqlbundle.history.graph import parse_relative
from sqlbundle.history.listing import history
from sqlbundle.history.plan import plan_downgrade, plan_stamp, plan_upgrade
from sqlbundle.project.model import open_project

alembic_script = pytest.importorskip("alembic.script")
alembic_config = pytest.importorskip("alembic.config")
alembic_migration = pytest.importorskip("alembic.runtime.migration")
sa = pytest.importorskip("sqlalchemy")

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

REVISION = '''"""{message}

Revision ID: {rev}
Revises: {down}
"""
revision = {rev!r}
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = {deps!r}


def upgrade():
    pass


def downgrade():
    pass
'''

# (revision, down_revision, branch_labels, depends_on). File names sort in this order, which is
# the order Alembic (and sqlbundle's listings) read them in.
GRAPHS = {
    # a1 -> a2 -> a3 (branch point) -> b1 (label "feature") -> b2
    #                               -> c1 -> c2                      two heads
    "branched": [
        ("aaaa1", None, None, None), ("aaaa2", "aaaa1", None, None),
        ("aaaa3", "aaaa2", None, None), ("bbbb1", "aaaa3", "feature", None),
        ("bbbb2", "bbbb1", None, None), ("cccc1", "aaaa3", None, None),
        ("cccc2", "cccc1", None, None),
    ],
    # a1 -> a2 (branch point) -> b1 (label "left") -> b2 -\
    #                         -> c1 -> c2 ----------------> m1 (merge) -> m2
    # x1 (second root, label "other") -> x2 (depends on a2) -> x3
    "merged": [
        ("aaaa1", None, None, None), ("aaaa2", "aaaa1", None, None),
        ("bbbb1", "aaaa2", "left", None), ("bbbb2", "bbbb1", None, None),
        ("cccc1", "aaaa2", None, None), ("cccc2", "cccc1", None, None),
        ("mmmm1", ("bbbb2", "cccc2"), None, None), ("mmmm2", "mmmm1", None, None),
        ("xxxx1", None, "other", None), ("xxxx2", "xxxx1", None, "aaaa2"),
        ("xxxx3", "xxxx2", None, None),
    ],
    # one line: relative steps from base and to base.
    "linear": [
        ("aaaa1", None, None, None), ("aaaa2", "aaaa1", None, None),
        ("aaaa3", "aaaa2", None, None), ("aaaa4", "aaaa3", None, None),
    ],
}


OFFLINE_ENV = """from alembic import context
context.configure(url="sqlite://", literal_binds=True)
with context.begin_transaction():
    context.run_migrations()
"""


def write_project(root: Path, spec) -> Path:
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "migrations" / "env.py").write_text(OFFLINE_ENV)
    (root / "alembic.ini").write_text(
        "[alembic]\nscript_location = %(here)s/migrations\npath_separator = os\n")
    for rev, down, labels, deps in spec:
        (versions / f"{rev}_m.py").write_text(REVISION.format(
            message=f"message {rev}", rev=rev, down=down, labels=labels, deps=deps))
    return root


def alembic_dir(root: Path, sample: str | None = None):
    if sample == "shop":  # a sqlbundle.toml project: point Alembic at its versions folder
        cfg = alembic_config.Config()
        cfg.set_main_option("script_location", str(root))
        cfg.set_main_option("version_locations", str(root / "versions"))
        cfg.set_main_option("path_separator", "os")
    else:
        cfg = alembic_config.Config(str(root / "alembic.ini"))
    return alembic_script.ScriptDirectory.from_config(cfg)


@pytest.fixture(scope="module", params=["branched", "merged", "linear", "shop",
                                        "alembic_project"])
def pair(request, tmp_path_factory):
    name = request.param
    if name in GRAPHS:
        root = write_project(tmp_path_factory.mktemp(name), GRAPHS[name])
    else:
        root = SAMPLES / name
    return name, open_project(root, use_cache=False).graph, alembic_dir(root, name)


# ------------------------------------------------------------------------------ the oracle


class _Context:
    """What Alembic's HeadMaintainer needs of a MigrationContext in --sql mode."""

    as_sql = True
    version_table = "alembic_version"
    _version = sa.Table("alembic_version", sa.MetaData(), sa.Column("version_num", sa.String))

    class impl:  # noqa: N801 - the attribute name Alembic reads
        @staticmethod
        def _exec(*args, **kwargs):
            return None


def _split(text: str):
    # alembic.command.upgrade/downgrade/stamp with --sql: `starting_rev, revision = split(":", 2)`
    if ":" in text:
        start, dest = text.split(":", 2)
        return start, dest
    return None, text


def _current(script, start):
    # MigrationContext.get_current_heads() in --sql mode.
    if start in (None, "base"):
        return ()
    return (script.get_revision(start).revision,)


def _rows(current, steps) -> tuple[str, ...]:
    keeper = alembic_migration.HeadMaintainer(_Context(), current)
    for step in steps:
        keeper.update_to_step(step)
    return tuple(sorted(keeper.heads))


def alembic_answer(script, command: str, text: str):
    """(revisions, version rows after) as Alembic's command gives them, or the exception."""
    try:
        if command == "history":
            # alembic.command.history: `base, head = rev_range.strip().split(":")`
            if ":" not in text:
                raise ValueError("History range requires [start]:[end], [start]:, or :[end]")
            base, head = text.strip().split(":")
            revs = [sc.revision for sc in script.walk_revisions(base or "base", head or "heads")]
            return revs, None
        start, dest = _split(text)
        if command == "downgrade" and start is None:
            raise ValueError("downgrade with --sql requires <fromrev>:<torev>")
        current = _current(script, start)
        if command == "upgrade":
            steps = script._upgrade_revs(dest, current)
        elif command == "downgrade":
            steps = script._downgrade_revs(dest, current)
        else:
            steps = script._stamp_revs((dest,), current)
            return None, _rows(current, steps)
        return [s.revision.revision for s in steps], _rows(current, steps)
    except Exception as exc:  # noqa: BLE001 - any failure of Alembic's is "Alembic fails"
        return exc, None


def our_answer(graph, command: str, text: str):
    try:
        if command == "history":
            return [e.revision for e in history(graph, text)], None
        if command == "stamp":
            plan = plan_stamp(graph, text)
            return None, plan.end
        plan = plan_upgrade(graph, text) if command == "upgrade" else plan_downgrade(graph, text)
        return [s.revision for s in plan.steps], plan.end
    except SqlbundleError as exc:
        return exc, None


# Where sqlbundle answers and Alembic fails, and why that is deliberate. Each entry is
# (command, predicate on (text, Alembic's exception)).
def _alembic_crashed(text, exc):
    # Alembic's own bug (an assert or None dereference), not a message: e.g. `upgrade
    # base:aaaa1-1` (one step below a base is base) or `upgrade heads:+1` from two heads.
    return isinstance(exc, (AssertionError, AttributeError, TypeError, KeyError))


def _several_heads_start(text, exc):
    # Offline Alembic cannot start a range from several heads (`heads:base`); sqlbundle
    # starts from all of them, which is what a database at those heads holds.
    return text.split(":")[0] == "heads" and "Multiple head" in str(exc)


def _label_dropped(text, exc):
    # Alembic's downgrade reads only what follows '@' in an absolute target, so
    # `downgrade bbbb2:feature@head` asks for the history's one head and fails when there are
    # two; sqlbundle takes the head of branch feature.
    return "@head" in text.split(":")[-1] and "Multiple head" in str(exc)


def _stamp_relative(text, exc):
    # Alembic's stamp reads `-N` (every head N down) only without FROM, and never `X+N` /
    # `X-N` (it looks the raw text up as a revision id); sqlbundle reads them as everywhere
    # else (`stamp head-1`, `stamp ae10:-1`).
    relative = parse_relative(text.split(":")[-1])
    return relative is not None and "Can't locate revision" in str(exc)


def _relative_to_relative(text, exc):
    # `history -r -2:+1`: Alembic walks up from the text '-2' itself, which it cannot look up
    # (and `-2:feature@+1` counts the branch point both heads meet at twice); sqlbundle walks
    # up from the revisions '-2' names.
    relative = parse_relative(text.split(":")[0])
    return relative is not None and relative.symbol is None and (
        "Ambiguous upgrade from multiple current revisions" in str(exc)
        or "Can't locate revision identified by" in str(exc))


EXTENSIONS = {
    "upgrade": (_alembic_crashed, _several_heads_start),
    "downgrade": (_alembic_crashed, _several_heads_start, _label_dropped),
    "stamp": (_alembic_crashed, _several_heads_start, _stamp_relative),
    "history": (_alembic_crashed, _relative_to_relative),
}


def assert_same(graph, script, command: str, text: str) -> None:
    theirs, their_rows = alembic_answer(script, command, text)
    ours, our_rows = our_answer(graph, command, text)
    if isinstance(theirs, Exception):
        if isinstance(ours, Exception):
            return
        assert any(rule(text, theirs) for rule in EXTENSIONS[command]), (
            f"{command} {text!r}: Alembic fails ({type(theirs).__name__}: {theirs}) but "
            f"sqlbundle answers {ours} {our_rows}")
        return
    if isinstance(ours, Exception):
        # sqlbundle refuses a backwards upgrade that Alembic turns into an empty script.
        assert command == "upgrade" and theirs == [] and "wrong way" in str(ours), (
            f"{command} {text!r}: Alembic answers {theirs} {their_rows} but sqlbundle "
            f"fails: {ours}")
        return
    if command == "history":
        assert ours == theirs, f"history -r {text!r}"
        return
    if command != "stamp":
        assert sorted(ours) == sorted(theirs), f"{command} {text!r}"
        # Our order is ours (one branch finished before the next), but always a valid one.
        done: set[str] = set()
        for rev in ours if command == "upgrade" else reversed(ours):
            assert set(graph.get(rev).down_revisions) & set(theirs) <= done, (command, text)
            done.add(rev)
    assert our_rows == their_rows, f"{command} {text!r}: version rows"


# ------------------------------------------------------------------------- the range texts


def identifiers(graph) -> list[str]:
    """Absolute ids of every kind the graph offers."""
    revs = graph.revisions
    out = ["base", "head", "heads"] + revs + [r[:-1] for r in revs[:2]]  # partial ids
    for label in sorted(graph.labels):
        out += [label, f"{label}@head", f"{label}@base"]
    return out


def relatives(graph) -> list[str]:
    revs = graph.revisions
    out = ["+1", "+2", "+3", "-1", "-2", "+0", "-0", "head-1", "head-2", "heads-1", "base+1"]
    for rev in revs:
        out += [f"{rev}+1", f"{rev}-1", f"{rev[:-1]}+1" if rev == revs[0] else f"{rev}+2"]
    for label in sorted(graph.labels):
        out += [f"{label}@+1", f"{label}@+2", f"{label}@-1", f"{label}@head-1",
                f"{label}+1"]
    out += [f"{revs[1]}@+1", f"{revs[-1]}@-1"]  # revisions used as branch names
    return out


def range_texts(graph, command: str) -> list[str]:
    ends = identifiers(graph) + relatives(graph)
    starts = ["base", "heads", "head"] + graph.revisions
    texts = [f"{s}:{e}" for s in starts for e in ends]
    if command in ("upgrade", "stamp"):
        texts += ends  # from base (upgrade) / from an unknown table (stamp)
    return texts


@pytest.mark.parametrize("command", ["upgrade", "downgrade", "stamp"])
def test_ranges_select_what_alembic_selects(pair, command):
    _, graph, script = pair
    for text in range_texts(graph, command):
        if command == "stamp" and ":" not in text:
            continue  # sqlbundle's stamp without FROM sets the table outright (see below)
        assert_same(graph, script, command, text)


def test_history_ranges_list_what_alembic_lists_in_its_order(pair):
    _, graph, script = pair
    ends = identifiers(graph) + relatives(graph) + [""]
    starts = ["", "base", "-1", "-2", "-3"] + identifiers(graph) + \
        [f"{rev}@base" for rev in graph.revisions] + [f"{lab}@-1" for lab in graph.labels]
    for start in starts:
        for end in ends:
            assert_same(graph, script, "history", f"{start}:{end}")
    assert [e.revision for e in history(graph)] == \
        [sc.revision for sc in script.walk_revisions()]


def test_stamp_without_a_start_sets_the_table_to_what_alembic_inserts(pair):
    # Alembic's `stamp X --sql` without FROM assumes an empty table and inserts X's rows;
    # sqlbundle empties the table first, then inserts the same rows.
    _, graph, script = pair
    for text in identifiers(graph) + ["-1", "-2"] + [f"{lab}@-1" for lab in graph.labels]:
        theirs, rows = alembic_answer(script, "stamp", text)
        if isinstance(theirs, Exception):
            if not _alembic_crashed(text, theirs):  # e.g. `stamp -2` where heads meet
                with pytest.raises(SqlbundleError):
                    plan_stamp(graph, text)
            continue
        assert plan_stamp(graph, text).end == rows, text


# ------------------------------------------------------------------ named cases, by reason


@pytest.fixture
def branched(tmp_path):
    root = write_project(tmp_path / "p", GRAPHS["branched"])
    return root, open_project(root, use_cache=False).graph


@pytest.mark.parametrize("text, expected", [
    ("base:+2", ["aaaa1", "aaaa2"]),  # up from the one base
    ("+2", ["aaaa1", "aaaa2"]),  # FROM left out is base
    ("aaaa1:+1", ["aaaa2"]),
    ("aaa:+1", None),  # an ambiguous partial id is an error
    ("aaaa1:aaaa2+1", ["aaaa2", "aaaa3"]),
    ("aaaa3:feature@+1", ["bbbb1"]),  # up along the labelled branch at the branch point
    ("cccc1:feature@+1", ["bbbb1"]),  # start not on the branch: from where it leaves it
    ("base:feature@head-1", ["aaaa1", "aaaa2", "aaaa3", "bbbb1"]),
    ("aaaa1:bbbb1@+2", ["aaaa2", "aaaa3"]),  # a revision used as a branch name
])
def test_upgrade_relative_ranges(branched, text, expected):
    _, graph = branched
    if expected is None:
        with pytest.raises(SqlbundleError, match="ambiguous"):
            plan_upgrade(graph, text)
        return
    assert [s.revision for s in plan_upgrade(graph, text).steps] == expected


@pytest.mark.parametrize("text, expected", [
    ("bbbb2:-1", ["bbbb2"]),
    ("bbbb2:-2", ["bbbb2", "bbbb1"]),
    ("aaaa2:-2", ["aaaa2", "aaaa1"]),  # to base exactly
    ("bbbb2:feature@-2", ["bbbb2", "bbbb1"]),
    ("bbbb2:aaaa1-1", ["bbbb2", "bbbb1", "aaaa3", "aaaa2", "aaaa1"]),  # aaaa1-1 is base
    ("feature@head:-1", ["bbbb2"]),
])
def test_downgrade_relative_ranges(branched, text, expected):
    _, graph = branched
    assert [s.revision for s in plan_downgrade(graph, text).steps] == expected


@pytest.mark.parametrize("command, text, message", [
    ("upgrade", "aaaa3:+1", "aaaa3 is a branch point (bbbb1, cccc1)"),
    ("upgrade", "base:-1", "goes down from the range's start; an upgrade goes up"),
    ("upgrade", "aaaa2:+0", "is zero steps"),
    ("upgrade", "aaaa1:feature@+9", "walks above a head on branch 'feature'"),
    ("upgrade", "base:heads-1", "'heads' names 2 (bbbb2, cccc2)"),
    ("upgrade", "-1:heads", "the start '-1' is relative to the database's current revision"),
    ("downgrade", "heads:-1", "names 2 revisions (bbbb2, cccc2); walking down from them is "
                              "ambiguous"),
    ("downgrade", "bbbb2:-9", "'-9' walks below base"),
    ("downgrade", "bbbb2:+1", "goes up from the range's start; a downgrade goes down"),
    ("downgrade", "bbbb2:-0", "is zero steps"),
    ("downgrade", "cccc2:feature@-1", "the range's start has no revision(s) on branch"),
    ("downgrade", "bbbb2:cccc1", "goes the wrong way for a downgrade"),
    ("downgrade", "-1", "downgrade needs a range 'FROM:TO'"),
    ("history", "aaaa2", "-r needs a range"),
    ("history", "bbbb1:aaaa2", "bbbb1 is not below aaaa2"),
    ("history", "current:", "'current' is the database's revision"),
    ("history", "a:b:c", "is not a range"),
])
def test_relative_range_errors_are_one_message_exit_2(branched, command, text, message):
    root, _ = branched
    args = [command, text] if command != "history" else [command, "-r", text]
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(root), *args, "-d",
                           "sqlite"] if command != "history" else
                          [sys.executable, "-m", "sqlbundle", "-C", str(root), *args],
                          capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.startswith("error: ") and message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_stamp_from_a_revision_moves_its_row_like_alembic(branched):
    _, graph = branched
    # down the line: the row moves; to another branch: a row of its own; to base: deleted.
    assert [s.version.describe() for s in plan_stamp(graph, "bbbb2:aaaa2").steps] == \
        ["update bbbb2 -> aaaa2"]
    assert [s.version.describe() for s in plan_stamp(graph, "bbbb2:cccc1").steps] == \
        ["insert cccc1"]
    assert [s.version.describe() for s in plan_stamp(graph, "bbbb2:base").steps] == \
        ["delete bbbb2"]
    assert plan_stamp(graph, "aaaa3:heads").end == ("bbbb2", "cccc2")


def test_stamp_sql_from_a_revision_changes_only_its_rows(branched):
    root, _ = branched
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(root), "stamp",
                           "bbbb2:-1", "-d", "sqlite"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    body = [line for line in proc.stdout.splitlines() if line and not line.startswith("--")]
    # "-1" in a stamp is every head one step down (Alembic's reading): bbbb1 replaces bbbb2,
    # cccc1 is a branch the table did not hold.
    assert body == [
        "BEGIN;",
        "UPDATE alembic_version SET version_num = 'bbbb1' WHERE version_num = 'bbbb2';",
        "COMMIT;",
        "BEGIN;",
        "INSERT INTO alembic_version (version_num) VALUES ('cccc1');",
        "COMMIT;",
    ]


def test_bundle_of_a_relative_range_rolls_back_to_its_start(branched, tmp_path):
    root, _ = branched
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(root), "bundle",
                           "aaaa1:+2", "-d", "sqlite", "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    rollback = (out / "sqlite" / "rollback" / "rollback.sql").read_text()
    assert "-- range: aaaa3:aaaa1  direction: downgrade" in rollback
    assert sorted(p.name for p in (out / "sqlite" / "rollback").glob("9*.sql")) == [
        "9998_aaaa3_message_aaaa3.sql", "9999_aaaa2_message_aaaa2.sql"]


def test_history_lists_alembic_history_output(branched):
    # The text itself, not only the revisions: `alembic history -r A:B` and ours, line order.
    root, graph = branched
    alembic = Path(sys.executable).parent / "alembic"
    if not alembic.is_file():
        pytest.skip("no alembic executable")
    for text in ("aaaa2:bbbb2", "aaaa2:", ":aaaa2", "-2:", "aaaa1:+2", "feature@base:"):
        option = f"--rev-range={text}"  # both parsers read '-2:' as a value only attached
        theirs = subprocess.run([str(alembic), "-c", str(root / "alembic.ini"), "history",
                                 option], capture_output=True, text=True, cwd=root)
        ours = subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(root), "history",
                               option], capture_output=True, text=True)
        assert ours.returncode == theirs.returncode == 0, (theirs.stderr, ours.stderr)
        revs = [line.split(" -> ")[1].split(" ")[0].rstrip(",")
                for line in theirs.stdout.splitlines()]
        assert [line.split(" -> ")[1].split(" ")[0].rstrip(",")
                for line in ours.stdout.splitlines()] == revs, text


def test_history_order_follows_alembics_reading_order_of_version_locations(tmp_path):
    # Heads are listed in the order their files are read: version_locations as configured
    # (zeta before alpha), then each folder's files by name, then its subfolders.
    root = write_project(tmp_path / "p", GRAPHS["branched"])
    versions = root / "migrations" / "versions"
    (root / "zeta" / "sub").mkdir(parents=True)
    (root / "alpha").mkdir()
    (versions / "cccc1_m.py").rename(root / "zeta" / "cccc1_m.py")
    (versions / "cccc2_m.py").rename(root / "zeta" / "sub" / "cccc2_m.py")
    for name in ("bbbb1", "bbbb2"):
        (versions / f"{name}_m.py").rename(root / "alpha" / f"{name}_m.py")
    (root / "alembic.ini").write_text(
        "[alembic]\nscript_location = %(here)s/migrations\npath_separator = os\n"
        "recursive_version_locations = true\n"
        "version_locations = %(here)s/zeta:%(here)s/alpha:%(here)s/migrations/versions\n")
    graph = open_project(root, use_cache=False).graph
    script = alembic_dir(root)
    theirs = [sc.revision for sc in script.walk_revisions()]
    assert theirs[:2] == ["cccc2", "cccc1"]  # zeta's head first
    assert [e.revision for e in history(graph)] == theirs
    for text in ("aaaa2:", "-1:", "base:heads"):
        assert_same(graph, script, "history", text)


@pytest.mark.parametrize("command, text", [
    ("upgrade", "base:+2"), ("upgrade", "+2"), ("upgrade", "aaaa1:+1"),
    ("upgrade", "aaaa3:feature@+1"), ("upgrade", "cccc1:feature@+1"),
    ("upgrade", "base:feature@head-1"), ("downgrade", "bbbb2:-1"),
    ("downgrade", "bbbb2:feature@-2"), ("downgrade", "aaaa2:-2"),
    ("downgrade", "bbbb2:aaaa1-1"), ("downgrade", "cccc2:feature@base"),
])
def test_alembic_command_line_runs_the_same_migrations(branched, command, text):
    # The oracle above calls Alembic's ScriptDirectory the way its commands do; this runs the
    # real `alembic upgrade|downgrade TEXT --sql` and reads the migrations it ran.
    root, graph = branched
    alembic = Path(sys.executable).parent / "alembic"
    if not alembic.is_file():
        pytest.skip("no alembic executable")
    proc = subprocess.run([str(alembic), "-c", str(root / "alembic.ini"), command, text,
                           "--sql"], capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stderr
    ran = [line.split(" -> ")[1 if command == "upgrade" else 0].split()[-1]
           for line in proc.stdout.splitlines() if line.startswith(f"-- Running {command}")]
    plan = plan_upgrade(graph, text) if command == "upgrade" else plan_downgrade(graph, text)
    assert [s.revision for s in plan.steps] == ran
