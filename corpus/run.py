#!/usr/bin/env python3
"""Measure sqlbundle against Alembic on real Alembic histories (corpus/projects.toml), with the
local engines as judge.

    .venv/bin/python corpus/run.py [--only NAME] [--dialect D] [--update-readme]

Per project and dialect: Alembic's offline prefix (the longest run of steps, in Alembic's order,
that ``alembic upgrade --sql`` generates and that applies to a fresh database); sqlbundle over
that prefix to another fresh database, schemas and version rows compared (bisected to the first
differing step); both downgrades back to base; and how far sqlbundle gets beyond the prefix.
Needs the ``[test]`` extra in the running interpreter (tests/engines.py, tests/twin.py). Full
details go to corpus/.cache/report.json. Not part of the pytest run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import re
import signal
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from engines import ApplyError, throwaway  # noqa: E402
from tools import (CACHE, ROOT, Workdir, alembic_steps, first_error, load_entries,  # noqa: E402
                   progress, scratch_venv, sqlbundle_steps, traceback_summary, workdir)
from twin import full_schema, schema_diff  # noqa: E402

README = ROOT / "README.md"
START, END = "<!-- corpus:start -->", "<!-- corpus:end -->"


@dataclass
class Outcome:
    """What one tool did with one range on one fresh database."""

    generated: bool
    applied_steps: int = 0
    error: str = ""  # first line (generation: the exception and migration frame)
    error_revision: str = ""
    full_error: str = ""


@dataclass
class Result:
    project: str
    dialect: str
    revisions: int
    alembic_prefix: int = 0
    alembic_stop: str = ""  # why Alembic's prefix ends: revision and message
    same_steps: int = 0
    first_difference: dict = field(default_factory=dict)
    downgrade: dict = field(default_factory=dict)
    beyond: int = 0
    sqlbundle_failure: dict = field(default_factory=dict)


def failing_step(steps: list[tuple[int, str]], err: ApplyError) -> int:
    """Index of the step whose SQL the client failed on, from the line in its message."""
    text = err.stderr + err.stdout
    m = (re.search(r"psql:[^:]*:(\d+): ERROR", text) or re.search(r"at line (\d+)", text)
         or re.search(r"near line (\d+)", text) or re.search(r"line (\d+)", text))
    if not m:
        return 0
    line = int(m.group(1))
    before = [i for i, (no, _) in enumerate(steps) if no <= line]
    return before[-1] if before else 0


def apply(db, sql: str, steps: list[tuple[int, str]]) -> Outcome:
    try:
        db.apply(sql)
    except ApplyError as err:
        i = failing_step(steps, err)
        text = (err.stderr or err.stdout).strip()
        return Outcome(True, i, first_error(text), steps[i][1] if steps else "", text[-4000:])
    return Outcome(True, len(steps))


def generated(proc, steps_of) -> tuple[str, list[tuple[int, str]], Outcome | None]:
    """SQL and step markers of a tool run; an Outcome when generation failed."""
    if proc.returncode == 0:
        return proc.stdout, steps_of(proc.stdout), None
    steps = steps_of(proc.stdout)
    # Alembic reports a CommandError as one "FAILED: ..." line, not a traceback.
    failed = [ln for ln in (proc.stdout + "\n" + proc.stderr).splitlines()
              if ln.startswith("FAILED:")]
    summary = (failed[0] if failed else traceback_summary(proc.stderr)
               if "Traceback" in proc.stderr else first_error(proc.stderr))
    return proc.stdout, steps, Outcome(False, 0, summary, "",
                                       "\n".join(failed) + proc.stderr[-6000:])


def sqlbundle_error_revision(message: str, files: dict[str, str]) -> str:
    """The revision whose file a sqlbundle message names."""
    for rev, path in files.items():
        if Path(path).name in message:
            return rev
    return ""


class Run:
    """One project on one dialect."""

    def __init__(self, work: Workdir, tmp: Path):
        self.work, self.tmp = work, tmp
        self.plan = work.plan()
        self.files = dict(self.plan)

    def fresh(self, stack: contextlib.ExitStack, label: str):
        """A throwaway database, holding the project's baseline schema if it has one: every
        database either tool applies SQL to starts the same way."""
        db = stack.enter_context(throwaway(self.work.dialect, self.tmp / label))
        if self.work.entry.baseline:
            self.work.create_baseline(db.url)
        return db

    def alembic_up(self, db, rev: str) -> Outcome:
        sql, steps, failed = generated(self.work.alembic("upgrade", f"base:{rev}"), alembic_steps)
        return failed or apply(db, sql, steps)

    def ours(self, db, direction: str, range_text: str) -> Outcome:
        proc = self.work.sqlbundle(direction, range_text)
        sql, steps, failed = generated(proc, sqlbundle_steps)
        if failed:
            failed.error_revision = sqlbundle_error_revision(proc.stderr, self.files)
            return failed
        return apply(db, sql, steps)

    def alembic_prefix(self, result: Result) -> list[str]:
        """Alembic's order of the steps it could generate and apply: its offline prefix."""
        proc = self.work.alembic("upgrade", "heads")
        sql, steps, failed = generated(proc, alembic_steps)
        order = [rev for _, rev in steps]
        if failed:  # the last marker printed is the step that raised
            culprit = order[-1] if order else "the first step"
            order, sql = order[:-1], "\n".join(sql.splitlines()[:steps[-1][0] - 1]) if steps else ""
            steps = steps[:-1]
            result.alembic_stop = f"generation of {culprit}: {failed.error}"
        with contextlib.ExitStack() as stack:
            out = apply(self.fresh(stack, "alembic-prefix"), sql, steps)
        if out.error:
            result.alembic_stop = f"apply at {out.error_revision}: {out.error}"
        result.alembic_prefix = out.applied_steps
        return order[:out.applied_steps]

    def compare_at(self, rev: str, downgrade: bool = False) -> dict:
        """Both tools upgrade base:rev on fresh databases; schemas and version rows compared.
        With ``downgrade`` both then go back to base and are compared again."""
        with contextlib.ExitStack() as stack:
            a, b = self.fresh(stack, "alembic"), self.fresh(stack, "sqlbundle")
            theirs = self.alembic_up(a, rev)
            ours = self.ours(b, "upgrade", f"base:{rev}")
            found = {"revision": rev, "file": self.files.get(rev, "")}
            if theirs.error:  # should not happen inside the prefix
                return {**found, "same": False, "alembic": asdict(theirs)}
            if ours.error:
                return {**found, "same": False, "sqlbundle": asdict(ours)}
            sa_, sb = full_schema(a), full_schema(b)
            rows_a, rows_b = a.version_rows(), b.version_rows()
            found["same"] = sa_ == sb and rows_a == rows_b
            if sa_ != sb:
                found["schema_diff"] = schema_diff(sa_, sb)
            if rows_a != rows_b:
                found["version_rows"] = {"alembic": rows_a, "sqlbundle": rows_b}
            if downgrade:
                found["downgrade"] = self.downgrade(a, b, rev)
            return found

    def downgrade(self, a, b, rev: str) -> dict:
        sql, steps, failed = generated(self.work.alembic("downgrade", f"{rev}:base"),
                                       alembic_steps)
        theirs = failed or apply(a, sql, steps)
        ours = self.ours(b, "downgrade", f"{rev}:base")
        report = {"from": rev, "alembic": asdict(theirs), "sqlbundle": asdict(ours)}
        if not theirs.error and not ours.error:
            sa_, sb = full_schema(a), full_schema(b)
            report["same"] = sa_ == sb and a.version_rows() == b.version_rows()
            if sa_ != sb:
                report["schema_diff"] = schema_diff(sa_, sb)
        return report

    def same_steps(self, order: list[str], result: Result) -> None:
        """Largest i with equal schemas after order[:i]; bisected, since one comparison costs
        two generations and two fresh databases."""
        if not order:
            return
        whole = self.compare_at(order[-1], downgrade=True)
        result.downgrade = whole.pop("downgrade", {})
        if whole["same"]:
            result.same_steps = len(order)
            return
        lo, hi, worst = 0, len(order), whole
        while hi - lo > 1:
            mid = (lo + hi) // 2
            progress(f"  bisect {lo}..{hi}: {mid}")
            found = self.compare_at(order[mid - 1])
            if found["same"]:
                lo = mid
            else:
                hi, worst = mid, found
        result.same_steps = lo
        result.first_difference = {**worst, "step": hi}
        if lo:  # the downgrade is compared from the last step where both still agree
            result.downgrade = self.compare_at(order[lo - 1], downgrade=True)["downgrade"]

    def beyond(self, prefix: int, result: Result) -> None:
        """How far sqlbundle's own SQL goes over the whole history on a fresh database."""
        revs = [rev for rev, _ in self.plan]
        with contextlib.ExitStack() as stack:
            db = self.fresh(stack, "beyond")
            out = self.ours(db, "upgrade", "base:heads")
            first = out
            # Generation fails whole, and the error named need not be the earliest one (seen
            # with airflow): retry up to the step before the named revision until it generates.
            while not out.generated and out.error_revision in revs[1:]:
                first = out
                out = self.ours(db, "upgrade", f"base:{revs[revs.index(out.error_revision) - 1]}")
            if out.generated and not out.error and first is not out:
                out = Outcome(False, out.applied_steps, first.error, first.error_revision,
                              first.full_error)
        result.beyond = max(0, out.applied_steps - prefix)
        if out.error:
            result.sqlbundle_failure = {**asdict(out), "step": out.applied_steps + 1,
                                        "file": self.files.get(out.error_revision, "")}


def run_one(entry, dialect: str) -> Result:
    work = workdir(entry, dialect)
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        run = Run(work, Path(tmp))
        result = Result(entry.name, dialect, len(run.plan))
        progress(f"{entry.name} {dialect}: {len(run.plan)} revisions")
        order = run.alembic_prefix(result)
        progress(f"  alembic prefix {result.alembic_prefix}")
        run.same_steps(order, result)
        progress(f"  same-schema steps {result.same_steps}")
        run.beyond(result.alembic_prefix, result)
    return result


# ---- reporting


def short(text: str, width: int = 200) -> str:
    # sqlbundle names files relative to the work folder: keep the file name only.
    text = re.sub(r"(?:\.\./)+src/\S*/|/\S*/\.cache/src/\S*/", "",
                  " ".join(text.split())).replace("|", "\\|")
    return text if len(text) <= width else text[:width - 1] + "…"


def failing_revisions(r: Result) -> tuple[str, str]:
    """The revisions of the row's first failure and of sqlbundle's downgrade failure."""
    diff, fail = r.first_difference, r.sqlbundle_failure
    first = diff.get("revision", "") if diff else fail.get("error_revision", "") if fail else ""
    down = ((r.downgrade or {}).get("sqlbundle") or {}).get("error_revision", "")
    return first, down


def why(r: Result, revision: str, reasons) -> str:
    """The reason a failure at ``revision`` is the history's own limit, as recorded in
    projects.toml; else, when Alembic's offline mode cannot generate that step either, its
    message (a fact for the reader to weigh, not a verdict)."""
    recorded = reasons(r.project, r.dialect, revision)
    if recorded:
        return f" — **history's limit:** {recorded}"
    stop = f"generation of {revision}:"
    if revision and r.alembic_stop.startswith(stop):
        return (" — **Alembic's offline mode fails on this step too:** "
                + short(r.alembic_stop[len(stop):], 120))
    return ""


def first_failure(r: Result, reasons) -> str:
    diff = r.first_difference
    revision = failing_revisions(r)[0]
    if diff:
        what = (diff.get("sqlbundle") or {}).get("error") or (
            "schema differs: " + (diff.get("schema_diff") or "").split("\n")[0]
            if diff.get("schema_diff") else f"version rows {diff.get('version_rows')}")
        return f"step {diff['step']} `{revision}`: {short(what)}" + why(r, revision, reasons)
    fail = r.sqlbundle_failure
    if fail and not revision:  # an error naming no migration file: the step is unknown
        return f"a step the error does not name: {short(fail['error'])}"
    if fail:
        return f"step {fail['step']} `{revision}`: {short(fail['error'])}" + why(
            r, revision, reasons)
    return "none"


def downgrade_summary(r: Result, reasons) -> str:
    down = r.downgrade
    if not down:
        return "not compared"
    theirs, ours = down["alembic"], down["sqlbundle"]
    if theirs["error"]:
        what = "Alembic fails" + (f"; sqlbundle: {short(ours['error'], 120)}" if ours["error"]
                                   else "; sqlbundle applies")
    elif ours["error"]:
        what = f"sqlbundle: {short(ours['error'], 120)}"
    else:
        what = "same schema" if down.get("same") else "schemas differ"
    if ours["error"]:
        what += why(r, failing_revisions(r)[1], reasons)
    return f"from `{down['from']}`: {what}"


def no_reasons(project: str, dialect: str, revision: str) -> str:
    return ""


def table(results: list[Result], reasons=no_reasons) -> str:
    head = ("| project | dialect | revisions | Alembic's offline prefix | sqlbundle same-schema "
            "steps | sqlbundle steps beyond Alembic | first failure and its message | downgrade "
            "to base |\n| --- | --- | ---: | ---: | ---: | ---: | --- | --- |\n")
    return head + "".join(
        f"| {r.project} | {r.dialect} | {r.revisions} | {r.alembic_prefix} | {r.same_steps} | "
        f"{r.beyond} | {first_failure(r, reasons)} | {downgrade_summary(r, reasons)} |\n"
        for r in results)


def recorded_reasons(results: list[Result]):
    """projects.toml's reasons as a lookup; a reason whose revision no longer fails is stale
    (fixed, or the failure moved) and is said so on stderr rather than shown."""
    entries = {e.name: e for e in load_entries()}
    for r in results:
        entry = entries.get(r.project)
        failing = failing_revisions(r)
        for dialect, revision, _ in entry.reasons if entry else ():
            if dialect == r.dialect and revision not in failing:
                print(f"stale reason in projects.toml: {r.project} {dialect} {revision} "
                      "no longer fails", file=sys.stderr)

    def lookup(project: str, dialect: str, revision: str) -> str:
        entry = entries.get(project)
        return entry.reason(dialect, revision) if entry else ""
    return lookup


def update_readme(results: list[Result], command: str) -> None:
    text = README.read_text(encoding="utf-8")
    body = (f"{START}\nRun on {datetime.date.today().isoformat()} with `{command}` against "
            "PostgreSQL 15, MariaDB 10.11 and SQLite 3.40 (wheels and full report in "
            "`corpus/.cache/`, never committed).\n\n" + table(results, recorded_reasons(results))
            + END)
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: body, text, flags=re.S)
    else:
        text = text.rstrip("\n") + (
            "\n\n## Real-world corpus\n\nsqlbundle is measured against Alembic on the Alembic "
            "histories of real projects (`corpus/projects.toml`). *Alembic's offline prefix* is "
            "the number of steps that `alembic upgrade --sql` generates and that apply to a "
            "fresh database; *same-schema steps* counts the steps of that prefix after which "
            "sqlbundle's database has the same schema and version rows as Alembic's; *beyond* "
            "counts sqlbundle's further steps that generate and apply; the downgrade to base is "
            "compared from the last step where both databases agree.\n\n" + body + "\n")
    README.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="project name (repeatable)")
    parser.add_argument("--dialect", action="append", help="postgresql, mariadb or sqlite")
    parser.add_argument("--update-readme", action="store_true")
    parser.add_argument("--from-report", action="store_true",
                        help="run nothing: print (and write) the table of the last report")
    args = parser.parse_args(argv)
    # Killed runs still drop their throwaway databases (the `finally` in engines.throwaway).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    entries = [e for e in load_entries() if not args.only or e.name in args.only]
    if args.from_report:
        entries = []
    else:
        scratch_venv(entries)
    results = []
    for entry in entries:
        for dialect in entry.dialects:
            if args.dialect and dialect not in args.dialect:
                continue
            results.append(run_one(entry, dialect))
    report = CACHE / "report.json"
    old = json.loads(report.read_text()) if report.exists() else {}
    if args.from_report:
        results = [Result(**v) for v in old.values()]
    print(table(results, recorded_reasons(results)))
    old.update({f"{r.project}/{r.dialect}": asdict(r) for r in results})
    report.write_text(json.dumps(old, indent=2, sort_keys=True))
    if args.update_readme:
        # Rows in projects.toml order, whatever subset this run measured.
        rank = {(e.name, d): (i, j) for i, e in enumerate(load_entries())
                for j, d in enumerate(e.dialects)}
        rows = sorted((Result(**v) for v in old.values()),
                      key=lambda r: rank.get((r.project, r.dialect), (len(rank), 0)))
        update_readme(rows, "python corpus/run.py --update-readme")
    return 0


if __name__ == "__main__":
    sys.exit(main())
