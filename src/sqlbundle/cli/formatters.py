"""Text reports of the review commands (check, check --models, lock, dialects): the API's
values in, ``(line, to_stderr)`` pairs out. The commands print them; nothing here prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

Lines = list[tuple[str, bool]]


def _check_hint(bundle: Any, default_out: Path) -> str:
    import shlex

    command = f"sqlbundle bundle {shlex.quote(bundle.range)} -d {shlex.quote(bundle.target)}"
    if not bundle.guards:
        command += " --no-guards"
    if getattr(bundle, "schema", None):
        command += f" --schema {shlex.quote(bundle.schema)}"
    if bundle.folder.parent.resolve() != default_out.resolve():
        command += f" --out {shlex.quote(str(bundle.folder.parent))}"
    return command


def check_lines(report: Any, default_out: Path) -> Lines:
    """``check``: each bundle that is not current, each locked migration edited, gone or
    moved, then one summary line."""
    from ..review.check import STATUSES

    out: Lines = []
    for bundle in report.bundles:
        if bundle.stale_inputs:
            out.append((f"note: {bundle.name} is current, but what it was built from changed "
                        "(configuration, templates, a module its migrations import); rewrite "
                        f"it with `{_check_hint(bundle, default_out)}` so that `check` need not "
                        "rebuild it", True))
        if bundle.current:
            continue
        out.append((f"{bundle.name}: {len(bundle.findings)} file(s) differ "
                    f"({bundle.range} for {bundle.target})", False))
        if bundle.versions:
            out.append(("  note: written with other renderer versions ("
                        + ", ".join(bundle.versions) + "); the differences may come from them",
                        False))
        width = max(len(s) for s in STATUSES)
        for finding in bundle.findings:
            detail = f" ({finding.detail})" if finding.detail else ""
            out.append((f"  {finding.status:<{width}}  {finding.file}{detail}", False))
        for line in bundle.diff:
            out.append((f"    {line}", False))
        out.append(("  hint: revert hand edits, or regenerate with "
                    f"`{_check_hint(bundle, default_out)}`", False))
    lock = report.lock
    if lock is not None:
        for item in lock.edited:
            rev = item.locked.revision
            out.append((f"{report.lock_file}: migration {rev} was edited after it was locked: "
                        f"{item.current.path}", False))
            out.append(("  hint: never edit a migration after it has run in production; revert "
                        f"the edit, or run `sqlbundle lock --relock {rev}` if it is intended",
                        False))
        for entry in lock.gone:
            out.append((f"{report.lock_file}: locked migration {entry.revision} is gone "
                        f"(was {entry.path})", False))
            out.append(("  hint: restore the file, or run "
                        f"`sqlbundle lock --relock {entry.revision}` to drop it from the lock",
                        False))
        for moved in lock.moved:
            out.append((f"note: locked migration {moved.locked.revision} moved from "
                        f"{moved.locked.path} to {moved.current.path}; run `sqlbundle lock` to "
                        "record the new path", True))
    parts = []
    if report.bundles or lock is None:
        stale = sum(1 for b in report.bundles if not b.current)
        parts.append(f"{stale} of {len(report.bundles)} bundle(s) not current" if stale
                     else f"{len(report.bundles)} bundle(s) current")
    if lock is not None:
        bad = len(lock.edited) + len(lock.gone)
        text = (f"{bad} locked migration(s) edited or gone" if bad
                else f"{len(lock.unchanged)} locked revision(s) unchanged")
        if lock.unlocked:
            text += f", {len(lock.unlocked)} not locked yet"
        parts.append(text)
    out.append((", ".join(parts), False))
    return out


def models_lines(comparison: Any) -> Lines:
    """``check --models``: whether the models match the history, and how they differ."""
    if comparison.empty:
        return [(f"models match the migrations (heads, compared for {comparison.dialect})", False)]
    out = [(f"models differ from the migrations (heads, compared for {comparison.dialect}):",
            False)]
    for text in comparison.descriptions:
        out.append((f"  {text}", False))
    out.append((f"{len(comparison.changes)} difference(s); write the migration with "
                 "`sqlbundle revision --autogenerate -m MESSAGE`", False))
    return out


def lock_lines(plan: Any, shown: str) -> Lines:
    """``lock``: what changed in the lock, then its state."""
    out: Lines = []
    for entry in plan.kept_gone:
        out.append((f"warning: locked migration {entry.revision} is gone (was {entry.path}); "
                    f"kept in the lock, pass --relock {entry.revision} to drop it", True))
    for entry in plan.added:
        out.append((f"  added     {entry.revision}  {entry.path}", False))
    for item in plan.relocked:
        out.append((f"  relocked  {item.locked.revision}  {item.current.path}", False))
    for item in plan.moved:
        out.append((f"  moved     {item.locked.revision}  {item.locked.path} -> "
                    f"{item.current.path}", False))
    for entry in plan.dropped:
        out.append((f"  dropped   {entry.revision}  {entry.path}", False))
    state = "written" if plan.changed else "up to date"
    out.append((f"{shown}: {state}, {len(plan.lock.entries)} revision(s) locked", False))
    return out


def dialect_lines(profiles: list[Any]) -> Lines:
    """``dialects``: one line per target."""
    out: Lines = []
    for p in profiles:
        out.append((f"{p.name:<11} {p.title:<11} default {p.default_version:<6} "
                    f"versions {', '.join(p.versions)}", False))
    return out
