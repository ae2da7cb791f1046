"""Generate a synthetic, deterministic Alembic project for benchmarks.

    python bench/gen_project.py OUT_DIR --revisions N [--seed S] [--open-branch] [--verify]

The history is mostly linear.  Roughly every 50 revisions a branch point splits into two
short branches (2-5 revisions each) that a merge revision joins again.  Every non-merge
revision does a small, real piece of schema or data work with an exact downgrade, so the
project can be upgraded and downgraded on an empty SQLite database and rendered offline.

Branches are kept independent so either application order works: a branch only touches
tables it created or that existed at the branch point, and it only indexes, backfills or
seeds columns/tables it created itself.  Table/column/index names come from global counters,
so two branches never share a name.

A manifest (bench_project.json) records the parameters, the expected heads and the branch
structure; bench/run.py uses it to decide whether a project can be reused.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, TypeVar

# Bump when the output format changes so bench/run.py regenerates stale projects.
GENERATOR_VERSION = 1
MANIFEST_NAME = "bench_project.json"

BRANCH_EVERY = 50  # average distance between branch points
BRANCH_JITTER = 10
BRANCH_MIN, BRANCH_MAX = 2, 5
BASE_DATE = datetime(2024, 1, 1, 9, 0, 0)

T = TypeVar("T")
Work = tuple[str, list[str], list[str]]  # message, upgrade lines, downgrade lines (in upgrade order)

# Column types used by add_column: (python expression, literal used by backfills).
COLUMN_TYPES: list[tuple[str, str]] = [
    ("sa.String(40)", "'n/a'"),
    ("sa.String(40)", "'n/a'"),
    ("sa.Integer()", "0"),
    ("sa.Numeric(10, 2)", "0"),
    ("sa.Boolean()", "false"),
]


# --------------------------------------------------------------------------- schema model


@dataclass
class Schema:
    """What one line of history may still work on, at one point of that line.

    Candidate lists are in creation order (deterministic, no sorting needed).  Inside a branch
    they hold only what the branch created itself; that is what keeps sibling branches
    independent.  Only tables are shared: a branch may add columns to any visible table.
    """

    tables: list[str] = field(default_factory=list)
    index_candidates: list[tuple[str, str]] = field(default_factory=list)  # (table, column)
    backfill_candidates: list[tuple[str, str, str]] = field(default_factory=list)  # + literal
    seed_tables: list[str] = field(default_factory=list)

    def fork(self) -> Schema:
        return Schema(tables=list(self.tables))


def merge_schemas(base: Schema, branches: list[Schema]) -> Schema:
    """The schema after a merge: the branch point plus whatever each branch added."""
    merged = Schema(
        list(base.tables),
        list(base.index_candidates),
        list(base.backfill_candidates),
        list(base.seed_tables),
    )
    for branch in branches:
        merged.tables.extend(branch.tables[len(base.tables):])  # forks only ever append
        merged.index_candidates.extend(branch.index_candidates)
        merged.backfill_candidates.extend(branch.backfill_candidates)
        merged.seed_tables.extend(branch.seed_tables)
    return merged


# --------------------------------------------------------------------------- revisions


@dataclass
class Revision:
    index: int
    rev: str
    down: str | tuple[str, ...] | None
    message: str
    upgrade: list[str]
    downgrade: list[str]


class Generator:
    def __init__(self, revisions: int, seed: int, open_branch: bool) -> None:
        self.total = revisions
        self.seed = seed
        self.rng = random.Random(seed)
        self.open_branch = open_branch
        self.used_ids: set[str] = set()
        self.revisions: list[Revision] = []
        self.branches: list[dict[str, object]] = []
        self.next_table = 1
        self.next_column = 1
        self.next_seed = 1

    # -- ids and names

    def new_rev_id(self) -> str:
        while True:
            rev = f"{self.rng.getrandbits(48):012x}"
            # All-digit ids would be parsed as integers by some tools; skip the (rare) case.
            if rev not in self.used_ids and not rev.isdigit():
                self.used_ids.add(rev)
                return rev

    def new_table_name(self) -> str:
        name = f"t_{self.next_table}"
        self.next_table += 1
        return name

    def new_column_name(self) -> str:
        name = f"c_{self.next_column}"
        self.next_column += 1
        return name

    # -- operations: each does one piece of work on `schema` or returns None if it can't

    def take(self, candidates: list[T]) -> T | None:
        """Remove and return a random candidate (each column is indexed/backfilled once)."""
        if not candidates:
            return None
        return candidates.pop(self.rng.randrange(len(candidates)))

    def op_create_table(self, schema: Schema) -> Work:
        table = self.new_table_name()
        body = [
            "op.create_table(",
            f"    {table!r},",
            "    sa.Column('id', sa.Integer(), primary_key=True),",
            "    sa.Column('name', sa.String(50), nullable=False),",
            "    sa.Column('created_at', sa.DateTime(), nullable=True),",
        ]
        indexable = ["name", "created_at"]
        # Some tables reference an existing one, to exercise foreign keys.
        if schema.tables and self.rng.random() < 0.4:
            parent = self.rng.choice(schema.tables)
            body.append(
                f"    sa.Column('parent_id', sa.Integer(), sa.ForeignKey('{parent}.id'), nullable=True),"
            )
            indexable.append("parent_id")
        body.append(")")
        schema.tables.append(table)
        schema.index_candidates.extend((table, c) for c in indexable)
        schema.seed_tables.append(table)
        return f"create table {table}", body, [f"op.drop_table({table!r})"]

    def op_add_column(self, schema: Schema) -> Work:
        table = self.rng.choice(schema.tables)
        column = self.new_column_name()
        type_expr, literal = self.rng.choice(COLUMN_TYPES)
        schema.index_candidates.append((table, column))
        # Added columns start out NULL, so resetting them to NULL is an exact undo of a backfill.
        schema.backfill_candidates.append((table, column, literal))
        up = [f"op.add_column({table!r}, sa.Column({column!r}, {type_expr}, nullable=True))"]
        return f"add {column} to {table}", up, [f"op.drop_column({table!r}, {column!r})"]

    def op_create_index(self, schema: Schema) -> Work | None:
        picked = self.take(schema.index_candidates)
        if picked is None:
            return None
        table, column = picked
        index = f"ix_{table}_{column}"
        up = [f"op.create_index({index!r}, {table!r}, [{column!r}])"]
        return f"index {table} {column}", up, [f"op.drop_index({index!r}, table_name={table!r})"]

    def op_backfill(self, schema: Schema) -> Work | None:
        picked = self.take(schema.backfill_candidates)
        if picked is None:
            return None
        table, column, literal = picked
        up = [f'op.execute("UPDATE {table} SET {column} = {literal} WHERE {column} IS NULL")']
        down = [f'op.execute("UPDATE {table} SET {column} = NULL")']
        return f"backfill {table} {column}", up, down

    def op_seed_rows(self, schema: Schema) -> Work | None:
        if not schema.seed_tables:
            return None
        table = self.rng.choice(schema.seed_tables)
        tag = f"seed-{self.next_seed}"
        self.next_seed += 1
        up = [f"op.execute(\"INSERT INTO {table} (name) VALUES ('{tag}-a'), ('{tag}-b')\")"]
        down = [f"op.execute(\"DELETE FROM {table} WHERE name LIKE '{tag}-%'\")"]
        return f"seed {table} rows", up, down

    def schema_work(self, schema: Schema) -> Work:
        if not schema.tables:
            return self.op_create_table(schema)
        ops: list[Callable[[Schema], Work | None]] = [
            self.op_create_table, self.op_add_column, self.op_create_index, self.op_backfill, self.op_seed_rows,
        ]
        weights = [20, 45, 20, 8, 7]
        while True:  # terminates: create_table and add_column always apply
            result = self.rng.choices(ops, weights=weights)[0](schema)
            if result is not None:
                return result

    # -- history

    def emit(self, down: str | tuple[str, ...] | None, work: Work) -> str:
        message, up, dn = work
        rev = Revision(len(self.revisions), self.new_rev_id(), down, message, up, dn)
        self.revisions.append(rev)
        return rev.rev

    def build(self) -> list[Revision]:
        schema = Schema()
        head: str | None = None
        # An open trailing pair is rolled up front so the history ends exactly at N.
        tail = self.roll_lengths() if self.open_branch else None
        body_total = self.total - (sum(tail) if tail else 0)
        if body_total < 1:
            needed = self.total - body_total + 1
            raise ValueError(f"--open-branch with --seed {self.seed} needs at least {needed} revisions")

        next_branch = self.next_branch_at()
        while len(self.revisions) < body_total:
            lengths = self.roll_lengths()
            fits = len(self.revisions) + sum(lengths) + 1 <= body_total  # + 1 for the merge
            if head is not None and len(self.revisions) >= next_branch and fits:
                head, schema = self.build_branches(head, schema, lengths, merge=True)
                next_branch = self.next_branch_at()
            else:
                head = self.emit(head, self.schema_work(schema))
        if tail:
            assert head is not None
            self.build_branches(head, schema, tail, merge=False)
        return self.revisions

    def roll_lengths(self) -> tuple[int, int]:
        return self.rng.randint(BRANCH_MIN, BRANCH_MAX), self.rng.randint(BRANCH_MIN, BRANCH_MAX)

    def next_branch_at(self) -> int:
        return len(self.revisions) + BRANCH_EVERY + self.rng.randint(-BRANCH_JITTER, BRANCH_JITTER)

    def build_branches(
        self, branch_point: str, base: Schema, lengths: tuple[int, int], merge: bool
    ) -> tuple[str, Schema]:
        tips: list[str] = []
        forks: list[Schema] = []
        for length in lengths:
            fork = base.fork()
            tip = branch_point
            for _ in range(length):
                tip = self.emit(tip, self.schema_work(fork))
            tips.append(tip)
            forks.append(fork)
        merged = merge_schemas(base, forks)
        record: dict[str, object] = {"branch_point": branch_point, "tips": tips, "merge": None}
        self.branches.append(record)
        if not merge:
            return tips[0], merged
        merge_rev = self.emit(tuple(tips), (f"merge {tips[0]} and {tips[1]}", [], []))
        record["merge"] = merge_rev
        return merge_rev, merged

    def heads(self) -> list[str]:
        parents: set[str] = set()
        for rev in self.revisions:
            if isinstance(rev.down, tuple):
                parents.update(rev.down)
            elif rev.down is not None:
                parents.add(rev.down)
        return sorted(r.rev for r in self.revisions if r.rev not in parents)


# --------------------------------------------------------------------------- rendering


def slugify(message: str) -> str:
    # Same idea as Alembic's default: words joined by "_", truncated to 40 characters.
    words = re.sub(r"\W", " ", message).lower().split()
    slug = "_".join(words)
    return slug[:40].rstrip("_")


def render_revision(rev: Revision) -> str:
    if isinstance(rev.down, tuple):
        revises = ", ".join(rev.down)
    else:
        revises = rev.down or ""
    created = BASE_DATE + timedelta(hours=rev.index)
    up = rev.upgrade or ["pass"]
    down = list(reversed(rev.downgrade)) or ["pass"]
    return (
        f'"""{rev.message}\n\n'
        f"Revision ID: {rev.rev}\n"
        f"Revises: {revises}\n"
        f"Create Date: {created:%Y-%m-%d %H:%M:%S}\n"
        '\n"""\n'
        "from typing import Sequence, Union\n\n"
        "from alembic import op\n"
        "import sqlalchemy as sa\n\n\n"
        "# revision identifiers, used by Alembic.\n"
        f"revision: str = {rev.rev!r}\n"
        f"down_revision: Union[str, Sequence[str], None] = {rev.down!r}\n"
        "branch_labels: Union[str, Sequence[str], None] = None\n"
        "depends_on: Union[str, Sequence[str], None] = None\n\n\n"
        "def upgrade() -> None:\n"
        '    """Upgrade schema."""\n'
        + "".join(f"    {line}\n" for line in up)
        + "\n\n"
        "def downgrade() -> None:\n"
        '    """Downgrade schema."""\n'
        + "".join(f"    {line}\n" for line in down)
    )


ALEMBIC_INI = """\
# Synthetic benchmark project written by bench/gen_project.py.

[alembic]
script_location = %(here)s/migrations
file_template = %%(rev)s_%%(slug)s
path_separator = os
sqlalchemy.url = sqlite:///bench.db

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
"""

ENV_PY = '''\
from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = None


def run_migrations_offline() -> None:
    """Run migrations in 'offline' mode: emit SQL without a database."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations in 'online' mode against a live connection."""
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
        )

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

SCRIPT_MAKO = '''\
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = ${repr(up_revision)}
down_revision: Union[str, Sequence[str], None] = ${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = ${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = ${repr(depends_on)}


def upgrade() -> None:
    """Upgrade schema."""
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    """Downgrade schema."""
    ${downgrades if downgrades else "pass"}
'''


def manifest_for(revisions: int, seed: int, open_branch: bool) -> dict[str, object]:
    """The parameters part of the manifest; run.py compares it to decide on reuse."""
    return {
        "generator_version": GENERATOR_VERSION,
        "revisions": revisions,
        "seed": seed,
        "open_branch": open_branch,
    }


def read_manifest(out_dir: Path) -> dict[str, object] | None:
    try:
        return json.loads((out_dir / MANIFEST_NAME).read_text())
    except (OSError, ValueError):
        return None


def generate(out_dir: Path, revisions: int, seed: int = 0, open_branch: bool = False) -> dict[str, object]:
    """Write the project into out_dir (replacing generated parts) and return its manifest."""
    if revisions < 1:
        raise ValueError("--revisions must be at least 1")
    gen = Generator(revisions, seed, open_branch)
    revs = gen.build()

    migrations = out_dir / "migrations"
    versions = migrations / "versions"
    # Start clean so a smaller N never leaves stale revision files (or caches) behind.
    for stale in (migrations, out_dir / ".sqlbundle-cache", out_dir / "bench.db"):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    versions.mkdir(parents=True)

    (out_dir / "alembic.ini").write_text(ALEMBIC_INI)
    (migrations / "env.py").write_text(ENV_PY)
    (migrations / "script.py.mako").write_text(SCRIPT_MAKO)
    for rev in revs:
        (versions / f"{rev.rev}_{slugify(rev.message)}.py").write_text(render_revision(rev))

    manifest = manifest_for(revisions, seed, open_branch) | {
        "heads": gen.heads(),
        "branches": gen.branches,
        "tables": gen.next_table - 1,
    }
    # Written last: its presence means the project is complete.
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


# --------------------------------------------------------------------------- verification


def verify(out_dir: Path, manifest: dict[str, object], alembic: str) -> None:
    """Apply the project with real Alembic on SQLite, both branch orders, and render offline."""

    def run(*args: str) -> None:
        print("  $ alembic", " ".join(args), flush=True)
        proc = subprocess.run([alembic, *args], cwd=out_dir, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-5000:] + proc.stderr[-5000:])
            raise SystemExit(f"alembic {' '.join(args)} failed with exit code {proc.returncode}")

    db = out_dir / "bench.db"
    db.unlink(missing_ok=True)
    run("upgrade", "heads")
    run("downgrade", "base")
    # Apply each branch pair in the opposite order: second tip first, then the rest.
    for branch in manifest["branches"]:  # type: ignore[union-attr]
        tips = branch["tips"]  # type: ignore[index]
        run("upgrade", tips[1])
        run("upgrade", tips[0])
    run("upgrade", "heads")
    run("downgrade", "base")
    run("upgrade", "base:heads", "--sql")
    db.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--revisions", "-n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--open-branch", action="store_true",
                        help="leave the last branch pair unmerged (two heads)")
    parser.add_argument("--verify", action="store_true",
                        help="upgrade/downgrade with the alembic next to this interpreter")
    args = parser.parse_args(argv)

    args.out_dir.mkdir(parents=True, exist_ok=True)
    try:
        manifest = generate(args.out_dir, args.revisions, args.seed, args.open_branch)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"wrote {args.revisions} revisions, {manifest['tables']} tables, "
          f"{len(manifest['branches'])} branch pairs to {args.out_dir}; heads: {' '.join(manifest['heads'])}")  # type: ignore[arg-type]
    if args.verify:
        alembic = str(Path(sys.executable).with_name("alembic"))
        verify(args.out_dir, manifest, alembic)
        print("verified with alembic: upgrade/downgrade in both branch orders, offline --sql")
    return 0


if __name__ == "__main__":
    sys.exit(main())
