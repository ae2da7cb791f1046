"""Lint results as values (findings, suppressions, the report) and as text or SARIF 2.1.0.

A suppression is a comment in the migration file, on the finding's line or the line above::

    op.drop_table("legacy")  # sqlbundle: ignore[SBL001] reason: emptied and unused since 2.3

(``-- sqlbundle: ignore[...] reason: ...`` in SQL migrations). One without a reason suppresses
nothing; one naming an unknown rule, or matching no finding, is itself a finding.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Any

from .rules import (
    RULES,
    SEVERITIES,
    SUPPRESSION_NO_REASON,
    SUPPRESSION_UNKNOWN,
    SUPPRESSION_UNUSED,
    UNSUPPRESSABLE,
    Hit,
)

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    fix: str
    path: str | None
    line: int | None
    revision: str | None = None
    direction: str | None = None  # "upgrade", "downgrade", or None for file-level findings

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path or "", self.line or 0, self.code, self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "fix": self.fix, "path": self.path, "line": self.line,
                "revision": self.revision, "direction": self.direction,
                "rule": RULES[self.code].name}


@dataclass(frozen=True)
class Suppression:
    """A ``sqlbundle: ignore[CODES] reason: ...`` comment."""

    path: str
    line: int
    codes: tuple[str, ...]
    reason: str

    def covers(self, finding: Finding) -> bool:
        return (bool(self.reason) and finding.path == self.path and finding.code in self.codes
                and finding.code not in UNSUPPRESSABLE
                and finding.line in (self.line, self.line + 1))


@dataclass(frozen=True)
class LintReport:
    target: str  # name@version
    range: str
    findings: tuple[Finding, ...]  # sorted by path, line, code
    suppressed: tuple[tuple[Finding, Suppression], ...] = ()
    # A migration read the environment or the range: not to be kept by file content alone.
    volatile: bool = field(default=False, compare=False)

    def counts(self) -> dict[str, int]:
        counts = {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}
        counts["suppressed"] = len(self.suppressed)
        return counts

    def only(self, paths: set[str]) -> LintReport:
        """The findings (and suppressions) of the files ``paths`` only: what a branch added
        or changed (``lint --since``); the rest of the history was linted, not shown."""
        return LintReport(self.target, self.range,
                          tuple(f for f in self.findings if f.path in paths),
                          tuple((f, s) for f, s in self.suppressed if f.path in paths),
                          volatile=self.volatile)

    def fails(self, threshold: str) -> bool:
        """True when a finding is at least as severe as ``threshold``."""
        least = SEVERITIES.index(threshold)
        return any(SEVERITIES.index(f.severity) >= least for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "range": self.range,
            "findings": [f.as_dict() for f in self.findings],
            "suppressed": [dict(f.as_dict(), reason=s.reason, suppressed_at=s.line)
                           for f, s in self.suppressed],
            "counts": self.counts(),
        }


_PY_SUPPRESS = re.compile(r"#\s*sqlbundle:\s*ignore\b(?P<rest>.*)$", re.I)
_SQL_SUPPRESS = re.compile(r"--\s*sqlbundle:\s*ignore\b(?P<rest>.*)$", re.I)
_CODES = re.compile(r"^\s*\[(?P<codes>[^\]]*)\]")
_REASON = re.compile(r"\breason\s*:(?P<reason>.*)$", re.I)


def _suppression(path: str, line: int, rest: str) -> Suppression:
    codes, reason = _CODES.match(rest), _REASON.search(rest)
    parsed = tuple(c.strip().upper() for c in (codes.group("codes") if codes else "").split(",")
                   if c.strip())
    return Suppression(path, line, parsed, reason.group("reason").strip() if reason else "")


def read_suppressions(text: str, path: str, kind: str = "python") -> list[Suppression]:
    """The suppression comments in a migration file's text (comments only, not strings)."""
    out: list[Suppression] = []
    if kind == "sql":
        for number, raw in enumerate(text.splitlines(), 1):
            match = _SQL_SUPPRESS.search(raw)
            if match:
                out.append(_suppression(path, number, match.group("rest")))
        return out
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return out
    for token in tokens:
        if token.type == tokenize.COMMENT:
            match = _PY_SUPPRESS.search(token.string)
            if match:
                out.append(_suppression(path, token.start[0], match.group("rest")))
    return out


def apply_suppressions(profile: Any, range_text: str, found: list[Finding],
                       active: dict[str, list[Suppression]]) -> LintReport:
    """The report: ``found`` minus what the comments in ``active`` (per path) suppress, plus
    findings about the comments themselves, deduplicated and sorted."""
    kept: list[Finding] = []
    suppressed: list[tuple[Finding, Suppression]] = []
    used: set[tuple[Suppression, str]] = set()
    for finding in found:
        match = next((s for s in active.get(finding.path or "", []) if s.covers(finding)), None)
        if match is None:
            kept.append(finding)
        else:
            suppressed.append((finding, match))
            used.add((match, finding.code))

    def report(hit: Hit, s: Suppression) -> None:
        rule = hit.rule
        kept.append(Finding(rule.code, rule.severity, hit.message, hit.fix, s.path, s.line))

    for path in sorted(active):
        for s in active[path]:
            if not s.reason:
                report(SUPPRESSION_NO_REASON.hit(
                    f"suppression of {', '.join(s.codes) or 'nothing'} has no reason, so it "
                    "does not apply"), s)
            if not s.codes:
                report(SUPPRESSION_UNKNOWN.hit("suppression names no rule: write "
                                               "ignore[SBL...]"), s)
            for code in s.codes:
                if code not in RULES:
                    report(SUPPRESSION_UNKNOWN.hit(f"suppression names unknown rule {code}"), s)
                elif code in UNSUPPRESSABLE:
                    report(SUPPRESSION_UNKNOWN.hit(f"{code} findings cannot be suppressed"), s)
                elif s.reason and (s, code) not in used and RULES[code].applies(profile):
                    report(SUPPRESSION_UNUSED.hit(
                        f"suppression of {code} matches no finding on line {s.line} or "
                        f"{s.line + 1}"), s)
    unique = {f.sort_key + (f.direction or "",): f for f in kept}
    return LintReport(
        profile.target, range_text,
        tuple(sorted(unique.values(), key=lambda f: f.sort_key + (f.direction or "",))),
        tuple(sorted(suppressed, key=lambda fs: fs[0].sort_key)))


# ---------------------------------------------------------------------------- formats


def text_report(report: LintReport) -> str:
    """One line per finding (``path:line: severity CODE message``) and its fix."""
    lines = []
    for f in report.findings:
        where = f"{f.path}:{f.line}" if f.line else f"{f.path}"
        lines.append(f"{where}: {f.severity} {f.code} {f.message}")
        lines.append(f"  fix: {f.fix}")
    counts = report.counts()
    lines.append(f"{len(report.findings)} finding(s) for {report.target}: "
                 f"{counts['error']} error(s), {counts['warning']} warning(s), "
                 f"{counts['info']} info; {counts['suppressed']} suppressed")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_report(report: LintReport) -> str:
    """The report for a pull-request comment: a summary line, then a table of findings."""
    counts = report.counts()
    lines = [f"### sqlbundle lint: {report.target}, {report.range}", ""]
    if not report.findings:
        lines.append(f"No findings ({counts['suppressed']} suppressed).")
        return "\n".join(lines) + "\n"
    lines += [f"{len(report.findings)} finding(s): {counts['error']} error(s), "
              f"{counts['warning']} warning(s), {counts['info']} info; "
              f"{counts['suppressed']} suppressed.", "",
              "| severity | rule | where | finding | fix |", "|---|---|---|---|---|"]
    for f in report.findings:
        where = f"`{f.path}:{f.line}`" if f.path and f.line else f"`{f.path}`" if f.path else ""
        lines.append(f"| {f.severity} | {f.code} {RULES[f.code].name} | {where} | "
                     f"{_cell(f.message)} | {_cell(f.fix)} |")
    return "\n".join(lines) + "\n"


def _sarif_result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": SARIF_LEVELS[finding.severity],
        "message": {"text": finding.message},
        "properties": {"fix": finding.fix, "revision": finding.revision,
                       "direction": finding.direction},
    }
    if finding.path:
        location: dict[str, Any] = {"artifactLocation": {"uri": finding.path}}
        if finding.line:
            location["region"] = {"startLine": finding.line}
        result["locations"] = [{"physicalLocation": location}]
    return result


def sarif_log(report: LintReport) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log; suppressed findings carry their in-source reason."""
    from .. import __version__

    rules = sorted(RULES.values(), key=lambda r: r.code)
    index = {rule.code: number for number, rule in enumerate(rules)}
    results = [_sarif_result(f, index) for f in report.findings]
    for finding, suppression in report.suppressed:
        result = _sarif_result(finding, index)
        result["suppressions"] = [{"kind": "inSource", "justification": suppression.reason}]
        results.append(result)
    driver = {
        "name": "sqlbundle",
        "version": __version__,
        "rules": [{
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "help": {"text": f"Fix: {rule.fix}"},
            "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
        } for rule in rules],
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "results": results,
            "properties": {"target": report.target, "range": report.range},
        }],
    }


def report_outputs(report: LintReport) -> dict[str, Any]:
    """What ``lint`` prints, in every format, and whether each threshold fails: kept whole,
    so that a rerun answers without linting (or loading SQLAlchemy)."""
    return {"text": text_report(report), "json": report.as_dict(), "sarif": sarif_log(report),
            "markdown": markdown_report(report),
            "fails": {severity: report.fails(severity) for severity in SEVERITIES}}
