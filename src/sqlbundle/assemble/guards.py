"""Guards: statements at the top of a step that stop it unless the database is where the step
expects it to be, before anything changes.

A step needs the version rows it replaces to be present and the rows it writes to be absent;
a step from base needs an empty (or missing) version table. The message names the step, what it
expected and what it found. Each dialect gets the form its own client stops on: a PL/pgSQL
``DO`` block, T-SQL ``THROW``, PL/SQL ``RAISE_APPLICATION_ERROR``, a failing ``PREPARE`` for
MySQL/MariaDB (its syntax error quotes the message) and a failing ``json_extract`` path for
SQLite (its error quotes the path). These are framing, not migration SQL: engines prove them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConfigError
from ..history.plan import Step
from ..render.context import RenderContext, Statement


@dataclass(frozen=True)
class Expectation:
    step_name: str
    present: tuple[str, ...]  # rows that must be in the version table
    absent: tuple[str, ...]  # rows that must not be
    empty: bool  # the table must be empty (a step from base)

    def describe(self) -> str:
        # Short on purpose: MySQL/MariaDB clients show only ~80 characters of the message.
        if self.empty:
            return "no version rows"
        return ",".join(self.present) if self.present else "not " + ",".join(self.absent)


def expectation(step: Step, step_name: str) -> Expectation:
    change = step.version
    present = tuple(change.delete) + ((change.update[0],) if change.update else ())
    absent = tuple(change.insert) + ((change.update[1],) if change.update else ())
    return Expectation(step_name, present, absent, empty=not step.heads_before)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def guard_statements(exp: Expectation, ctx: RenderContext, table: str, schema: str | None
                     ) -> list[Statement]:
    builder = _BUILDERS.get(ctx.profile.guard)
    if builder is None:
        raise ConfigError(f"dialect profile needs 'guard', one of: {', '.join(sorted(_BUILDERS))}",
                          path=ctx.profile.source)
    return builder(exp, ctx, ctx.table_name(table, schema), table, schema)


def _message(exp: Expectation) -> str:
    return f"sqlbundle guard {exp.step_name}: expected {exp.describe()}, found "


def _do_block(exp: Expectation, ctx: RenderContext, qualified: str, table: str,
              schema: str | None) -> list[Statement]:
    checks = [f"position({_lit(',' + r + ',')} in ',' || found || ',') > 0" for r in exp.present]
    checks += [f"position({_lit(',' + r + ',')} in ',' || found || ',') = 0" for r in exp.absent]
    if exp.empty:
        checks = ["found = ''"]
    select = (f"SELECT coalesce(string_agg(version_num, ',' ORDER BY version_num), '') "
              f"FROM {qualified}")
    regclass = f"{schema}.{table}" if schema else table
    sql = (
        "DO $sqlbundle_guard$\n"
        "DECLARE\n    found text := '';\nBEGIN\n"
        f"    IF to_regclass({_lit(regclass)}) IS NOT NULL THEN\n"
        f"        EXECUTE {_lit(select)} INTO found;\n"
        "    END IF;\n"
        f"    IF NOT ({' AND '.join(checks)}) THEN\n"
        f"        RAISE EXCEPTION '%', {_lit(_message(exp))} || "
        "CASE WHEN found = '' THEN 'no version rows' ELSE found END;\n"
        "    END IF;\nEND\n$sqlbundle_guard$"
    )
    return [Statement(sql, block=True)]


def _conditions(exp: Expectation, qualified: str) -> str:
    column = "version_num"
    checks = [f"EXISTS (SELECT 1 FROM {qualified} WHERE {column} = {_lit(r)})"
              for r in exp.present]
    checks += [f"NOT EXISTS (SELECT 1 FROM {qualified} WHERE {column} = {_lit(r)})"
               for r in exp.absent]
    if exp.empty:
        checks = [f"NOT EXISTS (SELECT 1 FROM {qualified})"]
    return " AND ".join(checks)


def _prepare(exp: Expectation, ctx: RenderContext, qualified: str, table: str,
             schema: str | None) -> list[Statement]:
    found = (f"COALESCE((SELECT GROUP_CONCAT(version_num ORDER BY version_num SEPARATOR ',') "
             f"FROM {qualified}), 'no version rows')")
    # PREPARE of the message itself fails, and the client prints the text "near" the error.
    return [
        Statement(f"SET @sqlbundle_guard = IF({_conditions(exp, qualified)}, 'DO 0', "
                  f"CONCAT({_lit(_message(exp))}, {found}))", block=True),
        Statement("PREPARE sqlbundle_guard FROM @sqlbundle_guard", block=True),
        Statement("EXECUTE sqlbundle_guard", block=True),
        Statement("DEALLOCATE PREPARE sqlbundle_guard", block=True),
    ]


def _json_path(exp: Expectation, ctx: RenderContext, qualified: str, table: str,
               schema: str | None) -> list[Statement]:
    found = (f"coalesce((SELECT group_concat(version_num, ',') FROM "
             f"(SELECT version_num FROM {qualified} ORDER BY version_num)), 'no version rows')")
    # json_extract() rejects the message as a JSON path and quotes it in the error.
    return [Statement(f"SELECT json_extract('{{}}', {_lit(' ' + _message(exp))} || {found}) "
                      f"WHERE NOT ({_conditions(exp, qualified)})", block=True)]


def _throw(exp: Expectation, ctx: RenderContext, qualified: str, table: str,
           schema: str | None) -> list[Statement]:
    # THROW takes a literal or a variable, so the message is built first.
    sql = (
        "DECLARE @sqlbundle_found NVARCHAR(MAX) = N'';\n"
        f"IF OBJECT_ID(N{_lit(qualified)}, N'U') IS NOT NULL\n"
        f"    SELECT @sqlbundle_found = COALESCE(STRING_AGG(version_num, ',') WITHIN GROUP "
        f"(ORDER BY version_num), N'') FROM {qualified};\n"
        f"DECLARE @sqlbundle_message NVARCHAR(2048) = N{_lit(_message(exp))} + CASE WHEN "
        "@sqlbundle_found = N'' THEN N'no version rows' ELSE @sqlbundle_found END;\n"
        f"IF NOT ({_conditions_throw(exp)})\n"
        "    THROW 50000, @sqlbundle_message, 1;"
    )
    return [Statement(sql, block=True)]


def _conditions_throw(exp: Expectation) -> str:
    wrap = "N',' + @sqlbundle_found + N','"
    checks = [f"CHARINDEX(N{_lit(',' + r + ',')}, {wrap}) > 0" for r in exp.present]
    checks += [f"CHARINDEX(N{_lit(',' + r + ',')}, {wrap}) = 0" for r in exp.absent]
    if exp.empty:
        checks = ["@sqlbundle_found = N''"]
    return " AND ".join(checks)


def _raise_application_error(exp: Expectation, ctx: RenderContext, qualified: str, table: str,
                             schema: str | None) -> list[Statement]:
    owner_filter = f"owner = {_lit(schema.upper())}" if schema else "owner = USER"
    wrap = "',' || found || ','"
    checks = [f"INSTR({wrap}, {_lit(',' + r + ',')}) > 0" for r in exp.present]
    checks += [f"INSTR({wrap}, {_lit(',' + r + ',')}) = 0" for r in exp.absent]
    if exp.empty:
        checks = ["found IS NULL"]
    select = (f"SELECT LISTAGG(version_num, ',') WITHIN GROUP (ORDER BY version_num) "
              f"FROM {qualified}")
    sql = (
        "DECLARE\n    found VARCHAR2(4000);\n    tables_found NUMBER;\nBEGIN\n"
        f"    SELECT COUNT(*) INTO tables_found FROM all_tables WHERE {owner_filter} "
        f"AND table_name = {_lit(table.upper())};\n"
        "    IF tables_found > 0 THEN\n"
        f"        EXECUTE IMMEDIATE {_lit(select)} INTO found;\n"
        "    END IF;\n"
        f"    IF NOT ({' AND '.join(checks)}) THEN\n"
        f"        RAISE_APPLICATION_ERROR(-20001, {_lit(_message(exp))} || "
        "NVL(found, 'no version rows'));\n"
        "    END IF;\nEND;"
    )
    return [Statement(sql, block=True)]


def _error(exp: Expectation, ctx: RenderContext, qualified: str, table: str,
           schema: str | None) -> list[Statement]:
    found = (f"coalesce((SELECT string_agg(version_num, ',' ORDER BY version_num) FROM "
             f"{qualified}), 'no version rows')")
    # DuckDB's error() raises with the message as given.
    return [Statement(f"SELECT error({_lit(_message(exp))} || {found}) "
                      f"WHERE NOT ({_conditions(exp, qualified)})", block=True)]


def _to_number(exp: Expectation, ctx: RenderContext, qualified: str, table: str,
               schema: str | None) -> list[Statement]:
    found = (f"COALESCE((SELECT LISTAGG(version_num, ',') WITHIN GROUP (ORDER BY version_num) "
             f"FROM {qualified}), 'no version rows')")
    # TO_NUMBER of the message fails, and Snowflake quotes the value it could not convert.
    return [Statement(f"SELECT TO_NUMBER({_lit(_message(exp))} || {found}) "
                      f"WHERE NOT ({_conditions(exp, qualified)})", block=True)]


# Guard styles (a profile's ``guard`` key) -> builders: how the dialect's client stops.
_BUILDERS = {
    "do_block": _do_block,
    "prepare": _prepare,
    "json_path": _json_path,
    "throw": _throw,
    "raise_application_error": _raise_application_error,
    "error": _error,
    "to_number": _to_number,
}
