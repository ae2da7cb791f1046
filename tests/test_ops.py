"""The op API end to end: migration files → recorded operations → SQL per dialect.

Two styles:

* pure: a tiny project is written into ``tmp_path`` (``sqlbundle.toml`` + ``versions/*.py``),
  compiled with ``compile_range(project, "base:heads", dialect, "upgrade")`` and the exact
  statements of the last step (the one under test) are compared;
* engine: the rendered script (``render_script``) is applied with the real client on
  PostgreSQL, MariaDB and SQLite (``tests/engines.py``) and the resulting schema/data checked.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engines import mariadb, pg, sqlite_db, throwaway  # noqa: F401  (fixtures)
from sqlbundle.compile.steps import compile_range
from sqlbundle.errors import ScriptError, SqlbundleError
from sqlbundle.project.model import open_project
from sqlbundle.render.context import Unsupported
from sqlbundle.assemble.framing import render_script

ALL = ("postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle")
ENGINES = ("postgresql", "mariadb", "sqlite")
# Targets matching the local servers (PostgreSQL 15, MariaDB 10.11, SQLite 3.40).
ENGINE_TARGET = {"postgresql": "postgresql@15", "mariadb": "mariadb@10.11", "sqlite": "sqlite@3.40"}

REVS = ("aaaa0001", "bbbb0002", "cccc0003", "dddd0004")

TEMPLATE = '''"""{message}

Revision ID: {rev}
Revises: {down}
"""
from {source} import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers
revision = {rev!r}
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''


# ------------------------------------------------------------------------------------ helpers


def _body(text: str) -> str:
    text = textwrap.dedent(text).strip("\n")
    return textwrap.indent(text or "pass", "    ")


def make_project(root: Path, *bodies, source: str = "alembic") -> Path:
    """Write ``sqlbundle.toml`` and one revision per body (a chain); a body is the text of
    ``upgrade()`` or a ``(upgrade, downgrade)`` pair. Returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sqlbundle.toml").write_text('version_locations = ["versions"]\n', encoding="utf-8")
    versions = root / "versions"
    versions.mkdir(exist_ok=True)
    down = None
    for i, body in enumerate(bodies):
        up, back = body if isinstance(body, tuple) else (body, "pass")
        rev = REVS[i]
        (versions / f"{rev}_m.py").write_text(TEMPLATE.format(
            message=f"step {i + 1}", rev=rev, down=down, source=source,
            upgrade=_body(up), downgrade=_body(back)), encoding="utf-8")
        down = rev
    return root


def compiled(root: Path, target: str, range_text: str = "base:heads", direction: str = "upgrade"):
    return compile_range(open_project(root, use_cache=False), range_text, target, direction)


def sqls(root: Path, target: str, *, step: int | None = -1, upto: int | None = None
         ) -> list[str]:
    """Statements of one step (default: the last, the one under test), or all (step=None);
    ``upto`` compiles only base:REVS[upto]."""
    plan = compiled(root, target, "base:heads" if upto is None else f"base:{REVS[upto]}")
    steps = plan.steps if step is None else [plan.steps[step]]
    return [s.sql for st in steps for s in st.statements]


def statements(root: Path, target: str, step: int = -1):
    return list(compiled(root, target).steps[step].statements)


def script(root: Path, target: str) -> str:
    return render_script(compiled(root, target))


def file_of(rev_index: int) -> str:
    return f"versions/{REVS[rev_index]}_m.py"


def line_of(root: Path, rev_index: int, marker: str = "# <-") -> int:
    text = (root / file_of(rev_index)).read_text(encoding="utf-8").splitlines()
    hits = [n for n, line in enumerate(text, 1) if marker in line]
    assert len(hits) == 1, hits
    return hits[0]


def step_lines(text: str, number: int) -> list[str]:
    """The non-comment lines of step ``number`` of a rendered script, without what makes a
    step that leaves its transaction run again (tests/test_rerun.py has that)."""
    part = re.split(r"^-- (?:Upgrade|Downgrade) \d+/\d+.*$", text, flags=re.M)[number]
    return [line for line in without_rerun(part).splitlines()
            if line and not line.startswith("--")]


def without_rerun(text: str) -> str:
    """``text`` without the rerun framing of assemble/segments.py: progress-table statements,
    psql's \\if blocks and the INVALID-index check, leaving the step's own SQL in order."""
    text = re.sub(r"^SELECT EXISTS \(SELECT 1 FROM pg_index .*\n\\if :sqlbundle_invalid\n.*\n"
                  r"\\endif\n", "", text, flags=re.M)
    return "\n".join(line for line in text.splitlines()
                     if not line.startswith(("\\", "SELECT EXISTS (SELECT 1 FROM "
                                             "alembic_version_progress"))
                     and "alembic_version_progress" not in line
                     and not line.startswith("-- segment "))


def table_sql(name: str, *lines: str) -> str:
    """CREATE TABLE as SQLAlchemy lays it out."""
    return f"CREATE TABLE {name} (\n\t" + ", \n\t".join(lines) + "\n)"


def expect_error(root: Path, target: str, exc_type=SqlbundleError, rev_index: int = -1,
                 marker: str = "# <-"):
    """Compiling fails with ``exc_type`` whose message starts with ``file:line:`` of the op."""
    rev_index = rev_index % len([p for p in (root / "versions").glob("*.py")])
    with pytest.raises(exc_type) as info:
        compiled(root, target)
    err = info.value
    assert isinstance(err, SqlbundleError)
    prefix = f"{file_of(rev_index)}:{line_of(root, rev_index, marker)}: "
    assert str(err).startswith(prefix), str(err)
    return err


def apply_up(db, root: Path, target: str | None = None) -> str:
    text = script(root, target or ENGINE_TARGET[db.name])
    db.apply(text)
    return text


def table_of(db, name: str) -> dict:
    return db.schema()["tables"][name]


def columns_of(db, name: str) -> dict:
    return {c["name"]: c for c in table_of(db, name)["columns"]}


def no_placeholders(text: str) -> None:
    assert not re.search(r"%\(\w+\)s|(?<![:\w]):[A-Za-z_]\w*|\?|__\[POSTCOMPILE", text), text


PARENT = """
op.create_table(
    "parent",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, unique=True),
)
"""

CHILD = """
op.create_table(
    "child",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("code", sa.String(10), unique=True),
    sa.Column("qty", sa.Integer, nullable=False, server_default="1"),
    sa.Column("status", sa.String(10), server_default=sa.text("'new'")),
    sa.Column("created", sa.DateTime, server_default=sa.func.now()),
    sa.CheckConstraint("qty > 0", name="ck_child_qty"),
    sa.UniqueConstraint("parent_id", "status", name="uq_child_parent_status"),
)
"""

_CHILD_TAIL = (
    "PRIMARY KEY (id)",
    "FOREIGN KEY(parent_id) REFERENCES parent (id) ON DELETE CASCADE",
    # Each kind in declaration order (the table-level UniqueConstraint exists before the
    # Table makes the one for unique=True), as Alembic writes them.
    "CONSTRAINT uq_child_parent_status UNIQUE (parent_id, status)",
    "UNIQUE (code)",
    "CONSTRAINT ck_child_qty CHECK (qty > 0)",
)
CHILD_SQL = {
    "postgresql": table_sql(
        "child", "id SERIAL NOT NULL", "parent_id INTEGER NOT NULL", "code VARCHAR(10)",
        "qty INTEGER DEFAULT '1' NOT NULL", "status VARCHAR(10) DEFAULT 'new'",
        "created TIMESTAMP WITHOUT TIME ZONE DEFAULT now()", *_CHILD_TAIL),
    "mysql": table_sql(
        "child", "id INTEGER NOT NULL AUTO_INCREMENT", "parent_id INTEGER NOT NULL",
        "code VARCHAR(10)", "qty INTEGER NOT NULL DEFAULT '1'", "status VARCHAR(10) DEFAULT 'new'",
        "created DATETIME DEFAULT (now())", *_CHILD_TAIL),
    "sqlite": table_sql(
        "child", "id INTEGER NOT NULL", "parent_id INTEGER NOT NULL", "code VARCHAR(10)",
        "qty INTEGER DEFAULT '1' NOT NULL", "status VARCHAR(10) DEFAULT 'new'",
        "created DATETIME DEFAULT CURRENT_TIMESTAMP", *_CHILD_TAIL),
    "mssql": table_sql(
        "child", "id INTEGER NOT NULL IDENTITY", "parent_id INTEGER NOT NULL",
        "code VARCHAR(10) NULL", "qty INTEGER NOT NULL DEFAULT '1'",
        "status VARCHAR(10) NULL DEFAULT 'new'", "created DATETIME NULL DEFAULT CURRENT_TIMESTAMP",
        *_CHILD_TAIL),
    "oracle": table_sql(
        "child", "id INTEGER GENERATED BY DEFAULT AS IDENTITY", "parent_id INTEGER NOT NULL",
        "code VARCHAR2(10 CHAR)", "qty INTEGER DEFAULT '1' NOT NULL",
        "status VARCHAR2(10 CHAR) DEFAULT 'new'", "created DATE DEFAULT CURRENT_TIMESTAMP",
        *_CHILD_TAIL),
}
CHILD_SQL["mariadb"] = CHILD_SQL["mysql"]


# ------------------------------------------------------------------------------ create_table


@pytest.mark.parametrize("dialect", ALL)
def test_create_table_with_keys_checks_indexes_and_defaults(tmp_path, dialect):
    root = make_project(tmp_path, PARENT, CHILD)
    assert sqls(root, dialect) == [CHILD_SQL[dialect],
                                   "CREATE INDEX ix_child_parent_id ON child (parent_id)"]
    first = sqls(root, dialect, step=0)
    assert len(first) == 1 and first[0].startswith("CREATE TABLE parent (")
    assert "UNIQUE (name)" in first[0]


def test_create_table_works_with_sqlbundle_op_too(tmp_path):
    a = make_project(tmp_path / "a", PARENT, CHILD, source="alembic")
    b = make_project(tmp_path / "b", PARENT, CHILD, source="sqlbundle")
    for dialect in ALL:
        assert sqls(a, dialect, step=None) == sqls(b, dialect, step=None)


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ENGINES)
def test_create_table_on_engine(tmp_path, engine_name):
    root = make_project(tmp_path / "p", PARENT, CHILD)
    with throwaway(engine_name, tmp_path / "db") as db:
        apply_up(db, root)
        assert db.version_rows() == [REVS[1]]
        child = table_of(db, "child")
        assert child["primary_key"]["columns"] == ["id"]
        [fk] = child["foreign_keys"]
        assert (fk["columns"], fk["referred_table"], fk["referred_columns"], fk["ondelete"]) == \
            (["parent_id"], "parent", ["id"], "CASCADE")
        assert sorted(u["columns"] for u in child["unique_constraints"]) == \
            [["code"], ["parent_id", "status"]]
        assert {"name": "ix_child_parent_id", "columns": ["parent_id"], "unique": False} in \
            child["indexes"]
        assert [c["name"] for c in child["check_constraints"]] == ["ck_child_qty"]
        cols = columns_of(db, "child")
        assert cols["qty"]["nullable"] is False and cols["parent_id"]["nullable"] is False
        assert cols["code"]["nullable"] is True
        # The defaults work: a row naming only the required columns gets them.
        db.query("INSERT INTO parent (name) VALUES ('p1')")
        db.query("INSERT INTO child (parent_id) VALUES (1)")
        qty, status, created = db.query("SELECT qty, status, created FROM child")[0]
        assert (qty, status) == (1, "new") and created is not None
        # The CHECK is enforced, the FK too (SQLite only with PRAGMA foreign_keys=ON).
        with pytest.raises(Exception):
            db.query("INSERT INTO child (parent_id, qty) VALUES (1, 0)")
        if engine_name != "sqlite":
            with pytest.raises(Exception):
                db.query("INSERT INTO child (parent_id) VALUES (99)")


def test_column_level_check_is_kept(tmp_path):
    root = make_project(tmp_path, """
        op.create_table(
            "t",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("qty", sa.Integer, sa.CheckConstraint("qty > 0", name="ck_t_qty")),
        )
        op.add_column("t", sa.Column("n", sa.Integer, sa.CheckConstraint("n < 5", name="ck_t_n")))
    """)
    for dialect in ALL:
        out = "\n".join(sqls(root, dialect))
        assert "CONSTRAINT ck_t_qty CHECK (qty > 0)" in out, dialect
        assert "ck_t_n CHECK (n < 5)" in out, dialect


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mariadb", "sqlite", "mssql"])
def test_create_table_identity_and_computed(tmp_path, dialect):
    root = make_project(tmp_path, """
        op.create_table(
            "t",
            sa.Column("id", sa.Integer, sa.Identity(start=10, increment=5), primary_key=True),
            sa.Column("a", sa.Integer, nullable=False),
            sa.Column("c", sa.Integer, sa.Computed("a + 1", persisted=True)),
        )
    """)
    identity = {
        "postgresql": "id INTEGER GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 5 START WITH 10)",
        "mysql": "id INTEGER NOT NULL AUTO_INCREMENT",
        "mariadb": "id INTEGER NOT NULL AUTO_INCREMENT",
        "sqlite": "id INTEGER NOT NULL",
        "mssql": "id INTEGER NOT NULL IDENTITY(10,5)",
    }[dialect]
    computed = "c AS (a + 1) PERSISTED" if dialect == "mssql" else \
        "c INTEGER GENERATED ALWAYS AS (a + 1) STORED"
    assert sqls(root, dialect) == [table_sql("t", identity, "a INTEGER NOT NULL", computed,
                                             "PRIMARY KEY (id)")]


def test_create_table_identity_on_oracle_and_stored_computed_refused(tmp_path):
    root = make_project(tmp_path, """
        op.create_table(
            "t",
            sa.Column("id", sa.Integer, sa.Identity(start=10, increment=5), primary_key=True),
            sa.Column("a", sa.Integer),
        )
    """, """
        op.create_table("u", sa.Column("a", sa.Integer),  # <-
                        sa.Column("c", sa.Integer, sa.Computed("a + 1", persisted=True)))
    """)
    assert sqls(root, "oracle", upto=0) == [table_sql(
        "t", "id INTEGER GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 5 START WITH 10)",
        "a INTEGER", "PRIMARY KEY (id)")]
    err = expect_error(root, "oracle", Unsupported)
    assert "persist" in str(err)


def test_computed_default_persistence_is_stored_on_postgresql(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("a", sa.Integer),
                        sa.Column("b", sa.Integer, sa.Computed("a * 2")))
    """)
    assert sqls(root, "postgresql@16") == [table_sql(
        "t", "a INTEGER", "b INTEGER GENERATED ALWAYS AS (a * 2) STORED")]


@pytest.mark.engine
def test_identity_and_computed_on_postgresql(pg, tmp_path):
    root = make_project(tmp_path / "p", """
        op.create_table(
            "t",
            sa.Column("id", sa.Integer, sa.Identity(start=10, increment=5), primary_key=True),
            sa.Column("a", sa.Integer, nullable=False),
            sa.Column("c", sa.Integer, sa.Computed("a + 1", persisted=True)),
        )
    """)
    apply_up(pg, root)
    pg.query("INSERT INTO t (a) VALUES (1), (2)")
    assert pg.query("SELECT id, a, c FROM t ORDER BY id") == [(10, 1, 2), (15, 2, 3)]


def test_create_table_with_sequence_on_postgresql(tmp_path):
    root = make_project(tmp_path, """
        op.create_table(
            "s",
            sa.Column("id", sa.Integer, sa.Sequence("s_id_seq", start=100), primary_key=True),
            sa.Column("x", sa.Integer),
        )
    """)
    out = sqls(root, "postgresql")
    assert "CREATE SEQUENCE s_id_seq START WITH 100" in out
    assert out.index("CREATE SEQUENCE s_id_seq START WITH 100") < \
        next(i for i, s in enumerate(out) if s.startswith("CREATE TABLE s"))


@pytest.mark.engine
def test_sequence_via_execute_on_postgresql(pg, tmp_path):
    root = make_project(tmp_path / "p", """
        op.execute(sa.schema.CreateSequence(sa.Sequence("s_id_seq", start=100)))
        op.create_table(
            "s",
            sa.Column("id", sa.Integer, server_default=sa.text("nextval('s_id_seq')"),
                      primary_key=True),
            sa.Column("x", sa.Integer),
        )
    """)
    assert sqls(root, "postgresql")[0] == "CREATE SEQUENCE s_id_seq START WITH 100"
    apply_up(pg, root)
    pg.query("INSERT INTO s (x) VALUES (1)")
    assert pg.query("SELECT id FROM s") == [(100,)]


# --------------------------------------------------------------------- drop / rename table


@pytest.mark.parametrize("dialect", ALL)
def test_rename_and_drop_table(tmp_path, dialect):
    root = make_project(tmp_path, """
        op.create_table("a", sa.Column("id", sa.Integer, primary_key=True))
        op.create_table("gone", sa.Column("id", sa.Integer, primary_key=True))
    """, """
        op.rename_table("a", "b")
        op.drop_table("gone")
    """)
    rename = "EXEC sp_rename N'a', N'b'" if dialect == "mssql" else "ALTER TABLE a RENAME TO b"
    assert sqls(root, dialect) == [rename, "DROP TABLE gone"]


def test_rename_table_then_use_new_name(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("a", sa.Column("id", sa.Integer, primary_key=True))
    """, """
        op.rename_table("a", "b")
        op.add_column("b", sa.Column("x", sa.Integer))
        op.add_column("a", sa.Column("y", sa.Integer))  # <-
    """)
    err = expect_error(root, "postgresql", ScriptError)
    assert "'a' does not exist" in str(err)


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ENGINES)
def test_rename_and_drop_table_on_engine(tmp_path, engine_name):
    root = make_project(tmp_path / "p", """
        op.create_table("a", sa.Column("id", sa.Integer, primary_key=True))
        op.create_table("gone", sa.Column("id", sa.Integer, primary_key=True))
        op.bulk_insert(sa.table("a", sa.column("id", sa.Integer)), [{"id": 7}])
    """, """
        op.rename_table("a", "b")
        op.drop_table("gone")
    """)
    with throwaway(engine_name, tmp_path / "db") as db:
        apply_up(db, root)
        assert db.table_names() == ["alembic_version", "b"]
        assert db.query("SELECT id FROM b") == [(7,)]


# -------------------------------------------------------------------------------- add_column

T_BASE = PARENT + """
op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("name", sa.String(20)))
"""

ADD_COLUMNS = """
op.add_column("t", sa.Column("note", sa.Text))
op.add_column("t", sa.Column("n", sa.Integer, nullable=False, server_default="0"))
op.add_column("t", sa.Column("parent_id", sa.Integer,
                             sa.ForeignKey("parent.id", name="fk_t_parent"), nullable=True))
"""

FK_SQL = "ALTER TABLE t ADD CONSTRAINT fk_t_parent FOREIGN KEY(parent_id) REFERENCES parent (id)"
ADD_COLUMN_SQL = {
    "postgresql": ["ALTER TABLE t ADD COLUMN note TEXT",
                   "ALTER TABLE t ADD COLUMN n INTEGER DEFAULT '0' NOT NULL",
                   "ALTER TABLE t ADD COLUMN parent_id INTEGER", FK_SQL],
    "mysql": ["ALTER TABLE t ADD COLUMN note TEXT",
              "ALTER TABLE t ADD COLUMN n INTEGER NOT NULL DEFAULT '0'",
              "ALTER TABLE t ADD COLUMN parent_id INTEGER", FK_SQL],
    "mssql": ["ALTER TABLE t ADD note VARCHAR(max) NULL",
              "ALTER TABLE t ADD n INTEGER NOT NULL DEFAULT '0'",
              "ALTER TABLE t ADD parent_id INTEGER NULL", FK_SQL],
    "oracle": ["ALTER TABLE t ADD note CLOB",
               "ALTER TABLE t ADD n INTEGER DEFAULT '0' NOT NULL",
               "ALTER TABLE t ADD parent_id INTEGER", FK_SQL],
}
ADD_COLUMN_SQL["mariadb"] = ADD_COLUMN_SQL["mysql"]


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mariadb", "mssql", "oracle"])
def test_add_column_plain_not_null_default_and_inline_fk(tmp_path, dialect):
    root = make_project(tmp_path, T_BASE, ADD_COLUMNS)
    assert sqls(root, dialect) == ADD_COLUMN_SQL[dialect]


def test_add_column_on_sqlite_copies_the_table_for_a_foreign_key(tmp_path):
    root = make_project(tmp_path, T_BASE, ADD_COLUMNS)
    assert sqls(root, "sqlite") == [
        "ALTER TABLE t ADD COLUMN note TEXT",
        "ALTER TABLE t ADD COLUMN n INTEGER DEFAULT '0' NOT NULL",
        table_sql("_sqlbundle_tmp_t", "id INTEGER NOT NULL", "name VARCHAR(20)", "note TEXT",
                  "n INTEGER DEFAULT '0' NOT NULL", "parent_id INTEGER", "PRIMARY KEY (id)",
                  "CONSTRAINT fk_t_parent FOREIGN KEY(parent_id) REFERENCES parent (id)"),
        "INSERT INTO _sqlbundle_tmp_t (id, name, note, n) SELECT id, name, note, n FROM t",
        "DROP TABLE t",
        "ALTER TABLE _sqlbundle_tmp_t RENAME TO t",
    ]


def test_add_column_unnamed_inline_fk_unique_and_index_on_every_dialect(tmp_path):
    root = make_project(tmp_path, T_BASE, """
        op.add_column("t", sa.Column("p2", sa.Integer, sa.ForeignKey("parent.id")))
        op.add_column("t", sa.Column("u", sa.String(10), unique=True))
        op.add_column("t", sa.Column("i", sa.Integer, index=True))
    """)
    for dialect in ALL:
        out = "\n".join(sqls(root, dialect))
        # Never silently dropped (SQL Server and Oracle included).
        assert "FOREIGN KEY(p2) REFERENCES parent (id)" in out, dialect
        assert "UNIQUE (u)" in out, dialect
        assert "CREATE INDEX ix_t_i ON t (i)" in out, dialect
    assert sqls(root, "mssql") == [
        "ALTER TABLE t ADD p2 INTEGER NULL",
        "ALTER TABLE t ADD FOREIGN KEY(p2) REFERENCES parent (id)",
        "ALTER TABLE t ADD u VARCHAR(10) NULL",
        "ALTER TABLE t ADD UNIQUE (u)",
        "ALTER TABLE t ADD i INTEGER NULL",
        "CREATE INDEX ix_t_i ON t (i)",
    ]


def test_add_column_primary_key_is_refused(tmp_path):
    root = make_project(tmp_path, T_BASE, """
        op.add_column("t", sa.Column("k", sa.Integer, primary_key=True))  # <-
    """)
    for dialect in ("postgresql", "mysql", "mssql", "oracle"):
        err = expect_error(root, dialect, Unsupported)
        assert "primary-key column" in str(err)


def test_add_column_if_not_exists_refused_where_inexpressible(tmp_path):
    root = make_project(tmp_path, T_BASE, """
        op.add_column("t", sa.Column("k", sa.Integer), if_not_exists=True)  # <-
    """)
    assert sqls(root, "postgresql") == ["ALTER TABLE t ADD COLUMN IF NOT EXISTS k INTEGER"]
    assert sqls(root, "mariadb") == ["ALTER TABLE t ADD COLUMN IF NOT EXISTS k INTEGER"]
    for dialect in ("mssql", "oracle", "sqlite", "mysql"):
        err = expect_error(root, dialect, Unsupported)
        assert "if_not_exists" in str(err)


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ENGINES)
def test_add_column_on_engine(tmp_path, engine_name):
    root = make_project(tmp_path / "p", T_BASE + """
op.bulk_insert(sa.table("parent", sa.column("id", sa.Integer), sa.column("name", sa.String)),
               [{"id": 1, "name": "p"}])
op.bulk_insert(sa.table("t", sa.column("id", sa.Integer), sa.column("name", sa.String)),
               [{"id": 1, "name": "old row"}])
""", ADD_COLUMNS + """
op.add_column("t", sa.Column("flag", sa.Boolean, nullable=False, server_default=sa.false()))
""")
    with throwaway(engine_name, tmp_path / "db") as db:
        apply_up(db, root)
        cols = columns_of(db, "t")
        assert list(cols) == ["id", "name", "note", "n", "parent_id", "flag"]
        assert cols["n"]["nullable"] is False and cols["parent_id"]["nullable"] is True
        [fk] = table_of(db, "t")["foreign_keys"]
        assert (fk["name"], fk["columns"], fk["referred_table"]) == \
            ("fk_t_parent", ["parent_id"], "parent")
        # The existing row got the defaults.
        row = db.query("SELECT id, name, note, n, parent_id, flag FROM t")
        assert [tuple(r[:5]) for r in row] == [(1, "old row", None, 0, None)]
        assert not row[0][5]
        db.query("UPDATE t SET parent_id = 1")


# ------------------------------------------------------------------------------- drop_column


def test_drop_column_per_dialect(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("plain", sa.Integer),
                        sa.Column("d", sa.Integer, server_default="3"),
                        sa.Column("old", sa.Integer))
    """, """
        op.drop_column("t", "plain")
        op.drop_column("t", "d")
        op.drop_column("t", "old")
    """)
    assert sqls(root, "postgresql") == ["ALTER TABLE t DROP COLUMN plain",
                                        "ALTER TABLE t DROP COLUMN d",
                                        'ALTER TABLE t DROP COLUMN "old"']  # a reserved word
    assert sqls(root, "mysql") == ["ALTER TABLE t DROP COLUMN plain", "ALTER TABLE t DROP COLUMN d",
                                   "ALTER TABLE t DROP COLUMN old"]
    assert sqls(root, "sqlite") == sqls(root, "mysql")
    mssql = sqls(root, "mssql")
    assert mssql[0] == "ALTER TABLE t DROP COLUMN plain"
    # The default constraint SQL Server named itself is looked up and dropped first.
    assert mssql[1].startswith("DECLARE @sqlbundle_sql NVARCHAR(MAX);")
    assert "FROM sys.default_constraints AS dc" in mssql[1]
    assert "WHERE dc.parent_object_id = OBJECT_ID(N't') AND c.name = N'd'" in mssql[1]
    assert mssql[1].endswith("IF @sqlbundle_sql IS NOT NULL EXEC sp_executesql @sqlbundle_sql")
    assert mssql[2:] == ["ALTER TABLE t DROP COLUMN d", "ALTER TABLE t DROP COLUMN old"]


def test_drop_column_on_old_sqlite_copies_the_table(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("a", sa.Integer), sa.Column("b", sa.String(5)),
                        sa.Index("ix_t_b", "b"))
    """, """
        op.drop_column("t", "a")
    """)
    assert sqls(root, "sqlite@3.35") == ["ALTER TABLE t DROP COLUMN a"]
    assert sqls(root, "sqlite@3.31") == [
        table_sql("_sqlbundle_tmp_t", "id INTEGER NOT NULL", "b VARCHAR(5)", "PRIMARY KEY (id)"),
        "INSERT INTO _sqlbundle_tmp_t (id, b) SELECT id, b FROM t",
        "DROP TABLE t",
        "ALTER TABLE _sqlbundle_tmp_t RENAME TO t",
        "CREATE INDEX ix_t_b ON t (b)",
    ]


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ENGINES)
def test_drop_column_on_engine(tmp_path, engine_name):
    root = make_project(tmp_path / "p", """
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("a", sa.Integer),
                        sa.Column("b", sa.String(5), server_default="x"))
        op.execute("INSERT INTO t (id, a) VALUES (1, 2)")
    """, """
        op.drop_column("t", "a")
    """)
    with throwaway(engine_name, tmp_path / "db") as db:
        apply_up(db, root)
        assert list(columns_of(db, "t")) == ["id", "b"]
        assert db.query("SELECT id, b FROM t") == [(1, "x")]


# ------------------------------------------------------------------------------ alter_column

ALTER_BASE = """
op.create_table(
    "t",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(20), nullable=False, server_default="x", comment="the name"),
    sa.Column("n", sa.Integer),
    sa.Column("ts", sa.DateTime, server_default=sa.func.now()),
    sa.Index("ix_t_name", "name"),
)
"""


@pytest.mark.parametrize("dialect", ["mysql", "mariadb"])
def test_alter_column_mysql_restates_the_full_column_from_history(tmp_path, dialect):
    """sqlbundle's own op: the type, NOT NULL, DEFAULT and COMMENT come from the replayed
    history, so MODIFY/CHANGE do not lose them (Alembic's op restates from its hints:
    test_fidelity_hints.py)."""
    root = make_project(tmp_path, ALTER_BASE, """
        op.alter_column("t", "name", type_=sa.String(50))
        op.alter_column("t", "name", server_default="y")
        op.alter_column("t", "n", nullable=False)
        op.alter_column("t", "ts", nullable=False)
        op.alter_column("t", "name", new_column_name="title")
        op.alter_column("t", "id", type_=sa.BigInteger)
        op.alter_column("t", "title", nullable=True)
    """, source="sqlbundle")
    assert sqls(root, dialect) == [
        "ALTER TABLE t MODIFY name VARCHAR(50) NOT NULL COMMENT 'the name' DEFAULT 'x'",
        "ALTER TABLE t MODIFY name VARCHAR(50) NOT NULL COMMENT 'the name' DEFAULT 'y'",
        "ALTER TABLE t MODIFY n INTEGER NOT NULL",
        "ALTER TABLE t MODIFY ts DATETIME NOT NULL DEFAULT (now())",
        "ALTER TABLE t CHANGE name title VARCHAR(50) NOT NULL COMMENT 'the name' DEFAULT 'y'",
        "ALTER TABLE t MODIFY id BIGINT NOT NULL AUTO_INCREMENT",
        "ALTER TABLE t MODIFY title VARCHAR(50) COMMENT 'the name' DEFAULT 'y'",
    ]


def test_alter_column_mssql_restates_type_and_nullability(tmp_path):
    root = make_project(tmp_path, ALTER_BASE.replace(', comment="the name"', ""), """
        op.alter_column("t", "n", nullable=False)
        op.alter_column("t", "name", type_=sa.String(50))
        op.alter_column("t", "name", server_default="y")
        op.alter_column("t", "n", server_default="5")
        op.alter_column("t", "name", new_column_name="title")
    """, source="sqlbundle")
    out = sqls(root, "mssql")
    assert out[0] == "ALTER TABLE t ALTER COLUMN n INTEGER NOT NULL"
    assert out[1] == "ALTER TABLE t ALTER COLUMN name VARCHAR(50) NOT NULL"
    # Changing a default: the server-named constraint is looked up and dropped, then re-added.
    assert out[2].startswith("DECLARE @sqlbundle_sql NVARCHAR(MAX);\n"
                             "SELECT @sqlbundle_sql = N'ALTER TABLE t DROP CONSTRAINT ' + "
                             "QUOTENAME(dc.name)\nFROM sys.default_constraints AS dc\n")
    assert "AND c.name = N'name';" in out[2]
    assert out[3] == "ALTER TABLE t ADD DEFAULT 'y' FOR name"
    # No default before: nothing to drop.
    assert out[4] == "ALTER TABLE t ADD DEFAULT '5' FOR n"
    assert out[5] == "EXEC sp_rename N't.name', N'title', 'COLUMN'"
    assert len(out) == 6
    blocks = [s for s in statements(root, "mssql") if s.block]
    assert len(blocks) == 1


def test_alter_column_postgresql(tmp_path):
    root = make_project(tmp_path, ALTER_BASE, """
        op.alter_column("t", "name", type_=sa.String(50))
        op.alter_column("t", "n", nullable=False)
        op.alter_column("t", "n", server_default="5")
        op.alter_column("t", "name", server_default=None)
        op.alter_column("t", "n", type_=sa.BigInteger, postgresql_using="n::bigint")
        op.alter_column("t", "name", new_column_name="title")
        op.alter_column("t", "n", nullable=True, server_default="6", new_column_name="m")
    """)
    assert sqls(root, "postgresql") == [
        "ALTER TABLE t ALTER COLUMN name TYPE VARCHAR(50)",
        "ALTER TABLE t ALTER COLUMN n SET NOT NULL",
        "ALTER TABLE t ALTER COLUMN n SET DEFAULT '5'",
        "ALTER TABLE t ALTER COLUMN name DROP DEFAULT",
        "ALTER TABLE t ALTER COLUMN n TYPE BIGINT USING n::bigint",
        "ALTER TABLE t RENAME COLUMN name TO title",
        "ALTER TABLE t ALTER COLUMN n DROP NOT NULL",
        "ALTER TABLE t ALTER COLUMN n SET DEFAULT '6'",
        "ALTER TABLE t RENAME COLUMN n TO m",
    ]


def test_alter_column_oracle(tmp_path):
    root = make_project(tmp_path, ALTER_BASE, """
        op.alter_column("t", "name", type_=sa.String(50))
        op.alter_column("t", "n", nullable=False)
        op.alter_column("t", "n", nullable=False)
        op.alter_column("t", "name", server_default=None)
        op.alter_column("t", "name", new_column_name="title")
    """)
    assert sqls(root, "oracle") == [
        "ALTER TABLE t MODIFY name VARCHAR2(50 CHAR)",
        "ALTER TABLE t MODIFY n NOT NULL",
        # Already NOT NULL: Oracle would reject a MODIFY to the same nullability.
        "ALTER TABLE t MODIFY name DEFAULT NULL",
        "ALTER TABLE t RENAME COLUMN name TO title",
    ]


def test_alter_column_sqlite_copies_the_table(tmp_path):
    root = make_project(tmp_path, ALTER_BASE, """
        op.alter_column("t", "n", nullable=False, server_default="0")
    """)
    assert sqls(root, "sqlite") == [
        table_sql("_sqlbundle_tmp_t", "id INTEGER NOT NULL",
                  "name VARCHAR(20) DEFAULT 'x' NOT NULL", "n INTEGER DEFAULT '0' NOT NULL",
                  "ts DATETIME DEFAULT CURRENT_TIMESTAMP", "PRIMARY KEY (id)"),
        "INSERT INTO _sqlbundle_tmp_t (id, name, n, ts) SELECT id, name, n, ts FROM t",
        "DROP TABLE t",
        "ALTER TABLE _sqlbundle_tmp_t RENAME TO t",
        "CREATE INDEX ix_t_name ON t (name)",
    ]
    text = script(root, "sqlite")
    step2 = text[text.index("-- Upgrade 2/2"):]
    # Foreign keys are off before the step's transaction (PRAGMA is ignored inside one).
    assert step2.index("PRAGMA foreign_keys=OFF;") < step2.index("BEGIN;") < \
        step2.index("CREATE TABLE _sqlbundle_tmp_t")


def test_alter_column_sqlite_rename_is_rename_column(tmp_path):
    root = make_project(tmp_path, ALTER_BASE, """
        op.alter_column("t", "name", new_column_name="title")
    """)
    for target in ("sqlite@3.25", "sqlite"):
        assert sqls(root, target) == ["ALTER TABLE t RENAME COLUMN name TO title"]
    assert "PRAGMA foreign_keys" not in script(root, "sqlite")


def test_alter_column_rename_with_other_change_on_sqlite_copies_with_old_name_as_source(tmp_path):
    root = make_project(tmp_path, ALTER_BASE, """
        op.alter_column("t", "n", new_column_name="m", type_=sa.BigInteger)
    """)
    out = sqls(root, "sqlite")
    assert out[1] == "INSERT INTO _sqlbundle_tmp_t (id, name, m, ts) SELECT id, name, n, ts FROM t"
    assert "m BIGINT" in out[0]


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_alter_column_server_default_as_sql_expression(tmp_path, dialect):
    root = make_project(tmp_path, ALTER_BASE, """
        op.alter_column("t", "n", server_default=sa.text("42"))
        op.alter_column("t", "ts", server_default=sa.func.now())
    """)
    expected = {
        "postgresql": ["ALTER TABLE t ALTER COLUMN n SET DEFAULT 42",
                       "ALTER TABLE t ALTER COLUMN ts SET DEFAULT now()"],
        "mysql": ["ALTER TABLE t MODIFY n INTEGER DEFAULT 42",
                  "ALTER TABLE t MODIFY ts DATETIME DEFAULT (now())"],
    }[dialect]
    assert sqls(root, dialect) == expected


@pytest.mark.engine
def test_alter_column_on_mariadb_keeps_not_null_default_and_comment(mariadb, tmp_path):
    root = make_project(tmp_path / "p", ALTER_BASE + """
op.execute("INSERT INTO t (id, n) VALUES (1, 5)")
""", """
        op.alter_column("t", "name", type_=sa.String(50))
        op.alter_column("t", "n", nullable=False)
        op.alter_column("t", "name", new_column_name="title")
    """, source="sqlbundle")
    apply_up(mariadb, root)
    cols = columns_of(mariadb, "t")
    assert cols["title"] == {"name": "title", "type": "VARCHAR(50)", "nullable": False,
                             "default": "'x'"}
    assert cols["n"]["nullable"] is False
    assert mariadb.query("SELECT column_comment FROM information_schema.columns WHERE "
                         "table_schema = DATABASE() AND table_name = 't' AND "
                         "column_name = 'title'") == [("the name",)]
    mariadb.query("INSERT INTO t (id, n) VALUES (2, 1)")
    assert mariadb.query("SELECT id, title, n FROM t ORDER BY id") == [(1, "x", 5), (2, "x", 1)]


@pytest.mark.engine
def test_alter_column_on_postgresql(pg, tmp_path):
    root = make_project(tmp_path / "p", ALTER_BASE, """
        op.alter_column("t", "name", type_=sa.String(50))
        op.alter_column("t", "n", nullable=False, server_default="5")
        op.alter_column("t", "n", type_=sa.BigInteger, postgresql_using="n::bigint")
        op.alter_column("t", "name", new_column_name="title", server_default=None)
    """)
    apply_up(pg, root)
    cols = columns_of(pg, "t")
    assert cols["title"] == {"name": "title", "type": "VARCHAR(50)", "nullable": False,
                             "default": None}
    assert cols["n"] == {"name": "n", "type": "BIGINT", "nullable": False, "default": "5"}


@pytest.mark.engine
def test_alter_column_on_sqlite_preserves_rows_and_indexes(sqlite_db, tmp_path):
    root = make_project(tmp_path / "p", PARENT + """
op.create_table(
    "t",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(20), nullable=False, server_default="x"),
    sa.Column("n", sa.Integer),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", name="fk_t_parent")),
    sa.Index("ix_t_name", "name"),
    sa.Index("ix_t_n_name", "n", "name", unique=True),
)
op.execute("INSERT INTO parent (id, name) VALUES (1, 'p')")
op.execute("INSERT INTO t (id, name, n, parent_id) VALUES (1, 'a', 10, 1), (2, 'b', NULL, NULL)")
""", """
        op.alter_column("t", "n", type_=sa.BigInteger, server_default="0")
        op.alter_column("t", "name", new_column_name="title")
        op.alter_column("t", "title", type_=sa.String(40))
    """)
    text = apply_up(sqlite_db, root)
    assert "_sqlbundle_tmp_t" in text
    assert sqlite_db.query("SELECT id, title, n, parent_id FROM t ORDER BY id") == \
        [(1, "a", 10, 1), (2, "b", None, None)]
    t = table_of(sqlite_db, "t")
    assert t["indexes"] == [{"name": "ix_t_n_name", "columns": ["n", "title"], "unique": True},
                            {"name": "ix_t_name", "columns": ["title"], "unique": False}]
    [fk] = t["foreign_keys"]
    assert fk["referred_table"] == "parent" and fk["columns"] == ["parent_id"]
    cols = columns_of(sqlite_db, "t")
    assert cols["n"]["type"] == "BIGINT" and cols["n"]["default"] == "'0'"
    assert cols["title"]["type"] == "VARCHAR(40)" and cols["title"]["nullable"] is False
    assert sqlite_db.table_names() == ["alembic_version", "parent", "t"]
    assert sqlite_db.query("PRAGMA foreign_key_check") == []


# ----------------------------------------------------------------------------------- indexes

IDX_BASE = """
op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("name", sa.String(200), nullable=False), sa.Column("n", sa.Integer),
                sa.Column("email", sa.String(100)))
"""

INDEXES = """
op.create_index("ix_t_name", "t", ["name"], unique=True)
op.create_index("ix_t_n_name", "t", ["n", "name"])
op.create_index("ix_t_lower", "t", [sa.text("lower(email)")])
op.create_index("ix_t_part", "t", ["n"], postgresql_where=sa.text("n > 0"))
op.create_index("ix_t_hash", "t", ["email"], postgresql_using="hash")
op.create_index("ix_t_len", "t", ["name"], mysql_length=10)
op.create_index(op.f("ix_t_email_ine"), "t", ["email"], if_not_exists=True)
op.drop_index("ix_t_n_name", table_name="t")
op.drop_index("ix_t_hash", table_name="t", if_exists=True)
"""


def test_indexes_postgresql(tmp_path):
    root = make_project(tmp_path, IDX_BASE, INDEXES)
    assert sqls(root, "postgresql") == [
        "CREATE UNIQUE INDEX ix_t_name ON t (name)",
        "CREATE INDEX ix_t_n_name ON t (n, name)",
        "CREATE INDEX ix_t_lower ON t (lower(email))",
        "CREATE INDEX ix_t_part ON t (n) WHERE n > 0",
        "CREATE INDEX ix_t_hash ON t USING hash (email)",
        "CREATE INDEX ix_t_len ON t (name)",
        "CREATE INDEX IF NOT EXISTS ix_t_email_ine ON t (email)",
        "DROP INDEX ix_t_n_name",
        "DROP INDEX IF EXISTS ix_t_hash",
    ]


@pytest.mark.parametrize("dialect", ["mariadb", "sqlite"])
def test_indexes_mariadb_and_sqlite(tmp_path, dialect):
    root = make_project(tmp_path, IDX_BASE, INDEXES)
    on = " ON t" if dialect == "mariadb" else ""
    assert sqls(root, dialect) == [
        "CREATE UNIQUE INDEX ix_t_name ON t (name)",
        "CREATE INDEX ix_t_n_name ON t (n, name)",
        "CREATE INDEX ix_t_lower ON t (lower(email))",
        "CREATE INDEX ix_t_part ON t (n)",
        "CREATE INDEX ix_t_hash ON t (email)",
        "CREATE INDEX ix_t_len ON t (name(10))" if dialect == "mariadb"
        else "CREATE INDEX ix_t_len ON t (name)",
        "CREATE INDEX IF NOT EXISTS ix_t_email_ine ON t (email)",
        f"DROP INDEX ix_t_n_name{on}",
        f"DROP INDEX IF EXISTS ix_t_hash{on}",
    ]


def test_indexes_oracle_guard_if_not_exists_in_plsql(tmp_path):
    root = make_project(tmp_path, IDX_BASE, INDEXES)
    out = sqls(root, "oracle")
    assert out[:6] == [
        "CREATE UNIQUE INDEX ix_t_name ON t (name)",
        "CREATE INDEX ix_t_n_name ON t (n, name)",
        "CREATE INDEX ix_t_lower ON t (lower(email))",
        "CREATE INDEX ix_t_part ON t (n)",
        "CREATE INDEX ix_t_hash ON t (email)",
        "CREATE INDEX ix_t_len ON t (name)",
    ]
    assert out[6] == ("BEGIN\n    EXECUTE IMMEDIATE 'CREATE INDEX ix_t_email_ine ON t (email)';\n"
                      "EXCEPTION\n    WHEN OTHERS THEN IF SQLCODE != -955 THEN RAISE; END IF;\n"
                      "END;")
    assert out[7] == "DROP INDEX ix_t_n_name"
    assert "EXECUTE IMMEDIATE 'DROP INDEX ix_t_hash'" in out[8] and "-1418" in out[8]
    assert sqls(root, "oracle@23")[7:] == ["DROP INDEX ix_t_n_name",
                                           "DROP INDEX IF EXISTS ix_t_hash"]


def test_create_index_if_not_exists_on_oracle_23(tmp_path):
    root = make_project(tmp_path, IDX_BASE, """
        op.create_index("ix_t_email", "t", ["email"], if_not_exists=True)
    """)
    assert sqls(root, "oracle@23") == ["CREATE INDEX IF NOT EXISTS ix_t_email ON t (email)"]


def test_create_index_if_not_exists_on_mssql_is_guarded_or_refused(tmp_path):
    root = make_project(tmp_path, IDX_BASE, """
        op.create_index("ix_t_email", "t", ["email"], if_not_exists=True)  # <-
    """)
    try:
        out = sqls(root, "mssql")
    except SqlbundleError as exc:
        assert str(exc).startswith(f"{file_of(1)}:{line_of(root, 1)}: ")
        return
    assert out != ["CREATE INDEX ix_t_email ON t (email)"]
    assert "sys.indexes" in out[0]


def test_index_if_exists_refused_on_mysql(tmp_path):
    root = make_project(tmp_path, IDX_BASE, """
        op.create_index("ix_t_email", "t", ["email"], if_not_exists=True)  # <-
    """)
    expect_error(root, "mysql@8.0", SqlbundleError)


@pytest.mark.parametrize("target, body", [
    ("mssql@2014", 'op.drop_index("ix_t_name", table_name="t", if_exists=True)  # <-'),
    ("mssql@2014", 'op.drop_column("t", "n", if_exists=True)  # <-'),
    ("mysql@8.0", 'op.drop_index("ix_t_name", table_name="t", if_exists=True)  # <-'),
    ("mysql@8.0", 'op.drop_column("t", "n", if_exists=True)  # <-'),
])
def test_drop_if_exists_only_where_the_target_has_it(tmp_path, target, body):
    root = make_project(tmp_path, IDX_BASE + 'op.create_index("ix_t_name", "t", ["name"])\n', body)
    try:
        out = sqls(root, target)
    except SqlbundleError as exc:
        assert str(exc).startswith(f"{file_of(1)}:{line_of(root, 1)}: "), str(exc)
        return
    assert not any(re.search(r"DROP (INDEX|COLUMN) IF EXISTS", s) for s in out), out


def test_drop_if_exists_where_supported(tmp_path):
    root = make_project(tmp_path, IDX_BASE + 'op.create_index("ix_t_name", "t", ["name"])\n', """
        op.drop_index("ix_t_name", table_name="t", if_exists=True)
        op.drop_column("t", "n", if_exists=True)
        op.drop_table("t", if_exists=True)
    """)
    assert sqls(root, "mssql@2016") == ["DROP INDEX IF EXISTS ix_t_name ON t",
                                        "ALTER TABLE t DROP COLUMN IF EXISTS n",
                                        "DROP TABLE IF EXISTS t"]
    assert sqls(root, "mariadb") == ["DROP INDEX IF EXISTS ix_t_name ON t",
                                     "ALTER TABLE t DROP COLUMN IF EXISTS n",
                                     "DROP TABLE IF EXISTS t"]
    assert sqls(root, "postgresql") == ["DROP INDEX IF EXISTS ix_t_name",
                                        "ALTER TABLE t DROP COLUMN IF EXISTS n",
                                        "DROP TABLE IF EXISTS t"]
    mssql_2014 = make_project(tmp_path / "old", IDX_BASE, 'op.drop_table("t", if_exists=True)')
    assert sqls(mssql_2014, "mssql@2014") == [
        "IF OBJECT_ID(N't', N'U') IS NOT NULL\nDROP TABLE t"]


def test_index_kwargs_and_unique_in_create_table(tmp_path):
    root = make_project(tmp_path, """
        op.create_table(
            "t",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("email", sa.String(100), index=True, unique=True),
            sa.Column("n", sa.Integer),
            sa.Index("ix_t_part", "n", postgresql_where=sa.text("n > 0")),
            sa.Index("ix_t_multi", "n", "email", unique=True),
        )
    """)
    assert sqls(root, "postgresql")[1:] == [
        "CREATE UNIQUE INDEX ix_t_email ON t (email)",
        "CREATE UNIQUE INDEX ix_t_multi ON t (n, email)",
        "CREATE INDEX ix_t_part ON t (n) WHERE n > 0",
    ]


def test_concurrent_index_runs_outside_the_transaction(tmp_path):
    root = make_project(tmp_path, IDX_BASE, """
        op.add_column("t", sa.Column("m", sa.Integer))
        op.create_index("ix_t_n", "t", ["n"], postgresql_concurrently=True)
        op.drop_index("ix_t_n", table_name="t", postgresql_concurrently=True)
        op.add_column("t", sa.Column("k", sa.Integer))
    """)
    stmts = statements(root, "postgresql")
    assert [(s.sql, s.autocommit) for s in stmts] == [
        ("ALTER TABLE t ADD COLUMN m INTEGER", False),
        ("CREATE INDEX CONCURRENTLY ix_t_n ON t (n)", True),
        ("DROP INDEX CONCURRENTLY ix_t_n", True),
        ("ALTER TABLE t ADD COLUMN k INTEGER", False),
    ]
    # Each statement outside the transaction waits at most the lock timeout (session-level,
    # reset after it); inside, SET LOCAL ends with the transaction.
    assert step_lines(script(root, "postgresql"), 2) == [
        "BEGIN;",
        "SET LOCAL lock_timeout = '5000ms';",
        "ALTER TABLE t ADD COLUMN m INTEGER;",
        "COMMIT;",
        "SET lock_timeout = '5000ms';",
        "CREATE INDEX CONCURRENTLY ix_t_n ON t (n);",
        "RESET lock_timeout;",
        "SET lock_timeout = '5000ms';",
        "DROP INDEX CONCURRENTLY ix_t_n;",
        "RESET lock_timeout;",
        "BEGIN;",
        "SET LOCAL lock_timeout = '5000ms';",
        "ALTER TABLE t ADD COLUMN k INTEGER;",
        "UPDATE alembic_version SET version_num = 'bbbb0002' "
        "WHERE alembic_version.version_num = 'aaaa0001';",
        "COMMIT;",
    ]
    # Elsewhere the option means nothing.
    assert sqls(root, "sqlite")[1:3] == ["CREATE INDEX ix_t_n ON t (n)", "DROP INDEX ix_t_n"]
    assert not any(s.autocommit for s in statements(root, "sqlite"))


@pytest.mark.engine
def test_indexes_on_postgresql(pg, tmp_path):
    root = make_project(tmp_path / "p", IDX_BASE, INDEXES + """
op.create_index("ix_t_conc", "t", ["email", "n"], postgresql_concurrently=True)
""")
    apply_up(pg, root)
    idx = {i["name"]: i for i in table_of(pg, "t")["indexes"]}
    assert sorted(idx) == ["ix_t_conc", "ix_t_email_ine", "ix_t_len", "ix_t_lower", "ix_t_name",
                           "ix_t_part"]
    assert idx["ix_t_name"]["unique"] is True
    assert idx["ix_t_conc"]["columns"] == ["email", "n"]
    defs = dict(pg.query("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 't'"))
    assert defs["ix_t_part"].endswith("WHERE (n > 0)")
    assert "lower((email)::text)" in defs["ix_t_lower"]
    assert pg.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_t_conc'::regclass") \
        == [(True,)]


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["mariadb", "sqlite"])
def test_indexes_on_mariadb_and_sqlite(tmp_path, engine_name):
    body = INDEXES.replace('op.create_index("ix_t_lower", "t", [sa.text("lower(email)")])\n', "")
    root = make_project(tmp_path / "p", IDX_BASE, body)
    with throwaway(engine_name, tmp_path / "db") as db:
        apply_up(db, root)
        t = table_of(db, "t")
        idx = {i["name"]: i for i in t["indexes"]}
        if engine_name == "mariadb":  # a unique index is reported as a unique constraint
            assert t["unique_constraints"] == [{"name": "ix_t_name", "columns": ["name"]}]
            idx["ix_t_name"] = None
        else:
            assert idx["ix_t_name"] == {"name": "ix_t_name", "columns": ["name"], "unique": True}
        assert sorted(idx) == ["ix_t_email_ine", "ix_t_len", "ix_t_name", "ix_t_part"]
        if engine_name == "mariadb":
            assert db.query("SELECT sub_part FROM information_schema.statistics WHERE "
                            "table_schema = DATABASE() AND index_name = 'ix_t_len'") == [(10,)]


# ------------------------------------------------------------------------------- constraints

CON_BASE = """
op.create_table("p", sa.Column("a", sa.Integer, nullable=False),
                sa.Column("b", sa.Integer, nullable=False),
                sa.Column("id", sa.Integer, nullable=False))
op.create_table("c", sa.Column("id", sa.Integer, primary_key=True), sa.Column("pa", sa.Integer),
                sa.Column("pb", sa.Integer), sa.Column("code", sa.String(10)),
                sa.Column("qty", sa.Integer), sa.Column("pid", sa.Integer))
"""

CONSTRAINTS = """
op.create_primary_key("pk_p", "p", ["a", "b"])
op.create_unique_constraint("uq_p_id", "p", ["id"])
op.create_foreign_key("fk_c_p", "c", "p", ["pa", "pb"], ["a", "b"], ondelete="CASCADE",
                      onupdate="CASCADE")
op.create_foreign_key("fk_c_pid", "c", "p", ["pid"], ["id"], ondelete="SET NULL")
op.create_unique_constraint("uq_c_code", "c", ["code"])
op.create_check_constraint("ck_c_qty", "c", "qty >= 0")
op.create_check_constraint("ck_c_qty2", "c", sa.column("qty") < 1000)
"""

CONSTRAINTS_SQL = [
    "ALTER TABLE p ADD CONSTRAINT pk_p PRIMARY KEY (a, b)",
    "ALTER TABLE p ADD CONSTRAINT uq_p_id UNIQUE (id)",
    "ALTER TABLE c ADD CONSTRAINT fk_c_p FOREIGN KEY(pa, pb) REFERENCES p (a, b) "
    "ON DELETE CASCADE ON UPDATE CASCADE",
    "ALTER TABLE c ADD CONSTRAINT fk_c_pid FOREIGN KEY(pid) REFERENCES p (id) ON DELETE SET NULL",
    "ALTER TABLE c ADD CONSTRAINT uq_c_code UNIQUE (code)",
    "ALTER TABLE c ADD CONSTRAINT ck_c_qty CHECK (qty >= 0)",
    "ALTER TABLE c ADD CONSTRAINT ck_c_qty2 CHECK (qty < 1000)",
]


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mariadb", "mssql"])
def test_create_constraints(tmp_path, dialect):
    root = make_project(tmp_path, CON_BASE, CONSTRAINTS)
    assert sqls(root, dialect) == CONSTRAINTS_SQL


def test_create_constraints_oracle_refuses_on_update(tmp_path):
    root = make_project(tmp_path, CON_BASE, CONSTRAINTS.replace(
        'ondelete="CASCADE",\n', 'ondelete="CASCADE",  # <-\n'))
    err = expect_error(root, "oracle", Unsupported)
    assert "ON UPDATE CASCADE" in str(err)
    fine = make_project(tmp_path / "fine", CON_BASE, CONSTRAINTS.replace(
        'onupdate="CASCADE"', "deferrable=True, initially='DEFERRED'"))
    assert sqls(fine, "oracle")[2] == (
        "ALTER TABLE c ADD CONSTRAINT fk_c_p FOREIGN KEY(pa, pb) REFERENCES p (a, b) "
        "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED")


def test_create_foreign_key_deferrable_on_postgresql(tmp_path):
    root = make_project(tmp_path, CON_BASE, """
        op.create_primary_key("pk_p", "p", ["a", "b"])
        op.create_foreign_key("fk_c_p", "c", "p", ["pa", "pb"], ["a", "b"], ondelete="CASCADE",
                              onupdate="SET NULL", deferrable=True, initially="DEFERRED")
    """)
    assert sqls(root, "postgresql")[1] == (
        "ALTER TABLE c ADD CONSTRAINT fk_c_p FOREIGN KEY(pa, pb) REFERENCES p (a, b) "
        "ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED")


def test_deferrable_foreign_key_is_not_rendered_where_unsupported(tmp_path):
    root = make_project(tmp_path, CON_BASE, """
        op.create_unique_constraint("uq_p_id", "p", ["id"])
        op.create_foreign_key("fk_c_pid", "c", "p", ["pid"], ["id"], deferrable=True,  # <-
                              initially="DEFERRED")
    """)
    for dialect in ("mysql", "mariadb", "mssql"):
        try:
            out = sqls(root, dialect)
        except SqlbundleError as exc:
            assert str(exc).startswith(f"{file_of(1)}:{line_of(root, 1)}: "), str(exc)
            continue
        assert not any("DEFERRABLE" in s for s in out), (dialect, out)


def test_create_constraints_sqlite_copies_the_table(tmp_path):
    root = make_project(tmp_path, CON_BASE, """
        op.create_check_constraint("ck_c_qty", "c", "qty >= 0")
    """)
    assert sqls(root, "sqlite") == [
        table_sql("_sqlbundle_tmp_c", "id INTEGER NOT NULL", "pa INTEGER", "pb INTEGER",
                  "code VARCHAR(10)", "qty INTEGER", "pid INTEGER", "PRIMARY KEY (id)",
                  "CONSTRAINT ck_c_qty CHECK (qty >= 0)"),
        "INSERT INTO _sqlbundle_tmp_c (id, pa, pb, code, qty, pid) "
        "SELECT id, pa, pb, code, qty, pid FROM c",
        "DROP TABLE c",
        "ALTER TABLE _sqlbundle_tmp_c RENAME TO c",
    ]


def test_create_check_constraint_on_mysql_57_warns(tmp_path):
    root = make_project(tmp_path, CON_BASE, """
        op.create_check_constraint("ck_c_qty", "c", "qty >= 0")
    """)
    plan = compiled(root, "mysql@5.7")
    assert [s.sql for s in plan.steps[-1].statements] == [
        "ALTER TABLE c ADD CONSTRAINT ck_c_qty CHECK (qty >= 0)"]
    assert [d.code for d in plan.diagnostics] == ["SB202"]
    assert not compiled(root, "mysql@8.0").diagnostics


EXCLUDE = """
op.create_table("r", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("during", postgresql.TSRANGE), sa.Column("room", sa.Integer))
"""


def test_create_exclude_constraint_postgresql_only(tmp_path):
    root = make_project(tmp_path, EXCLUDE, """
        op.create_exclude_constraint("ex_r", "r", ("during", "&&"), where=sa.text("room > 0"))  # <-
    """)
    assert sqls(root, "postgresql") == [
        "ALTER TABLE r ADD CONSTRAINT ex_r EXCLUDE USING gist (during WITH &&) WHERE (room > 0)"]
    for dialect in ("mysql", "mariadb", "sqlite", "mssql", "oracle"):
        plain = EXCLUDE.replace("postgresql.TSRANGE", "sa.String(40)")
        other = make_project(tmp_path / dialect, plain, """
            op.create_exclude_constraint("ex_r", "r", ("during", "&&"))  # <-
        """)
        err = expect_error(other, dialect, Unsupported)
        assert "exclude constraints exist only in PostgreSQL" in str(err)


@pytest.mark.engine
def test_exclude_constraint_on_postgresql(pg, tmp_path):
    root = make_project(tmp_path / "p", EXCLUDE, """
        op.create_exclude_constraint("ex_r", "r", ("during", "&&"), where=sa.text("room > 0"))
    """)
    apply_up(pg, root)
    pg.query("INSERT INTO r (during, room) VALUES ('[2024-01-01, 2024-01-05)', 1)")
    pg.query("INSERT INTO r (during, room) VALUES ('[2024-01-02, 2024-01-03)', 0)")  # WHERE
    with pytest.raises(Exception, match="ex_r"):
        pg.query("INSERT INTO r (during, room) VALUES ('[2024-01-03, 2024-01-04)', 2)")


DROP_CON_BASE = """
op.create_table("p", sa.Column("id", sa.Integer, primary_key=True))
op.create_table("c", sa.Column("id", sa.Integer, nullable=False), sa.Column("pid", sa.Integer),
                sa.Column("code", sa.String(10)), sa.Column("qty", sa.Integer),
                sa.PrimaryKeyConstraint("id", name="pk_c"),
                sa.ForeignKeyConstraint(["pid"], ["p.id"], name="fk_c_p"),
                sa.UniqueConstraint("code", name="uq_c_code"),
                sa.CheckConstraint("qty > 0", name="ck_c_qty"))
"""

DROP_CONSTRAINTS = """
op.drop_constraint("fk_c_p", "c", type_="foreignkey")
op.drop_constraint("uq_c_code", "c", type_="unique")
op.drop_constraint("ck_c_qty", "c", type_="check")
op.drop_constraint("pk_c", "c", type_="primary")
"""


@pytest.mark.parametrize("dialect", ALL[:3] + ("mssql", "oracle"))
def test_drop_constraint_each_kind(tmp_path, dialect):
    root = make_project(tmp_path, DROP_CON_BASE, DROP_CONSTRAINTS)
    generic = ["ALTER TABLE c DROP CONSTRAINT fk_c_p", "ALTER TABLE c DROP CONSTRAINT uq_c_code",
               "ALTER TABLE c DROP CONSTRAINT ck_c_qty", "ALTER TABLE c DROP CONSTRAINT pk_c"]
    expected = {
        "mysql": ["ALTER TABLE c DROP FOREIGN KEY fk_c_p", "ALTER TABLE c DROP INDEX uq_c_code",
                  "ALTER TABLE c DROP CHECK ck_c_qty", "ALTER TABLE c DROP PRIMARY KEY"],
        "mariadb": ["ALTER TABLE c DROP FOREIGN KEY fk_c_p", "ALTER TABLE c DROP INDEX uq_c_code",
                    "ALTER TABLE c DROP CONSTRAINT ck_c_qty", "ALTER TABLE c DROP PRIMARY KEY"],
    }.get(dialect, generic)
    assert sqls(root, dialect) == expected


def test_drop_constraint_sqlite_copies_the_table_without_it(tmp_path):
    root = make_project(tmp_path, DROP_CON_BASE, """
        op.drop_constraint("uq_c_code", "c", type_="unique")
    """)
    assert sqls(root, "sqlite") == [
        table_sql("_sqlbundle_tmp_c", "id INTEGER NOT NULL", "pid INTEGER", "code VARCHAR(10)",
                  "qty INTEGER", "CONSTRAINT pk_c PRIMARY KEY (id)",
                  "CONSTRAINT fk_c_p FOREIGN KEY(pid) REFERENCES p (id)",
                  "CONSTRAINT ck_c_qty CHECK (qty > 0)"),
        "INSERT INTO _sqlbundle_tmp_c (id, pid, code, qty) SELECT id, pid, code, qty FROM c",
        "DROP TABLE c",
        "ALTER TABLE _sqlbundle_tmp_c RENAME TO c",
    ]


def test_drop_constraint_errors(tmp_path):
    root = make_project(tmp_path, DROP_CON_BASE, """
        op.drop_constraint("uq_c_code", "c", type_="foreignkey")  # <-
    """)
    err = expect_error(root, "postgresql", ScriptError)
    assert "is a unique constraint" in str(err)
    missing = make_project(tmp_path / "m", DROP_CON_BASE, """
        op.drop_constraint("nope", "c")  # <-
    """)
    err = expect_error(missing, "mysql", ScriptError)
    assert "'nope' does not exist" in str(err)


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ENGINES)
def test_create_and_drop_constraints_on_engine(tmp_path, engine_name):
    def second(text: str) -> str:  # the same, on tables p2/c2 with their own names
        for old, new in (('"p"', '"p2"'), ('"c"', '"c2"'), ("p.id", "p2.id"), ("_c_", "_c2_"),
                         ('"pk_c"', '"pk_c2"'),
                         ('sa.Integer, nullable=False)', 'sa.Integer, nullable=False, '
                                                         'autoincrement=False)')):
            text = text.replace(old, new)
        return text

    root = make_project(tmp_path / "p", CON_BASE, CONSTRAINTS, second(DROP_CON_BASE),
                        second(DROP_CONSTRAINTS))
    with throwaway(engine_name, tmp_path / "db") as db:
        text = apply_up(db, root)
        p, c = table_of(db, "p"), table_of(db, "c")
        assert p["primary_key"]["columns"] == ["a", "b"]
        assert p["unique_constraints"] == [{"name": "uq_p_id", "columns": ["id"]}]
        fks = {fk["name"]: fk for fk in c["foreign_keys"]}
        assert fks["fk_c_p"]["columns"] == ["pa", "pb"]
        assert fks["fk_c_p"]["ondelete"] == "CASCADE" and fks["fk_c_p"]["onupdate"] == "CASCADE"
        assert fks["fk_c_pid"]["ondelete"] == "SET NULL"
        assert c["unique_constraints"] == [{"name": "uq_c_code", "columns": ["code"]}]
        assert sorted(ck["name"] for ck in c["check_constraints"]) == ["ck_c_qty", "ck_c_qty2"]
        with pytest.raises(Exception):
            db.query("INSERT INTO c (id, qty) VALUES (1, -1)")
        c2 = table_of(db, "c2")
        assert c2["foreign_keys"] == [] and c2["unique_constraints"] == []
        assert c2["check_constraints"] == [] and c2["primary_key"]["columns"] == []
        if engine_name == "sqlite":
            assert "PRAGMA foreign_keys=OFF;" in text


# ---------------------------------------------------------------------------------- comments

COMMENTS = """
op.create_table_comment("r", "rooms: 100% 'booked'")
op.drop_table_comment("r")
op.create_table_comment("r", "final")
"""
R_TABLE = """
op.create_table("r", sa.Column("id", sa.Integer, primary_key=True))
"""


def test_table_comments(tmp_path):
    root = make_project(tmp_path, R_TABLE, COMMENTS)
    assert sqls(root, "postgresql") == ["COMMENT ON TABLE r IS 'rooms: 100% ''booked'''",
                                        "COMMENT ON TABLE r IS NULL",
                                        "COMMENT ON TABLE r IS 'final'"]
    assert sqls(root, "oracle") == ["COMMENT ON TABLE r IS 'rooms: 100% ''booked'''",
                                    "COMMENT ON TABLE r IS ''", "COMMENT ON TABLE r IS 'final'"]
    for dialect in ("mysql", "mariadb"):
        assert sqls(root, dialect) == ["ALTER TABLE r COMMENT 'rooms: 100% ''booked'''",
                                       "ALTER TABLE r COMMENT ''", "ALTER TABLE r COMMENT 'final'"]
    plan = compiled(root, "sqlite")
    assert plan.steps[-1].statements == ()
    assert {d.code for d in plan.diagnostics} == {"SB201"}


def test_comments_on_mssql(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("r", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("x", sa.Integer, comment="the x"), comment="rooms")
    """, COMMENTS)
    out = sqls(root, "mssql", step=None)
    assert any("sp_addextendedproperty" in s and "'rooms'" in s for s in out)
    assert any("sp_addextendedproperty" in s and "'the x'" in s for s in out)
    assert any("sp_dropextendedproperty" in s for s in out)


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["postgresql", "mariadb"])
def test_table_comments_on_engine(tmp_path, engine_name):
    root = make_project(tmp_path / "p", R_TABLE, COMMENTS.replace('"final"', "\"it's final\""))
    with throwaway(engine_name, tmp_path / "db") as db:
        apply_up(db, root)
        assert table_of(db, "r")["comment"] == "it's final"


def test_column_comments(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("n", sa.Integer, comment="old"))
    """, """
        op.alter_column("t", "n", comment="new")
        op.alter_column("t", "n", comment=None)
    """)
    assert sqls(root, "postgresql", upto=0)[1:] == ["COMMENT ON COLUMN t.n IS 'old'"]
    assert sqls(root, "postgresql") == ["COMMENT ON COLUMN t.n IS 'new'",
                                        "COMMENT ON COLUMN t.n IS NULL"]
    assert sqls(root, "mysql") == ["ALTER TABLE t MODIFY n INTEGER COMMENT 'new'",
                                   "ALTER TABLE t MODIFY n INTEGER"]
    assert sqls(root, "sqlite") == []


def test_drop_column_comment_on_oracle(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("n", sa.Integer, comment="old"))
    """, """
        op.alter_column("t", "n", comment=None)
    """)
    assert sqls(root, "oracle") == ["COMMENT ON COLUMN t.n IS ''"]


# ---------------------------------------------------------------------- execute / bulk_insert

DATA_TABLE = """
op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("name", sa.String(50)), sa.Column("n", sa.Integer),
                sa.Column("d", sa.Date))
"""

DATA_OPS = """
import datetime
op.execute("INSERT INTO t (id, name) VALUES (1, 'a:b %s 100%')")
op.execute(sa.text("UPDATE t SET n = 100 WHERE name LIKE '%100%'"))
t = sa.table("t", sa.column("id", sa.Integer), sa.column("name", sa.String),
             sa.column("n", sa.Integer), sa.column("d", sa.Date))
op.execute(t.insert().values(id=2, name="O'Brien", n=5, d=datetime.date(2024, 1, 31)))
op.execute(t.update().where(t.c.id == 2).values(n=t.c.n + 1))
op.execute(t.update().where(t.c.name == op.inline_literal("a:b %s 100%"))
           .values(d=op.inline_literal(datetime.date(2020, 2, 29))))
op.execute(t.delete().where(t.c.id == 99))
op.bulk_insert(t, [{"id": 10, "name": "x", "n": 1},
                   {"id": 11, "name": "y:z", "n": None, "d": datetime.date(2021, 12, 24)}],
               multiinsert=True)
op.execute(sa.text("UPDATE t SET n = :v WHERE id = :i").bindparams(v=3, i=10))
"""


@pytest.mark.parametrize("dialect", ALL)
def test_execute_and_bulk_insert_inline_every_value(tmp_path, dialect):
    root = make_project(tmp_path, DATA_TABLE, DATA_OPS)
    date = {"postgresql": "DATE '{}'", "oracle": "DATE '{}'", "mssql": "CAST('{}' AS DATE)"}.get(
        dialect, "'{}'")
    expected = [
        "INSERT INTO t (id, name) VALUES (1, 'a:b %s 100%')",
        "UPDATE t SET n = 100 WHERE name LIKE '%100%'",
        f"INSERT INTO t (id, name, n, d) VALUES (2, 'O''Brien', 5, {date.format('2024-01-31')})",
        "UPDATE t SET n=(t.n + 1) WHERE t.id = 2",
        f"UPDATE t SET d={date.format('2020-02-29')} WHERE t.name = 'a:b %s 100%'",
        "DELETE FROM t WHERE t.id = 99",
        "INSERT INTO t (id, name, n) VALUES (10, 'x', 1)",
        f"INSERT INTO t (id, name, n, d) VALUES (11, 'y:z', NULL, {date.format('2021-12-24')})",
        "UPDATE t SET n = 3 WHERE id = 10",
    ]
    stmts = statements(root, dialect)
    assert [s.sql for s in stmts] == expected
    assert all(s.dml for s in stmts)
    for s in stmts:
        no_placeholders(s.sql.replace("'a:b %s 100%'", "''").replace("'y:z'", "''"))


def test_bulk_insert_without_multiinsert_is_the_same(tmp_path):
    rows = """
        t = sa.table("t", sa.column("id", sa.Integer), sa.column("name", sa.String))
        op.bulk_insert(t, [{"id": 1, "name": "a"}, {"id": 2, "name": None}], multiinsert=%s)
    """
    multi = make_project(tmp_path / "m", DATA_TABLE, rows % True)
    single = make_project(tmp_path / "s", DATA_TABLE, rows % False)
    for dialect in ALL:
        assert sqls(multi, dialect) == sqls(single, dialect) == [
            "INSERT INTO t (id, name) VALUES (1, 'a')", "INSERT INTO t (id, name) VALUES (2, NULL)"]


def test_bulk_insert_unknown_column_is_an_error(tmp_path):
    root = make_project(tmp_path, DATA_TABLE, """
        t = sa.table("t", sa.column("id", sa.Integer))
        op.bulk_insert(t, [{"id": 1, "nope": 2}])  # <-
    """)
    err = expect_error(root, "postgresql", ScriptError)
    assert "nope" in str(err)


def test_execute_text_with_colon_word_inside_a_literal(tmp_path):
    root = make_project(tmp_path, DATA_TABLE, """
        op.execute(sa.text("UPDATE t SET name = 'at :noon 100%' WHERE id = 1"))  # <-
    """)
    try:
        out = sqls(root, "postgresql")
    except SqlbundleError as exc:  # refusing, with a hint, is fine too
        assert str(exc).startswith(f"{file_of(1)}:{line_of(root, 1)}: ")
        assert "noon" in str(exc)
        return
    assert out == ["UPDATE t SET name = 'at :noon 100%' WHERE id = 1"]


def test_execute_text_with_escaped_colon(tmp_path):
    root = make_project(tmp_path, DATA_TABLE, r"""
        op.execute(sa.text(r"UPDATE t SET name = 'at \:noon' WHERE id = 1"))
    """)
    assert sqls(root, "postgresql") == ["UPDATE t SET name = 'at :noon' WHERE id = 1"]


def test_execute_ddl_element_and_raw_ddl(tmp_path):
    root = make_project(tmp_path, DATA_TABLE, """
        op.execute(sa.schema.CreateSequence(sa.Sequence("seq_x")))
        op.execute("CREATE VIEW v AS SELECT id FROM t;")
        op.execute("   ")
    """)
    assert sqls(root, "postgresql") == ["CREATE SEQUENCE seq_x",
                                        "CREATE VIEW v AS SELECT id FROM t"]
    mssql = statements(root, "mssql")
    assert [s.batch_first for s in mssql] == [False, True]


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ENGINES)
def test_execute_and_bulk_insert_on_engine(tmp_path, engine_name):
    import datetime

    root = make_project(tmp_path / "p", DATA_TABLE, DATA_OPS)
    with throwaway(engine_name, tmp_path / "db") as db:
        apply_up(db, root)
        rows = db.query("SELECT id, name, n, d FROM t ORDER BY id")
        rows = [(i, name, n, d if d is None or isinstance(d, datetime.date)
                 else datetime.date.fromisoformat(d)) for i, name, n, d in rows]
        assert rows == [
            (1, "a:b %s 100%", 100, datetime.date(2020, 2, 29)),
            (2, "O'Brien", 6, datetime.date(2024, 1, 31)),
            (10, "x", 3, None),
            (11, "y:z", None, datetime.date(2021, 12, 24)),
        ]


# --------------------------------------------------------------------- context and autocommit


def test_offline_mode_and_autocommit_block(tmp_path):
    root = make_project(tmp_path, DATA_TABLE, """
        from alembic import context
        assert context.is_offline_mode() is True
        if context.is_offline_mode():
            op.execute("UPDATE t SET n = 1")
        with op.get_context().autocommit_block():
            op.execute("VACUUM")
        with context.get_context().autocommit_block():
            op.create_index("ix_t_n", "t", ["n"])
        op.execute("UPDATE t SET n = 2")
    """)
    stmts = statements(root, "postgresql")
    assert [(s.sql, s.autocommit) for s in stmts] == [
        ("UPDATE t SET n = 1", False), ("VACUUM", True),
        ("CREATE INDEX ix_t_n ON t (n)", True), ("UPDATE t SET n = 2", False)]
    body = step_lines(script(root, "postgresql"), 2)
    assert body[:11] == ["BEGIN;", "SET LOCAL lock_timeout = '5000ms';", "UPDATE t SET n = 1;",
                         "COMMIT;", "SET lock_timeout = '5000ms';", "VACUUM;",
                         "RESET lock_timeout;", "SET lock_timeout = '5000ms';",
                         "CREATE INDEX ix_t_n ON t (n);", "RESET lock_timeout;", "BEGIN;"]
    mssql = script(root, "mssql").split("-- Upgrade 2/2")[1]
    assert "COMMIT;\nGO\nVACUUM;\nGO\nCREATE INDEX ix_t_n ON t (n);\nGO\nBEGIN TRANSACTION;\nGO" \
        in mssql


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ["postgresql", "sqlite"])
def test_autocommit_block_on_engine(tmp_path, engine_name):
    root = make_project(tmp_path / "p", DATA_TABLE, """
        op.execute("INSERT INTO t (id) VALUES (1)")
        with op.get_context().autocommit_block():
            op.execute("VACUUM")
        op.execute("UPDATE t SET n = 2")
    """)
    with throwaway(engine_name, tmp_path / "db") as db:
        apply_up(db, root)
        assert db.query("SELECT id, n FROM t") == [(1, 2)]
        assert db.version_rows() == [REVS[1]]


# -------------------------------------------------------------------------- batch_alter_table

BATCH = """
with op.batch_alter_table("t") as batch_op:
    batch_op.add_column(sa.Column("age", sa.Integer, nullable=True))
    batch_op.alter_column("name", new_column_name="title", existing_type=sa.String(20))
    batch_op.drop_column("old")
    batch_op.create_index(op.f("ix_t_age"), ["age"])
    batch_op.create_unique_constraint("uq_t_title", ["title"])
"""
BATCH_BASE = """
op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("name", sa.String(20)), sa.Column("old", sa.Integer),
                sa.Index("ix_t_name", "name"))
op.execute("INSERT INTO t (id, name, old) VALUES (1, 'a', 2)")
"""


def test_batch_alter_table(tmp_path):
    root = make_project(tmp_path, BATCH_BASE, BATCH)
    assert sqls(root, "postgresql") == [
        "ALTER TABLE t ADD COLUMN age INTEGER",
        "ALTER TABLE t RENAME COLUMN name TO title",
        'ALTER TABLE t DROP COLUMN "old"',
        "CREATE INDEX ix_t_age ON t (age)",
        "ALTER TABLE t ADD CONSTRAINT uq_t_title UNIQUE (title)",
    ]
    assert sqls(root, "mysql") == [
        "ALTER TABLE t ADD COLUMN age INTEGER",
        "ALTER TABLE t CHANGE name title VARCHAR(20)",
        "ALTER TABLE t DROP COLUMN old",
        "CREATE INDEX ix_t_age ON t (age)",
        "ALTER TABLE t ADD CONSTRAINT uq_t_title UNIQUE (title)",
    ]
    assert sqls(root, "sqlite") == [
        "ALTER TABLE t ADD COLUMN age INTEGER",
        "ALTER TABLE t RENAME COLUMN name TO title",
        "ALTER TABLE t DROP COLUMN old",
        "CREATE INDEX ix_t_age ON t (age)",
        table_sql("_sqlbundle_tmp_t", "id INTEGER NOT NULL", "title VARCHAR(20)", "age INTEGER",
                  "PRIMARY KEY (id)", "CONSTRAINT uq_t_title UNIQUE (title)"),
        "INSERT INTO _sqlbundle_tmp_t (id, title, age) SELECT id, title, age FROM t",
        "DROP TABLE t",
        "ALTER TABLE _sqlbundle_tmp_t RENAME TO t",
        "CREATE INDEX ix_t_name ON t (title)",
        "CREATE INDEX ix_t_age ON t (age)",
    ]


@pytest.mark.engine
@pytest.mark.parametrize("engine_name", ENGINES)
def test_batch_alter_table_on_engine(tmp_path, engine_name):
    root = make_project(tmp_path / "p", BATCH_BASE, BATCH)
    with throwaway(engine_name, tmp_path / "db") as db:
        apply_up(db, root)
        assert list(columns_of(db, "t")) == ["id", "title", "age"]
        assert db.query("SELECT id, title, age FROM t") == [(1, "a", None)]
        t = table_of(db, "t")
        assert t["unique_constraints"] == [{"name": "uq_t_title", "columns": ["title"]}]
        assert {i["name"]: i["columns"] for i in t["indexes"]} == \
            {"ix_t_age": ["age"], "ix_t_name": ["title"]}


# ------------------------------------------------------------------------- PostgreSQL enums

ENUM_TABLES = """
mood = sa.Enum("happy", "sad", name="mood")
op.create_table("a", sa.Column("id", sa.Integer, primary_key=True), sa.Column("m", mood))
op.create_table("b", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("m", sa.Enum("happy", "sad", name="mood"), nullable=False))
op.add_column("a", sa.Column("other", postgresql.ENUM("x", "y", name="other")))
op.add_column("b", sa.Column("again", sa.Enum("happy", "sad", name="mood")))
"""


def test_native_enum_created_once_before_first_use(tmp_path):
    root = make_project(tmp_path, ENUM_TABLES)
    assert sqls(root, "postgresql") == [
        "CREATE TYPE mood AS ENUM ('happy', 'sad')",
        table_sql("a", "id SERIAL NOT NULL", "m mood", "PRIMARY KEY (id)"),
        table_sql("b", "id SERIAL NOT NULL", "m mood NOT NULL", "PRIMARY KEY (id)"),
        "CREATE TYPE other AS ENUM ('x', 'y')",
        "ALTER TABLE a ADD COLUMN other other",
        "ALTER TABLE b ADD COLUMN again mood",
    ]
    # Inline elsewhere.
    assert sqls(root, "mysql")[0] == table_sql(
        "a", "id INTEGER NOT NULL AUTO_INCREMENT", "m ENUM('happy','sad')", "PRIMARY KEY (id)")
    assert not any("CREATE TYPE" in s for s in sqls(root, "sqlite"))


def test_native_enum_known_from_an_earlier_revision(tmp_path):
    root = make_project(tmp_path, ENUM_TABLES, """
        op.create_table("c", sa.Column("m", sa.Enum("happy", "sad", name="mood")))
    """)
    assert sqls(root, "postgresql") == [table_sql("c", "m mood")]


ENUM_CREATE = """
postgresql.ENUM("x", "y", name="letters").create(op.get_bind(), checkfirst=True)
op.create_table("c", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("l", postgresql.ENUM("x", "y", name="letters", create_type=False)))
sa.Enum("p", "q", name="pq").create(op.get_bind(), checkfirst=False)
"""


def test_enum_create_checkfirst_is_a_do_block(tmp_path):
    root = make_project(tmp_path, ENUM_CREATE)
    stmts = statements(root, "postgresql")
    do = stmts[0]
    assert do.block
    assert do.sql.startswith("DO $sqlbundle$\nBEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_type t")
    assert "WHERE t.typname = 'letters'" in do.sql
    assert do.sql.endswith("        CREATE TYPE letters AS ENUM ('x', 'y');\n"
                           "    END IF;\nEND\n$sqlbundle$")
    assert not do.sql.lstrip().startswith("CREATE TYPE")
    assert [s.sql for s in stmts[1:]] == [
        table_sql("c", "id SERIAL NOT NULL", "l letters", "PRIMARY KEY (id)"),
        "CREATE TYPE pq AS ENUM ('p', 'q')",
    ]
    # Other dialects have no named types: nothing to create.
    assert sqls(root, "mysql") == [table_sql("c", "id INTEGER NOT NULL AUTO_INCREMENT",
                                             "l ENUM('x','y')", "PRIMARY KEY (id)")]


def test_enum_create_type_false_is_not_created(tmp_path):
    root = make_project(tmp_path, """
        op.execute("CREATE TYPE letters AS ENUM ('x', 'y')")
        op.create_table("c", sa.Column("l", postgresql.ENUM("x", "y", name="letters",
                                                            create_type=False)))
    """)
    assert sqls(root, "postgresql") == ["CREATE TYPE letters AS ENUM ('x', 'y')",
                                        table_sql("c", "l letters")]


@pytest.mark.engine
def test_enums_on_postgresql(pg, tmp_path):
    root = make_project(tmp_path / "p", ENUM_TABLES, ENUM_CREATE)
    pg.query("CREATE TYPE letters AS ENUM ('x', 'y')")  # exists already: the DO block skips it
    apply_up(pg, root)
    types = pg.query("SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) "
                     "FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname "
                     "ORDER BY t.typname")
    assert types == [("letters", "x,y"), ("mood", "happy,sad"), ("other", "x,y"), ("pq", "p,q")]
    pg.query("INSERT INTO b (m, again) VALUES ('sad', 'happy')")
    with pytest.raises(Exception, match="invalid input value for enum mood"):
        pg.query("INSERT INTO b (m) VALUES ('angry')")


@pytest.mark.engine
def test_enum_checkfirst_do_block_when_type_is_missing(pg, tmp_path):
    root = make_project(tmp_path / "p", ENUM_CREATE)
    apply_up(pg, root)
    pg.query("INSERT INTO c (l) VALUES ('y')")
    assert pg.query("SELECT l::text FROM c") == [("y",)]


# ---------------------------------------------------------------------------------- schema=

SCHEMA_OPS = """
op.create_table("c", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("l", sa.Enum("x", "y", name="letters", schema="s1")), schema="s1")
op.create_index("ix_c_l", "c", ["l"], schema="s1")
op.add_column("c", sa.Column("z", sa.Integer, server_default="1"), schema="s1")
op.create_unique_constraint("uq_c_z", "c", ["z"], schema="s1")
op.drop_index("ix_c_l", table_name="c", schema="s1")
"""


def test_schema_on_create_table_add_column_create_index(tmp_path):
    root = make_project(tmp_path, SCHEMA_OPS)
    assert sqls(root, "postgresql") == [
        "CREATE TYPE s1.letters AS ENUM ('x', 'y')",
        table_sql("s1.c", "id SERIAL NOT NULL", "l s1.letters", "PRIMARY KEY (id)"),
        "CREATE INDEX ix_c_l ON s1.c (l)",
        "ALTER TABLE s1.c ADD COLUMN z INTEGER DEFAULT '1'",
        "ALTER TABLE s1.c ADD CONSTRAINT uq_c_z UNIQUE (z)",
        "DROP INDEX s1.ix_c_l",
    ]
    assert sqls(root, "mssql")[1:] == [
        "CREATE INDEX ix_c_l ON s1.c (l)",
        "ALTER TABLE s1.c ADD z INTEGER NULL DEFAULT '1'",
        "ALTER TABLE s1.c ADD CONSTRAINT uq_c_z UNIQUE (z)",
        "DROP INDEX ix_c_l ON s1.c",
    ]
    assert sqls(root, "mariadb")[1:] == [
        "CREATE INDEX ix_c_l ON s1.c (l)",
        "ALTER TABLE s1.c ADD COLUMN z INTEGER DEFAULT '1'",
        "ALTER TABLE s1.c ADD CONSTRAINT uq_c_z UNIQUE (z)",
        "DROP INDEX ix_c_l ON s1.c",
    ]


def test_schema_is_part_of_the_table_identity(tmp_path):
    root = make_project(tmp_path, SCHEMA_OPS, """
        op.add_column("c", sa.Column("w", sa.Integer))  # <-
    """)
    err = expect_error(root, "postgresql", ScriptError)
    assert "table 'c' does not exist" in str(err)


@pytest.mark.engine
def test_schema_on_postgresql(pg, tmp_path):
    root = make_project(tmp_path / "p", 'op.execute("CREATE SCHEMA s1")\n' + SCHEMA_OPS)
    apply_up(pg, root)
    assert pg.query("SELECT column_name FROM information_schema.columns WHERE "
                    "table_schema = 's1' AND table_name = 'c' ORDER BY ordinal_position") == \
        [("id",), ("l",), ("z",)]
    assert pg.query("SELECT n.nspname FROM pg_type t JOIN pg_namespace n ON n.oid = "
                    "t.typnamespace WHERE t.typname = 'letters'") == [("s1",)]
    assert pg.query("SELECT conname FROM pg_constraint WHERE conname = 'uq_c_z'") == [("uq_c_z",)]


# ------------------------------------------------------------------ dialect version details


def test_boolean_on_oracle_19_is_smallint(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("flag", sa.Boolean, nullable=False))
    """)
    assert sqls(root, "oracle@19") == [table_sql("t", "flag SMALLINT NOT NULL")]


def test_boolean_on_oracle_23_is_boolean(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("flag", sa.Boolean, nullable=False))
    """)
    assert sqls(root, "oracle@23") == [table_sql("t", "flag BOOLEAN NOT NULL")]


def test_now_default_on_mysql_57(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("ts", sa.DateTime, server_default=sa.func.now()))
    """)
    [create] = sqls(root, "mysql@5.7")
    assert "(now())" not in create and re.search(r"DEFAULT (CURRENT_TIMESTAMP|now\(\))", create)


def test_expression_default_refused_on_mysql_57(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("x", sa.String(36), server_default=sa.text("uuid()")))  # <-
    """)
    err = expect_error(root, "mysql@5.7", Unsupported, rev_index=0)
    assert "expression default" in str(err)
    assert "uuid()" in sqls(root, "mysql@8.0")[0]


# --------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("body, exc_type, message", [
    ('op.get_bind().execute(sa.text("select 1")).fetchall()  # <-', ScriptError,
     "reading query results is not possible"),
    ('op.get_bind().execute(sa.select(sa.literal(1)))  # <-', ScriptError,
     "SELECT cannot run offline"),
    ('op.get_bind().execute(sa.text("UPDATE t SET name = \'x\'")).fetchall()  # <-',
     ScriptError, "reading query results is not possible"),
    ('op.get_bind().execute(sa.text("UPDATE t SET name = :x"), {"x": 1})  # <-', ScriptError,
     "bind parameters cannot be executed offline"),
    ('op.execute(sa.select(sa.literal(1)))  # <-', ScriptError, "SELECT cannot run offline"),
    ('op.drop_column("t", "nope")  # <-', ScriptError, "column t.nope does not exist"),
    ('op.create_index("ix_x", "missing", ["a"])  # <-', ScriptError,
     "table 'missing' does not exist"),
    ('op.create_index("ix_x", "t", ["nope"])  # <-', ScriptError, "missing column t.nope"),
    ('op.add_column("missing", sa.Column("a", sa.Integer))  # <-', ScriptError,
     "table 'missing' does not exist"),
    ('op.add_column("t", sa.Column("name", sa.Integer))  # <-', ScriptError,
     "column t.name already exists"),
    ('op.alter_column("t", "nope", nullable=False)  # <-', ScriptError,
     "column t.nope does not exist"),
    ('op.drop_table("missing")  # <-', ScriptError, "table 'missing' does not exist"),
    ('op.drop_index("ix_missing", table_name="t")  # <-', ScriptError,
     "index 'ix_missing' on table 't' does not exist"),
    ('op.create_table("t", sa.Column("id", sa.Integer))  # <-', ScriptError,
     "table 't' already exists"),
    ('op.create_foreign_key("fk", "t", "missing", ["id"], ["id"])  # <-', ScriptError,
     "'missing', which does not exist"),
    ('op.create_index("ix_" + "x" * 67, "t", ["name"])  # <-', Unsupported,
     "is 70 characters; PostgreSQL allows 63"),
    ('op.add_column("t", sa.Column("c" * 64, sa.Integer))  # <-', Unsupported,
     "is 64 characters; PostgreSQL allows 63"),
    ('op.rename_table("t", "t" * 64)  # <-', Unsupported, "is 64 characters"),
    ('op.create_unique_constraint("u" * 64, "t", ["name"])  # <-', Unsupported,
     "is 64 characters"),
    ('op.create_exclude_constraint("ex", "t", ("name", "="))\nop.drop_column("t", "x")  # <-',
     ScriptError, "t.x does not exist"),
    ('op.invent_table("t")  # <-', ScriptError, "op.invent_table is not supported"),
    ('op.get_context().script  # <-', ScriptError, "not available offline"),
    ('op.get_context().begin_transaction()  # <-', ScriptError, "belongs in env.py"),
    ('raise ValueError("boom")  # <-', ScriptError, "ValueError: boom"),
])
def test_errors_name_the_file_and_line(tmp_path, body, exc_type, message):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("name", sa.String(20)))
    """, body)
    err = expect_error(root, "postgresql", exc_type)
    assert message in str(err)
    assert "Traceback" not in str(err)


def test_unsupported_operation_errors_name_the_dialect(tmp_path):
    root = make_project(tmp_path, EXCLUDE.replace("postgresql.TSRANGE", "sa.String(40)"), """
        op.create_exclude_constraint("ex_r", "r", ("during", "&&"))  # <-
    """)
    err = expect_error(root, "mysql@8.0", Unsupported)
    assert "(dialect mysql@8.0)" in str(err)
    assert isinstance(err, SqlbundleError)


def test_identifier_limit_on_oracle_121(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("name", sa.String(20)))
    """, """
        op.create_index("ix_" + "x" * 28, "t", ["name"])  # <-
    """)
    assert sqls(root, "oracle@19") == [f"CREATE INDEX ix_{'x' * 28} ON t (name)"]
    err = expect_error(root, "oracle@12.1", Unsupported)
    assert "31 characters" in str(err)


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ, SQLBUNDLE_NO_CACHE="1")
    env.pop("SQLBUNDLE_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(root), *args],
                          capture_output=True, text=True, env=env, cwd=root, timeout=60)


@pytest.mark.parametrize("body", [
    'op.drop_column("t", "nope")  # <-',
    'op.get_bind().execute(sa.text("select 1")).fetchall()  # <-',
    'op.create_index("ix_" + "x" * 67, "t", ["name"])  # <-',
])
def test_cli_reports_one_error_and_exits_2(tmp_path, body):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("name", sa.String(20)))
    """, body)
    proc = run_cli(root, "upgrade", "heads", "-d", "postgresql")
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    first, *rest = proc.stderr.rstrip("\n").split("\n")
    assert first.startswith(f"error: {file_of(1)}:{line_of(root, 1)}: "), proc.stderr
    assert all(line.startswith("  hint: ") for line in rest), proc.stderr


def test_cli_prints_the_sql(tmp_path):
    root = make_project(tmp_path, PARENT, CHILD)
    proc = run_cli(root, "upgrade", "heads", "-d", "postgresql")
    assert proc.returncode == 0, proc.stderr
    expected = render_script(compiled(root, "postgresql", "heads"), "Upgrade")
    assert proc.stdout == expected


def test_cli_never_shows_a_traceback(tmp_path):
    root = make_project(tmp_path, """
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("n", sa.Integer))
    """, """
        op.alter_column("t", "n", server_default=sa.text("42"))  # <-
    """)
    proc = run_cli(root, "upgrade", "heads", "-d", "postgresql")
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 2)
