"""The command line: a typer app over the Python API."""

from .app import main

__all__ = ["main"]
