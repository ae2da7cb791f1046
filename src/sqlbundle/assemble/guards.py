"""Guards: statements at the top of a step that stop it unless the database is where the step
expects it to be, before anything changes.

A step needs the version rows it replaces to be present and the rows it writes to be absent;
a step from base needs an empty (or missing) version table. The message names the step, what it
expected and what it found. Each dialect gets the form its own client stops on: a PL/pgSQL
``DO`` block, T-SQL ``THROW``, PL/SQL ``RAISE_APPLICATION_ERROR``, a failing ``PREPARE`` for
MySQL/MariaDB (its syntax error quotes the message) and a failing ``json_extract`` path for
SQLite (its error quotes the path). Where that statement names the version table outright, a
check that the table exists comes first, so a database without one gets the guard's message
too, not "no such table". These are framing, not migration SQL: engines prove them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    statements = builder(exp, ctx, ctx.table_name(table, schema), table, schema)
    missing = _MISSING_TABLE.get(ctx.profile.guard)
    if missing is not None and not exp.empty:
        # These guards read the version table in a statement the engine resolves whole: on a
        # database without one (a fresh SQLite file) it would fail with "no such table".
        statements = missing(exp, table, schema) + statements
    return statements


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


# Guards whose statement names the version table outright: a check first that it exists,
# raising the guard's own message (found: no version rows) where it does not. The first step
# from base creates the table before its guard, and needs none.
def _missing_sqlite(exp: Expectation, table: str, schema: str | None) -> list[Statement]:
    master = f"{schema}.sqlite_master" if schema else "sqlite_master"
    message = _lit(" " + _message(exp) + "no version rows")
    return [Statement(f"SELECT json_extract('{{}}', {message}) WHERE NOT EXISTS (SELECT 1 FROM "
                      f"{master} WHERE type = 'table' AND name = {_lit(table)})", block=True)]


def _missing_mysql(exp: Expectation, table: str, schema: str | None) -> list[Statement]:
    where = _lit(schema) if schema else "DATABASE()"
    return [
        Statement(f"SET @sqlbundle_guard = IF(EXISTS (SELECT 1 FROM information_schema.tables "
                  f"WHERE table_schema = {where} AND table_name = {_lit(table)}), 'DO 0', "
                  f"{_lit(_message(exp) + 'no version rows')})", block=True),
        Statement("PREPARE sqlbundle_guard FROM @sqlbundle_guard", block=True),
        Statement("EXECUTE sqlbundle_guard", block=True),
        Statement("DEALLOCATE PREPARE sqlbundle_guard", block=True),
    ]


def _missing_information_schema(raise_: str, upper: bool) -> Any:
    def build(exp: Expectation, table: str, schema: str | None) -> list[Statement]:
        name, where = (f"UPPER(table_name) = {_lit(table.upper())}" if upper
                       else f"table_name = {_lit(table)}"), ""
        if schema:
            where = (f" AND UPPER(table_schema) = {_lit(schema.upper())}" if upper
                     else f" AND table_schema = {_lit(schema)}")
        elif upper:
            where = " AND table_schema = CURRENT_SCHEMA()"
        message = _lit(_message(exp) + "no version rows")
        return [Statement(f"SELECT {raise_.format(message)} WHERE NOT EXISTS (SELECT 1 FROM "
                          f"information_schema.tables WHERE {name}{where})", block=True)]
    return build


_MISSING_TABLE = {
    "json_path": _missing_sqlite,
    "prepare": _missing_mysql,
    "error": _missing_information_schema("error({})", upper=False),
    "to_number": _missing_information_schema("TO_NUMBER({})", upper=True),
}
