"""Benchmark sqlbundle's CLI on synthetic Alembic projects.

    python bench/run.py [--sizes 1000 5000] [--repeat 5] [--out bench/out] [--groups graph render]
    python bench/run.py --quick            # sizes 200 1000, repeat 2 (explicit flags still win)

For every size N a project is generated with bench/gen_project.py (reused when its manifest
matches), then each benchmark group runs one untimed warm-up round and --repeat timed rounds,
each round running every command once (interleaved, so that a slow spell of a shared machine
falls on all commands alike).  Wall time is measured around the whole subprocess; peak RSS comes from GNU time (or
os.wait4 as a fallback).  A command whose single run takes longer than --max-run-seconds is
recorded once and not repeated.  Every group prints a Markdown table and writes it to
OUT/<group>.md.

Groups:
  graph   heads/history, sqlbundle (cold and warm cache) vs `alembic heads`.
  workflow  what users wait on, next to Alembic's upgrade from the same run: a fresh clone
          (no cache folder, no bytecode; compared with Alembic's fresh run), check of a
          committed two-dialect bundle on a fresh clone, bundle (rebuilt with warm caches, and
          re-run with nothing changed), lint, upgrade + downgrade,
          bundle after one new migration at the head and after an edit of the first
          migration, and a cold bundle; each goal of the speed issue is checked in a note.
  render  offline SQL for the whole history, both directions, postgresql:
          `sqlbundle upgrade base:heads -d postgresql` / `downgrade heads:base` vs
          `alembic upgrade base:heads --sql` / `downgrade heads:base --sql`, with a growth
          table (largest N vs smallest N per command).

Adding a group: write a function ``(ctx: Context) -> GroupResult`` and register it in GROUPS
(wrapped in a Group, which also says how its table is rendered).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# run.py is executed as a script, so its own directory is on sys.path.
from gen_project import generate, manifest_for, read_manifest

BIN_DIR = Path(sys.executable).parent  # the venv's bin dir; not resolved, symlinks are fine
CACHE_DIR_NAME = ".sqlbundle-cache"


class BenchError(RuntimeError):
    """A command failed or produced output that disagrees with the reference."""


# --------------------------------------------------------------------------- running commands


@dataclass(frozen=True)
class Command:
    name: str
    argv: list[str]
    cwd: Path | None = None
    # Runs (untimed) before every execution, e.g. to drop a cache for a cold run.
    prepare: Callable[[], None] | None = None
    # Validates stdout of every execution; raises BenchError on a mismatch.
    check: Callable[[str], None] | None = None


@dataclass
class Measurement:
    command: Command
    times: list[float]
    peak_kib: int | None
    stdout: str  # of the last run, for cross-checks between commands

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


@dataclass
class Run:
    seconds: float
    maxrss_kib: int | None
    returncode: int
    stdout: str
    stderr: str


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    # The cache is part of what we measure; a stray setting would silently change results.
    # PYTHONDONTWRITEBYTECODE (set on some CI machines) would make both tools compile their
    # sources on every run: Alembic its 5,000 migration files, sqlbundle (installed editable)
    # its own modules. The warm-up run writes bytecode for both, as on a developer's machine.
    for name in ("SQLBUNDLE_NO_CACHE", "SQLBUNDLE_NO_RECORD_CACHE", "SQLBUNDLE_NO_STATE_CACHE",
                 "SQLBUNDLE_NO_RENDER_CACHE", "SQLBUNDLE_JOBS", "SQLBUNDLE_CONFIG",
                 "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


def find_gnu_time() -> str | None:
    """GNU time, if it is there and understands -f/-o."""
    path = Path("/usr/bin/time")
    if not path.exists():
        return None
    with tempfile.NamedTemporaryFile("r") as report:
        probe = subprocess.run([str(path), "-f", "%M", "-o", report.name, "true"],
                               capture_output=True)
        return str(path) if probe.returncode == 0 and report.read().strip().isdigit() else None


@dataclass(frozen=True)
class Runner:
    """Runs one command, returning wall time and the child's peak RSS.

    Peak RSS comes from GNU time when available.  os.wait4 alone is not accurate on Linux: a
    child forked (or vforked) from this process inherits our own high-water RSS at exec, so
    ru_maxrss is max(runner RSS, child RSS).  GNU time is tiny, so its child starts clean.
    os.wait4 remains the fallback, and the table header then states the runner's floor.
    """

    env: dict[str, str]
    gnu_time: str | None

    @classmethod
    def create(cls, use_gnu_time: bool = True) -> Runner:
        return cls(child_env(), find_gnu_time() if use_gnu_time else None)

    def describe(self) -> str:
        if self.gnu_time:
            return f"peak MiB = max RSS over the timed runs ({self.gnu_time} -f %M)"
        floor = self.run(["true"], None).maxrss_kib
        floor_text = f"{floor / 1024:.1f} MiB" if floor is not None else "unknown"
        return (f"peak MiB = max ru_maxrss over the timed runs (os.wait4; includes the runner's "
                f"own RSS as a floor, {floor_text})")

    def run(self, argv: list[str], cwd: Path | None) -> Run:
        # Output goes to temp files rather than pipes: with os.wait4 we reap the child
        # ourselves, so nothing may be left blocking on a full pipe.
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
                tempfile.NamedTemporaryFile("r") as report:
            if self.gnu_time:
                argv = [self.gnu_time, "-f", "%M", "-o", report.name, *argv]
            start = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=cwd, env=self.env, stdout=out, stderr=err)
            maxrss: int | None = None
            if hasattr(os, "wait4"):
                _, status, usage = os.wait4(proc.pid, 0)
                seconds = time.perf_counter() - start
                proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it's reaped
                # ru_maxrss is KiB on Linux but bytes on macOS.
                maxrss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
            else:  # no rusage at all (Windows): time only
                proc.wait()
                seconds = time.perf_counter() - start
            if self.gnu_time:
                # The last line is the %M value; a "Command exited with non-zero status" line
                # may precede it.
                lines = report.read().split()
                maxrss = int(lines[-1]) if lines and lines[-1].isdigit() else None
            out.seek(0)
            err.seek(0)
            return Run(
                seconds,
                maxrss,
                proc.returncode,
                out.read().decode(errors="replace"),
                err.read().decode(errors="replace"),
            )


def measure_all(commands: Sequence[Command], repeat: int, runner: Runner,
                max_run_seconds: float | None = None) -> dict[str, Measurement]:
    """Run every command once untimed, then `repeat` timed rounds, one run of each command per
    round: a slow spell of a shared machine then falls on every command alike, not on whichever
    happened to be running.

    A run slower than max_run_seconds ends that command's measurement: it is recorded as the
    only timed run (even when it was the warm-up, whose extra cost is then small relative to
    the run).
    """
    times: dict[str, list[float]] = {c.name: [] for c in commands}
    peaks: dict[str, list[int]] = {c.name: [] for c in commands}
    stdout: dict[str, str] = {}
    done: set[str] = set()
    # The untimed warm-up round first: it fills caches and catches failures early.
    for attempt in range(repeat + 1):
        for command in commands:
            if command.name in done:
                continue
            run = _checked_run(command, runner)
            stdout[command.name] = run.stdout
            too_slow = max_run_seconds is not None and run.seconds > max_run_seconds
            if attempt == 0 and not too_slow:
                continue
            times[command.name].append(run.seconds)
            if run.maxrss_kib is not None:
                peaks[command.name].append(run.maxrss_kib)
            if too_slow or len(times[command.name]) == repeat:
                done.add(command.name)
    results = {}
    for command in commands:
        taken = times[command.name]
        runs = "" if len(taken) == repeat else \
            f"  ({len(taken)} run: over {max_run_seconds:g}s, not repeated)"
        print(f"    {command.name:<34} best {min(taken):7.3f}s  median "
              f"{statistics.median(taken):7.3f}s{runs}", flush=True)
        results[command.name] = Measurement(command, taken, max(peaks[command.name])
                                            if peaks[command.name] else None,
                                            stdout[command.name])
    return results


def _checked_run(command: Command, runner: Runner) -> Run:
    if command.prepare:
        command.prepare()
    run = runner.run(command.argv, command.cwd)
    if run.returncode != 0:
        raise BenchError(
            f"{command.name}: exit code {run.returncode}\n"
            f"  command: {' '.join(command.argv)}\n  cwd: {command.cwd}\n"
            f"--- stdout (tail) ---\n{run.stdout[-3000:]}\n--- stderr (tail) ---\n"
            f"{run.stderr[-3000:]}"
        )
    if command.check:
        command.check(run.stdout)
    return run


# --------------------------------------------------------------------------- groups


@dataclass
class Tools:
    python: str
    sqlbundle: str
    alembic: str | None  # None when alembic isn't importable/installed here

    @classmethod
    def find(cls) -> Tools:
        sqlbundle = BIN_DIR / "sqlbundle"
        if not sqlbundle.exists():
            raise SystemExit(f"no sqlbundle executable next to {sys.executable}")
        alembic = BIN_DIR / "alembic"
        has_alembic = importlib.util.find_spec("alembic") is not None and alembic.exists()
        return cls(sys.executable, str(sqlbundle), str(alembic) if has_alembic else None)


@dataclass
class Context:
    n: int
    project: Path
    manifest: dict[str, object]
    tools: Tools
    repeat: int
    runner: Runner
    max_run_seconds: float | None = None

    def measure_all(self, commands: Sequence[Command]) -> dict[str, Measurement]:
        return measure_all(commands, self.repeat, self.runner, self.max_run_seconds)


@dataclass
class Row:
    n: int
    measurement: Measurement
    vs_alembic: float | None = None  # alembic best / this best, where there's a counterpart


@dataclass
class GroupResult:
    rows: list[Row]
    notes: list[str] = field(default_factory=list)


def first_tokens(stdout: str) -> list[str]:
    return sorted(line.split()[0] for line in stdout.splitlines() if line.strip())


def expect_heads(expected: list[str], who: str) -> Callable[[str], None]:
    def check(stdout: str) -> None:
        got = first_tokens(stdout)
        if got != sorted(expected):
            raise BenchError(f"{who} heads {got} != expected {sorted(expected)}\n--- output ---\n{stdout}")

    return check


def expect_line_count(n: int, who: str) -> Callable[[str], None]:
    def check(stdout: str) -> None:
        lines = [line for line in stdout.splitlines() if line.strip()]
        if len(lines) != n:
            raise BenchError(f"{who} printed {len(lines)} lines, expected one per revision ({n})")

    return check


def baseline_command(ctx: Context) -> Command:
    return Command("import sqlbundle", [ctx.tools.python, "-c", "import sqlbundle"])


def group_graph(ctx: Context) -> GroupResult:
    """Graph-only commands: scanning the versions folder, with and without the cache."""
    cache = ctx.project / CACHE_DIR_NAME
    heads: list[str] = ctx.manifest["heads"]  # type: ignore[assignment]
    sb = [ctx.tools.sqlbundle, "-C", str(ctx.project)]

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    commands = [
        baseline_command(ctx),
        Command("sqlbundle heads (cold)", [*sb, "heads"], ctx.project, drop_cache,
                expect_heads(heads, "sqlbundle")),
        Command("sqlbundle heads (warm)", [*sb, "heads"], ctx.project, None,
                expect_heads(heads, "sqlbundle")),
        Command("sqlbundle history (warm)", [*sb, "history"], ctx.project, None,
                expect_line_count(ctx.n, "sqlbundle history")),
    ]
    notes: list[str] = []
    if ctx.tools.alembic:
        ini = str(ctx.project / "alembic.ini")
        commands.append(Command("alembic heads", [ctx.tools.alembic, "-c", ini, "heads"], ctx.project,
                                None, expect_heads(heads, "alembic")))
    else:
        notes.append("alembic not importable with this interpreter: `alembic heads` skipped.")

    results = ctx.measure_all(commands)

    # Both tools were checked against the generator's manifest; compare them directly too,
    # so a manifest bug can't hide a disagreement.
    alembic = results.get("alembic heads")
    if alembic is not None:
        for name in ("sqlbundle heads (cold)", "sqlbundle heads (warm)"):
            if first_tokens(results[name].stdout) != first_tokens(alembic.stdout):
                raise BenchError(f"{name} disagrees with alembic heads:\n"
                                 f"{results[name].stdout}\nvs\n{alembic.stdout}")

    rows = []
    for name, m in results.items():
        ratio = alembic.best / m.best if alembic and name.startswith("sqlbundle heads") else None
        rows.append(Row(ctx.n, m, ratio))
    return GroupResult(rows, notes)


POSTGRES_INI_NAME = "alembic-postgresql.ini"
POSTGRES_URL = "postgresql://localhost/bench"  # offline (--sql) mode never connects
VERSION_TABLE = "alembic_version"
CREATE_TABLE_RE = re.compile(r"^\s*CREATE TABLE (?:IF NOT EXISTS )?\"?(\w+)", re.MULTILINE | re.IGNORECASE)
DROP_TABLE_RE = re.compile(r"^\s*DROP TABLE (?:IF EXISTS )?\"?(\w+)", re.MULTILINE | re.IGNORECASE)
STATEMENT = {CREATE_TABLE_RE: "CREATE TABLE", DROP_TABLE_RE: "DROP TABLE"}


def postgres_ini(project: Path) -> Path:
    """A copy of the project's alembic.ini whose sqlalchemy.url is PostgreSQL.

    The bench project targets SQLite (gen_project.py verifies it against a real SQLite file);
    for rendering we want Alembic to emit PostgreSQL, like `sqlbundle -d postgresql`.  The copy
    sits next to alembic.ini because script_location is %(here)s-relative.  Rewritten only
    when its content would change, so reruns leave the project untouched.
    """
    source = (project / "alembic.ini").read_text()
    text, count = re.subn(r"(?m)^sqlalchemy\.url\s*=.*$", f"sqlalchemy.url = {POSTGRES_URL}", source)
    if count != 1:
        raise BenchError(f"{project / 'alembic.ini'}: expected one sqlalchemy.url line, found {count}")
    target = project / POSTGRES_INI_NAME
    if not target.exists() or target.read_text() != text:
        target.write_text(text)
    return target


def user_tables(pattern: re.Pattern[str], sql: str) -> list[str]:
    return [name for name in pattern.findall(sql) if name.lower() != VERSION_TABLE]


def expect_sql(pattern: re.Pattern[str], tables: int, step: re.Pattern[str], steps: int,
               who: str) -> Callable[[str], None]:
    """Non-empty SQL with one CREATE/DROP TABLE per generated table and one step per revision."""

    def check(stdout: str) -> None:
        if not stdout.strip():
            raise BenchError(f"{who}: empty output")
        found = len(user_tables(pattern, stdout))
        if found != tables:
            raise BenchError(f"{who}: {found} {STATEMENT[pattern]} statements, "
                             f"expected {tables} (one per generated table)")
        found_steps = len(step.findall(stdout))
        if found_steps != steps:
            raise BenchError(f"{who}: {found_steps} migration steps, expected {steps} (one per revision)")

    return check


def group_render(ctx: Context) -> GroupResult:
    """Offline SQL for the whole history, both directions, PostgreSQL; sqlbundle vs alembic."""
    tables = int(ctx.manifest["tables"])  # type: ignore[call-overload]
    sb_cached = [ctx.tools.sqlbundle, "-C", str(ctx.project)]
    # Timed without the render cache (every run renders); the "rebuild" row uses it.
    sb = ["/usr/bin/env", "SQLBUNDLE_NO_RENDER_CACHE=1", *sb_cached]
    # Step markers: sqlbundle's per-revision header comment, Alembic's "Running ..." comment.
    sb_up_step = re.compile(rf"^-- Upgrade \d+/{ctx.n}:", re.MULTILINE)
    sb_down_step = re.compile(rf"^-- Downgrade \d+/{ctx.n}:", re.MULTILINE)
    al_up_step = re.compile(r"^-- Running upgrade ", re.MULTILINE)
    al_down_step = re.compile(r"^-- Running downgrade ", re.MULTILINE)

    # Cold: nothing of sqlbundle's cached but bytecode (as for Alembic): every module runs.
    sb_cold = ["/usr/bin/env", "SQLBUNDLE_NO_RECORD_CACHE=1", "SQLBUNDLE_NO_STATE_CACHE=1", *sb]
    # The downgrade replays every upgrade first (for the schema at the heads), from recorded
    # operations.
    sb_replay = ["/usr/bin/env", "SQLBUNDLE_NO_STATE_CACHE=1", *sb]
    sb_serial = ["/usr/bin/env", "SQLBUNDLE_JOBS=1", *sb]
    up, down = "upgrade base:heads", "downgrade heads:base"
    up_args, down_args = ["upgrade", "base:heads", "-d", "postgresql"], \
        ["downgrade", "heads:base", "-d", "postgresql"]
    check_up = expect_sql(CREATE_TABLE_RE, tables, sb_up_step, ctx.n, "sqlbundle upgrade")
    check_down = expect_sql(DROP_TABLE_RE, tables, sb_down_step, ctx.n, "sqlbundle downgrade")
    commands = [
        Command(f"sqlbundle {up}", [*sb, *up_args], ctx.project, None, check_up),
        Command(f"sqlbundle {down}", [*sb, *down_args], ctx.project, None, check_down),
        Command(f"sqlbundle {up} (cold: every module runs)", [*sb_cold, *up_args], ctx.project,
                None, check_up),
        Command(f"sqlbundle {down} (no state cache: upgrades replayed)",
                [*sb_replay, *down_args], ctx.project, None, check_down),
        Command(f"sqlbundle {down} (cold: every module runs)", [*sb_cold, *down_args],
                ctx.project, None, check_down),
        Command(f"sqlbundle {up} (one process)", [*sb_serial, *up_args], ctx.project, None,
                check_up),
        Command(f"sqlbundle {up} (rebuild, nothing changed)", [*sb_cached, *up_args],
                ctx.project, None, check_up),
    ]
    counterpart = {c.name: f"alembic {up} --sql" if " upgrade " in f" {c.name} "
                   else f"alembic {down} --sql" for c in commands}
    notes = [
        "sqlbundle: `sqlbundle -C DIR upgrade base:heads -d postgresql`, "
        "`sqlbundle -C DIR downgrade heads:base -d postgresql`.  "
        "Speedup vs alembic = alembic best ÷ sqlbundle best for the same direction (>1: sqlbundle faster).",
    ]
    if ctx.tools.alembic:
        ini = str(postgres_ini(ctx.project))
        al = [ctx.tools.alembic, "-c", ini]
        commands += [
            Command(f"alembic {up} --sql", [*al, "upgrade", "base:heads", "--sql"], ctx.project,
                    None, expect_sql(CREATE_TABLE_RE, tables, al_up_step, ctx.n, "alembic upgrade")),
            Command(f"alembic {down} --sql", [*al, "downgrade", "heads:base", "--sql"], ctx.project,
                    None, expect_sql(DROP_TABLE_RE, tables, al_down_step, ctx.n, "alembic downgrade")),
        ]
        notes.append(
            f"alembic: `alembic -c DIR/{POSTGRES_INI_NAME} upgrade base:heads --sql` and "
            f"`... downgrade heads:base --sql`, where {POSTGRES_INI_NAME} is alembic.ini with "
            f"`sqlalchemy.url = {POSTGRES_URL}` (offline mode never connects); Alembic's INFO "
            "log lines go to stderr, as with the project's default logging config."
        )
    else:
        notes.append("alembic not importable with this interpreter: alembic rows skipped.")
    notes.append("sqlbundle's render cache is off in every row but the rebuild row, so every "
                 "step is replayed and rendered.  Its record cache (operations recorded per "
                 "migration file, keyed by content), state cache (the schema a plan starts "
                 "from, here the heads' for the downgrade, keyed by the content of the history "
                 "before it) and sqlglot memo are warm (the untimed warm-up run fills them) "
                 "except where a row says otherwise; in the cold rows every migration module "
                 "runs again.  Python bytecode caches are warm for both tools.  Rendering uses "
                 "two processes for long plans (a forked child renders the second half); "
                 "the one-process row has `SQLBUNDLE_JOBS=1`; peak MiB is the larger of the two "
                 "processes.")
    notes.append("Every run is checked: exit 0, non-empty SQL, one migration step per revision, and "
                 "one CREATE TABLE (upgrade) / DROP TABLE (downgrade) per generated table, "
                 f"`{VERSION_TABLE}` excluded.")

    results = ctx.measure_all(commands)

    # Cross-check the tools against each other, not just against the manifest.
    counts = []
    for pattern, word, names in ((CREATE_TABLE_RE, "CREATE TABLE", (commands[0].name, f"alembic {up} --sql")),
                                 (DROP_TABLE_RE, "DROP TABLE", (commands[1].name, f"alembic {down} --sql"))):
        found = {name: sorted(user_tables(pattern, results[name].stdout)) for name in names if name in results}
        if len({tuple(v) for v in found.values()}) > 1:
            raise BenchError(f"{word} tables differ between " + " and ".join(found))
        counts.append(f"{word} {' = '.join(str(len(v)) for v in found.values())} "
                      f"({' / '.join(name.split()[0] for name in found)})")
    notes.append(f"Statement check, N={ctx.n}: {'; '.join(counts)}; same table names; "
                 f"manifest: {tables} tables.")
    for name, m in results.items():
        if len(m.times) < ctx.repeat:
            notes.append(f"N={ctx.n} `{name}`: a single run took {m.times[-1]:.1f}s (over "
                         f"--max-run-seconds {ctx.max_run_seconds:g}); recorded once, not repeated.")

    rows = []
    for name, m in results.items():
        ref = results.get(counterpart.get(name, ""))
        rows.append(Row(ctx.n, m, ref.best / m.best if ref else None))
    return GroupResult(rows, notes)


NEW_HEAD = "f1f1f1f1f1f1"  # the revision the one-new-migration row adds at the head


def _new_head(parent: str) -> str:
    return (f'"""one new migration\n\nRevision ID: {NEW_HEAD}\nRevises: {parent}\n"""\n'
            "from alembic import op\nimport sqlalchemy as sa\n\n"
            f"revision = {NEW_HEAD!r}\ndown_revision = {parent!r}\nbranch_labels = None\n"
            "depends_on = None\n\n\ndef upgrade() -> None:\n"
            "    op.create_table('bench_new', sa.Column('id', sa.Integer(), primary_key=True),\n"
            "                    sa.Column('name', sa.String(50), nullable=False))\n\n\n"
            "def downgrade() -> None:\n    op.drop_table('bench_new')\n")


def _fresh(project: Path, cache: bool = True) -> None:
    """A fresh clone: no bytecode under the project, and (``cache``) no cache folder."""
    for folder in project.rglob("__pycache__"):
        shutil.rmtree(folder, ignore_errors=True)
    if cache:
        shutil.rmtree(project / CACHE_DIR_NAME, ignore_errors=True)


def _variant(ctx: Context, name: str) -> Path:
    """A copy of the bench project next to it (rebuilt every run of bench/run.py)."""
    target = ctx.project.parent / f"{ctx.project.name}-{name}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ctx.project, target, ignore=shutil.ignore_patterns(CACHE_DIR_NAME,
                                                                       "__pycache__"))
    return target


def _snapshot(project: Path, saved: Path) -> Callable[[], None]:
    """Save ``project``'s cache and bundles now; the returned function puts them back."""
    shutil.rmtree(saved, ignore_errors=True)
    saved.mkdir(parents=True)
    for name in (CACHE_DIR_NAME, "bundles"):
        if (project / name).exists():
            shutil.copytree(project / name, saved / name)

    def restore() -> None:
        for name in (CACHE_DIR_NAME, "bundles"):
            shutil.rmtree(project / name, ignore_errors=True)
            if (saved / name).exists():
                shutil.copytree(saved / name, project / name)

    return restore


def group_workflow(ctx: Context) -> GroupResult:
    """What users wait on, each next to Alembic's upgrade from the same run: a fresh clone
    (no cache, no bytecode), bundle, lint, check, one new migration, an edit of the first."""
    sb = ctx.tools.sqlbundle
    heads: list[str] = ctx.manifest["heads"]  # type: ignore[assignment]
    if not ctx.tools.alembic:
        raise BenchError("the workflow group compares with Alembic: install the test extra")
    ini = str(postgres_ini(ctx.project))
    al = [ctx.tools.alembic, "-c", ini, "upgrade", "base:heads", "--sql"]
    up = ["upgrade", "base:heads", "-d", "postgresql"]
    down = ["downgrade", "heads:base", "-d", "postgresql"]
    bundle = ["bundle", "-d", "postgresql", "--out", "bundles"]
    run = ctx.runner

    def setup(argv: list[str], cwd: Path) -> None:
        result = run.run(argv, cwd)
        if result.returncode != 0:
            raise BenchError(f"setup {' '.join(argv)} failed:\n{result.stderr[-2000:]}")

    # A committed two-dialect bundle, checked on a fresh clone.
    checked = _variant(ctx, "check")
    setup([sb, "-C", str(checked), "bundle", "-d", "postgresql", "-d", "mysql", "--out",
           "bundles"], checked)
    # One new migration at the head, after a bundle of the history without it.
    grown = _variant(ctx, "new")
    # --rebuild: the copy holds the project's current bundle, which a plain run would leave
    # alone without filling the caches a user's earlier builds would have.
    setup([sb, "-C", str(grown), *bundle, "--rebuild"], grown)
    restore_grown = _snapshot(grown, grown.parent / f"{grown.name}.saved")
    (grown / "migrations" / "versions" / f"{NEW_HEAD}_one_new_migration.py").write_text(
        _new_head(heads[0]), "utf-8")
    # The first migration edited, after a bundle of the history before the edit.
    edited = _variant(ctx, "edit")
    setup([sb, "-C", str(edited), *bundle, "--rebuild"], edited)
    restore_edited = _snapshot(edited, edited.parent / f"{edited.name}.saved")
    first = sorted((edited / "migrations" / "versions").glob("*.py"),
                   key=lambda p: "down_revision: Union[str, Sequence[str], None] = None" not in
                   p.read_text("utf-8"))[0]
    first.write_text(first.read_text("utf-8") + "\n# edited\n", "utf-8")
    cold = _variant(ctx, "cold")

    def both_ways() -> list[str]:
        return ["sh", "-c", f'"$0" -C "$1" {" ".join(up)} >/dev/null && '
                f'"$0" -C "$1" {" ".join(down)} >/dev/null', sb, str(ctx.project)]

    project = ctx.project
    commands = [
        Command("alembic upgrade --sql (fresh clone)", al, project,
                lambda: _fresh(project, cache=False)),
        Command("alembic upgrade --sql", al, project),
        Command("sqlbundle upgrade (fresh clone)", [sb, "-C", str(cold), *up], cold,
                lambda: _fresh(cold)),
        Command("sqlbundle check, 2 dialects (fresh clone)",
                [sb, "-C", str(checked), "check", "--out", "bundles", "--no-lock"], checked,
                lambda: _fresh(checked)),
        Command("sqlbundle upgrade + downgrade", both_ways(), project),
        # Built and written again with warm caches (a plain re-run finds the bundle current
        # and writes nothing: the next row).
        Command("sqlbundle bundle --rebuild", [sb, "-C", str(project), *bundle, "--rebuild"],
                project),
        Command("sqlbundle bundle, nothing changed", [sb, "-C", str(project), *bundle],
                project),
        Command("sqlbundle lint", [sb, "-C", str(project), "lint", "-d", "postgresql"],
                project),
        Command("sqlbundle bundle, one new migration", [sb, "-C", str(grown), *bundle], grown,
                restore_grown),
        Command("sqlbundle bundle, first migration edited", [sb, "-C", str(edited), *bundle],
                edited, restore_edited),
        # --rebuild: the bundle the warm-up round wrote is current, and would be left alone.
        Command("sqlbundle bundle (cold)", [sb, "-C", str(cold), *bundle, "--rebuild"], cold,
                lambda: _fresh(cold, cache=True)),
    ]
    results = ctx.measure_all(commands)
    alembic = results["alembic upgrade --sql"].median
    alembic_fresh = results["alembic upgrade --sql (fresh clone)"].median

    def ratio(name: str, reference: float) -> float:
        return reference / results[name].median

    rows = []
    for name, m in results.items():
        reference = alembic_fresh if "fresh clone" in name else alembic
        rows.append(Row(ctx.n, m, None if name.startswith("alembic") else
                        reference / m.median))
    both = results["sqlbundle upgrade + downgrade"].median
    goals = [
        ("fresh clone: upgrade ≥ 3x faster than Alembic's",
         ratio("sqlbundle upgrade (fresh clone)", alembic_fresh), 3.0),
        ("fresh clone: check of a two-dialect bundle ≥ 2x faster than Alembic's upgrade",
         ratio("sqlbundle check, 2 dialects (fresh clone)", alembic_fresh), 2.0),
        # Both re-runs with warm caches and nothing changed (upgrade and downgrade answer
        # from their kept scripts, a bundle finds itself current).
        ("bundle re-run within 1.5x of upgrade + downgrade re-runs (this ÷ that ≤ 1.5)",
         results["sqlbundle bundle, nothing changed"].median / both, -1.5),
        ("bundle rebuilt with warm caches within 1.5x of upgrade + downgrade (≤ 1.5)",
         results["sqlbundle bundle --rebuild"].median / both, -1.5),
        ("lint ≥ 3x faster than Alembic's upgrade", ratio("sqlbundle lint", alembic), 3.0),
        ("one new migration: bundle ≥ 10x faster than Alembic's upgrade",
         ratio("sqlbundle bundle, one new migration", alembic), 10.0),
        ("first migration edited: bundle no slower than a cold bundle (cold ÷ this ≥ 1)",
         ratio("sqlbundle bundle, first migration edited",
               results["sqlbundle bundle (cold)"].median), 0.95),
    ]
    notes = []
    for text, value, goal in goals:
        met = value <= -goal if goal < 0 else value >= goal
        notes.append(f"N={ctx.n}: {text}: {value:.2f} — {'met' if met else 'NOT met'}.")
    return GroupResult(rows, notes)


@dataclass(frozen=True)
class Group:
    run: Callable[[Context], GroupResult]
    ratio_header: str = "alembic ÷ this"  # header of the vs-alembic column
    growth: bool = False  # append a table of time(largest N) / time(smallest N) per command


# Group name -> Group; the name is also the Markdown file name in --out.
GROUPS: dict[str, Group] = {
    "graph": Group(group_graph),
    "render": Group(group_render, ratio_header="speedup vs alembic", growth=True),
    "workflow": Group(group_workflow, ratio_header="speedup vs alembic (median)", growth=True),
}


# --------------------------------------------------------------------------- projects and output


def ensure_project(out: Path, n: int, seed: int, regenerate: bool) -> tuple[Path, dict[str, object], float | None]:
    """Return (project dir, manifest, generation seconds or None when reused)."""
    project = out / "projects" / f"n{n}-s{seed}"
    manifest = read_manifest(project)
    wanted = manifest_for(n, seed, open_branch=False)
    if not regenerate and manifest and all(manifest.get(k) == v for k, v in wanted.items()):
        return project, manifest, None
    project.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    manifest = generate(project, n, seed)
    return project, manifest, time.perf_counter() - start


def render_table(result: GroupResult, baseline: dict[int, float], ratio_header: str = "alembic ÷ this") -> str:
    """The group's Markdown table; the × import column only when the group has a baseline."""
    show_import = bool(baseline)
    head = ["N", "command", "best s", "median s", "peak MiB", *(["× import"] if show_import else []), ratio_header]
    align = ["---:", "---", "---:", "---:", "---:", *(["---:"] if show_import else []), "---:"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    for row in result.rows:
        m = row.measurement
        peak = f"{m.peak_kib / 1024:.1f}" if m.peak_kib is not None else "n/a"
        base = baseline.get(row.n)
        ratio = [f"{m.best / base:.2f}" if base else ""] if show_import else []
        vs = f"{row.vs_alembic:.1f}" if row.vs_alembic is not None else ""
        runs = f" ({len(m.times)} run)" if len(m.times) == 1 else ""
        cells = [str(row.n), f"`{m.command.name}`{runs}", f"{m.best:.3f}", f"{m.median:.3f}", peak, *ratio, vs]
        lines.append("| " + " | ".join(cells) + " |")
    lines.extend(f"\n{note}" for note in result.notes)
    return "\n".join(lines) + "\n"


def growth_table(result: GroupResult) -> str:
    """Per command: best time at the largest N over best time at the smallest N."""
    sizes = sorted({row.n for row in result.rows})
    if len(sizes) < 2:
        return ""
    small, large = sizes[0], sizes[-1]
    best: dict[tuple[str, int], float] = {(r.measurement.command.name, r.n): r.measurement.best
                                          for r in result.rows}
    names = list(dict.fromkeys(r.measurement.command.name for r in result.rows))
    lines = [
        f"Growth, N={small} → N={large} (linear would be ×{large / small:g}):",
        "",
        f"| command | best s @{small} | best s @{large} | growth × |",
        "|---|---:|---:|---:|",
    ]
    for name in names:
        a, b = best.get((name, small)), best.get((name, large))
        if a is None or b is None:
            continue
        lines.append(f"| `{name}` | {a:.3f} | {b:.3f} | {b / a:.2f} |")
    return "\n".join(lines) + "\n"


def version_of(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", help="default 1000 5000 (200 1000 with --quick)")
    parser.add_argument("--repeat", type=int, help="default 5 (2 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="fast check: sizes 200 1000, repeat 2 (explicit --sizes/--repeat win)")
    parser.add_argument("--max-run-seconds", type=float, default=120.0,
                        help="a command whose single run exceeds this is recorded once, not repeated")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--groups", nargs="+", choices=sorted(GROUPS), default=list(GROUPS))
    parser.add_argument("--regenerate", action="store_true", help="regenerate projects even if reusable")
    parser.add_argument("--no-gnu-time", action="store_true",
                        help="take peak RSS from os.wait4 only (inflated by the runner's own RSS)")
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = [200, 1000] if args.quick else [1000, 5000]
    if args.repeat is None:
        args.repeat = 2 if args.quick else 5
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    tools = Tools.find()
    runner = Runner.create(use_gnu_time=not args.no_gnu_time)
    args.out.mkdir(parents=True, exist_ok=True)

    contexts: list[Context] = []
    generation: list[str] = []
    for n in args.sizes:
        project, manifest, seconds = ensure_project(args.out, n, args.seed, args.regenerate)
        status = f"generated in {seconds:.2f}s" if seconds is not None else "reused"
        generation.append(f"N={n}: {status} ({project})")
        print(f"project N={n}: {status} -> {project}", flush=True)
        contexts.append(Context(n, project, manifest, tools, args.repeat, runner, args.max_run_seconds))

    header = (
        f"sqlbundle {version_of('sqlbundle')}, alembic {version_of('alembic') if tools.alembic else 'n/a'}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; best/median of {args.repeat} runs after 1 warm-up; "
        f"{runner.describe()}."
    )
    try:
        for group in args.groups:
            combined = GroupResult([])
            for ctx in contexts:
                print(f"[{group}] N={ctx.n}", flush=True)
                result = GROUPS[group].run(ctx)
                combined.rows.extend(result.rows)
                combined.notes.extend(note for note in result.notes if note not in combined.notes)
            baseline = {r.n: r.measurement.best for r in combined.rows
                        if r.measurement.command.name == "import sqlbundle"}
            table = render_table(combined, baseline, GROUPS[group].ratio_header)
            if GROUPS[group].growth and (growth := growth_table(combined)):
                table += "\n" + growth
            text = f"# {group}\n\n{header}\n\n{table}\nProjects: " + "; ".join(generation) + "\n"
            (args.out / f"{group}.md").write_text(text)
            print()
            print(table)
    except BenchError as exc:
        print(f"\nBENCHMARK FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
