"""The lock report: per statement, the lock it takes (PostgreSQL) or the algorithm the server
uses (MySQL/MariaDB), on which tables, whether each existed before the step, and whether the
statement reads or rewrites every row. MariaDB's algorithms are proven on the server: with
``algorithm_clauses`` each ALTER TABLE asks for the predicted algorithm and succeeds, and no
more efficient algorithm (or weaker lock) is accepted."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from engines import throwaway
from sqlbundle.assemble.bundle import build_bundle
from sqlbundle.assemble.writer import write_bundle
from sqlbundle.compile.steps import compile_range
from sqlbundle.project.model import open_project
from sqlbundle.render.sqlkinds import classify

HEADER = '''"""{message}"""
from alembic import op
import sqlalchemy as sa

revision = {rev!r}
down_revision = {down!r}


def upgrade():
{body}


def downgrade():
    pass
'''

BASE = """
op.create_table('p', sa.Column('id', sa.Integer, primary_key=True),
                sa.Column('a', sa.Integer), sa.Column('b', sa.String(50)),
                sa.Column('n', sa.Integer, nullable=True),
                sa.Column('c', sa.Integer, nullable=False, server_default='1'))
op.create_table('q', sa.Column('id', sa.Integer, primary_key=True), sa.Column('pid', sa.Integer))
op.execute("INSERT INTO p (id, a, b, n, c) VALUES (1, 1, 'x', 1, 1)")
op.execute("INSERT INTO q (id, pid) VALUES (1, 1)")
"""


def project(root: Path, *bodies: str, clauses: bool = False):
    """A chain of migrations: the base tables, then one body each."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sqlbundle.toml").write_text(
        'version_locations = ["versions"]\n' + ("algorithm_clauses = true\n" if clauses else ""))
    (root / "versions").mkdir(exist_ok=True)
    down = None
    for i, body in enumerate((BASE, *bodies)):
        rev = f"r{i:04d}"
        text = textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
        (root / "versions" / f"{rev}_m.py").write_text(
            HEADER.format(message=f"step {i}", rev=rev, down=down, body=text))
        down = rev
    return open_project(root, use_cache=False)


def last_locks(tmp_path, body: str, target: str = "postgresql"):
    plan = compile_range(project(tmp_path / "p", body), "base:heads", target)
    return plan.steps[-1].locks, plan.profile.title


POSTGRESQL = [
    ("op.add_column('p', sa.Column('d', sa.Integer))", "postgresql",
     "ACCESS EXCLUSIVE on p (existing); changes the catalog only", False),
    ("op.add_column('p', sa.Column('d', sa.Integer, nullable=False, server_default='0'))",
     "postgresql@11", "ACCESS EXCLUSIVE on p (existing); changes the catalog only", False),
    ("op.add_column('p', sa.Column('d', sa.Integer, nullable=False, server_default='0'))",
     "postgresql@10", "ACCESS EXCLUSIVE on p (existing); rewrites the table and its indexes",
     True),
    ("op.add_column('p', sa.Column('u', sa.Uuid, server_default=sa.text('gen_random_uuid()')))",
     "postgresql", "rewrites the table and its indexes", True),
    ("op.add_column('p', sa.Column('g', sa.Integer, sa.Computed('a + 1')))", "postgresql",
     "rewrites the table and its indexes", True),
    ("op.add_column('p', sa.Column('s', sa.Integer, sa.Identity()))", "postgresql",
     "rewrites the table and its indexes", True),
    ("op.alter_column('p', 'a', type_=sa.BigInteger)", "postgresql",
     "ACCESS EXCLUSIVE on p (existing); rewrites the table and its indexes", True),
    ("op.alter_column('p', 'b', type_=sa.String(100))", "postgresql",
     "ACCESS EXCLUSIVE on p (existing); changes the catalog only", False),
    ("op.alter_column('p', 'n', nullable=False)", "postgresql",
     "ACCESS EXCLUSIVE on p (existing); reads every row to check it", True),
    ("op.create_index('ix_p_a', 'p', ['a'])", "postgresql",
     "SHARE on p (existing); builds an index, reading every row", True),
    ("op.create_index('ix_p_a', 'p', ['a'], postgresql_concurrently=True)", "postgresql",
     "SHARE UPDATE EXCLUSIVE on p (existing); builds an index, reading every row; writes "
     "continue", True),
    ("op.create_foreign_key('fk_q_p', 'q', 'p', ['pid'], ['id'])", "postgresql",
     "SHARE ROW EXCLUSIVE on q (existing); SHARE ROW EXCLUSIVE on p (existing); reads every row",
     True),
    ("op.create_unique_constraint('uq_p_c', 'p', ['c'])", "postgresql",
     "ACCESS EXCLUSIVE on p (existing); builds an index", True),
    ("op.alter_column('p', 'a', server_default='3')", "postgresql",
     "ACCESS EXCLUSIVE on p (existing); changes the catalog only", False),
    ("op.rename_table('q', 'q2')", "postgresql",
     "ACCESS EXCLUSIVE on q (existing); changes the catalog only", False),
    ("op.drop_table('q')", "postgresql", "ACCESS EXCLUSIVE on q (existing)", False),
    ("op.drop_column('p', 'n')", "postgresql",
     "ACCESS EXCLUSIVE on p (existing); changes the catalog only", False),
    ("op.alter_column('p', 'n', new_column_name='m')", "postgresql",
     "ACCESS EXCLUSIVE on p (existing); changes the catalog only", False),
    ("op.alter_column('p', 'a', comment='the a')", "postgresql",
     "SHARE UPDATE EXCLUSIVE on p (existing); changes the catalog only", False),
    ("op.create_table_comment('p', 'the p')", "postgresql",
     "SHARE UPDATE EXCLUSIVE on p (existing); changes the catalog only", False),
    ("op.create_check_constraint('ck_p_c', 'p', 'c > 0')", "postgresql",
     "ACCESS EXCLUSIVE on p (existing); reads every row to check it", True),
    ("op.create_index('ix_p_b', 'p', ['b'])\nop.drop_index('ix_p_b')", "postgresql",
     "DROP INDEX ix_p_b: ACCESS EXCLUSIVE on p (existing); changes the catalog only", True),
    ("op.execute('VACUUM p')", "postgresql", "not described for PostgreSQL", False),
    ("op.execute(\"CREATE TYPE mood AS ENUM ('a')\")", "postgresql", "locks no table", False),
    ("op.create_table('r', sa.Column('id', sa.Integer, primary_key=True),\n"
     "                sa.Column('pid', sa.Integer, sa.ForeignKey('p.id')))\n"
     "op.create_index('ix_r_pid', 'r', ['pid'])", "postgresql",
     "ix_r_pid ON r (pid): r new in this step, nothing waits", False),
    ("op.add_column('p', sa.Column('d', sa.Integer))", "mysql@8.0",
     "ALGORITHM=INSTANT, LOCK=NONE on p (existing); changes the catalog only", False),
    ("op.add_column('p', sa.Column('d', sa.Integer))", "mysql@5.7",
     "ALGORITHM=INPLACE, LOCK=NONE on p (existing); rebuilds the table in place; writes "
     "continue", True),
    ("op.alter_column('p', 'a', type_=sa.BigInteger)", "mysql",
     "ALGORITHM=COPY, LOCK=SHARED on p (existing); copies the table", True),
    ("op.add_column('p', sa.Column('d', sa.Integer))", "sqlite", None, False),
]


@pytest.mark.parametrize("body, target, expected, slow", POSTGRESQL)
def test_report(tmp_path, body, target, expected, slow):
    locks, title = last_locks(tmp_path, body, target)
    if expected is None:
        assert locks == ()  # SQLite: nothing described, nothing claimed
        return
    texts = [lock.text(title) for lock in locks]
    assert any(expected in text for text in texts), texts
    assert any(lock.slow for lock in locks) == slow, texts


def test_classify_reads_each_clause():
    kinds, key = classify('ALTER TABLE "S"."T" ADD COLUMN x INT, ALTER COLUMN y SET NOT NULL, '
                          "ADD CONSTRAINT c CHECK (x > 0) NOT VALID")
    assert [k for k, _ in kinds] == ["add_column", "set_not_null", "add_check_not_valid"]
    assert key == ("S", "T")
    assert classify("DROP INDEX CONCURRENTLY ix")[0][0][0] == "drop_index_concurrently"
    assert classify("SELECT 1") == ([], None)


def test_in_step_headers_manifest_and_readme(tmp_path):
    proj = project(tmp_path / "p", "op.alter_column('p', 'n', nullable=False)")
    bundle = build_bundle(proj, "base:heads", "postgresql")
    step = bundle.files["0002_r0001_step_1.sql"]
    assert "-- lock:     ALTER TABLE p ALTER COLUMN n SET NOT NULL: ACCESS EXCLUSIVE on p " \
           "(existing); reads every row to check it\n" in step
    readme = bundle.files["README.md"]
    assert "## Locks on existing tables" in readme
    assert "- `0002_r0001_step_1.sql`: **slow** ALTER TABLE p ALTER COLUMN n SET NOT NULL" in readme
    assert bundle.manifest["steps"][1]["locks"] == [
        "ALTER TABLE p ALTER COLUMN n SET NOT NULL: ACCESS EXCLUSIVE on p (existing); reads "
        "every row to check it"]
    # A SQLite bundle claims nothing.
    assert "## Locks" not in build_bundle(proj, "base:heads", "sqlite").files["README.md"]


def test_algorithm_clauses_only_where_the_server_can_avoid_a_copy(tmp_path):
    proj = project(tmp_path / "p", "op.add_column('p', sa.Column('d', sa.Integer))",
                   "op.alter_column('p', 'a', type_=sa.BigInteger)",
                   "op.create_index('ix_p_b', 'p', ['b'])", clauses=True)
    steps = compile_range(proj, "base:heads", "mariadb").steps
    assert [s.sql for s in steps[1].statements] == [
        "ALTER TABLE p ADD COLUMN d INTEGER, ALGORITHM=INSTANT, LOCK=NONE"]
    assert "ALGORITHM" not in steps[2].statements[0].sql  # a copy: nothing to ask for
    assert "ALGORITHM" not in steps[3].statements[0].sql  # CREATE INDEX as written
    assert all("ALGORITHM" not in s.sql for s in steps[0].statements)  # new tables
    plain = replace(proj, config=replace(proj.config, algorithm_clauses=False))
    assert "ALGORITHM" not in compile_range(plain, "base:heads", "mariadb").steps[1] \
        .statements[0].sql


# One operation per step, each on a table that exists: every kind MariaDB's report names.
MARIADB_STEPS = [
    "op.add_column('p', sa.Column('d', sa.Integer))",
    "op.alter_column('p', 'n', nullable=False, existing_type=sa.Integer)",
    "op.add_column('p', sa.Column('g', sa.Integer, sa.Computed('a + 1', persisted=True)))",
    # With a STORED generated column MariaDB copies the table for SET NOT NULL, not for
    # DROP NOT NULL.
    "op.alter_column('p', 'c', nullable=True, existing_type=sa.Integer, "
    "existing_server_default='1')",
    "op.alter_column('p', 'c', nullable=False, existing_type=sa.Integer, "
    "existing_server_default='1')",
    "op.drop_column('p', 'd')",
    "op.alter_column('p', 'n', new_column_name='n2', existing_type=sa.Integer)",
    "op.alter_column('p', 'a', type_=sa.BigInteger)",
    "op.alter_column('p', 'b', type_=sa.String(60))",
    "op.alter_column('p', 'c', server_default='5')",
    "op.create_index('ix_p_a', 'p', ['a'])",
    "op.create_foreign_key('fk_q_p', 'q', 'p', ['pid'], ['id'])",
    "op.create_check_constraint('ck_p_c', 'p', 'c > 0')",
    "op.create_unique_constraint('uq_p_c', 'p', ['c'])",
    "op.drop_constraint('ck_p_c', 'p', type_='check')",
    "op.alter_column('p', 'b', comment='the b', existing_type=sa.String(60))",
    "op.rename_table('q', 'q2')",
    "op.drop_index('ix_p_a', table_name='p')",
]
BETTER = {"COPY": ["INPLACE", "NOCOPY", "INSTANT"], "INPLACE": ["NOCOPY", "INSTANT"],
          "NOCOPY": ["INSTANT"], "INSTANT": []}


@pytest.mark.engine
def test_mariadb_uses_the_reported_algorithm_and_no_better(tmp_path):
    proj = project(tmp_path / "p", *MARIADB_STEPS, clauses=True)
    plain = compile_range(replace(proj, config=replace(proj.config, algorithm_clauses=False)),
                          "base:heads", "mariadb").steps
    bundle = build_bundle(proj, "base:heads", "mariadb")
    folder = write_bundle(bundle, tmp_path / "out")
    files = sorted(name for name in bundle.files if name[:4].isdigit())
    seen = set()
    with throwaway("mariadb", tmp_path / "db") as db:
        for name, step in zip(files, plain):
            for lock in step.locks:
                sql = step.statements[lock.index].sql
                if not lock.algorithm or not sql.startswith("ALTER TABLE"):
                    continue
                seen.add(lock.algorithm)
                for better in BETTER[lock.algorithm]:
                    refused = db.apply(f"{sql}, ALGORITHM={better};\n", expect_error=True)
                    assert "not supported" in refused.stderr, (sql, better, refused.stderr)
                if lock.lock_clause != "NONE":
                    refused = db.apply(f"{sql}, ALGORITHM={lock.algorithm}, LOCK=NONE;\n",
                                       expect_error=True)
                    assert "not supported" in refused.stderr, (sql, refused.stderr)
            db.apply(folder / name)  # with the clauses: the server accepts each
        assert db.version_rows() == [f"r{len(MARIADB_STEPS):04d}"]
    assert seen == {"INSTANT", "INPLACE", "COPY", "NOCOPY"}


# ---------------------------------------------------------------------------- lint rules


def codes(tmp_path, *bodies, target="postgresql"):
    from sqlbundle.lint.api import lint_project

    report = lint_project(project(tmp_path / "p", *bodies), "base:heads", target)
    return [(f.code, f.revision, f.message) for f in report.findings]


def test_sbl017_a_column_filling_every_row_of_an_existing_table(tmp_path):
    found = codes(tmp_path, "op.add_column('p', sa.Column('u', sa.Uuid, "
                            "server_default=sa.text('gen_random_uuid()')))",
                  "op.add_column('p', sa.Column('d', sa.Integer, server_default='0'))")
    hits = [f for f in found if f[0] == "SBL017"]
    assert [f[1] for f in hits] == ["r0001"]  # a constant default changes no rows
    assert "existing table p: rewrites the table" in hits[0][2]
    # A new table's column fills nothing; MariaDB's stored generated column copies the table.
    assert not [f for f in codes(tmp_path / "n", "op.create_table('r', sa.Column("
                                 "'id', sa.Integer, sa.Identity(), primary_key=True))")
                if f[0] == "SBL017"]
    maria = codes(tmp_path / "m", "op.add_column('p', sa.Column('g', sa.Integer, "
                                  "sa.Computed('a + 1', persisted=True)))", target="mariadb")
    assert [f[1] for f in maria if f[0] == "SBL017"] == ["r0001"]


def test_sbl018_a_foreign_key_without_an_index(tmp_path):
    fk = "op.create_foreign_key('fk_q_p', 'q', 'p', ['pid'], ['id'])"
    found = codes(tmp_path, fk)
    assert ("SBL018", "r0001", "foreign key fk_q_p on q(pid): no index starts with its "
            "columns") in found
    indexed = codes(tmp_path / "i", f"op.create_index('ix_q_pid', 'q', ['pid'])\n{fk}")
    assert not [f for f in indexed if f[0] == "SBL018"]  # an index in the same step will do
    # InnoDB indexes the key itself.
    assert not [f for f in codes(tmp_path / "m", fk, target="mariadb") if f[0] == "SBL018"]


def test_sbl019_a_slow_statement_under_the_strongest_lock(tmp_path):
    found = codes(tmp_path, "op.add_column('p', sa.Column('d', sa.Integer))\n"
                            "op.alter_column('p', 'n', nullable=False)",
                  "op.alter_column('p', 'n', nullable=True)",
                  "op.alter_column('p', 'n', nullable=False)")
    hits = [f for f in found if f[0] == "SBL019"]
    assert [f[1] for f in hits] == ["r0001"]  # alone in its step, the scan holds no other lock
    assert "holds ACCESS EXCLUSIVE on p" in hits[0][2]
    # The concurrent index build leaves the transaction: nothing is held across it.
    apart = codes(tmp_path / "c", "op.add_column('p', sa.Column('d', sa.Integer))\n"
                                  "with op.get_context().autocommit_block():\n"
                                  "    op.create_index('ix_p_a', 'p', ['a'], "
                                  "postgresql_concurrently=True)")
    assert not [f for f in apart if f[0] == "SBL019"]
    assert not [f for f in codes(tmp_path / "m", "op.add_column('p', sa.Column('d', "
                                 "sa.Integer))\nop.alter_column('p', 'n', nullable=False, "
                                 "existing_type=sa.Integer)", target="mariadb")
                if f[0] == "SBL019"]  # each DDL statement commits on its own


def test_sbl018_a_rename_adds_no_key(tmp_path):
    found = codes(tmp_path, "op.create_index('ix_q_pid', 'q', ['pid'])\n"
                            "op.create_foreign_key('fk_q_p', 'q', 'p', ['pid'], ['id'])",
                  "op.rename_table('p', 'p2')", "op.drop_index('ix_q_pid', table_name='q')")
    assert [f[1] for f in found if f[0] == "SBL018"] == ["r0003"]  # only the dropped index


# ---------------------------------------------------------------------------- PostgreSQL


@pytest.mark.engine
def test_postgresql_takes_the_reported_lock(tmp_path):
    """Each case's statements run inside a transaction on the server; pg_locks then shows the
    strongest lock this session holds on each table the report names, and it is the level
    the report gives (CONCURRENTLY cannot run in a transaction: left out)."""
    from sqlbundle.assemble.framing import render_script

    cases = [(body, target) for body, target, _, _ in POSTGRESQL
             if target.startswith("postgresql") and "concurrently" not in body]
    base = compile_range(project(tmp_path / "base"), "base:heads", "postgresql")
    checked = 0
    with throwaway("postgresql", tmp_path / "db") as db, db.connect() as con:
        db.apply(render_script(base))
        cur = con.cursor()
        for n, (body, target) in enumerate(cases):
            plan = compile_range(project(tmp_path / f"c{n}", body), "base:heads", target)
            step = plan.steps[-1]
            for lock in step.locks:
                if not lock.tables:
                    continue
                cur.execute("BEGIN")
                oids = {}
                for table in lock.tables:  # before a drop or rename takes the name away
                    if table.existed and table.lock:
                        cur.execute("SELECT %s::regclass::oid", (table.table,))
                        oids[table.table] = cur.fetchone()[0]
                for statement in step.statements[: lock.index + 1]:
                    cur.execute(statement.sql)
                for table in lock.tables:
                    if table.table not in oids:
                        continue
                    cur.execute("SELECT mode FROM pg_locks WHERE locktype = 'relation' AND "
                                "pid = pg_backend_pid() AND relation = %s",
                                (oids[table.table],))
                    held = {row[0] for row in cur.fetchall()}
                    want = table.lock.title().replace(" ", "") + "Lock"
                    levels = [level.title().replace(" ", "") + "Lock"
                              for level in plan.profile.lock_levels]
                    strongest = max(held, key=levels.index)
                    assert strongest == want, (lock.label, table.table, held)
                    checked += 1
                cur.execute("ROLLBACK")
    assert checked >= 12
