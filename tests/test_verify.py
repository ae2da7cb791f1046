"""verify's engine half: each sample's bundle applied upgrade -> rollback -> upgrade to a
throwaway database (a scratch server for PostgreSQL and MariaDB, a file for SQLite), read back
after each pass, and compared with the replayed schema. The throwaway database is always
dropped; an existing one is never used; a missing driver is one clear message."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

import engines
from engines import require
from sqlbundle.assemble.bundle import build_bundle
from sqlbundle.autogen.api import compare_states
from sqlbundle.compile.steps import replayed_state
from sqlbundle.errors import SqlbundleError
from sqlbundle.profile import load_profile
from sqlbundle.project.model import open_project
from sqlbundle.render.context import sa_dialect
from sqlbundle.review import scratch, verify
from sqlbundle.review.verify import verify_bundle
from sqlbundle.schema.reflected import canonical_sql

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ENGINES = ("postgresql", "mariadb", "sqlite", "duckdb")
SERVERS = {
    "postgresql": f"postgresql+psycopg2://{engines.PG_USER}@{engines.PG_HOST}:{engines.PG_PORT}"
                  "/postgres",
    "mariadb": f"mysql+pymysql://{engines.MARIADB_USER}:{engines.MARIADB_PASSWORD}"
               f"@{engines.MARIADB_HOST}:{engines.MARIADB_PORT}/",
}
def _cases() -> list:
    cases = []
    for sample in ("shop", "alembic_project", "raw_sql"):
        for name in open_project(SAMPLES / sample, use_cache=False).config.dialects:
            if name not in ENGINES:
                continue
            marks = [pytest.mark.engine]
            cases.append(pytest.param(sample, name, id=f"{sample}-{name}", marks=marks))
    # No sample lists DuckDB, but raw_sql builds for it (read back through its catalog).
    cases.append(pytest.param("raw_sql", "duckdb", id="raw_sql-duckdb",
                              marks=[pytest.mark.engine]))
    return cases


def _project_bundle(sample: str, name: str):
    project = open_project(SAMPLES / sample, use_cache=False)
    profile = load_profile(name)
    return project, profile, build_bundle(project, "base:heads", profile)


def _passes(sample: str, name: str, workdir: Path):
    require(name)
    project, profile, bundle = _project_bundle(sample, name)
    replayed = replayed_state(project, "heads", profile)
    passes = verify_bundle(bundle, profile, SERVERS.get(name), workdir, expected=replayed)
    return project, profile, replayed, passes


@pytest.mark.parametrize(("sample", "name"), _cases())
def test_round_trip_matches_the_replay(sample, name, tmp_path):
    project, profile, replayed, passes = _passes(sample, name, tmp_path)
    assert [p.name for p in passes] == ["upgrade", "rollback", "upgrade again"]
    heads = tuple(sorted(project.graph.heads))
    for result in passes:
        if result.name == "rollback":
            assert not result.state.tables, sorted(t.name for t in result.state.tables.values())
            assert result.versions == ()
            continue
        comparison = compare_states(result.state, replayed, sa_dialect(profile))
        assert comparison.empty, f"{result.name}: " + "\n".join(comparison.descriptions)
        assert result.versions == heads


def _databases(url: str, prefix: str) -> set[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    query = ("SELECT datname FROM pg_database" if engine.dialect.name == "postgresql"
             else "SELECT schema_name FROM information_schema.schemata")
    try:
        with engine.connect() as conn:
            return {row[0] for row in conn.exec_driver_sql(query) if row[0].startswith(prefix)}
    finally:
        engine.dispose()


@pytest.mark.engine
@pytest.mark.parametrize("name", ["postgresql", "mariadb"])
def test_the_scratch_database_is_dropped_also_after_a_failing_bundle(name, tmp_path,
                                                                      monkeypatch):
    require(name)
    _, profile, bundle = _project_bundle("shop", name)
    chosen = scratch.NAME_PREFIX + "failing" + tmp_path.name[-8:].lower().replace("-", "_")
    monkeypatch.setattr(scratch, "new_name", lambda: chosen)
    broken = dataclasses.replace(bundle, files={
        **bundle.files, "upgrade.sql": bundle.files["upgrade.sql"] + "\nTHIS IS NOT SQL;\n"})
    with pytest.raises(SqlbundleError) as raised:
        verify_bundle(broken, profile, SERVERS[name], tmp_path)
    message = str(raised.value)
    assert message.startswith("upgrade.sql: upgrade: ") and "THIS" in message, message
    assert chosen not in _databases(SERVERS[name], scratch.NAME_PREFIX)
    # and after a good run too
    verify_bundle(bundle, profile, SERVERS[name], tmp_path / "good")
    assert chosen not in _databases(SERVERS[name], scratch.NAME_PREFIX)


@pytest.mark.engine
@pytest.mark.parametrize("name", ["postgresql", "mariadb"])
def test_an_existing_database_is_never_used(name, tmp_path, monkeypatch):
    _, profile, bundle = _project_bundle("shop", name)
    with engines.throwaway(name, tmp_path / "existing") as existing:
        keep = sa.create_engine(existing.url, poolclass=sa.pool.NullPool)
        with keep.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE precious (id INTEGER)")
            conn.exec_driver_sql("INSERT INTO precious VALUES (1)")
        # A URL naming it...
        named = sa.engine.make_url(SERVERS[name]).set(database=existing.database)
        with pytest.raises(SqlbundleError, match="never applies a bundle to an existing"):
            verify_bundle(bundle, profile, named.render_as_string(hide_password=False),
                          tmp_path)
        # ...or a throwaway name that happens to be taken.
        monkeypatch.setattr(scratch, "new_name", lambda: existing.database)
        with pytest.raises(SqlbundleError, match="never reuses a database"):
            verify_bundle(bundle, profile, SERVERS[name], tmp_path)
        with keep.connect() as conn:
            assert conn.exec_driver_sql("SELECT id FROM precious").all() == [(1,)]
            assert sa.inspect(conn).get_table_names() == ["precious"]
        keep.dispose()


@pytest.mark.parametrize(("name", "module"), [("postgresql", "psycopg2"),
                                              ("mariadb", "pymysql")])
def test_a_missing_driver_names_the_package(name, module, tmp_path, monkeypatch):
    _, profile, bundle = _project_bundle("shop", name)
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    with pytest.raises(SqlbundleError) as raised:
        verify_bundle(bundle, profile, SERVERS[name], tmp_path)
    text = str(raised.value)
    assert repr(module) in text and "pip install 'sqlbundle[verify]'" in text, text


def test_a_server_dialect_needs_a_url(tmp_path):
    _, profile, bundle = _project_bundle("shop", "postgresql")
    with pytest.raises(SqlbundleError, match="--url"):
        verify_bundle(bundle, profile, None, tmp_path)
    with pytest.raises(SqlbundleError, match="not a PostgreSQL server"):
        verify_bundle(bundle, profile, SERVERS["mariadb"], tmp_path)


@pytest.mark.engine
def test_sqlite_without_its_client_applies_with_the_python_module(tmp_path, monkeypatch):
    real = verify.shutil.which
    monkeypatch.setattr(verify.shutil, "which",
                        lambda program: None if program == "sqlite3" else real(program))
    project, profile, bundle = _project_bundle("shop", "sqlite")
    replayed = replayed_state(project, "heads", profile)
    passes = verify_bundle(bundle, profile, None, tmp_path, expected=replayed)
    assert compare_states(passes[2].state, replayed, sa_dialect(profile)).empty
    assert not passes[1].state.tables
    assert list(tmp_path.glob("*.db")) == []  # the database file is gone
    broken = dataclasses.replace(bundle, files={**bundle.files, "rollback/rollback.sql": "x;"})
    with pytest.raises(SqlbundleError, match=r"rollback: sqlite3 stopped applying "
                                             r"rollback/rollback.sql: near \"x\""):
        verify_bundle(broken, profile, None, tmp_path)
    assert list(tmp_path.glob("*.db")) == []


@pytest.mark.parametrize(("reported", "written"), [
    ("'EUR'::character varying", "'EUR'"),
    ("(price >= (0)::numeric)", "price >= 0"),
    ("((rating >= 1) AND (rating <= 5))", "rating BETWEEN 1 AND 5"),
    ("status::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])",
     "status IN ('a', 'b')"),
    ("current_timestamp()", "CURRENT_TIMESTAMP"),
    ("0.00", "0"),
])
def test_spellings_a_database_reports_mean_what_was_written(reported, written):
    assert canonical_sql(reported) == canonical_sql(written)


@pytest.mark.parametrize(("one", "other"), [
    ("(a > 1 OR b < 2) AND c = 3", "a > 1 OR (b < 2 AND c = 3)"),
    ("status IN ('a', 'b')", "status IN ('a', 'c')"),
    ("price >= 0", "price > 0"),
])
def test_different_conditions_stay_different(one, other):
    assert canonical_sql(one) != canonical_sql(other)


# ------------------------------------------------------------------------- the command


def _cli(root: Path, *args: str):
    import os
    import subprocess

    return subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(root), *args],
                          capture_output=True, text=True,
                          env=dict(os.environ, SQLBUNDLE_NO_CACHE="1"))


def _history(root: Path, downgrade: str) -> Path:
    """r1 creates t; r2 adds a column and creates table u, undone by ``downgrade``."""
    versions = root / "versions"
    versions.mkdir(parents=True)
    (root / "sqlbundle.toml").write_text(
        'script_location = "."\nversion_locations = ["versions"]\n'
        'dialects = ["sqlite", "postgresql", "mariadb"]\n')
    head = "from sqlbundle import op\nimport sqlalchemy as sa\n\n"
    (versions / "r1.py").write_text(
        f'revision = "r1"\ndown_revision = None\n{head}def upgrade():\n'
        '    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))\n\n'
        'def downgrade():\n    op.drop_table("t")\n')
    (versions / "r2.py").write_text(
        f'revision = "r2"\ndown_revision = "r1"\n{head}def upgrade():\n'
        '    op.add_column("t", sa.Column("note", sa.String(20)))\n'
        '    op.create_table("u", sa.Column("id", sa.Integer, primary_key=True))\n\n'
        f'def downgrade():\n{downgrade}')
    return root


def test_the_command_passes_a_faithful_history_on_sqlite(tmp_path):
    root = _history(tmp_path / "p", '    op.drop_table("u")\n    op.drop_column("t", "note")\n')
    done = _cli(root, "verify", "-d", "sqlite")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        "verify: base:heads for sqlite@3.40 on an embedded SQLite file: upgrade ok, "
        "rollback ok, upgrade again ok", "no differences"]


@pytest.mark.parametrize("name", ["sqlite", "duckdb", "postgresql", "mariadb"])
def test_a_downgrade_that_does_not_undo_its_upgrade_is_found(name, tmp_path):
    if name not in ("sqlite", "duckdb"):
        require(name)
    # The downgrade forgets table u: the rollback leaves it behind, and the upgrade again
    # cannot create it.
    root = _history(tmp_path / "p", '    op.drop_column("t", "note")\n')
    url = ("--url", SERVERS[name]) if name in SERVERS else ()
    done = _cli(root, "verify", "r1:heads", "-d", name, *url)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith(": upgrade ok, rollback DIFFERS, upgrade again FAILED"), lines[0]
    assert lines[1] == "  after rollback: extra table u (in the database, not in the history)"
    assert lines[2].startswith("note: upgrade again: ") and "upgrade.sql" in lines[2]
    assert lines[-1] == "1 difference(s)"
    as_json = _cli(root, "verify", "r1:heads", "-d", name, *url, "-f", "json")
    data = __import__("json").loads(as_json.stdout)
    assert as_json.returncode == 1 and data["ok"] is False
    assert [p["ok"] for p in data["passes"]] == [True, False]
    assert data["passes"][1]["differences"] == [
        {"status": "extra", "kind": "table", "subject": "u", "details": []}]


@pytest.mark.parametrize("name", ["mariadb", "sqlite", "postgresql"])
def test_dropping_the_index_a_foreign_key_uses_keeps_the_key_served(name, tmp_path):
    """Found by verify on the bench history: MariaDB refuses to drop the last index a foreign
    key can use ("needed in a foreign key constraint"). The downgrade adds the index MariaDB
    made for the key in the same statement, as the replayed schema has it."""
    if name != "sqlite":
        require(name)
    root = tmp_path / "p"
    (root / "versions").mkdir(parents=True)
    (root / "sqlbundle.toml").write_text(
        'script_location = "."\nversion_locations = ["versions"]\n'
        'dialects = ["mariadb", "sqlite", "postgresql"]\n')
    head = "from sqlbundle import op\nimport sqlalchemy as sa\n\n"
    (root / "versions" / "r1.py").write_text(
        f'revision = "r1"\ndown_revision = None\n{head}def upgrade():\n'
        '    op.create_table("p", sa.Column("id", sa.Integer, primary_key=True))\n'
        '    op.create_table("c", sa.Column("id", sa.Integer, primary_key=True),\n'
        '                    sa.Column("p_id", sa.Integer, sa.ForeignKey("p.id")))\n\n'
        'def downgrade():\n    op.drop_table("c")\n    op.drop_table("p")\n')
    (root / "versions" / "r2.py").write_text(
        f'revision = "r2"\ndown_revision = "r1"\n{head}def upgrade():\n'
        '    op.create_index("ix_c_p_id", "c", ["p_id"])\n\n'
        'def downgrade():\n    op.drop_index("ix_c_p_id", table_name="c")\n')
    url = ("--url", SERVERS[name]) if name in SERVERS else ()
    done = _cli(root, "verify", "r1:heads", "-d", name, *url)
    assert done.returncode == 0, done.stdout + done.stderr
    sql = _cli(root, "downgrade", "heads:r1", "-d", name).stdout
    dropped = [line for line in sql.splitlines() if "ix_c_p_id" in line and
               not line.startswith("--")]
    assert dropped == ({"mariadb": ["ALTER TABLE c ADD INDEX p_id (p_id), DROP INDEX ix_c_p_id;"]}
                       .get(name) or dropped), dropped


def test_a_pass_that_cannot_be_applied_is_never_a_clean_result(tmp_path):
    # r2's downgrade drops a table that does not exist: the rollback fails on SQLite.
    root = _history(tmp_path / "p", '    op.drop_table("u")\n    op.drop_column("t", "note")\n'
                    '    op.execute("DROP TABLE nowhere")\n')
    done = _cli(root, "verify", "-d", "sqlite")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith(": upgrade ok, rollback FAILED")
    assert lines[-1] == "no differences before rollback, which could not be applied (see the note)"
    assert "nowhere" in done.stdout


def test_duckdb_drops_a_column_of_an_indexed_table_and_refuses_a_referenced_one(tmp_path):
    """Found by verify on a 1,000-revision bench history: DuckDB refuses ALTER TABLE ... DROP
    COLUMN on a table any index depends on (the indexes are dropped and made again around
    it) and on a table other tables' foreign keys refer to (an error naming file and line)."""
    root = tmp_path / "p"
    (root / "versions").mkdir(parents=True)
    (root / "sqlbundle.toml").write_text(
        'script_location = "."\nversion_locations = ["versions"]\ndialects = ["duckdb"]\n')
    head = "from sqlbundle import op\nimport sqlalchemy as sa\n\n"
    (root / "versions" / "r1.py").write_text(
        f'revision = "r1"\ndown_revision = None\n{head}def upgrade():\n'
        '    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),\n'
        '                    sa.Column("a", sa.Integer))\n'
        '    op.create_index("ix_t_a", "t", ["a"])\n\n'
        'def downgrade():\n    op.drop_index("ix_t_a", table_name="t")\n'
        '    op.drop_table("t")\n')
    (root / "versions" / "r2.py").write_text(
        f'revision = "r2"\ndown_revision = "r1"\n{head}def upgrade():\n'
        '    op.add_column("t", sa.Column("b", sa.Integer))\n\n'
        'def downgrade():\n    op.drop_column("t", "b")\n')
    done = _cli(root, "verify", "r1:heads")
    assert done.returncode == 0, done.stdout + done.stderr
    sql = [line for line in _cli(root, "downgrade", "heads:r1").stdout.splitlines()
           if line and not line.startswith(("--", "BEGIN", "COMMIT", "UPDATE", "DO", "SET"))]
    assert sql[:3] == ["DROP INDEX ix_t_a;", "ALTER TABLE t DROP COLUMN b;",
                       "CREATE INDEX ix_t_a ON t (a);"], sql
    (root / "versions" / "r3.py").write_text(
        f'revision = "r3"\ndown_revision = "r2"\n{head}def upgrade():\n'
        '    op.create_table("u", sa.Column("id", sa.Integer, primary_key=True),\n'
        '                    sa.Column("t_id", sa.Integer, sa.ForeignKey("t.id")))\n'
        '    op.drop_column("t", "b")\n\n'
        'def downgrade():\n    pass\n')
    refused = _cli(root, "upgrade", "r2:heads")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "r3.py:9: DuckDB cannot drop a column of t: foreign keys in u refer to it" in \
        refused.stderr


def test_identity_and_computed_columns_read_back_as_written(tmp_path):
    """PostgreSQL reports every identity option (bounds, cache) and STORED for a generated
    column; what the migration stated must agree, the rest is the server's."""
    import sqlalchemy as sa

    from sqlbundle.schema.reflected import _same_identity

    assert _same_identity(sa.Identity(start=5, increment=1, minvalue=1, cache=1),
                          sa.Identity(start=5))
    assert not _same_identity(sa.Identity(start=1, increment=1), sa.Identity(start=5))
    assert not _same_identity(sa.Identity(always=False), sa.Identity(always=True))
    require("postgresql")
    root = tmp_path / "p"
    (root / "versions").mkdir(parents=True)
    (root / "sqlbundle.toml").write_text(
        'script_location = "."\nversion_locations = ["versions"]\ndialects = ["postgresql"]\n')
    (root / "versions" / "r1.py").write_text(
        'revision = "r1"\ndown_revision = None\nfrom sqlbundle import op\n'
        'import sqlalchemy as sa\n\ndef upgrade():\n'
        '    op.create_table("t", sa.Column("id", sa.Integer, sa.Identity(start=5), '
        'primary_key=True),\n'
        '                    sa.Column("n", sa.BigInteger, sa.Identity(always=True)),\n'
        '                    sa.Column("g", sa.Integer, sa.Computed("id * 2", persisted=True)))\n\n'
        'def downgrade():\n    op.drop_table("t")\n')
    done = _cli(root, "verify", "--url", SERVERS["postgresql"])
    assert done.returncode == 0, done.stdout + done.stderr
