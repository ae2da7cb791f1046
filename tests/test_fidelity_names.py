"""Names the database generated (issue 11, "Real Alembic histories work unchanged").

Real histories create constraints without a name (an inline ``sa.ForeignKey``, ``unique=True``,
a ``CheckConstraint`` without ``name=``, ``metadata.create_all``) and later drop them by the name
the database gave them: ``posts_author_id_fkey`` on PostgreSQL, ``posts_ibfk_1`` on MariaDB.
The replay must know those names (src/sqlbundle/gennames.py). Engine tests build each history
with Alembic and with sqlbundle (tests/twin.py): Alembic's own drops only run if the name is the
one the database really gave, and the two databases must end equal, after the downgrade too.
SQL Server, Oracle and Snowflake name constraints unpredictably: exact SQL of the lookups.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sqlglot

from sqlbundle.compile.steps import compile_range
from sqlbundle.errors import SqlbundleError
from sqlbundle.schema.gennames import pg_object_name
from sqlbundle.project.model import open_project
from engines import throwaway
from twin import alembic_sql, meaning, sqlbundle_sql, twin, write_project

USERS_POSTS = """
op.create_table("users", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("email", sa.String(50)), sa.Column("name", sa.String(50)))
op.create_table(
    "posts",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id")),
    sa.Column("editor_id", sa.Integer, sa.ForeignKey("users.id")),
    sa.Column("slug", sa.String(50), unique=True),
    sa.Column("score", sa.Integer, sa.CheckConstraint("score >= 0")),
    sa.Column("rank", sa.Integer),
    sa.CheckConstraint("rank > 0"),
)
"""
DROP_BOTH = """
op.drop_table("posts")
op.drop_table("users")
"""


def statements(root: Path, target: str, step: int = -1) -> list[str]:
    project = open_project(root, use_cache=False)
    return [s.sql for s in compile_range(project, "base:heads", target).steps[step].statements]


# ---------------------------------------------------------------------------- PostgreSQL


@pytest.mark.engine
def test_postgresql_drops_inline_unnamed_constraints_by_generated_names(tmp_path):
    twin(tmp_path, "postgresql", (USERS_POSTS, DROP_BOTH), ("""
op.drop_constraint("posts_author_id_fkey", "posts", type_="foreignkey")
op.drop_constraint("posts_slug_key", "posts", type_="unique")
op.drop_constraint("posts_score_check", "posts", type_="check")
op.drop_constraint("posts_rank_check", "posts", type_="check")
op.drop_constraint("posts_pkey", "posts", type_="primary")
""", """
op.create_primary_key("posts_pkey", "posts", ["id"])
op.create_check_constraint("posts_rank_check", "posts", "rank > 0")
op.create_check_constraint("posts_score_check", "posts", "score >= 0")
op.create_unique_constraint("posts_slug_key", "posts", ["slug"])
op.create_foreign_key("posts_author_id_fkey", "posts", "users", ["author_id"], ["id"])
"""), downgrade=True)


@pytest.mark.engine
def test_postgresql_names_constraints_added_later(tmp_path):
    twin(tmp_path, "postgresql", (USERS_POSTS, DROP_BOTH), ("""
op.create_foreign_key(None, "posts", "users", ["rank"], ["id"])
op.create_unique_constraint(None, "users", ["email", "name"])
op.create_check_constraint(None, "posts", "score < rank")
op.create_check_constraint(None, "posts", "1 = 1")
op.add_column("posts", sa.Column("reviewer_id", sa.Integer, sa.ForeignKey("users.id"),
                                 unique=True))
op.add_column("users", sa.Column("age", sa.Integer, sa.CheckConstraint("age > 17")))
""", """
op.drop_column("users", "age")
op.drop_column("posts", "reviewer_id")
op.drop_constraint("posts_check1", "posts", type_="check")
op.drop_constraint("posts_check", "posts", type_="check")
op.drop_constraint("users_email_name_key", "users", type_="unique")
op.drop_constraint("posts_rank_fkey", "posts", type_="foreignkey")
"""), ("""
op.drop_constraint("posts_reviewer_id_fkey", "posts", type_="foreignkey")
op.drop_constraint("posts_reviewer_id_key", "posts", type_="unique")
op.drop_constraint("users_age_check", "users", type_="check")
op.drop_constraint("posts_editor_id_fkey", "posts", type_="foreignkey")
""", """
op.create_foreign_key("posts_editor_id_fkey", "posts", "users", ["editor_id"], ["id"])
op.create_check_constraint("users_age_check", "users", "age > 17")
op.create_unique_constraint("posts_reviewer_id_key", "posts", ["reviewer_id"])
op.create_foreign_key("posts_reviewer_id_fkey", "posts", "users", ["reviewer_id"], ["id"])
"""), downgrade=True)


@pytest.mark.engine
def test_postgresql_numbers_names_that_clash(tmp_path):
    # A renamed table keeps its constraints' names, so the new "users" gets users_pkey1 and
    # users_email_key1; a second unnamed CHECK on one column gets _check1.
    twin(tmp_path, "postgresql", ("""
op.create_table("users", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("email", sa.String(50), unique=True),
                sa.Column("age", sa.Integer),
                sa.CheckConstraint("age > 0"), sa.CheckConstraint("age < 200"))
op.rename_table("users", "people")
op.create_table("users", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("email", sa.String(50), unique=True))
""", """
op.drop_table("users")
op.drop_table("people")
"""), ("""
op.drop_constraint("users_email_key1", "users", type_="unique")
op.drop_constraint("users_pkey1", "users", type_="primary")
op.drop_constraint("users_age_check1", "people", type_="check")
op.drop_constraint("users_email_key", "people", type_="unique")
""", """
op.create_unique_constraint("users_email_key", "people", ["email"])
op.create_check_constraint("users_age_check1", "people", "age < 200")
op.create_primary_key("users_pkey1", "users", ["id"])
op.create_unique_constraint("users_email_key1", "users", ["email"])
"""), downgrade=True)


@pytest.mark.engine
def test_postgresql_dropped_column_takes_its_checks_and_frees_their_names(tmp_path):
    # PostgreSQL drops the CHECKs that mention a dropped column; a new one takes the name back.
    twin(tmp_path, "postgresql", (USERS_POSTS, DROP_BOTH), ("""
op.drop_column("posts", "rank")
op.add_column("posts", sa.Column("rank", sa.Integer, sa.CheckConstraint("rank > 1")))
op.drop_constraint("posts_rank_check", "posts", type_="check")
""", """
op.drop_column("posts", "rank")
op.add_column("posts", sa.Column("rank", sa.Integer))
op.create_check_constraint("posts_rank_check", "posts", "rank > 0")
"""), downgrade=True)


@pytest.mark.engine
def test_sqlite_dropped_column_takes_the_checks_that_mention_it(tmp_path):
    # SQLite's own DROP COLUMN refuses a column a table CHECK uses (Alembic's SQL fails): the
    # table copy leaves the CHECK out, as PostgreSQL would drop it.
    _, up, down = meaning(tmp_path, "sqlite", (USERS_POSTS, DROP_BOTH), ("""
op.drop_column("posts", "rank")
""", """
op.add_column("posts", sa.Column("rank", sa.Integer))
op.create_check_constraint(None, "posts", "rank > 0")
"""), downgrade=True)
    assert [c["sqltext"] for c in up["tables"]["posts"]["check_constraints"]] == ["score >= 0"]


LONG_TABLE = "subscription_renewal_notification_preferences_by_region"  # 56 bytes
LONG_COLUMN = "preferred_notification_delivery_channel_identifier"  # 51 bytes
ACCENTED = "table" + "é" * 28  # 61 bytes: a cut at 54 bytes falls inside an "é"


@pytest.mark.parametrize("name1, name2, label, expected", [
    # The longer part loses a byte at a time until all fits 63 bytes; a character is never
    # split (each expected name read back from PostgreSQL 15).
    ("averyveryveryveryveryverylongtablenamethatgoesonandonandonx",
     "averyveryveryverylongcolumnnamethatgoesonandon", "key",
     "averyveryveryveryveryverylong_averyveryveryverylongcolumnna_key"),
    ("averyveryveryveryveryverylongtablenamethatgoesonandonandonx", "shortcol", "key",
     "averyveryveryveryveryverylongtablenamethatgoesonan_shortcol_key"),
    (LONG_TABLE, LONG_COLUMN, "fkey",
     "subscription_renewal_notifica_preferred_notification_deliv_fkey"),
    ("tablé" * 10 + "tab", None, "pkey", "tablé" * 9 + "tabl_pkey"),
    ("tabl" + "é" * 29, "ééé", "key", "tabl" + "é" * 24 + "_ééé_key"),
    (ACCENTED, "code", "key", "table" + "é" * 24 + "_code_key"),
    ("users", None, "pkey1", "users_pkey1"),
])
def test_pg_object_name_truncates_as_postgresql(name1, name2, label, expected):
    assert pg_object_name(name1, name2, label) == expected
    assert len(expected.encode()) <= 63


@pytest.mark.engine
def test_postgresql_truncates_long_generated_names_to_63_bytes(tmp_path):
    fk = "subscription_renewal_notifica_preferred_notification_deliv_fkey"
    key = "table" + "é" * 24 + "_code_key"
    twin(tmp_path, "postgresql", (f"""
op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))
op.create_table("{LONG_TABLE}", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("{LONG_COLUMN}", sa.Integer, sa.ForeignKey("users.id")))
op.create_table("{ACCENTED}", sa.Column("code", sa.String(10), unique=True))
""", f"""
op.drop_table("{ACCENTED}")
op.drop_table("{LONG_TABLE}")
op.drop_table("users")
"""), (f"""
op.drop_constraint("{fk}", "{LONG_TABLE}", type_="foreignkey")
op.drop_constraint("{key}", "{ACCENTED}", type_="unique")
""", f"""
op.create_unique_constraint("{key}", "{ACCENTED}", ["code"])
op.create_foreign_key("{fk}", "{LONG_TABLE}", "users", ["{LONG_COLUMN}"], ["id"])
"""), downgrade=True)


CREATE_ALL = """
meta = sa.MetaData()
sa.Table("users", meta, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("email", sa.String(50), unique=True),
         sa.Column("name", sa.String(50), index=True),
         sa.Column("kind", sa.Enum("staff", "guest", name="user_kind")))
sa.Table("posts", meta, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("author_id", sa.ForeignKey("users.id"), nullable=False),
         sa.Column("score", sa.Integer), sa.CheckConstraint("score > 0"))
"""


@pytest.mark.engine
@pytest.mark.parametrize("engine_name, fk, unique", [
    ("postgresql", "posts_author_id_fkey", "users_email_key"),
    ("mariadb", "posts_ibfk_1", "email"),
])
def test_create_all_constraints_dropped_by_generated_names(tmp_path, engine_name, fk, unique):
    # metadata.create_all(op.get_bind()): Alembic writes the CREATE TABLEs offline (and
    # drop_all the DROPs, enum types included); so do we.
    twin(tmp_path, engine_name, ("meta.create_all(op.get_bind())",
                                 "meta.drop_all(op.get_bind())"), (f"""
op.drop_constraint("{fk}", "posts", type_="foreignkey")
op.drop_constraint("{unique}", "users", type_="unique")
""", f"""
op.create_unique_constraint("{unique}", "users", ["email"])
op.create_foreign_key("{fk}", "posts", "users", ["author_id"], ["id"])
"""), preamble=CREATE_ALL, downgrade=True)


# ---------------------------------------------------------------------------- MariaDB (MySQL)


FK_TABLES = """
for name in ("users", "teams", "tags", "files"):
    op.create_table(name, sa.Column("id", sa.Integer, primary_key=True))
"""
DROP_FK_TABLES = """
for name in ("files", "tags", "teams", "users"):
    op.drop_table(name)
"""


@pytest.mark.engine
def test_mariadb_numbers_foreign_keys_in_declaration_order(tmp_path):
    # posts_ibfk_<n> follows the order the migration declares them (a table-level
    # ForeignKeyConstraint exists before the Table makes the ones of its columns), so the
    # history drops the key it means.
    twin(tmp_path, "mariadb", (FK_TABLES, DROP_FK_TABLES), ("""
op.create_table(
    "posts",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id")),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id")),
    sa.Column("tag_id", sa.Integer, sa.ForeignKey("tags.id")),
    sa.Column("file_id", sa.Integer),
    sa.ForeignKeyConstraint(["file_id"], ["files.id"]),
)
""", 'op.drop_table("posts")'), ("""
op.drop_constraint("posts_ibfk_3", "posts", type_="foreignkey")
op.drop_constraint("posts_ibfk_1", "posts", type_="foreignkey")
""", """
op.create_foreign_key("posts_ibfk_1", "posts", "files", ["file_id"], ["id"])
op.create_foreign_key("posts_ibfk_3", "posts", "teams", ["team_id"], ["id"])
"""), downgrade=True)


def test_mysql_create_table_lists_foreign_keys_in_declaration_order(tmp_path):
    columns = "".join(f'    sa.Column("c{i}", sa.Integer, sa.ForeignKey("t{i}.id")),\n'
                      for i in (5, 2, 7, 1, 6, 3, 4))
    root = write_project(tmp_path, "\n".join(
        f'op.create_table("t{i}", sa.Column("id", sa.Integer, primary_key=True))'
        for i in range(1, 8)) + f'\nop.create_table("posts",\n{columns})\n')
    for target in ("mysql", "mariadb"):
        create = statements(root, target)[-1]
        assert [int(line.split("REFERENCES t")[1][0]) for line in create.splitlines()
                if "FOREIGN KEY" in line] == [5, 2, 7, 1, 6, 3, 4]


@pytest.mark.engine
def test_mariadb_foreign_keys_added_later_number_after_the_highest(tmp_path):
    twin(tmp_path, "mariadb", (FK_TABLES, DROP_FK_TABLES), ("""
op.create_table("posts", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id")),
                sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id")),
                sa.Column("tag_id", sa.Integer))
op.drop_constraint("posts_ibfk_1", "posts", type_="foreignkey")
op.create_foreign_key(None, "posts", "tags", ["tag_id"], ["id"])
op.add_column("posts", sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id")))
""", 'op.drop_table("posts")'), ("""
op.drop_constraint("posts_ibfk_3", "posts", type_="foreignkey")
op.drop_constraint("posts_ibfk_4", "posts", type_="foreignkey")
""", """
op.create_foreign_key("posts_ibfk_4", "posts", "files", ["file_id"], ["id"])
op.create_foreign_key("posts_ibfk_3", "posts", "tags", ["tag_id"], ["id"])
"""), downgrade=True)


@pytest.mark.engine
def test_mariadb_renamed_table_renames_its_generated_foreign_keys(tmp_path):
    twin(tmp_path, "mariadb", (FK_TABLES, DROP_FK_TABLES), ("""
op.create_table("posts", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id")))
op.rename_table("posts", "articles")
op.create_foreign_key(None, "articles", "teams", ["id"], ["id"])
""", 'op.drop_table("articles")'), ("""
op.drop_constraint("articles_ibfk_1", "articles", type_="foreignkey")
op.drop_constraint("articles_ibfk_2", "articles", type_="foreignkey")
""", """
op.create_foreign_key("articles_ibfk_2", "articles", "teams", ["id"], ["id"])
op.create_foreign_key("articles_ibfk_1", "articles", "users", ["author_id"], ["id"])
"""), downgrade=True)


@pytest.mark.engine
def test_mariadb_unique_keys_are_named_after_their_first_column(tmp_path):
    # unique=True on email: "email"; then (email, name): "email_2"; added later: "email_3".
    # MySQL histories drop them with drop_constraint or, as autogenerate writes, drop_index.
    twin(tmp_path, "mariadb", ("""
op.create_table("users", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("email", sa.String(50), unique=True),
                sa.Column("name", sa.String(50)),
                sa.UniqueConstraint("email", "name"))
op.create_unique_constraint(None, "users", ["email", "id"])
""", 'op.drop_table("users")'), ("""
op.drop_constraint("email_2", "users", type_="unique")
op.drop_index("email_3", table_name="users")
op.drop_constraint("email", "users", type_="unique")
""", """
op.create_unique_constraint("email", "users", ["email"])
op.create_index("email_3", "users", ["email", "id"], unique=True)
op.create_unique_constraint("email_2", "users", ["email", "name"])
"""), downgrade=True)


@pytest.mark.engine
def test_mariadb_index_made_for_a_foreign_key_is_known_by_its_name(tmp_path):
    # MariaDB adds an index for a foreign key no index serves: named after the constraint, or
    # its first column. Histories drop it after the key; one made by index=True replaces it.
    twin(tmp_path, "mariadb", (FK_TABLES, DROP_FK_TABLES), ("""
op.create_table("posts", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id")),
                sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), index=True),
                sa.Column("tag_id", sa.Integer))
op.create_foreign_key("fk_posts_tags", "posts", "tags", ["tag_id"], ["id"])
op.create_index("team_id", "posts", ["id", "tag_id"])
""", 'op.drop_table("posts")'), ("""
op.drop_constraint("posts_ibfk_1", "posts", type_="foreignkey")
op.drop_index("author_id", table_name="posts")
op.drop_constraint("fk_posts_tags", "posts", type_="foreignkey")
op.drop_index("fk_posts_tags", table_name="posts")
""", """
op.create_index("fk_posts_tags", "posts", ["tag_id"])
op.create_foreign_key("fk_posts_tags", "posts", "tags", ["tag_id"], ["id"])
op.create_index("author_id", "posts", ["author_id"])
op.create_foreign_key("posts_ibfk_1", "posts", "users", ["author_id"], ["id"])
"""), downgrade=True)


MARIADB_CHECKS = """
op.create_table("scores", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("low", sa.Integer, sa.CheckConstraint("low >= 0")),
                sa.Column("high", sa.Integer),
                sa.CheckConstraint("high >= low"), sa.CheckConstraint("high < 1000"))
"""
CHECK_NAMES = """SELECT constraint_name, level, check_clause FROM information_schema.check_constraints
WHERE constraint_schema = DATABASE() AND table_name = 'scores' ORDER BY 1"""


@pytest.mark.engine
def test_mariadb_names_checks_like_alembic_builds_them(tmp_path):
    # A CHECK declared on a column is written on it, and MariaDB names it after the column;
    # the others are CONSTRAINT_1, CONSTRAINT_2 (as in the database Alembic builds).
    root = write_project(tmp_path / "project", MARIADB_CHECKS, engine_name="mariadb")
    with throwaway("mariadb", tmp_path / "alembic") as a, \
            throwaway("mariadb", tmp_path / "ours") as b:
        a.apply(alembic_sql(root, "upgrade", "heads"))
        b.apply(sqlbundle_sql(root, "mariadb"))
        assert b.query(CHECK_NAMES) == a.query(CHECK_NAMES) == [
            ("CONSTRAINT_1", "Table", "`high` >= `low`"),
            ("CONSTRAINT_2", "Table", "`high` < 1000"), ("low", "Column", "`low` >= 0")]


@pytest.mark.engine
def test_mariadb_drops_generated_check_names(tmp_path):
    # Alembic writes MySQL's DROP CHECK, which MariaDB rejects: the migration's meaning judges.
    # A CHECK added later takes the first free CONSTRAINT_<n>; one on a column is dropped by
    # restating the column (and kept through a rename).
    root = write_project(tmp_path / "project", (MARIADB_CHECKS, 'op.drop_table("scores")'), ("""
op.drop_constraint("CONSTRAINT_1", "scores", type_="check")
op.create_check_constraint(None, "scores", "low < 500")
op.create_check_constraint(None, "scores", "high > 0")
op.drop_constraint("CONSTRAINT_3", "scores", type_="check")
op.alter_column("scores", "low", new_column_name="lowest", type_=sa.BigInteger)
op.add_column("scores", sa.Column("mid", sa.Integer, sa.CheckConstraint("mid > 0")))
""", """
op.drop_constraint("mid", "scores", type_="check")
op.drop_column("scores", "mid")
op.alter_column("scores", "lowest", new_column_name="low", type_=sa.Integer)
op.drop_constraint("CONSTRAINT_1", "scores", type_="check")
op.create_check_constraint("CONSTRAINT_1", "scores", "high >= low")
"""), ("""
op.drop_constraint("lowest", "scores", type_="check")
""", """
op.create_check_constraint("lowest_positive", "scores", "lowest >= 0")
"""), engine_name="mariadb")
    with throwaway("mariadb", tmp_path / "ours") as db:
        db.apply(sqlbundle_sql(root, "mariadb", "base:0002aaaa0002"))
        assert db.query(CHECK_NAMES) == [
            ("CONSTRAINT_1", "Table", "`lowest` < 500"),
            ("CONSTRAINT_2", "Table", "`high` < 1000"),
            ("lowest", "Column", "`lowest` >= 0"), ("mid", "Column", "`mid` > 0")]
        db.apply(sqlbundle_sql(root, "mariadb", "0002aaaa0002:0001aaaa0001", "downgrade"))
        assert db.query(CHECK_NAMES) == [
            ("CONSTRAINT_1", "Table", "`high` >= `low`"),
            ("CONSTRAINT_2", "Table", "`high` < 1000"), ("low", "Column", "`low` >= 0")]
        db.apply(sqlbundle_sql(root, "mariadb", "0001aaaa0001:heads"))
        assert [row[0] for row in db.query(CHECK_NAMES)] == [
            "CONSTRAINT_1", "CONSTRAINT_2", "mid"]


def test_mysql_names_checks_table_chk_n_and_renames_them_with_the_table(tmp_path):
    root = write_project(tmp_path, MARIADB_CHECKS + """
op.create_check_constraint(None, "scores", "low < 500")
op.rename_table("scores", "results")
op.drop_constraint("results_chk_2", "results", type_="check")
op.drop_constraint("results_chk_4", "results", type_="check")
""")
    assert statements(root, "mysql")[-2:] == [
        "ALTER TABLE results DROP CHECK results_chk_2",
        "ALTER TABLE results DROP CHECK results_chk_4"]
    # MariaDB names them otherwise, and keeps them through the rename; the one on a column is
    # dropped by restating the column.
    (root / "migrations" / "versions" / "0001aaaa0001_step.py").write_text(
        (root / "migrations" / "versions" / "0001aaaa0001_step.py").read_text().replace(
            "results_chk_2", "CONSTRAINT_1").replace("results_chk_4", "low"))
    assert statements(root, "mariadb")[-2:] == [
        "ALTER TABLE results DROP CONSTRAINT `CONSTRAINT_1`",
        "ALTER TABLE results MODIFY low INTEGER"]


# ---------------------------------------------------------------------------- SQLite


DROP_PG_NAMES = ("""
op.drop_constraint("posts_author_id_fkey", "posts", type_="foreignkey")
op.drop_constraint("posts_slug_key", "posts", type_="unique")
op.drop_constraint("posts_score_check", "posts", type_="check")
""", """
op.create_check_constraint("posts_score_check", "posts", "score >= 0")
op.create_unique_constraint("posts_slug_key", "posts", ["slug"])
op.create_foreign_key("posts_author_id_fkey", "posts", "users", ["author_id"], ["id"])
""")


@pytest.mark.engine
def test_sqlite_builds_unnamed_constraints_like_alembic(tmp_path):
    twin(tmp_path, "sqlite", (USERS_POSTS, DROP_BOTH), downgrade=True)


@pytest.mark.engine
def test_sqlite_drops_unnamed_constraints_known_by_the_source_databases_names(tmp_path):
    # SQLite names nothing, and Alembic cannot drop a constraint there outside batch mode. A
    # history written for PostgreSQL (source_dialect) drops them by PostgreSQL's names: the
    # table copy leaves exactly those out.
    _, up, down = meaning(tmp_path, "sqlite", (USERS_POSTS, DROP_BOTH), DROP_PG_NAMES,
                          settings='source_dialect = "postgres"\n', downgrade=True)
    posts = up["tables"]["posts"]
    assert [fk["columns"] for fk in posts["foreign_keys"]] == [["editor_id"]]
    assert posts["unique_constraints"] == []
    assert [c["sqltext"] for c in posts["check_constraints"]] == ["rank > 0"]
    assert down == {"tables": {}}


def test_sqlite_drop_by_a_generated_name_says_how_to_make_it_known(tmp_path):
    root = write_project(tmp_path, USERS_POSTS, DROP_PG_NAMES[0])
    with pytest.raises(SqlbundleError) as info:
        statements(root, "sqlite")
    message = str(info.value)
    assert message.startswith("migrations/versions/0002aaaa0002_step.py:18: ")
    assert "constraint 'posts_author_id_fkey' does not exist on 'posts'" in message
    assert "source_dialect" in message


# ---------------------------------------------------------------------------- no engine here


def test_mssql_finds_the_names_it_gave_when_the_script_runs(tmp_path):
    root = write_project(tmp_path, USERS_POSTS, DROP_PG_NAMES[0] + """
op.drop_constraint("posts_pkey", "posts", type_="primary")
""", settings='source_dialect = "postgres"\n')
    found = statements(root, "mssql")
    head = ("DECLARE @sqlbundle_sql NVARCHAR(MAX);\n"
            "SELECT @sqlbundle_sql = N'ALTER TABLE posts DROP CONSTRAINT ' + QUOTENAME(k.name)\n")
    fk_columns = ("sys.foreign_key_columns AS kc JOIN sys.columns AS c ON c.object_id = "
                  "kc.parent_object_id AND c.column_id = kc.parent_column_id WHERE "
                  "kc.constraint_object_id = k.object_id")
    key_columns = ("sys.index_columns AS kc JOIN sys.columns AS c ON c.object_id = kc.object_id "
                   "AND c.column_id = kc.column_id WHERE kc.object_id = k.parent_object_id AND "
                   "kc.index_id = k.unique_index_id")
    assert found == [
        head + "FROM sys.foreign_keys AS k\n"
        "WHERE k.parent_object_id = OBJECT_ID(N'posts')\n"
        "  AND k.is_system_named = 1\n"
        "  AND k.referenced_object_id = OBJECT_ID(N'users')\n"
        f"  AND (SELECT COUNT(*) FROM {fk_columns}) = 1\n"
        f"  AND EXISTS (SELECT 1 FROM {fk_columns} AND kc.constraint_column_id = 1 "
        "AND c.name = N'author_id');\n"
        "IF @sqlbundle_sql IS NULL THROW 50000, "
        "N'sqlbundle: no foreign key posts_author_id_fkey on posts', 1;\n"
        "EXEC sp_executesql @sqlbundle_sql",
        head + "FROM sys.key_constraints AS k\n"
        "WHERE k.parent_object_id = OBJECT_ID(N'posts')\n"
        "  AND k.type = 'UQ'\n"
        "  AND k.is_system_named = 1\n"
        f"  AND (SELECT COUNT(*) FROM {key_columns}) = 1\n"
        f"  AND EXISTS (SELECT 1 FROM {key_columns} AND kc.key_ordinal = 1 "
        "AND c.name = N'slug');\n"
        "IF @sqlbundle_sql IS NULL THROW 50000, "
        "N'sqlbundle: no unique constraint posts_slug_key on posts', 1;\n"
        "EXEC sp_executesql @sqlbundle_sql",
        head + "FROM sys.check_constraints AS k\n"
        "WHERE k.parent_object_id = OBJECT_ID(N'posts')\n"
        "  AND k.is_system_named = 1\n"
        "  AND COL_NAME(k.parent_object_id, k.parent_column_id) = N'score';\n"
        "IF @sqlbundle_sql IS NULL THROW 50000, "
        "N'sqlbundle: no check constraint posts_score_check on posts', 1;\n"
        "EXEC sp_executesql @sqlbundle_sql",
        head + "FROM sys.key_constraints AS k\n"
        "WHERE k.parent_object_id = OBJECT_ID(N'posts')\n"
        "  AND k.type = 'PK';\n"
        "IF @sqlbundle_sql IS NULL THROW 50000, "
        "N'sqlbundle: no primary key posts_pkey on posts', 1;\n"
        "EXEC sp_executesql @sqlbundle_sql",
    ]
    for sql in found:
        assert [type(e).__name__ for e in sqlglot.parse(sql, read="tsql")] == \
            ["Declare", "Select", "IfBlock"]


def test_mssql_drop_if_exists_of_a_generated_name_skips_a_missing_one(tmp_path):
    root = write_project(tmp_path, USERS_POSTS, """
op.drop_constraint("posts_rank_check", "posts", type_="check", if_exists=True)
""", settings='source_dialect = "postgres"\n')
    [sql] = statements(root, "mssql")
    assert sql.endswith("  AND k.parent_column_id = 0;\n"
                        "IF @sqlbundle_sql IS NOT NULL EXEC sp_executesql @sqlbundle_sql")


def test_mssql_refuses_a_check_it_cannot_single_out(tmp_path):
    root = write_project(tmp_path, USERS_POSTS + """
op.create_check_constraint(None, "posts", "rank < 100")
""", """
op.drop_constraint("posts_rank_check", "posts", type_="check")  # <-
""", settings='source_dialect = "postgres"\n')
    with pytest.raises(SqlbundleError) as info:
        statements(root, "mssql")
    assert str(info.value).startswith("migrations/versions/0002aaaa0002_step.py:18: check "
                                      "constraint 'posts_rank_check' was declared without a name")
    assert "name=" in info.value.hint


def test_oracle_drops_keys_by_columns_and_finds_foreign_keys(tmp_path):
    root = write_project(tmp_path, USERS_POSTS, DROP_PG_NAMES[0].replace(
        'op.drop_constraint("posts_score_check", "posts", type_="check")\n',
        'op.drop_constraint("posts_pkey", "posts", type_="primary")\n'),
        settings='source_dialect = "postgres"\n')
    lookup, unique, primary = statements(root, "oracle")
    columns = "all_cons_columns c WHERE c.owner = k.owner AND c.constraint_name = k.constraint_name"
    select = (
        "SELECT k.constraint_name INTO v_name FROM all_constraints k\n"
        "    WHERE k.owner = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')\n"
        "      AND k.table_name = 'POSTS'\n"
        "      AND k.constraint_type = 'R'\n"
        "      AND k.generated = 'GENERATED NAME'\n"
        f"      AND (SELECT COUNT(*) FROM {columns}) = 1\n"
        f"      AND EXISTS (SELECT 1 FROM {columns} AND c.position = 1 AND c.column_name = "
        "'AUTHOR_ID')\n"
        "      AND EXISTS (SELECT 1 FROM all_constraints r WHERE r.owner = k.r_owner AND "
        "r.constraint_name = k.r_constraint_name AND r.owner = k.owner AND r.table_name = "
        "'USERS')")
    assert lookup == ("DECLARE\n    v_name VARCHAR2(128);\nBEGIN\n    " + select + ";\n"
                      "    EXECUTE IMMEDIATE 'ALTER TABLE posts DROP CONSTRAINT \"' || v_name "
                      "|| '\"';\nEND;")
    assert sqlglot.parse_one(select.replace(" INTO v_name", ""), read="oracle") is not None
    assert unique == "ALTER TABLE posts DROP UNIQUE (slug)"
    assert primary == "ALTER TABLE posts DROP PRIMARY KEY"
    for sql in (unique, primary):
        assert type(sqlglot.parse_one(sql, read="oracle")).__name__ == "Alter"


def test_snowflake_drops_unnamed_constraints_by_their_columns(tmp_path):
    from sqlbundle.compile.sqlcheck import check_plan

    root = write_project(tmp_path, USERS_POSTS.replace(
        'sa.Column("score", sa.Integer, sa.CheckConstraint("score >= 0")),', "").replace(
        'sa.CheckConstraint("rank > 0"),', ""), """
op.drop_constraint("posts_author_id_fkey", "posts", type_="foreignkey")
op.drop_constraint("posts_slug_key", "posts", type_="unique")
op.drop_constraint("posts_pkey", "posts", type_="primary")
""", settings='source_dialect = "postgres"\n')
    assert statements(root, "snowflake") == [
        "ALTER TABLE posts DROP FOREIGN KEY (author_id)",
        "ALTER TABLE posts DROP UNIQUE (slug)",
        "ALTER TABLE posts DROP PRIMARY KEY"]
    # Valid Snowflake (documented) that sqlglot cannot read: known gaps, not findings.
    counts, findings = check_plan(compile_range(open_project(root, use_cache=False),
                                                "base:heads", "snowflake"))
    assert findings == [] and counts.failed == 0 and counts.known_gaps >= 1


def test_mysql_source_names_serve_unpredictable_targets_too(tmp_path):
    root = write_project(tmp_path, USERS_POSTS, """
op.drop_constraint("posts_ibfk_2", "posts", type_="foreignkey")
op.drop_constraint("slug", "posts", type_="unique")
""", settings='source_dialect = "mysql"\n')
    assert statements(root, "oracle")[1:] == ["ALTER TABLE posts DROP UNIQUE (slug)"]
    assert "c.column_name = 'EDITOR_ID'" in statements(root, "oracle")[0]
    assert statements(root, "snowflake") == ["ALTER TABLE posts DROP FOREIGN KEY (editor_id)",
                                             "ALTER TABLE posts DROP UNIQUE (slug)"]


CONVENTION = ('{"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", '
              '"uq": "uq_%(table_name)s_%(column_0_N_name)s"}')
BATCH_DROPS = """
    batch_op.drop_constraint("fk_posts_author_id_users", type_="foreignkey")
    batch_op.drop_constraint("fk_posts_editor_id_users", type_="foreignkey")
    batch_op.drop_constraint("uq_posts_slug", type_="unique")
"""


@pytest.mark.engine
def test_sqlite_batch_drops_unnamed_constraints_by_a_copy_from_tables_convention(tmp_path):
    # Offline, Alembic's batch mode copies the table given as copy_from, whose MetaData names
    # the unnamed constraints by its naming convention: the drops use those names.
    preamble = f"""
    meta = sa.MetaData(naming_convention={CONVENTION})
    posts = sa.Table(
        "posts", meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("editor_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("slug", sa.String(50), unique=True),
        sa.Column("score", sa.Integer), sa.Column("rank", sa.Integer))
    sa.Table("users", meta, sa.Column("id", sa.Integer, primary_key=True))
    """
    twin(tmp_path, "sqlite", (USERS_POSTS.replace('sa.CheckConstraint("score >= 0")', "")
                              .replace('sa.CheckConstraint("rank > 0"),', ""), DROP_BOTH),
         'with op.batch_alter_table("posts", copy_from=posts) as batch_op:' + BATCH_DROPS,
         preamble=preamble)


@pytest.mark.engine
def test_sqlite_batch_drops_unnamed_constraints_by_its_naming_convention(tmp_path):
    # batch_alter_table(naming_convention=...): what Alembic documents for dropping unnamed
    # constraints on SQLite (it names the reflected ones; offline it cannot reflect).
    _, up, _ = meaning(tmp_path, "sqlite", USERS_POSTS,
                       f'with op.batch_alter_table("posts", naming_convention={CONVENTION}) '
                       "as batch_op:" + BATCH_DROPS)
    posts = up["tables"]["posts"]
    assert posts["foreign_keys"] == [] and posts["unique_constraints"] == []
    assert sorted(c["sqltext"] for c in posts["check_constraints"]) == ["rank > 0", "score >= 0"]


@pytest.mark.engine
def test_postgresql_batch_convention_name_drops_what_the_database_named(tmp_path):
    # The same history on PostgreSQL (no table copy there): the constraint the convention
    # names is dropped by the name PostgreSQL gave it (Alembic would emit the convention's).
    _, up, _ = meaning(tmp_path, "postgresql", USERS_POSTS,
                       f'with op.batch_alter_table("posts", naming_convention={CONVENTION}) '
                       "as batch_op:" + BATCH_DROPS)
    posts = up["tables"]["posts"]
    assert posts["foreign_keys"] == [] and posts["unique_constraints"] == []
