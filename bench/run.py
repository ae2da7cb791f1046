"""Benchmark sqlbundle's CLI on synthetic Alembic projects.

    python bench/run.py [--sizes 1000 5000] [--repeat 5] [--out bench/out] [--groups graph]

For every size N a project is generated with bench/gen_project.py (reused when its manifest
matches), then each benchmark group runs its commands --repeat times after one untimed warm-up
run.  Wall time is measured around the whole subprocess; peak RSS comes from os.wait4.
Every group prints a Markdown table and writes it to OUT/<group>.md.

Adding a group: write a function ``(ctx: Context) -> GroupResult`` and register it in GROUPS.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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
    for name in ("SQLBUNDLE_NO_CACHE", "SQLBUNDLE_CONFIG"):
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


def measure(command: Command, repeat: int, runner: Runner) -> Measurement:
    times: list[float] = []
    peaks: list[int] = []
    stdout = ""
    # One untimed warm-up run first: it fills bytecode caches and catches failures early.
    for attempt in range(repeat + 1):
        if command.prepare:
            command.prepare()
        run = runner.run(command.argv, command.cwd)
        if run.returncode != 0:
            raise BenchError(
                f"{command.name}: exit code {run.returncode}\n"
                f"  command: {' '.join(command.argv)}\n  cwd: {command.cwd}\n"
                f"--- stdout (tail) ---\n{run.stdout[-3000:]}\n--- stderr (tail) ---\n{run.stderr[-3000:]}"
            )
        if command.check:
            command.check(run.stdout)
        stdout = run.stdout
        if attempt == 0:
            continue
        times.append(run.seconds)
        if run.maxrss_kib is not None:
            peaks.append(run.maxrss_kib)
    print(f"    {command.name:<28} best {min(times):7.3f}s  median {statistics.median(times):7.3f}s",
          flush=True)
    return Measurement(command, times, max(peaks) if peaks else None, stdout)


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

    results = {c.name: measure(c, ctx.repeat, ctx.runner) for c in commands}

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


# Group name -> function; the name is also the Markdown file name in --out.
GROUPS: dict[str, Callable[[Context], GroupResult]] = {
    "graph": group_graph,
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


def render_table(result: GroupResult, baseline: dict[int, float]) -> str:
    lines = [
        "| N | command | best s | median s | peak MiB | × import | alembic ÷ this |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in result.rows:
        m = row.measurement
        peak = f"{m.peak_kib / 1024:.1f}" if m.peak_kib is not None else "n/a"
        base = baseline.get(row.n)
        ratio = f"{m.best / base:.2f}" if base else ""
        vs = f"{row.vs_alembic:.1f}" if row.vs_alembic is not None else ""
        lines.append(f"| {row.n} | `{m.command.name}` | {m.best:.3f} | {m.median:.3f} | {peak} | {ratio} | {vs} |")
    lines.extend(f"\n{note}" for note in result.notes)
    return "\n".join(lines) + "\n"


def version_of(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--groups", nargs="+", choices=sorted(GROUPS), default=list(GROUPS))
    parser.add_argument("--regenerate", action="store_true", help="regenerate projects even if reusable")
    parser.add_argument("--no-gnu-time", action="store_true",
                        help="take peak RSS from os.wait4 only (inflated by the runner's own RSS)")
    args = parser.parse_args(argv)
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
        contexts.append(Context(n, project, manifest, tools, args.repeat, runner))

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
                result = GROUPS[group](ctx)
                combined.rows.extend(result.rows)
                combined.notes.extend(note for note in result.notes if note not in combined.notes)
            baseline = {r.n: r.measurement.best for r in combined.rows
                        if r.measurement.command.name == "import sqlbundle"}
            table = render_table(combined, baseline)
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
