"""Rendered scripts from the project's render store (``cache.rendered``), keyed by
everything the output depends on.

The key covers sqlbundle's version, the target, direction and range, the settings that reach
the SQL, and every migration's path and content hash, so any edit anywhere in the history
misses.
"""

from __future__ import annotations

import hashlib

from .. import __version__
from ..cache.files import code_fingerprint
from ..record.offline_config import ini_digest
from ..profile import Profile, parse_target
from ..project.model import Project


def cache_key(project: Project, range_text: str, target: str, direction: str) -> str:
    config = project.config
    parts = [__version__, code_fingerprint(config.templates_dir), target, direction,
             range_text, config.version_table, config.version_table_schema or "",
             config.source_dialect or "", ini_digest(config.sources)]
    for script in sorted(project.scripts, key=lambda s: s.revision):
        parts.append(f"{script.revision}\0{script.path}\0{script.sha256}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()




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
    from ..compile.steps import compile_range, compile_stamp
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
    if store is not None and key is not None:
        store.put(key, text, diagnostics)
    return text, diagnostics
