"""The corpus's inputs and the two tools: wheels, the scratch venv, the Alembic project around an
extracted history, and subprocess runs of Alembic and sqlbundle in that venv.

Everything downloaded or generated lives under corpus/.cache (git-ignored) and is reused.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
CACHE = CORPUS / ".cache"
VENV = CACHE / "venv"
TOOL_TIMEOUT = 900

TARGET = {"postgresql": "postgresql@15", "mariadb": "mariadb@10.11", "sqlite": "sqlite@3.40"}
URL = {"postgresql": "postgresql://", "mariadb": "mysql+pymysql://", "sqlite": "sqlite://"}
BASE_REQUIREMENTS = ["alembic", "pymysql", "psycopg2-binary"]


def progress(message: str) -> None:
    """Progress goes to stderr, and only for a person watching a terminal."""
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Entry:
    name: str
    package: str
    version: str
    licence: str
    history: str
    dialects: tuple[str, ...]
    versions: str = "versions"
    render_as_batch: bool = False
    requirements: tuple[str, ...] = field(default_factory=tuple)
    pythonpath: tuple[str, ...] = ("",)  # folders of the wheel put on PYTHONPATH
    env: tuple[tuple[str, str], ...] = ()  # environment the migrations need (no prompts, logs)
    dialect_env: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # more, per dialect
    sqlbundle: tuple[tuple[str, object], ...] = ()  # settings for the sqlbundle.toml we write
    # why a failure is the history's own limit, not sqlbundle's: (dialect, revision, text)
    reasons: tuple[tuple[str, str, str], ...] = ()

    @property
    def baseline(self) -> str | None:
        return dict(self.sqlbundle).get("baseline")

    def reason(self, dialect: str, revision: str) -> str:
        """The recorded reason why ``revision`` fails on ``dialect``, if any."""
        return next((text for d, rev, text in self.reasons
                     if d == dialect and revision and rev == revision), "")


def load_entries(path: Path = CORPUS / "projects.toml") -> list[Entry]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Entry(**{**item, "dialects": tuple(item["dialects"]),
                     "requirements": tuple(item.get("requirements", ())),
                     "pythonpath": tuple(item.get("pythonpath", ("",))),
                     "env": tuple(sorted(item.get("env", {}).items())),
                     "dialect_env": tuple((d, tuple(sorted(v.items()))) for d, v in
                                          sorted(item.get("dialect_env", {}).items())),
                     "sqlbundle": tuple(sorted(item.get("sqlbundle", {}).items())),
                     "reasons": tuple((d, r["revision"], r["reason"]) for d, rs in
                                      sorted(item.get("reasons", {}).items()) for r in rs)})
            for item in data["project"]]


# ---- wheels and the scratch venv


def _pip(*args: str) -> None:
    proc = subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "-q",
                           "--disable-pip-version-check", *args],
                          capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"pip {' '.join(args)} failed:\n{proc.stderr[-3000:]}")


def scratch_venv(entries: list[Entry]) -> Path:
    """A venv made once: this repository (editable, so a run measures the working tree),
    Alembic, the drivers and every entry's extra requirements. One pip call per entry, in the
    file's order: the projects' pins conflict with one another (e.g. fastapi), and each only
    needs its own to import its migrations."""
    if not (VENV / "bin" / "python").exists():
        progress("making the scratch venv")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        _pip("install", "-e", str(ROOT), *BASE_REQUIREMENTS)
    done_file = VENV / "corpus-requirements.json"
    done = set(json.loads(done_file.read_text())) if done_file.exists() else set()
    for entry in entries:
        missing = [req for req in entry.requirements if req not in done]
        if missing:
            progress(f"installing {' '.join(missing)}")
            _pip("install", *missing)
            done |= set(missing)
            done_file.write_text(json.dumps(sorted(done)))
    return VENV


def wheel_root(entry: Entry) -> Path:
    """The wheel of ``entry`` downloaded (once) and extracted (once); returns the folder that
    holds its top-level packages, which goes on PYTHONPATH when its migrations run."""
    dest = CACHE / "src" / f"{entry.package}-{entry.version}"
    if (dest / ".complete").exists():
        return dest
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    stem = f"{re.sub(r'[-_.]+', '_', entry.package)}-{entry.version}-"
    found = [p for p in wheels.glob("*.whl") if p.name.lower().startswith(stem.lower())]
    if not found:
        progress(f"downloading {entry.package}=={entry.version}")
        _pip("download", "--no-deps", "--only-binary=:all:", "-d", str(wheels),
             f"{entry.package}=={entry.version}")
        found = [p for p in wheels.glob("*.whl") if p.name.lower().startswith(stem.lower())]
    with zipfile.ZipFile(found[0]) as whl:
        whl.extractall(dest)
    (dest / ".complete").write_text("")
    return dest


# ---- the Alembic project around an extracted history

# Offline only; each migration in its own transaction, as sqlbundle frames its steps, so that a
# failing step leaves the ones before it committed. The SQL goes to its own file, so that what
# migrations print or log on stdout (airflow prints batch numbers) does not land in it.
ENV = '''import os

from alembic import context

config = context.config
with open(os.environ["CORPUS_SQL_OUT"], "w", encoding="utf-8") as out:
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
                      target_metadata=None, version_table="alembic_version",
                      render_as_batch={batch}, transaction_per_migration=True,
                      dialect_opts={{"paramstyle": "named"}}, output_buffer=out)
    with context.begin_transaction():
        context.run_migrations()
'''

INI = """[alembic]
script_location = %(here)s/migrations
version_locations = {versions}
path_separator = os
sqlalchemy.url = {url}
"""


@dataclass(frozen=True)
class Workdir:
    """One entry × dialect: an alembic.ini and env.py of ours over the extracted versions."""

    entry: Entry
    dialect: str
    path: Path
    pythonpath: Path

    def _run(self, argv: list[str], **extra: str) -> subprocess.CompletedProcess:
        paths = os.pathsep.join(str(self.pythonpath / p) for p in self.entry.pythonpath)
        env = {**os.environ, **dict(self.entry.env),
               **dict(dict(self.entry.dialect_env).get(self.dialect, ())), **extra,
               "PYTHONPATH": paths, "PYTHONHASHSEED": "0",
               "PYTHONDONTWRITEBYTECODE": "1"}
        return subprocess.run(argv, capture_output=True, text=True, cwd=self.path, env=env,
                              timeout=TOOL_TIMEOUT, stdin=subprocess.DEVNULL)

    def alembic(self, *args: str) -> subprocess.CompletedProcess:
        """Alembic's offline SQL as stdout; what it printed (its FAILED message too) follows
        stderr."""
        out = self.path / "alembic-out.sql"
        out.unlink(missing_ok=True)
        proc = self._run([str(VENV / "bin" / "alembic"), "-c", str(self.path / "alembic.ini"),
                          *args, "--sql"], CORPUS_SQL_OUT=str(out))
        sql = out.read_text(encoding="utf-8") if out.exists() else ""
        return subprocess.CompletedProcess(proc.args, proc.returncode, sql,
                                           proc.stdout + proc.stderr)

    def sqlbundle(self, direction: str, range_text: str) -> subprocess.CompletedProcess:
        return self._run([str(VENV / "bin" / "sqlbundle"), "-C", str(self.path), direction,
                          range_text, "-d", TARGET[self.dialect]])

    def create_baseline(self, url: str) -> None:
        """The project's baseline models created on a live database (``url``), as the project
        itself does before its first migration, so that both tools start from the same schema."""
        code = ("import importlib,sys\nimport sqlalchemy as sa\n"
                "mod, _, attr = sys.argv[1].partition(':')\nobj = importlib.import_module(mod)\n"
                "for part in attr.split('.'):\n    obj = getattr(obj, part)\n"
                "eng = sa.create_engine(sys.argv[2])\nobj.create_all(eng)\neng.dispose()\n")
        proc = self._run([str(VENV / "bin" / "python"), "-c", code, self.entry.baseline, url])
        if proc.returncode:
            raise RuntimeError(f"cannot create the baseline of {self.entry.name}: "
                               f"{proc.stderr[-2000:]}")

    def plan(self) -> list[tuple[str, str]]:
        """sqlbundle's order of base:heads: (revision, file path) per step."""
        code = ("import json,sys\nfrom sqlbundle.project.model import open_project\n"
                "from sqlbundle.history.plan import plan_upgrade\n"
                "from pathlib import Path\np = open_project(Path(sys.argv[1]), use_cache=False)\n"
                "print(json.dumps([(s.revision, str(p.file_of(s.revision))) "
                "for s in plan_upgrade(p.graph, 'base:heads').steps]))\n")
        proc = self._run([str(VENV / "bin" / "python"), "-c", code, str(self.path)])
        if proc.returncode:
            raise RuntimeError(f"cannot plan {self.entry.name}: {proc.stderr[-2000:]}")
        return [tuple(x) for x in json.loads(proc.stdout)]


def workdir(entry: Entry, dialect: str) -> Workdir:
    root = wheel_root(entry)
    history = root / entry.history
    path = CACHE / "work" / f"{entry.name}-{dialect}"
    (path / "migrations").mkdir(parents=True, exist_ok=True)
    (path / "migrations" / "env.py").write_text(ENV.format(batch=entry.render_as_batch))
    (path / "migrations" / "script.py.mako").write_text("")
    (path / "alembic.ini").write_text(INI.format(versions=history / entry.versions,
                                                 url=URL[dialect]))
    # alembic.ini is read first; sqlbundle.toml beside it adds the project's own settings.
    toml = path / "sqlbundle.toml"
    if entry.sqlbundle:
        toml.write_text("".join(f"{key} = {json.dumps(value)}\n"
                                for key, value in entry.sqlbundle))
    else:
        toml.unlink(missing_ok=True)
    return Workdir(entry, dialect, path, root)


# ---- reading the tools' output

ALEMBIC_MARK = re.compile(r"^-- Running (?:upgrade|downgrade) (.*?) -> (\S*)\s*$")
SQLBUNDLE_MARK = re.compile(r"^-- (?:Upgrade|Downgrade) \d+/\d+: (\S+)")


def alembic_steps(sql: str) -> list[tuple[int, str]]:
    """(1-based line, revision) of each step marker; for a downgrade, the revision undone."""
    out = []
    for no, line in enumerate(sql.splitlines(), 1):
        m = ALEMBIC_MARK.match(line)
        if m:
            undone = "downgrade" in line.split(" ", 3)[2]
            out.append((no, m.group(1).split(",")[0].strip() if undone else m.group(2)))
    return out


def sqlbundle_steps(sql: str) -> list[tuple[int, str]]:
    return [(no, m.group(1)) for no, line in enumerate(sql.splitlines(), 1)
            if (m := SQLBUNDLE_MARK.match(line))]


def first_error(text: str) -> str:
    """The first line that reads like an error, else the last non-empty line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in lines:
        if re.search(r"\berror\b|Error:|ERROR", ln):
            return ln
    return lines[-1] if lines else ""


def traceback_summary(stderr: str) -> str:
    """The exception line of a Python traceback and the deepest frame in a migration file."""
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    frames = [ln.strip() for ln in lines if ln.strip().startswith("File ")
              and "/versions/" in ln]
    # The exception's own line ("pkg.Error: message"), not the last line of a long message.
    exc = next((ln for ln in reversed(lines) if re.match(r"[A-Za-z_][\w.]*: ", ln)),
               next((ln for ln in reversed(lines) if not ln.startswith(" ")), ""))
    return f"{exc}" + (f" [{frames[-1]}]" if frames else "")
