"""The loader, with real files: Python (Alembic format) and SQL migrations."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sqlbundle.errors import ScriptError
from sqlbundle.source.index import ScriptIndex
from sqlbundle.source.loader import load_script, load_scripts
from sqlbundle.record.runtime import run_migration
from sqlbundle.source.sqlfile import parse_sql_migration

ALEMBIC_TYPED = '''\
"""add posts table

Longer description that is not part of the message.

Revision ID: 5b3c1f2a9e10
Revises: 1a2b3c4d5e6f, 77aa88bb99cc
Create Date: 2026-01-05 10:11:12.123456

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import this_module_does_not_exist  # never imported: metadata is read statically

revision: str = "5b3c1f2a9e10"
down_revision: Union[str, Sequence[str], None] = ("1a2b3c4d5e6f", "77aa88bb99cc")
branch_labels: Union[str, Sequence[str], None] = "blog"
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    raise RuntimeError("must not run")


def downgrade() -> None:
    pass
'''


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text) if not text.startswith('"""') else text, "utf-8")
    return path


def test_alembic_typed_header_is_read_without_running_anything(tmp_path):
    path = write(tmp_path, "5b3c1f2a9e10_add_posts.py", ALEMBIC_TYPED)
    script = load_script(path, "versions/5b3c1f2a9e10_add_posts.py")
    assert script.revision == "5b3c1f2a9e10"
    assert script.down_revisions == ("1a2b3c4d5e6f", "77aa88bb99cc")
    assert script.branch_labels == ("blog",)
    assert script.depends_on == ()
    assert script.message == "add posts table"
    assert script.create_date == "2026-01-05 10:11:12.123456"
    assert script.line == 16
    assert script.kind == "python" and script.static
    assert script.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_plain_assignments_and_none(tmp_path):
    path = write(tmp_path, "a.py", '''
        """create users"""
        revision = 'aaaa'
        down_revision = None
        branch_labels = ('core', 'x')
        depends_on = ['bbbb']
    ''')
    script = load_script(path)
    assert (script.revision, script.down_revisions, script.branch_labels, script.depends_on) == (
        "aaaa", (), ("core", "x"), ("bbbb",))
    assert script.message == "create users"


def test_non_literal_metadata_falls_back_to_running_the_top_level(tmp_path):
    path = write(tmp_path, "b.py", '''
        """computed parent"""
        from alembic import op
        PARENT = "aa" + "aa"
        revision = "bbbb"
        down_revision = PARENT

        def upgrade():
            raise RuntimeError("must not run")
    ''')
    script = load_script(path)
    assert script.down_revisions == ("aaaa",)
    assert not script.static


def test_helper_module_without_revision_is_skipped(tmp_path):
    write(tmp_path, "helpers.py", "X = 1\n")
    write(tmp_path, "__init__.py", "")
    write(tmp_path, "a.py", 'revision = "a1"\ndown_revision = None\n')
    assert [s.revision for s in load_scripts([tmp_path])] == ["a1"]


@pytest.mark.parametrize(
    "text, message, line",
    [
        ('revision = "a1"\ndown_revision = None\ndef upgrade(:\n', "syntax error", 3),
        ('down_revision = None\n', "no 'revision = \"...\"' assignment", 1),
        ('revision = "a1"\n', "no 'down_revision = ...' assignment", 1),
        ('revision = 5\ndown_revision = None\n', "revision must be a non-empty string", 1),
        ('revision = "a1"\ndown_revision = 7\n', "down_revision must be None, a string", 2),
        ('import sys\nrevision = sys.argv0\ndown_revision = None\n',
         "running the module failed: AttributeError", 2),
    ],
)
def test_bad_python_files_name_file_and_line(tmp_path, text, message, line):
    path = write(tmp_path, "bad.py", text)
    with pytest.raises(ScriptError) as err:
        load_script(path, "versions/bad.py")
    assert message in str(err.value)
    assert str(err.value).startswith(f"versions/bad.py:{line}: ")


def test_non_utf8_file(tmp_path):
    path = tmp_path / "x.py"
    path.write_bytes(b'"""doc"""\nrevision = "\xff"\n')
    with pytest.raises(ScriptError, match="not UTF-8") as err:
        load_script(path, "x.py")
    assert str(err.value).startswith("x.py:2: ")  # the line with the bad byte


SQL = """\
-- revision: 3f9a1c2b7d10
-- down_revision: 1a2b3c4d5e6f, 77aa88bb99cc
-- message: add audit log
-- branch_labels: audit
-- depends_on: 0000aaaa
-- source_dialect: postgres
-- create_date: 2026-02-01 09:00:00

-- sqlbundle:upgrade
CREATE TABLE audit_log (id SERIAL PRIMARY KEY, note TEXT);
-- a comment inside the section is kept
INSERT INTO audit_log (note) VALUES ('it''s ; here');

-- sqlbundle:downgrade
DROP TABLE audit_log;

-- sqlbundle:upgrade dialect=mysql
CREATE TABLE audit_log (id INT AUTO_INCREMENT PRIMARY KEY, note TEXT);
"""


def test_sql_migration_header_and_sections(tmp_path):
    path = write(tmp_path, "3f9a1c2b7d10_audit.sql", SQL)
    script = load_script(path)
    assert script.kind == "sql"
    assert script.revision == "3f9a1c2b7d10"
    assert script.down_revisions == ("1a2b3c4d5e6f", "77aa88bb99cc")
    assert script.branch_labels == ("audit",)
    assert script.depends_on == ("0000aaaa",)
    assert script.message == "add audit log"
    assert script.create_date == "2026-02-01 09:00:00"
    assert script.line == 1
    migration = parse_sql_migration(SQL, "x.sql")
    up = migration.section("upgrade")
    assert up.line == 10
    assert up.text.startswith("CREATE TABLE audit_log (id SERIAL")
    assert "-- a comment inside the section is kept" in up.text
    assert migration.section("upgrade", "mysql").text.startswith("CREATE TABLE audit_log (id INT")
    assert migration.section("upgrade", "sqlite") is up
    assert migration.section("downgrade").text == "DROP TABLE audit_log;\n"


def test_sql_base_revision(tmp_path):
    path = write(tmp_path, "a.sql", "-- revision: a1\n-- down_revision: none\n"
                                    "-- sqlbundle:upgrade\nSELECT 1;\n")
    assert load_script(path).down_revisions == ()


@pytest.mark.parametrize(
    "text, message, line",
    [
        ("-- revision: a1\n-- sqlbundle:upgrade\n", "no '-- down_revision:' header line", 1),
        ("-- revision: a1\n-- down_revision: none\n-- colour: red\n", "unknown header key 'colour'", 3),
        ("-- revision: a1\n-- down_revision: none\n", "no '-- sqlbundle:upgrade' section", 3),
        ("-- revision: a1\n-- down_revision: none\nSELECT 1;\n-- sqlbundle:upgrade\n",
         "SQL before the first", 3),
        ("-- revision: a1\n-- down_revision: none\n-- sqlbundle:upgrade\nx;\n-- sqlbundle:upgrade\n",
         "appears twice", 5),
        ("-- revision: a1\n-- down_revision: none\n-- sqlbundle:upgrad\n", "unknown marker", 3),
        ("-- revision: a1\n-- revision: a2\n", "given twice", 2),
    ],
)
def test_bad_sql_files(tmp_path, text, message, line):
    path = write(tmp_path, "bad.sql", text)
    with pytest.raises(ScriptError) as err:
        load_script(path, "versions/bad.sql")
    assert message in str(err.value)
    assert str(err.value).startswith(f"versions/bad.sql:{line}: ")


def test_recursive_version_locations(tmp_path):
    (tmp_path / "2026").mkdir()
    write(tmp_path, "a.py", 'revision = "a1"\ndown_revision = None\n')
    write(tmp_path / "2026", "b.py", 'revision = "b1"\ndown_revision = "a1"\n')
    assert [s.revision for s in load_scripts([tmp_path])] == ["a1"]
    # Alembic's order: a folder's files, then its subfolders.
    assert [s.revision for s in load_scripts([tmp_path], recursive=True)] == ["a1", "b1"]
    # Locations in the order configured; one listed twice is read once.
    (tmp_path / "other").mkdir()
    write(tmp_path / "other", "0.py", 'revision = "c1"\ndown_revision = "b1"\n')
    assert [s.revision for s in load_scripts([tmp_path / "other", tmp_path, tmp_path])] == \
        ["c1", "a1"]


def test_index_reuses_unchanged_files_and_notices_edits(tmp_path):
    versions = tmp_path / "versions"
    versions.mkdir()
    path = write(versions, "a.py", 'revision = "a1"\ndown_revision = None\n')
    index_path = tmp_path / "cache" / "scripts.json"
    first = load_scripts([versions], cache=ScriptIndex(index_path), display_root=tmp_path)
    assert index_path.exists()
    # A cached entry is used even if the file would no longer parse, as long as size+mtime match.
    stat = path.stat()
    path.write_text('revision = "a1"\ndown_revision = Nonx\n')  # same size, different content
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = load_scripts([versions], cache=ScriptIndex(index_path), display_root=tmp_path)
    assert again == first
    # A real edit (new mtime) is noticed.
    path.write_text('revision = "a2"\ndown_revision = None\n')
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    edited = load_scripts([versions], cache=ScriptIndex(index_path), display_root=tmp_path)
    assert [s.revision for s in edited] == ["a2"]


def test_corrupt_index_is_ignored(tmp_path):
    write(tmp_path, "a.py", 'revision = "a1"\ndown_revision = None\n')
    index_path = tmp_path / "scripts.json"
    index_path.write_text("{not json")
    assert [s.revision for s in load_scripts([tmp_path], cache=ScriptIndex(index_path))] == ["a1"]


@pytest.mark.parametrize("damage", [
    lambda entry: entry[:5],  # too short
    lambda entry: {"size": entry[0]},  # not a list
    lambda entry: entry[:2] + [None] * 10,  # wrong types
    lambda entry: "text",
])
def test_damaged_index_entries_are_read_again(tmp_path, damage):
    import json

    write(tmp_path, "a.py", 'revision = "a1"\ndown_revision = None\n')
    write(tmp_path, "b.py", 'revision = "b1"\ndown_revision = "a1"\n')
    index_path = tmp_path / "scripts.json"
    first = load_scripts([tmp_path], cache=ScriptIndex(index_path))
    data = json.loads(index_path.read_text())
    key = sorted(data["files"])[0]
    data["files"][key] = damage(data["files"][key])
    index_path.write_text(json.dumps(data))
    assert load_scripts([tmp_path], cache=ScriptIndex(index_path)) == first
    # ... and the index is mended.
    assert load_scripts([tmp_path], cache=ScriptIndex(index_path)) == first
    assert json.loads(index_path.read_text())["files"][key][2] == "a1"


class FakeRecorder:
    """Records op calls; stands in for the real recorder to test the wiring only."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        def call(*args, **kwargs):
            self.calls.append((name, args, kwargs))
        return call


MIGRATION_WITH_ALEMBIC_OP = '''\
"""x"""
from alembic import op, context
import sqlalchemy as sa

revision = "a1"
down_revision = None


def upgrade():
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
    if context.is_offline_mode():
        op.execute("SELECT 'offline'")


def downgrade():
    op.drop_table("t")
'''


def test_from_alembic_import_op_records_into_sqlbundle(tmp_path):
    path = write(tmp_path, "a.py", MIGRATION_WITH_ALEMBIC_OP)
    recorder = run_migration(str(path), "upgrade", FakeRecorder())
    assert [c[0] for c in recorder.calls] == ["create_table", "execute"]
    assert recorder.calls[1][1] == ("SELECT 'offline'",)
    # The real alembic (a test dependency) is back in place afterwards.
    import alembic

    assert not getattr(alembic, "__sqlbundle_shim__", False)


def test_from_sqlbundle_import_op(tmp_path):
    path = write(tmp_path, "a.py", MIGRATION_WITH_ALEMBIC_OP.replace(
        "from alembic import op, context", "from sqlbundle import op\nfrom alembic import context"))
    recorder = run_migration(str(path), "downgrade", FakeRecorder())
    assert recorder.calls == [("drop_table", ("t",), {})]


def test_from_alembic_import_op_without_alembic_installed(tmp_path):
    path = write(tmp_path, "a.py", MIGRATION_WITH_ALEMBIC_OP)
    code = textwrap.dedent(f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "alembic" or name.startswith("alembic."):
                    raise ImportError("alembic is not installed")
        sys.meta_path.insert(0, Block())
        try:
            import alembic
            raise SystemExit("alembic should not be importable here")
        except ImportError:
            pass
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_loader import FakeRecorder
        from sqlbundle.record.runtime import run_migration
        rec = run_migration({str(path)!r}, "upgrade", FakeRecorder())
        print([c[0] for c in rec.calls])
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['create_table', 'execute']"


def test_failing_upgrade_names_file_and_line(tmp_path):
    path = write(tmp_path, "a.py", MIGRATION_WITH_ALEMBIC_OP.replace(
        "    op.create_table(", "    1 / 0\n    op.create_table("))
    with pytest.raises(ScriptError) as err:
        run_migration(str(path), "upgrade", FakeRecorder())
    assert str(err.value) == f"{path}:10: upgrade() failed: ZeroDivisionError: division by zero"


def test_op_outside_a_run_is_a_clear_error():
    from sqlbundle import op

    with pytest.raises(ScriptError, match="op.create_table was called outside a migration run"):
        op.create_table("t")


def test_lint_suppression_comment_is_not_a_section_marker(tmp_path):
    text = ("-- revision: a1\n-- down_revision: none\n-- sqlbundle:upgrade\n"
            "-- sqlbundle: ignore[SBL001] reason: table is empty in production\n"
            "DROP TABLE old_things;\n")
    migration = parse_sql_migration(text, "x.sql")
    assert "ignore[SBL001]" in migration.section("upgrade").text
    assert load_script(write(tmp_path, "a.sql", text)).revision == "a1"


# ---------------------------------------------------------------- graph errors point at the line

PY_REVISION = '''"""{rev}"""
from alembic import op

revision = "{rev}"
down_revision = {down}
branch_labels = {labels}

depends_on = {deps}
'''


def _graph_error(folder: Path, cached: bool = False):
    from sqlbundle.errors import GraphError
    from sqlbundle.history.graph import RevisionGraph

    index = ScriptIndex(folder.parent / "index.json") if cached else None
    scripts = load_scripts([folder], cache=index, display_root=folder.parent)
    if cached:  # the second read comes from the index: the lines must survive it
        scripts = load_scripts([folder], cache=ScriptIndex(folder.parent / "index.json"),
                               display_root=folder.parent)
    with pytest.raises(GraphError) as err:
        RevisionGraph(scripts)
    return str(err.value)


def _py(folder: Path, rev: str, down="None", labels="None", deps="None") -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{rev}.py").write_text(PY_REVISION.format(rev=rev, down=down, labels=labels,
                                                         deps=deps))


@pytest.mark.parametrize("cached", [False, True])
def test_missing_parent_points_at_the_down_revision_line(tmp_path, cached):
    versions = tmp_path / "versions"
    _py(versions, "a1")
    _py(versions, "b1", down='"nope"')
    assert _graph_error(versions, cached).startswith(
        "versions/b1.py:5: revision b1 names down_revision 'nope', which does not exist")


def test_missing_parent_in_a_merge_over_several_lines_points_at_its_own_line(tmp_path):
    versions = tmp_path / "versions"
    _py(versions, "a1")
    _py(versions, "m1", down='(\n    "a1",\n    "gone",\n)')
    assert _graph_error(versions).startswith("versions/m1.py:7: revision m1 names "
                                             "down_revision 'gone'")


def test_missing_dependency_points_at_the_depends_on_line(tmp_path):
    versions = tmp_path / "versions"
    _py(versions, "a1")
    _py(versions, "b1", down='"a1"', deps='"zzz"')
    assert _graph_error(versions).startswith("versions/b1.py:8: revision b1 depends_on 'zzz'")


def test_duplicate_branch_label_points_at_both_branch_labels_lines(tmp_path):
    versions = tmp_path / "versions"
    _py(versions, "a1", labels='"x"')
    _py(versions, "b1", down='"a1"', labels='("y",\n                 "x")')
    assert _graph_error(versions) .startswith(
        "versions/b1.py:7: branch label 'x' is declared by both versions/a1.py:6 and "
        "versions/b1.py:7")


def test_label_colliding_and_self_parent_point_at_their_lines(tmp_path):
    versions = tmp_path / "versions"
    _py(versions, "a1", labels='"head"')
    assert _graph_error(versions).startswith("versions/a1.py:6: branch label 'head' of "
                                             "revision a1 collides")
    _py(versions, "a1", down='"a1"')
    assert _graph_error(versions).startswith("versions/a1.py:5: revision a1 names itself")


def test_cycle_names_each_file_at_the_line_that_closes_it(tmp_path):
    versions = tmp_path / "versions"
    _py(versions, "a1", down='"c1"')
    _py(versions, "b1", down='"a1"')
    _py(versions, "c1", down='"b1"')
    assert "files involved: versions/a1.py:5, versions/b1.py:5, versions/c1.py:5" in \
        _graph_error(versions)
    # Through a dependency: that file at its depends_on line.
    _py(versions, "c1", down='"b1"', deps='"a1"')
    assert _graph_error(versions).endswith("a1 -> c1 -> a1\n  hint: files involved: "
                                           "versions/a1.py:5, versions/c1.py:8")


SQL_WITH_HEADER = """-- revision: {rev}
-- message: m
-- down_revision: {down}
-- branch_labels: {labels}
-- depends_on: {deps}

-- sqlbundle:upgrade
SELECT 1;
"""


@pytest.mark.parametrize("down, labels, deps, expected", [
    ("nope", "", "", "versions/b1.sql:3: revision b1 names down_revision 'nope'"),
    ("a1", "", "zzz", "versions/b1.sql:5: revision b1 depends_on 'zzz'"),
    ("a1", "x", "", "versions/b1.sql:4: branch label 'x' is declared by both "
                    "versions/a1.sql:4 and versions/b1.sql:4"),
])
def test_sql_migration_errors_point_at_the_header_line(tmp_path, down, labels, deps, expected):
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a1.sql").write_text(SQL_WITH_HEADER.format(rev="a1", down="none", labels="x",
                                                           deps=""))
    (versions / "b1.sql").write_text(SQL_WITH_HEADER.format(rev="b1", down=down, labels=labels,
                                                           deps=deps))
    assert _graph_error(versions).startswith(expected)


def test_graph_error_on_the_command_line_is_file_line_exit_2(tmp_path):
    versions = tmp_path / "versions"
    _py(versions, "a1")
    _py(versions, "b1", down='"nope"')
    (tmp_path / "sqlbundle.toml").write_text('dialects = ["sqlite"]\n')
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(tmp_path), "heads"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("error: versions/b1.py:5: revision b1 names down_revision")


FORMS = {
    "typed": ('"""Add things\n\nRevision ID: a1\nCreate Date: 2024-01-02 03:04:05\n"""\n'
              "from typing import Union\n\nrevision: str = 'a1'\n"
              "down_revision: Union[str, None] = 'a0'\nbranch_labels = None\n"),
    "merge": "revision = 'a1'\ndown_revision = (\n    'a0',\n    'b0',\n)\n",
    "one-tuple": "revision = 'a1'\ndown_revision = (\n    'a0',\n)\ndepends_on = ['x']\n",
    "under-if": "import os\nrevision = 'a1'\nif os.sep == '/':\n    down_revision = 'a0'\n"
                "else:\n    down_revision = 'b0'\n",
    "reassigned": "revision = 'zz'\nrevision = 'a1'\ndown_revision = None\n",
    "computed": "revision = 'a' + '1'\ndown_revision = None\n",
    "crlf": '"""Windows\r\n\r\nRevision ID: a1\r\n"""\r\nrevision = "a1"\r\ndown_revision = None\r\n',
    "in-try": "try:\n    import json\nexcept ImportError:\n    json = None\n"
              "revision = 'a1'\ndown_revision = 'a0'\n",
    "helper": "VALUE = 1\n",
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_bytecode_reading_agrees_with_the_ast(tmp_path, monkeypatch, form):
    # Metadata read off the compiled module (fast) or, when unsure, from the AST: the same
    # Script either way, lines included.
    import sqlbundle.source.loader as loader

    path = tmp_path / "m.py"
    path.write_bytes(FORMS[form].encode())

    def read():
        try:
            return loader.load_script(path, "m.py")
        except ScriptError as exc:
            return str(exc)

    fast = read()
    monkeypatch.setattr(loader, "_from_bytecode", lambda *args: None)
    slow = read()
    assert fast == slow
    if fast is not None and not isinstance(fast, str):
        assert (fast.key_lines, fast.message, fast.create_date) == \
            (slow.key_lines, slow.message, slow.create_date)


def test_bytecode_reading_takes_alembics_template_and_keeps_the_code(tmp_path):
    import sqlbundle.source.loader as loader
    from sqlbundle.cache.code import CodeStore

    path = tmp_path / "m.py"
    path.write_text(FORMS["typed"] + "\n\ndef upgrade():\n    pass\n")
    assert loader._from_bytecode(path.read_text(), str(path)) is not None
    assert loader._from_bytecode(FORMS["under-if"], str(path)) is None
    assert loader._from_bytecode(FORMS["merge"], str(path)) is None
    store = CodeStore(tmp_path / "code")
    script = load_script(path, "m.py", store)
    code = store.get(str(path), script.sha256)
    assert code is not None and code.co_filename == str(path)


def test_imports_are_read_and_kept_in_the_index(tmp_path):
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a1.py").write_text(
        "import os, sqlalchemy as sa\nfrom alembic import op\nfrom app.types import GUID\n"
        "if True:\n    import helpers.more\nrevision = 'a1'\ndown_revision = None\n")
    index = ScriptIndex(tmp_path / "index.json")
    (first,) = load_scripts([versions], cache=index, display_root=tmp_path)
    assert first.imports == ("alembic", "app", "helpers", "os", "sqlalchemy")
    again = ScriptIndex(tmp_path / "index.json")
    (second,) = load_scripts([versions], cache=again, display_root=tmp_path)
    assert again._used and second.imports == first.imports
