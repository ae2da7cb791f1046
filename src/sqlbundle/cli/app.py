"""The command line's app: the typer app, its options, error handling and exit codes.

Each command parses its arguments, calls the Python API, formats, and maps errors to exit codes;
the commands live in ``scaffolding``, ``listings``, ``sql`` and ``review``, which register
themselves on ``app`` (``cli/__init__`` imports them all).

Exit codes: 0 ok, 1 findings (checks), 2 the tool could not do its job (bad input, bad
config, broken history). User errors print one message to stderr, never a traceback.
"""

from __future__ import annotations

import enum
import functools
import json
import os
import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import typer

from .. import __version__
from ..errors import SqlbundleError


EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


app = typer.Typer(
    name="sqlbundle",
    help="Compile migration histories into reviewable, ordered SQL bundles, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, enum.Enum):
    text = "text"
    json = "json"


class _State:
    config: Optional[Path] = None
    name: str = "alembic"  # the alembic.ini section (--name)


STATE = _State()


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_ERROR)


def handles_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn user errors into one message on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .. import progress

        progress.enable()  # on a terminal only; a long build should never look hung
        try:
            try:
                os.getcwd()
            except FileNotFoundError:
                raise SqlbundleError("the current folder no longer exists (deleted or moved)",
                                     hint="cd into the project again") from None
            return func(*args, **kwargs)
        except SqlbundleError as exc:
            progress.disable()
            _fail(str(exc))
        except KeyboardInterrupt:
            progress.disable()
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug in sqlbundle: still one message, exit 2
            progress.disable()
            if os.environ.get("SQLBUNDLE_DEBUG"):
                raise
            where = "".join(f" ({note})" for note in getattr(exc, "__notes__", ()))
            _fail(f"internal error: {type(exc).__name__}: {exc}{where}\n  hint: this is a bug "
                  "in sqlbundle; set SQLBUNDLE_DEBUG=1 to see the traceback and please report it")
        finally:
            progress.disable()

    return wrapper


def _project():
    from ..project.model import open_project

    project = open_project(STATE.config, name=STATE.name)
    for note in project.config.notes:
        typer.echo(f"note: {note}", err=True)
    for script in project.executed:
        typer.echo(
            f"note: {script.where()}: metadata is not a literal, so the module's top level was "
            "executed to read it",
            err=True,
        )
    return project


def _emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"sqlbundle {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    config: Optional[Path] = typer.Option(
        None, "--config", "-C",
        help="Project directory or config file (default: search from the working directory up).",
        envvar="SQLBUNDLE_CONFIG",
    ),
    name: str = typer.Option(
        "alembic", "--name", "-n",
        help="The alembic.ini section to read, as Alembic's --name (multi-database projects).",
        envvar="SQLBUNDLE_NAME",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    STATE.config = config
    STATE.name = name


def _list(entries: list, fmt: Format, line: Callable[[Any], str]) -> None:
    if fmt is Format.json:
        _emit_json([e.as_dict() for e in entries])
    else:
        for item in entries:
            typer.echo(line(item))


def _write_or_print(text: str, output: Optional[Path]) -> None:
    if output is None:
        # Plain write: click's echo scans the whole text (megabytes for long histories).
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ..project.scaffold import NewFile, write_files

    write_files([NewFile(output, text)], overwrite=True)


def _strict(diagnostics: list[str], strict: bool) -> None:
    for diagnostic in diagnostics:
        typer.echo(diagnostic, err=True)
    if strict and diagnostics:
        raise SqlbundleError(f"{len(diagnostics)} diagnostic(s) and --strict is on; nothing "
                             "was written")


DIALECT_OPTION = typer.Option([], "--dialect", "-d",
                              help="Target, e.g. postgresql or mysql@5.7 (repeatable).")


OUTPUT_OPTION = typer.Option(None, "--output", "-o",
                             help="Write to this file (a folder with several dialects).")


STRICT_OPTION = typer.Option(False, "--strict",
                             help="Treat diagnostics (e.g. SQL sqlglot rejects) as errors.")


PRETTY_OPTION = typer.Option(False, "--pretty",
                             help="Lay out long statements (only where meaning cannot change).")
SAFE_OPTION = typer.Option(
    False, "--safe", help="Safe forms on existing tables (the 'safe' setting): indexes "
    "CONCURRENTLY, constraints NOT VALID then validated apart, SET NOT NULL through a check.")


def with_safe(project: Any, safe: bool) -> Any:
    """``project`` with the safe forms on when ``--safe`` asks (the setting may already)."""
    if not safe or project.config.safe:
        return project
    from dataclasses import replace

    return replace(project, config=replace(project.config, safe=True))


def main() -> None:
    """Console-script entry point."""
    # Rendering a long history allocates millions of short-lived objects; with the default
    # thresholds the collector rescans every long-lived one over and over (about a tenth of a
    # render). Collect the young generations as usual, the oldest rarely.
    gc.set_threshold(2000, 10, 1000)
    try:
        app()
    except SystemExit as exc:
        _leave(exc.code)
    except BrokenPipeError:  # e.g. `sqlbundle history | head`
        sys.stderr.close()
        sys.exit(EXIT_OK)


def _leave(code: object) -> None:
    """End the process without freeing its heap object by object.

    A long render leaves millions of small objects, and the interpreter's teardown spent about
    80 ms (a ninth of a 5,000-revision downgrade) freeing them. Every file a command writes is
    closed before it returns, so what remains is the atexit handlers and the standard streams.
    """
    import atexit

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if (run_exit_handlers is None or (code is not None and not isinstance(code, int))
            or sys.getprofile() is not None or sys.gettrace() is not None):
        # The ordinary way: a message to print, or a profiler or debugger that reports last.
        sys.exit(code)
    run_exit_handlers()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away, as above
        code = EXIT_OK
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code or EXIT_OK)
