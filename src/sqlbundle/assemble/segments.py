"""Steps that leave their transaction (``CREATE INDEX CONCURRENTLY``, ``autocommit_block()``,
the safe forms) can fail halfway: the segments before the failure stay applied while the version
row has not moved, so running the step again would repeat them. Where the profile has a
``[rerun]`` table (PostgreSQL, through psql's ``\\if``), such a step is written to run again:

- the guard comes first, outside any transaction (the version row is still the parents'),
  after the version table where the step creates it (``IF NOT EXISTS``);
- every segment but the last records itself in a progress table next to the version table
  when it is done, and is skipped on a later run that finds it recorded;
- a concurrent index build first drops an INVALID index of that name, what a failed build
  leaves behind;
- the last segment moves the version row, forgets the step's progress and drops the table
  once it is empty, in one transaction.

A step that stays in one transaction is written as before: it either happened or did not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..compile.steps import CompiledPlan, CompiledStep
from ..profile import Profile
from ..render.context import Statement

_CONCURRENT_INDEX = re.compile(
    r"\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    r"(\"(?:[^\"]|\"\")+\"|\w+)", re.I)


_PREPARABLE = re.compile(
    r"\s*(?:ALTER\s+TABLE|CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)|DROP\s+(?:TABLE|INDEX)|"
    r"RENAME\s+TABLE|INSERT|UPDATE|DELETE)\b", re.I)


def progress_table(compiled: CompiledPlan) -> str | None:
    """The progress table, quoted for the target (None where steps are not rerun)."""
    profile = compiled.profile
    if not profile.rerun or not any(rerunnable(step, profile) for step in compiled.steps):
        return None
    from ..render.context import RenderContext, sa_dialect

    ctx = RenderContext(profile, sa_dialect(profile))
    return ctx.table_name(f"{compiled.version_table}_progress", compiled.version_table_schema)


def rerunnable(step: CompiledStep, profile: Profile) -> bool:
    if not profile.rerun:
        return False
    if profile.rerun.get("style") == "prepare":  # every statement commits on its own
        # Only statements PREPARE takes (not a migration's own PREPARE, SET or blocks).
        return len(step.statements) > 1 and all(
            not s.block and _PREPARABLE.match(s.sql) for s in step.statements)
    return any(s.autocommit for s in step.statements)


def segments_of(statements: Sequence[Statement]) -> list[list[Statement]]:
    """Runs of statements inside a transaction, and each statement outside one alone."""
    out: list[list[Statement]] = []
    for statement in statements:
        if statement.autocommit or not out or out[-1][-1].autocommit:
            out.append([statement])
        else:
            out[-1].append(statement)
    return out


def rerunnable_body(step: CompiledStep, profile: Profile, guard: Sequence[Statement],
                    progress: str, frame: object) -> list[str]:
    """The step's chunks, each segment skipped when ``progress`` (the qualified progress
    table) records it. ``frame(statements, transaction)`` frames one segment's statements."""
    rerun = profile.rerun
    revision = step.step.revision.replace("'", "''")
    values = {"table": progress, "revision": revision}
    # The version table (created if missing: it may be run again as it is), then the guard.
    chunks = [c for s in [*step.creates_version_table, *guard]
              for c in frame([s], False)]  # type: ignore[operator]
    chunks.append(rerun["create"].format(**values))
    if rerun.get("style") == "prepare":
        return chunks + _prepared(step, rerun, values, frame)
    parts = segments_of(list(step.statements))
    # The last run inside a transaction ends with the version row: all or nothing already.
    tail = parts.pop() if parts and not parts[-1][0].autocommit else []
    total = len(parts) + 1
    for number, part in enumerate(parts, 1):
        marks = {**values, "segment": number}
        chunks.append(f"-- segment {number} of {total}: skipped when a run before this one "
                      "finished it")
        chunks.append(rerun["test"].format(**marks))
        chunks.append(rerun["skip"].format(**marks))
        chunks.append(rerun["skipped"].format(**marks))
        chunks.append(rerun["otherwise"])
        outside = part[0].autocommit
        if outside:
            index = _CONCURRENT_INDEX.match(part[0].sql)
            if index:
                name = index.group(1)
                chunks.append(rerun["invalid_index_test"].format(
                    index=name.strip('"').replace("'", "''")))
                chunks.append(rerun["invalid_index_skip"])
                chunks.append(rerun["invalid_index_drop"].format(index=name))
                chunks.append(rerun["end"])
            chunks.extend(frame(part, False))  # type: ignore[operator]
            chunks.append(rerun["mark"].format(**marks))
        else:
            chunks.extend(frame([*part, Statement(rerun["mark"].format(**marks).rstrip(";"))],
                                True))  # type: ignore[operator]
        chunks.append(rerun["end"])
    chunks.append(f"-- segment {total} of {total}: the version row moves, the step's progress "
                  "is forgotten")
    last = [*tail, *step.version, Statement(rerun["done"].format(**values).rstrip(";")),
            Statement(rerun["cleanup"].format(**values).rstrip(";"), block=True)]
    chunks.extend(frame(last, True))  # type: ignore[operator]
    return chunks


def _prepared(step: CompiledStep, rerun: dict[str, str], values: dict[str, str],
              frame: object) -> list[str]:
    """Where every statement commits on its own (MySQL, MariaDB): each is a segment, run
    through PREPARE as itself, or as ``DO 0`` when the progress table says it is done."""
    statements = list(step.statements)
    total = len(statements) + 1
    chunks: list[str] = []
    for number, statement in enumerate(statements, 1):
        marks = {**values, "segment": number}
        text = statement.sql.rstrip().rstrip(";")
        literal = "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"
        chunks.append(f"-- segment {number} of {total}: {' '.join(text.split())[:70]}")
        chunks.append(rerun["test"].format(**marks, statement=literal))
        chunks.extend(rerun["run"].split("\n"))
        chunks.append(rerun["mark"].format(**marks))
    chunks.append(f"-- segment {total} of {total}: the version row moves, the step's progress "
                  "is forgotten")
    chunks.extend(frame([*step.version], True))  # type: ignore[operator]
    chunks.append(rerun["done"].format(**values))
    chunks.append(rerun["cleanup"].format(**values))
    chunks.extend(rerun["run"].split("\n"))
    return chunks
