"""Caches never change output: the record cache (operations kept per file) and the graph
shortcut downgrade planning relies on.

Each render below is compared with the golden SQL, so a cached run that differs in any byte
from a fresh one fails here.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from sqlbundle.record import runtime
from sqlbundle.compile.steps import compile_range
from sqlbundle.history.graph import RevisionGraph
from sqlbundle.project.model import Project, open_project
from sqlbundle.source.script import Script
from sqlbundle.assemble.framing import render_script
from sqlbundle.cache import Caches

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"


def project_with_cache(root: Path, cache: Path) -> Project:
    project = open_project(root, use_cache=False)
    return replace(project, config=replace(project.config, cache_dir=cache),
                   caches=Caches.configured(cache))


def render(project: Project, dialect: str, direction: str) -> str:
    range_text = "base:heads" if direction == "upgrade" else "heads:base"
    return render_script(compile_range(project, range_text, dialect, direction),
                         direction.capitalize())


class CountingLoads:
    """Counts migration modules actually run (a record-cache hit runs none)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real = runtime.load_migration

        def load(path, *args, **kwargs):
            self.paths.append(path)
            return real(path, *args, **kwargs)

        monkeypatch.setattr(runtime, "load_migration", load)


@pytest.mark.parametrize("sample", ["shop", "alembic_project", "raw_sql"])
@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite", "mssql", "oracle"])
@pytest.mark.parametrize("direction", ["upgrade", "downgrade"])
def test_record_cache_hit_renders_the_golden_sql(tmp_path, monkeypatch, sample, dialect,
                                                 direction):
    golden = (GOLDEN / sample / f"{direction}-{dialect}.sql").read_text("utf-8")
    project = project_with_cache(SAMPLES / sample, tmp_path / "cache")
    assert render(project, dialect, direction) == golden  # fills the cache
    packs = list((tmp_path / "cache" / "ops").iterdir())
    assert [p.name for p in packs] == [f"{project_profile(dialect)}.pickle"]
    loads = CountingLoads(monkeypatch)
    assert render(project, dialect, direction) == golden
    assert loads.paths == []  # every Python migration came from the cache


def project_profile(dialect: str) -> str:
    from sqlbundle.profile import load_profile

    return load_profile(dialect).target


def copy_sample(tmp_path: Path, name: str = "shop") -> Path:
    root = tmp_path / name
    shutil.copytree(SAMPLES / name, root, ignore=shutil.ignore_patterns(".sqlbundle-cache"))
    return root


def test_edited_file_is_run_again_and_the_others_are_not(tmp_path, monkeypatch):
    root = copy_sample(tmp_path)
    project = project_with_cache(root, tmp_path / "cache")
    render(project, "postgresql", "upgrade")
    target = sorted((root / "versions").glob("*.py"))[3]
    text = target.read_text("utf-8")
    assert "def upgrade() -> None:\n" in text
    target.write_text(text.replace("def upgrade() -> None:\n",
                                   "def upgrade() -> None:\n    op.execute('SELECT 1')\n", 1),
                      "utf-8")
    project = project_with_cache(root, tmp_path / "cache")
    loads = CountingLoads(monkeypatch)
    out = render(project, "postgresql", "upgrade")
    assert loads.paths == [str(target)]
    assert "SELECT 1;" in out


def test_unpicklable_operations_are_recorded_every_time(tmp_path, monkeypatch):
    root = copy_sample(tmp_path)
    target = sorted((root / "versions").glob("*.py"))[0]
    text = target.read_text("utf-8")
    # A type defined inside the migration cannot be pickled (its module is not importable).
    text = text.replace("def upgrade() -> None:\n", '''class Money(sa.types.TypeDecorator):
    impl = sa.Numeric(12, 2)
    cache_ok = True


def upgrade() -> None:
    op.create_table("ledger", sa.Column("amount", Money(), nullable=False))
''', 1)
    target.write_text(text, "utf-8")
    monkeypatch.setenv("SQLBUNDLE_NO_RENDER_CACHE", "1")  # no rendered steps: every step replays
    project = project_with_cache(root, tmp_path / "cache")
    first = render(project, "postgresql", "upgrade")
    assert "amount NUMERIC(12, 2) NOT NULL" in first
    loads = CountingLoads(monkeypatch)
    assert render(project, "postgresql", "upgrade") == first
    assert loads.paths == [str(target)]


def test_explicit_quoting_survives_recording_and_the_cache(tmp_path, monkeypatch):
    # Names are kept as plain text unless the author chose quoting (quote=True): that choice
    # must reach the SQL, from a fresh recording and from the record cache alike.
    root = copy_sample(tmp_path)
    target = sorted((root / "versions").glob("*.py"))[0]
    text = target.read_text("utf-8")
    text = text.replace("def upgrade() -> None:\n", '''def upgrade() -> None:
    op.create_table(sa.sql.quoted_name("plain_t", quote=True),
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("plain_c", sa.Integer, quote=True))
    op.add_column("plain_t", sa.Column("plain_d", sa.Integer, quote=True))
    op.create_index("ix_plain", "plain_t", ["plain_c"])
''', 1)
    target.write_text(text, "utf-8")
    project = project_with_cache(root, tmp_path / "cache")
    first = render(project, "postgresql", "upgrade")
    for line in ('CREATE TABLE "plain_t" (', '"plain_c" INTEGER,',
                 'ALTER TABLE plain_t ADD COLUMN "plain_d" INTEGER;',
                 'CREATE INDEX ix_plain ON plain_t ("plain_c");'):
        assert line in first
    loads = CountingLoads(monkeypatch)
    assert render(project, "postgresql", "upgrade") == first
    assert loads.paths == []


def test_unreadable_pack_is_a_miss_and_is_rewritten(tmp_path, monkeypatch):
    project = project_with_cache(SAMPLES / "shop", tmp_path / "cache")
    golden = (GOLDEN / "shop" / "upgrade-postgresql.sql").read_text("utf-8")
    render(project, "postgresql", "upgrade")
    pack = next((tmp_path / "cache" / "ops").iterdir())
    pack.write_bytes(b"not a pickle")
    assert render(project, "postgresql", "upgrade") == golden
    loads = CountingLoads(monkeypatch)
    assert render(project, "postgresql", "upgrade") == golden
    assert loads.paths == []


def test_no_cache_switch_writes_no_pack(tmp_path, monkeypatch):
    monkeypatch.setenv("SQLBUNDLE_NO_RECORD_CACHE", "1")
    project = project_with_cache(SAMPLES / "shop", tmp_path / "cache")
    render(project, "postgresql", "upgrade")
    assert not (tmp_path / "cache" / "ops").exists()


def random_graph(seed: int, size: int = 60) -> RevisionGraph:
    rng = random.Random(seed)
    scripts = []
    for i in range(size):
        rev = f"r{i:03d}"
        earlier = [s.revision for s in scripts]
        down = tuple(rng.sample(earlier, min(len(earlier), rng.choice([1, 1, 1, 2]))))
        deps = tuple(d for d in rng.sample(earlier, min(len(earlier), 1))
                     if d not in down and rng.random() < 0.15)
        scripts.append(Script(rev, down, (), deps, rev, path=f"versions/{rev}.py", line=1))
    return RevisionGraph(scripts)


@pytest.mark.parametrize("seed", range(8))
def test_is_ancestor_agrees_with_the_full_ancestor_walk(seed):
    graph = random_graph(seed)
    rng = random.Random(seed)
    revs = graph.revisions
    for _ in range(300):
        of = rng.sample(revs, rng.choice([0, 1, 2, 3]))
        rev = rng.choice(revs)
        assert graph.is_ancestor(rev, of) == (rev in graph.ancestors(of)), (rev, of)


# ---------------------------------------------------------------------------- two processes


def force_two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlbundle.compile import parallel

    monkeypatch.setenv("SQLBUNDLE_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    # Small samples would keep every step in the parent: split them in the middle.
    monkeypatch.setattr(parallel, "split_point", lambda costs: max(1, len(costs) // 2))


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
@pytest.mark.parametrize("sample", ["shop", "alembic_project", "raw_sql"])
@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite", "mssql", "oracle"])
@pytest.mark.parametrize("direction", ["upgrade", "downgrade"])
def test_rendering_on_two_processes_gives_the_golden_sql(tmp_path, monkeypatch, sample,
                                                         dialect, direction):
    from sqlbundle.compile import parallel

    force_two_processes(monkeypatch)
    forks = []
    real = parallel._start_child
    monkeypatch.setattr(parallel, "_start_child",
                        lambda *a: forks.append(1) or real(*a))
    golden = (GOLDEN / sample / f"{direction}-{dialect}.sql").read_text("utf-8")
    project = project_with_cache(SAMPLES / sample, tmp_path / "cache")
    assert render(project, dialect, direction) == golden
    assert forks == [1]


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_an_error_in_the_second_half_is_reported_as_a_serial_run_reports_it(
        tmp_path, monkeypatch):
    from sqlbundle.errors import SqlbundleError

    root = copy_sample(tmp_path)
    # Break a migration late in the history: drop a column nothing ever created.
    project = open_project(root, use_cache=False)
    late = project.file_of(project.graph.revisions[-2])
    text = late.read_text("utf-8")
    late.write_text(text.replace("def upgrade() -> None:\n",
                                 "def upgrade() -> None:\n    op.drop_column('orders', 'nope')\n",
                                 1), "utf-8")
    messages = []
    for jobs in ("1", "2"):
        monkeypatch.setenv("SQLBUNDLE_JOBS", jobs)
        if jobs == "2":
            force_two_processes(monkeypatch)
        project = project_with_cache(root, tmp_path / f"cache{jobs}")
        with pytest.raises(SqlbundleError) as caught:
            render(project, "postgresql", "upgrade")
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "nope" in messages[0] and late.name in messages[0]


def test_process_all_matches_a_plain_loop_whatever_the_split(monkeypatch):
    from sqlbundle.compile import parallel

    force_two_processes(monkeypatch)
    items = list(range(1, 40))

    def process(item, state):
        return state + item, (item, state)

    def fold(item, state):
        return state + item

    serial = []
    state = 0
    for item in items:
        state, result = process(item, state)
        serial.append(result)
    for split in (1, 2, 20, 38, 39):
        monkeypatch.setattr(parallel, "split_point", lambda costs, at=split: at)
        assert parallel.process_all(items, 0, [(1, 0)] * len(items), process, fold) == \
            (serial, state)


def test_the_split_lets_both_processes_finish_together():
    from sqlbundle.compile.parallel import split_point

    # The child replays the parent's part before rendering its own.
    assert split_point([(1, 0)] * 100) == 50  # replaying free: halves
    assert split_point([(2, 1)] * 90) == 60  # replaying half the work: parent gets 2/3
    # Heavy steps first: the parent takes 7 (210 units), the child folds those 7 and renders
    # the other three heavy ones and the light rest (7 + 90 + 90 = 187).
    assert split_point([(30, 1)] * 10 + [(1, 1)] * 90) == 7
    assert split_point([(1, 1)] * 10) == 10  # replay as dear as rendering: nothing to gain


def test_an_irreversible_migration_only_fails_the_downgrade_that_crosses_it(tmp_path):
    from sqlbundle.errors import SqlbundleError
    from sqlbundle.lint.api import lint_project

    root = copy_sample(tmp_path)
    project = open_project(root, use_cache=False)
    revs = project.graph.revisions
    first = project.file_of(revs[0])
    text = first.read_text("utf-8")
    head, _, _ = text.partition("def downgrade() -> None:")
    first.write_text(head + "def downgrade() -> None:\n    raise NotImplementedError('irreversible')\n",
                     "utf-8")
    project = project_with_cache(root, tmp_path / "cache")
    above = compile_range(project, f"heads:{revs[0]}", "postgresql", "downgrade")
    assert [s.step.revision for s in above.steps][-1] == revs[1]
    lint_project(project, "base:heads")
    with pytest.raises(SqlbundleError) as caught:
        compile_range(project, "heads:base", "postgresql", "downgrade")
    assert "irreversible" in str(caught.value) and first.name in str(caught.value)


class CountingReplays:
    """Counts upgrade operations asked for while replaying (a state-cache hit asks for none
    before the plan's first step)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from sqlbundle.compile import steps as build

        self.upgrades: list[str] = []
        real = build.Replay.operations

        def operations(replay, rev, direction):
            if direction == "upgrade":
                self.upgrades.append(rev)
            return real(replay, rev, direction)

        monkeypatch.setattr(build.Replay, "operations", operations)


@pytest.mark.parametrize("sample", ["shop", "alembic_project", "raw_sql"])
@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mssql"])
def test_state_cache_hit_skips_the_replay_and_renders_the_golden_sql(tmp_path, monkeypatch,
                                                                     sample, dialect):
    golden = (GOLDEN / sample / f"downgrade-{dialect}.sql").read_text("utf-8")
    project = project_with_cache(SAMPLES / sample, tmp_path / "cache")
    assert render(project, dialect, "downgrade") == golden
    assert [p.name for p in (tmp_path / "cache" / "states").iterdir()] == \
        [f"{project_profile(dialect)}.pickle"]
    replays = CountingReplays(monkeypatch)
    assert render(project, dialect, "downgrade") == golden
    assert replays.upgrades == []


def test_an_incremental_upgrade_starts_from_the_kept_state(tmp_path, monkeypatch):
    # What a DBA renders again and again: from the revision production is at to the head.
    project = project_with_cache(SAMPLES / "shop", tmp_path / "cache")
    revs = project.graph.revisions
    middle = revs[len(revs) // 2]
    fresh = render_script(compile_range(project, f"{middle}:heads", "mysql"), "Upgrade")
    replays = CountingReplays(monkeypatch)
    again = render_script(compile_range(project, f"{middle}:heads", "mysql"), "Upgrade")
    assert again == fresh
    plan_revisions = {line.split()[3] for line in again.splitlines()
                      if line.startswith("-- Upgrade ")}
    assert set(replays.upgrades) <= plan_revisions  # only the plan's own steps


def test_an_edit_before_the_plan_start_is_replayed_again(tmp_path, monkeypatch):
    root = copy_sample(tmp_path)
    project = project_with_cache(root, tmp_path / "cache")
    render(project, "mysql", "downgrade")
    # Widen a column early in the history: the downgrade must restate the new type.
    first = project.file_of(project.graph.revisions[0])
    text = first.read_text("utf-8")
    assert "sa.String(length=255)" in text
    first.write_text(text.replace("sa.String(length=255)", "sa.String(length=300)"), "utf-8")
    project = project_with_cache(root, tmp_path / "cache")
    replays = CountingReplays(monkeypatch)
    cached = render(project, "mysql", "downgrade")
    assert replays.upgrades  # the kept state was for the old content
    monkeypatch.setenv("SQLBUNDLE_NO_CACHE", "1")
    project = project_with_cache(root, tmp_path / "cache")
    assert cached == render(project, "mysql", "downgrade")


def test_unpicklable_state_is_replayed_every_time(tmp_path, monkeypatch):
    root = copy_sample(tmp_path)
    target = sorted((root / "versions").glob("*.py"))[0]
    text = target.read_text("utf-8")
    text = text.replace("def upgrade() -> None:\n", '''class Money(sa.types.TypeDecorator):
    impl = sa.Numeric(12, 2)
    cache_ok = True


def upgrade() -> None:
    op.create_table("ledger", sa.Column("amount", Money(), nullable=False))
''', 1)
    target.write_text(text, "utf-8")
    monkeypatch.setenv("SQLBUNDLE_NO_RENDER_CACHE", "1")  # no rendered steps: every step replays
    project = project_with_cache(root, tmp_path / "cache")
    first = render(project, "postgresql", "downgrade")  # ledger (and Money) is in the state
    assert not (tmp_path / "cache" / "states").exists()
    replays = CountingReplays(monkeypatch)
    assert render(project, "postgresql", "downgrade") == first
    assert replays.upgrades


def test_state_cache_keeps_a_few_states_and_has_a_switch(tmp_path, monkeypatch):
    from sqlbundle.cache import states as statecache

    project = project_with_cache(SAMPLES / "shop", tmp_path / "cache")
    revs = project.graph.revisions
    monkeypatch.setattr(statecache, "KEEP", 2)
    for rev in revs[1:5]:
        compile_range(project, f"{rev}:heads", "postgresql")
    from sqlbundle.compile.steps import replay_caches
    from sqlbundle.profile import load_profile

    cache = replay_caches(project, load_profile("postgresql"))[1]
    assert len(cache.entries) == 2
    monkeypatch.setenv("SQLBUNDLE_NO_STATE_CACHE", "1")
    other = project_with_cache(SAMPLES / "shop", tmp_path / "other")
    render(other, "postgresql", "downgrade")
    assert (tmp_path / "other" / "ops").exists() and not (tmp_path / "other" / "states").exists()


def test_render_cache_answers_a_rebuild_without_replaying_or_building_the_graph(
        tmp_path, monkeypatch):
    from sqlbundle.compile import steps as build
    from sqlbundle.assemble.rendercache import render_cached

    root = copy_sample(tmp_path)
    golden = (GOLDEN / "shop" / "downgrade-mysql.sql").read_text("utf-8")
    project = project_with_cache(root, tmp_path / "cache")
    assert render_cached(project, "heads:base", "mysql", "downgrade")[0] == golden
    calls = []
    real = build.compile_range
    monkeypatch.setattr(build, "compile_range", lambda *a, **k: calls.append(a) or real(*a, **k))
    again = project_with_cache(root, tmp_path / "cache")
    assert render_cached(again, "heads:base", "mysql", "downgrade")[0] == golden
    assert calls == [] and "graph" not in again.__dict__  # a hit: no replay, no graph
    # Any edit misses; so does the switch.
    target = sorted((root / "versions").glob("*.py"))[-1]
    target.write_text(target.read_text("utf-8") + "\n# reviewed\n", "utf-8")
    edited = project_with_cache(root, tmp_path / "cache")
    assert render_cached(edited, "heads:base", "mysql", "downgrade")[0] == golden
    assert len(calls) == 1
    monkeypatch.setenv("SQLBUNDLE_NO_RENDER_CACHE", "1")
    edited = project_with_cache(root, tmp_path / "cache")
    assert render_cached(edited, "heads:base", "mysql", "downgrade")[0] == golden
    assert len(calls) == 2


def migrations_project(tmp_path: Path, **files: str) -> Path:
    """A project whose versions/<name>.py files get the usual imports before ``files``'
    texts."""
    root = tmp_path / "proj"
    (root / "versions").mkdir(parents=True)
    (root / "sqlbundle.toml").write_text('version_locations = ["versions"]\n')
    for name, text in files.items():
        (root / "versions" / f"{name}.py").write_text(
            "import os\nfrom alembic import op\nimport sqlalchemy as sa\n\n" + text)
    return root


def test_render_cache_never_keeps_sql_that_depends_on_the_environment(tmp_path, monkeypatch):
    # The same files give other SQL when a variable migration code reads changes: a whole
    # rendered script is not kept by their content, in either direction.
    from sqlbundle.assemble.rendercache import render_cached

    root = migrations_project(tmp_path, a1=(
        "revision = 'a1'\ndown_revision = None\n"
        "LENGTH = int(os.environ.get('NAME_LENGTH', '10'))\n\n\n"
        "def upgrade():\n    op.create_table('t', sa.Column('name', sa.String(LENGTH)))\n\n\n"
        "def downgrade():\n    op.drop_table('t')\n"))
    for length in ("10", "99", "10"):
        monkeypatch.setenv("NAME_LENGTH", length)
        project = project_with_cache(root, tmp_path / "cache")
        assert f"name VARCHAR({length})" in render_cached(project, "base:heads", "postgresql",
                                                          "upgrade")[0]


def test_lint_reports_are_kept_but_never_when_the_environment_shaped_them(tmp_path,
                                                                         monkeypatch):
    from sqlbundle.assemble.rendercache import lint_cached

    root = migrations_project(tmp_path, a1=(
        "revision = 'a1'\ndown_revision = None\n\n\n"
        "def upgrade():\n    op.create_table('t', sa.Column('a', sa.Integer()),"
        " sa.Column('b', sa.Integer()))\n\n\n"
        "def downgrade():\n    op.drop_table('t')\n"), a2=(
        "revision = 'a2'\ndown_revision = 'a1'\n\n\n"
        "def upgrade():\n    op.drop_column('t', os.environ.get('DROPPED', 'a'))\n\n\n"
        "def downgrade():\n    pass\n"))
    for column in ("a", "b", "a"):
        monkeypatch.setenv("DROPPED", column)
        report = lint_cached(project_with_cache(root, tmp_path / "cache"), "base:heads", None)
        assert f"drop column t.{column}" in report["text"], report["text"]
    # Without the variable's influence, the report is kept and answered from the cache.
    (root / "versions" / "a2.py").write_text(
        (root / "versions" / "a2.py").read_text().replace("os.environ.get('DROPPED', 'a')",
                                                          "'b'"))
    first = lint_cached(project_with_cache(root, tmp_path / "cache"), "base:heads", None)
    import sqlbundle.lint.api as api

    monkeypatch.setattr(api, "lint_project", None)  # a miss would fail
    assert lint_cached(project_with_cache(root, tmp_path / "cache"), "base:heads", None) == first


def test_code_pack_keeps_the_history_and_ages_out_old_contents(tmp_path, monkeypatch):
    import sqlbundle.cache.code as code_module
    from sqlbundle.cache.code import CodeStore

    code = compile("x = 1", "m.py", "exec")
    first = CodeStore(tmp_path)
    for n in range(5):
        first.put(f"/p/m{n}.py", "d", code)
    first.save()
    # A later command runs one new module: the pack keeps the others for the next target.
    later = CodeStore(tmp_path)
    assert later.get("/p/m0.py", "d") is not None
    later.put("/p/new.py", "d", code)
    later.save()
    again = CodeStore(tmp_path)
    assert all(again.get(f"/p/m{n}.py", "d") is not None for n in range(5))
    # Past the limit, what a command did not use goes, oldest first; never what it used.
    monkeypatch.setattr(code_module, "KEEP", 3)
    small = CodeStore(tmp_path)
    assert small.get("/p/m4.py", "d") is not None
    small.put("/p/newer.py", "d", code)
    small.save()
    kept = sorted(p for p in [f"/p/m{n}.py" for n in range(5)] + ["/p/new.py", "/p/newer.py"]
                  if CodeStore(tmp_path).get(p, "d") is not None)
    assert kept == ["/p/m4.py", "/p/new.py", "/p/newer.py"]
