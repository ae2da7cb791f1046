"""Rendered scripts and lint reports from the project's render store (``cache.rendered``),
keyed by everything the output depends on (``cache.rendered.render_key``). A hit loads neither
SQLAlchemy nor sqlglot (most of a warm run's time otherwise); output a migration's
environment reads shaped is never kept."""

from __future__ import annotations

import hashlib
from typing import Any

from .. import __version__
from ..cache.rendered import render_key
from ..project.baseline import baseline_digest
from ..record.offline_config import ini_digest
from ..profile import Profile, parse_target
from ..project.model import Project


def cache_key(project: Project, range_text: str, target: str, direction: str) -> str:
    config = project.config
    settings = (config.version_table, config.version_table_schema or "",
                config.source_dialect or "", ini_digest(config.sources), baseline_digest(config),
                f"timeouts {config.lock_timeout}\0{config.statement_timeout}",
                f"algorithm_clauses {config.algorithm_clauses}", f"safe {config.safe}")
    return render_key(config.templates_dir, target, direction, range_text, settings,
                      ((s.revision, s.path, s.sha256) for s in project.scripts))


def render_cached(project: Project, range_text: str, target: str | Profile, direction: str,
                  pretty: bool = False) -> tuple[str, list[str]]:
    """The script text and its diagnostics, from the cache or freshly rendered."""
    profile = parse_target(target)
    target = profile.target  # "postgresql" and "postgresql@16" share entries
    key = None
    store = project.caches.render_store()
    if store is not None:
        key = cache_key(project, range_text, target, direction + ("+pretty" if pretty else ""))
        found = store.get(key)
        if found is not None:
            return found
    # Only a miss pays for SQLAlchemy and sqlglot.
    from ..compile.stamp import compile_stamp
    from ..compile.steps import compile_range
    from .framing import render_script

    if direction == "stamp":
        compiled = compile_stamp(project, range_text, profile)
    else:
        compiled = compile_range(project, range_text, profile, direction)
    from ..compile.sqlcheck import check_plan

    text = render_script(compiled, direction.capitalize(), pretty=pretty)
    memo = project.caches.parsed_memo(compiled.profile.target, __version__)
    checked = check_plan(compiled, memo)[1]
    memo.save()
    diagnostics = sorted({str(d) for d in list(compiled.diagnostics) + checked})
    if store is not None and key is not None and not compiled.volatile:
        store.put(key, text, diagnostics)
    return text, diagnostics


def _lint_key(project: Project, range_text: str, target: str) -> str:
    # The configuration files whole: lint reads more of them than the SQL does.
    configs = "\0".join(hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "-"
                        for p in sorted(project.config.sources))
    return cache_key(project, range_text, target, "lint2\0" + configs)


def lint_cached(project: Project, range_text: str, target: str | None) -> dict[str, Any]:
    """The lint report of ``range_text`` for ``target`` (default: the project's first
    dialect) as ``report_outputs`` gives it, from the cache or freshly linted."""
    profile = parse_target(target or project.config.dialects[0])
    store = project.caches.render_store()
    key = _lint_key(project, range_text, profile.target) if store is not None else ""
    if store is not None:
        found = store.get_value(key)
        if isinstance(found, dict):
            return found
    from ..lint.api import lint_project
    from ..lint.report import report_outputs

    report = lint_project(project, range_text, profile)
    outputs = report_outputs(report)
    if store is not None and not report.volatile:
        store.put_value(key, outputs)
    return outputs
