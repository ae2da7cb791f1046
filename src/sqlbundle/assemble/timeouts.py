"""Lock and statement timeouts written into the SQL, so that a step on a busy database fails
fast instead of queueing behind a long transaction (and blocking every query behind it).

The values: the project's ``lock_timeout`` / ``statement_timeout`` settings, else the target
profile's defaults (on for PostgreSQL: a lock wait of 5 s), overridden per migration by a
comment in its file (``# sqlbundle: lock_timeout=30s``, ``-- sqlbundle: statement_timeout=off``
in a SQL migration). The forms are profile data:

* where a timeout can be local to a transaction (PostgreSQL's ``SET LOCAL``), it is set after
  each ``BEGIN``; a statement that must run outside a transaction (``CONCURRENTLY``) gets the
  session-level form before it and a reset after it, with the statement timeout lifted there
  (an index build may rightly take long, its lock wait may not);
* elsewhere (MySQL/MariaDB ``lock_wait_timeout``, SQL Server ``LOCK_TIMEOUT``, Oracle
  ``DDL_LOCK_TIMEOUT``) it is a session setting at the top of each file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..profile import Profile
from ..project.settings import parse_duration
from ..source.script import Script

@dataclass(frozen=True)
class Timeouts:
    lock_ms: int = 0  # 0: not set
    statement_ms: int = 0

    def _values(self, ms: int) -> dict[str, int]:
        return {"ms": ms, "s": max(1, math.ceil(ms / 1000))}

    def in_transaction(self, profile: Profile) -> list[str]:
        """After each BEGIN, where the target has transaction-local forms."""
        out = []
        if self.lock_ms and profile.lock_timeout_local:
            out.append(profile.lock_timeout_local.format(**self._values(self.lock_ms)))
        if self.statement_ms and profile.statement_timeout_local:
            out.append(profile.statement_timeout_local.format(
                **self._values(self.statement_ms)))
        return out

    def around_autocommit(self, profile: Profile) -> tuple[list[str], list[str]]:
        """Before and after a statement that runs outside a transaction."""
        if not profile.lock_timeout_local:
            return [], []
        before, after = [], []
        if self.lock_ms and profile.lock_timeout_session:
            before.append(profile.lock_timeout_session.format(**self._values(self.lock_ms)))
            after.append(profile.lock_timeout_reset)
        if self.statement_ms and profile.statement_timeout_off:
            before.append(profile.statement_timeout_off)
            after.append(profile.statement_timeout_reset)
        return before, after

    def session(self, profile: Profile) -> list[str]:
        """At the top of a file, where the target has no transaction-local forms."""
        if profile.lock_timeout_local or not self.lock_ms or not profile.lock_timeout_session:
            return []
        return [profile.lock_timeout_session.format(**self._values(self.lock_ms))]


def step_timeouts(lock: str | None, statement: str | None, profile: Profile,
                  script: Script | None = None) -> Timeouts:
    """The timeouts of one step: the migration's own comment, else the project's setting
    (``lock`` / ``statement``), else the profile's default."""
    values = {"lock_timeout": lock if lock is not None else profile.default_lock_timeout,
              "statement_timeout": statement if statement is not None
              else profile.default_statement_timeout}
    where = {"lock_timeout": "lock_timeout", "statement_timeout": "statement_timeout"}
    for key, value in (script.settings if script is not None else ()):
        if key in values:
            values[key] = value
            where[key] = f"{script.path}: sqlbundle: {key}"
    return Timeouts(parse_duration(values["lock_timeout"] or "off", where["lock_timeout"]),
                    parse_duration(values["statement_timeout"] or "off",
                                   where["statement_timeout"]))
