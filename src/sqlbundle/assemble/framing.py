"""Compiled steps → SQL text that the dialect's own client runs as is.

Framing per dialect is data in the profile (``dialects/*.toml``): ``begin``/``commit``, the
batch separator and where it goes (``GO`` after each statement, ``/`` after PL/SQL), the
session ``preamble``, the ``header_notes`` where every DDL statement commits implicitly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .. import __version__
from ..compile.steps import CompiledPlan, CompiledStep
from ..profile import Profile
from ..render.context import Statement
from .segments import progress_table, rerunnable, rerunnable_body
from .timeouts import Timeouts, step_timeouts


def terminate(statement: Statement, profile: Profile, pretty: bool = False) -> str:
    """The statement with its terminator (and batch separator where the dialect needs one)."""
    text = statement.sql.rstrip()
    if pretty and not statement.block:
        from .pretty import format_statement

        text = format_statement(text, profile.sqlglot_dialect)
    if statement.block and profile.block_delimiter and ";" in text.rstrip(";"):
        # The client would split the block at its inner ";": send it whole.
        mark = profile.block_delimiter
        return f"DELIMITER {mark}\n{text}\n{mark}\nDELIMITER {profile.terminator}"
    if not text.endswith(";"):
        text += profile.terminator
    if profile.batch_separator and (statement.block or
                                    profile.batch_separator_after == "statement"):
        text += "\n" + profile.batch_separator
    return text


def _comment(text: str) -> str:
    return "\n".join(f"-- {line}".rstrip() for line in text.splitlines())


def preamble(profile: Profile) -> list[str]:
    """Statements that set up the client session once per file (the profile's ``preamble``)."""
    return list(profile.preamble)


def step_header(step: CompiledStep, number: int, total: int, title: str = "") -> str:
    s = step.step
    parents = ", ".join(step.script.down_revisions) or "<base>"
    verb = {"upgrade": "Upgrade", "downgrade": "Downgrade", "stamp": "Stamp"}[s.direction]
    lines = [f"{verb} {number}/{total}: {s.revision} - {step.script.message}".rstrip(" -"),
             f"parents: {parents}"]
    if step.script.path:
        lines.append(f"source: {step.script.path}")
    if s.direction != "stamp":
        lines.append(f"version rows: {', '.join(s.heads_before) or '(none)'} -> "
                     f"{', '.join(s.heads_after) or '(none)'}")
    lines.extend(f"also: {note}" for note in step.notes)
    lines.extend(f"lock: {lock.text(title)}" for lock in step.locks)
    return _comment("\n".join(lines))


def step_body(step: CompiledStep, profile: Profile, guard: Sequence[Statement] = (),
              pretty: bool = False, timeouts: Timeouts = Timeouts(),
              progress: str | None = None) -> list[str]:
    """The step's statements framed in its transaction(s): the version table (first step from
    base), the guard, the migration's SQL, and the version bookkeeping last; ``timeouts`` set
    where the target takes them (see ``timeouts``). ``progress``: the progress table, for a
    step that leaves its transaction to be written to run again (``segments``)."""
    chunks: list[str] = list(timeouts.session(profile))
    begin, commit = profile.begin or None, profile.commit or None
    if progress and rerunnable(step, profile):
        local = timeouts.in_transaction(profile)
        around = timeouts.around_autocommit(profile)

        def frame(statements: list[Statement], transaction: bool) -> list[str]:
            texts = [terminate(s, profile, pretty) for s in statements]
            if transaction:
                return [c for c in (begin, *local, *texts, commit) if c]
            return [part for s, text in zip(statements, texts)
                    for part in ([*around[0], text, *around[1]] if s.autocommit else [text])]

        return chunks + rerunnable_body(step, profile, guard, progress, frame)
    if profile.table_copy_prelude and step.table_copy:
        # Before the transaction: e.g. SQLite ignores PRAGMA foreign_keys inside one.
        chunks.append(profile.table_copy_prelude)
    statements = list(step.creates_version_table) + list(guard) + list(step.statements) + \
        list(step.version)
    in_tx = False
    local = timeouts.in_transaction(profile)
    outside, reset = timeouts.around_autocommit(profile)
    if begin:
        chunks.append(begin)
        chunks.extend(local)
        in_tx = True
    for statement in statements:
        if statement.autocommit and in_tx and commit:
            chunks.append(_comment("the next statement cannot run inside a transaction"))
            chunks.append(commit)
            in_tx = False
        elif not statement.autocommit and not in_tx and begin:
            chunks.append(begin)
            chunks.extend(local)
            in_tx = True
        if statement.autocommit and not in_tx:
            chunks.extend(outside)
            chunks.append(terminate(statement, profile, pretty))
            chunks.extend(reset)
            continue
        chunks.append(terminate(statement, profile, pretty))
    if in_tx and commit:
        chunks.append(commit)
    elif commit and not begin:
        chunks.append(commit)  # DDL commits itself, the version-table DML does not (Oracle)
    return chunks


def file_header(compiled: CompiledPlan, title: str) -> list[str]:
    profile = compiled.profile
    lines = [
        f"{title} generated by sqlbundle {__version__}",
        f"range: {compiled.range_text}  direction: {compiled.plan.direction}",
        f"dialect: {profile.target} ({profile.title})",
        f"apply with: {profile.apply.format(file='<this file>')}",
    ]
    lines.extend(profile.header_notes)
    return [_comment("\n".join(lines))]


def render_script(compiled: CompiledPlan, title: str = "SQL", *, pretty: bool = False) -> str:
    """The whole plan as one file: header, preamble, then each step."""
    profile = compiled.profile
    chunks = file_header(compiled, title) + preamble(profile)
    total = len(compiled.steps)
    progress = progress_table(compiled)  # once: it looks at every step
    for number, step in enumerate(compiled.steps, 1):
        chunks.append("")
        chunks.append(step_header(step, number, total, profile.title))
        chunks.extend(step_body(step, profile, pretty=pretty,
                                timeouts=step_timeouts(*compiled.timeouts, profile,
                                                       step.script),
                                progress=progress))
    if not compiled.steps:
        chunks.append(_comment("nothing to do: the range is empty"))
    return "\n".join(chunks) + "\n"


def render_diagnostics(diagnostics: Iterable[object]) -> list[str]:
    return sorted({str(d) for d in diagnostics})
