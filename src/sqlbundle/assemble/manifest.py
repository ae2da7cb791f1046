"""A bundle's manifest: its name and format, and what the bundle was built from, fingerprinted so ``check`` can tell a current bundle without
rebuilding it (on a fresh clone a rebuild of every dialect costs more than Alembic's upgrade).

The fingerprint covers what a build reads besides sqlbundle's own code: the versions of
sqlbundle, SQLAlchemy and sqlglot (the renderers), the bundle's settings, the configuration
files, ``env.py``, the templates folder, the baseline, and, in plan order, every migration of
the range with its file's sha256 and the project's own modules it imports (``Script.imports``, read from its text by the
loader: ``import pkg`` or ``from pkg.sub import x`` where ``pkg`` is a file or package of the
project).
A range with a migration that read the environment or the range has no fingerprint: what it
records depends on more than files, and ``check`` always rebuilds it.
"""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # check imports this module without the compiler
    from ..history.plan import Range
    from ..project.model import Project

MANIFEST = "manifest.json"
FORMAT = 1

def _sha_file(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "-"


def _module_files(name: str, folders: list[Path]) -> list[Path]:
    """The project's own files of top-level module ``name``: its ``.py`` file, or every
    ``.py`` file of its package; nothing for a module the project does not hold."""
    for folder in folders:
        single = folder / f"{name}.py"
        if single.is_file():
            return [single]
        package = folder / name
        if package.is_dir():
            found = []
            for current, dirs, files in os.walk(package):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
                found += [Path(current) / f for f in sorted(files) if f.endswith(".py")]
            return found
    return []


def _search_folders(project: Project) -> list[Path]:
    """Where migration code finds the project's own modules: the ini's ``prepend_sys_path``,
    the project root and the script folder."""
    config = project.config
    folders: list[Path] = []
    from ..record.offline_config import ini_file, split_paths

    folders += list(config.prepend_sys_path)
    ini = ini_file(config.sources)
    if ini is not None:
        import configparser

        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(ini, encoding="utf-8")
            folders += [ini.parent / p for p in split_paths(parser, "prepend_sys_path",
                                                            config.ini_section)]
        except (configparser.Error, UnicodeDecodeError):
            pass
    folders += [config.root, config.root / config.script_location]
    return folders


def renderer_versions() -> dict[str, str]:
    """The installed SQLAlchemy and sqlglot, read from their metadata (importing them costs
    ``check`` more than everything else it does for a current bundle)."""
    out = {}
    for name in ("sqlalchemy", "sqlglot"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover - both are dependencies
            out[name] = "?"
    return out


def bundle_inputs(project: Project, range: Range, target: str, guards: bool, pretty: bool,
                  volatile: bool, schema: str | None = None) -> dict:
    """The manifest's ``inputs``: the versions that rendered the bundle and the sha256 of
    everything listed above (None when ``volatile``: a migration read the environment)."""
    versions = renderer_versions()
    if volatile:
        return {"sha256": None, **versions}
    return {"sha256": inputs_digest(project, range, target, guards, pretty, schema=schema),
            **versions}


def inputs_digest(project: Project, range: Range, target: str, guards: bool,
                  pretty: bool, memo: dict | None = None, schema: str | None = None) -> str:
    """The fingerprint; ``memo`` (one per project) keeps what several bundles of one project
    share: each module's files."""
    from .. import __version__

    memo = {} if memo is None else memo
    config = project.config
    root = config.root

    def rel(path: Path) -> str:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()

    versions = renderer_versions()
    lines = [f"sqlbundle {__version__}", f"sqlalchemy {versions['sqlalchemy']}",
             f"sqlglot {versions['sqlglot']}",
             f"bundle {range.text}\0{target}\0{guards}\0{pretty}\0safe {config.safe}"
             + (f"\0schema {schema}" if schema else "")]
    for source in sorted(config.sources):
        lines.append(f"config {rel(source)}\0{_sha_file(source)}")
    env_py = root / config.script_location / "env.py"
    if env_py.is_file():
        lines.append(f"env {rel(env_py)}\0{_sha_file(env_py)}")
    if config.templates_dir is not None and config.templates_dir.is_dir():
        for current, dirs, files in os.walk(config.templates_dir):
            dirs.sort()
            for name in sorted(files):
                path = Path(current) / name
                lines.append(f"template {rel(path)}\0{_sha_file(path)}")
    if config.baseline_sql is not None:
        lines.append(f"baseline-sql {rel(config.baseline_sql)}\0"
                     f"{_sha_file(root / config.baseline_sql)}")
    names: set[str] = set()
    if config.baseline:
        lines.append(f"baseline {config.baseline}")
        names.add(config.baseline.split(":")[0].split(".")[0])
    assert range.plan is not None
    for step in range.plan.steps:
        script = project.script(step.revision)
        lines.append(f"step {step.revision}\0{script.path}\0{script.sha256}")
        names.update(script.imports)
    if "folders" not in memo:
        memo["folders"] = _search_folders(project)
    for name in sorted(names):
        if ("module", name) not in memo:
            memo["module", name] = [f"module {rel(path)}\0{_sha_file(path)}"
                                    for path in _module_files(name, memo["folders"])]
        lines += memo["module", name]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
