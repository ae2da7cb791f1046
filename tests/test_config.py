"""Configuration discovery and validation."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sqlbundle.project.config import discover
from sqlbundle.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def test_defaults_from_a_minimal_sqlbundle_toml(tmp_path):
    write(tmp_path / "sqlbundle.toml", "")
    config = discover(tmp_path)
    assert config.root == tmp_path.resolve()
    assert config.version_locations == (tmp_path.resolve() / "versions",)
    assert config.version_table == "alembic_version"
    assert config.version_table_schema is None
    assert config.output_dir == tmp_path.resolve() / "bundles"
    assert config.file_template == "%(rev)s_%(slug)s"


def test_discovered_from_a_subdirectory(tmp_path):
    write(tmp_path / "sqlbundle.toml", 'dialects = ["sqlite"]\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    config = discover(deep)
    assert config.dialects == ("sqlite",)
    assert config.sources == (tmp_path.resolve() / "sqlbundle.toml",)


def test_all_settings(tmp_path):
    write(tmp_path / "sqlbundle.toml", """
        script_location = "db"
        version_locations = ["db/versions", "db/more"]
        recursive_version_locations = true
        version_table = "schema_history"
        version_table_schema = "meta"
        dialects = ["postgresql@12", "mysql@5.7"]
        output_dir = "out"
        templates_dir = "tpl"
        target_metadata = "app.models:Base.metadata"
        file_template = "%(year)d_%(month).2d_%(rev)s_%(slug)s"
        truncate_slug_length = 20
        source_dialect = "postgres"
    """)
    c = discover(tmp_path)
    root = tmp_path.resolve()
    assert c.script_location == root / "db"
    assert c.version_locations == (root / "db/versions", root / "db/more")
    assert c.recursive_version_locations is True
    assert (c.version_table, c.version_table_schema) == ("schema_history", "meta")
    assert c.dialects == ("postgresql@12", "mysql@5.7")
    assert c.output_dir == root / "out" and c.templates_dir == root / "tpl"
    assert c.target_metadata == "app.models:Base.metadata"
    assert c.truncate_slug_length == 20 and c.source_dialect == "postgres"


def test_pyproject_tool_table(tmp_path):
    write(tmp_path / "pyproject.toml", """
        [project]
        name = "x"
        [tool.sqlbundle]
        version_locations = ["migrations"]
    """)
    assert discover(tmp_path).version_locations == (tmp_path.resolve() / "migrations",)


def test_pyproject_without_table_is_not_a_project(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"no sqlbundle.toml, \[tool.sqlbundle\]"):
        discover(explicit=tmp_path)


ALEMBIC_INI = """
    [alembic]
    script_location = %(here)s/migrations
    version_locations = %(here)s/migrations/versions{sep}%(here)s/extra
    path_separator = {psep}
    file_template = %%(year)d_%%(rev)s_%%(slug)s
    truncate_slug_length = 30
    sqlalchemy.url = postgresql+psycopg2://u@h/db

    [loggers]
    keys = root
"""


@pytest.mark.parametrize("psep, sep", [("os", os.pathsep), ("space", " "), (";", ";")])
def test_alembic_ini(tmp_path, psep, sep):
    write(tmp_path / "alembic.ini", ALEMBIC_INI.format(psep=psep, sep=sep))
    c = discover(tmp_path)
    root = tmp_path.resolve()
    assert c.script_location == root / "migrations"
    assert c.version_locations == (root / "migrations/versions", root / "extra")
    assert c.file_template == "%(year)d_%(rev)s_%(slug)s"
    assert c.truncate_slug_length == 30
    assert c.dialects == ("postgresql",)  # from sqlalchemy.url


def test_alembic_ini_legacy_version_path_separator_and_default_versions(tmp_path):
    write(tmp_path / "alembic.ini", """
        [alembic]
        script_location = %(here)s/alembic
        version_path_separator = os
    """)
    c = discover(tmp_path)
    assert c.version_locations == (tmp_path.resolve() / "alembic" / "versions",)


def test_sqlbundle_toml_beside_alembic_ini_adds_env_py_settings(tmp_path):
    write(tmp_path / "alembic.ini", "[alembic]\nscript_location = %(here)s/migrations\n")
    write(tmp_path / "sqlbundle.toml", 'version_table = "my_versions"\n'
                                        'version_table_schema = "ops"\n')
    c = discover(tmp_path)
    assert c.script_location == tmp_path.resolve() / "migrations"
    assert (c.version_table, c.version_table_schema) == ("my_versions", "ops")
    assert len(c.sources) == 2


@pytest.mark.parametrize(
    "text, message",
    [
        ('colour = "red"\n', "unknown setting 'colour' in sqlbundle.toml"),
        ("version_table = 5\n", "sqlbundle.toml version_table: expected a non-empty string, got 5"),
        ('dialects = "x", \n', "invalid TOML"),
        ("truncate_slug_length = -1\n", "expected a whole number >= 0"),
        ('file_template = "%(nope)s"\n', "invalid file_template"),
        ('recursive_version_locations = "maybe"\n', "expected true or false"),
        ("dialects = []\n", "expected a list of strings"),
    ],
)
def test_bad_config_names_file_key_and_expectation(tmp_path, text, message):
    path = write(tmp_path / "sqlbundle.toml", text)
    with pytest.raises(ConfigError) as err:
        discover(tmp_path)
    assert str(err.value).startswith(f"{path}")
    assert message in str(err.value)


def test_unknown_setting_lists_known_ones(tmp_path):
    write(tmp_path / "sqlbundle.toml", "versions = []\n")
    with pytest.raises(ConfigError) as err:
        discover(tmp_path)
    assert "known settings: " in str(err.value) and "version_locations" in str(err.value)


def test_alembic_ini_without_script_location(tmp_path):
    path = write(tmp_path / "alembic.ini", "[alembic]\nsqlalchemy.url = sqlite://\n")
    with pytest.raises(ConfigError) as err:
        discover(tmp_path)
    assert str(err.value).startswith(f"{path}: [alembic] has no script_location")


def test_alembic_ini_package_resource_location(tmp_path):
    write(tmp_path / "alembic.ini", "[alembic]\nscript_location = myapp:migrations\n")
    with pytest.raises(ConfigError, match="names a package resource"):
        discover(tmp_path)


def test_explicit_config_file_and_missing_path(tmp_path):
    path = write(tmp_path / "custom.toml", 'version_table = "v"\n')
    assert discover(explicit=path).version_table == "v"
    with pytest.raises(ConfigError, match="config path does not exist"):
        discover(explicit=tmp_path / "nope")


def test_no_project_anywhere(tmp_path):
    with pytest.raises(ConfigError, match="no sqlbundle project found") as err:
        discover(tmp_path)
    assert "sqlbundle init" in str(err.value)


def test_relative_script_location_is_read_next_to_alembic_ini(tmp_path, monkeypatch):
    # Alembic reads a relative script_location against the working directory, which is the
    # ini's folder when it runs with its default `-c alembic.ini`; sqlbundle reads it there
    # wherever it runs from (here: a folder without a "migrations" of its own).
    write(tmp_path / "proj" / "alembic.ini", "[alembic]\nscript_location = migrations\n"
                                             "version_locations = migrations/versions\n")
    (tmp_path / "proj" / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    c = discover(explicit=tmp_path / "proj" / "alembic.ini")
    root = (tmp_path / "proj").resolve()
    assert c.script_location == root / "migrations"
    assert c.version_locations == (root / "migrations" / "versions",)


def test_relative_script_location_that_alembic_would_read_elsewhere_is_refused(
        tmp_path, monkeypatch):
    # Run from a folder with a "migrations" of its own, Alembic would read that one: refuse
    # rather than build a history Alembic would not see.
    ini = write(tmp_path / "proj" / "alembic.ini", "[alembic]\n# comment\n"
                                                   "script_location = migrations\n")
    (tmp_path / "proj" / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "other" / "migrations").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "other")
    with pytest.raises(ConfigError) as err:
        discover(explicit=ini)
    text = str(err.value)
    assert text.startswith(f"{ini}:3: [alembic] script_location = migrations is relative")
    assert "Alembic run from this folder would read" in text
    assert "script_location = %(here)s/migrations" in text


@pytest.mark.parametrize("ini, line, message", [
    ("[alembic]\nscript_location = %(here)s/migratons\n", 2,
     "script_location names {root}/migratons, which does not exist"),
    ("[alembic]\nscript_location = %(here)s/migrations\n"
     "version_locations = %(here)s/migrations/versions %(here)s/gone\n", 3,
     "version_locations names {root}/gone, which does not exist"),
    ("[alembic]\nscript_location = %(here)s/empty\n", 2,
     "the versions folder {root}/empty/versions (from script_location) does not exist"),
])
def test_missing_versions_folder_is_an_error_not_an_empty_history(tmp_path, ini, line, message):
    from sqlbundle.project.model import open_project

    path = write(tmp_path / "alembic.ini", ini)
    (tmp_path / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError) as err:
        open_project(tmp_path, use_cache=False)
    root = tmp_path.resolve()
    assert str(err.value).startswith(f"{path}:{line}: " + message.format(root=root))


def test_missing_versions_folder_in_sqlbundle_toml_exits_2(tmp_path):
    path = write(tmp_path / "sqlbundle.toml", 'version_locations = ["migrations"]\n')
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", "-C", str(tmp_path), "history"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"error: {path}:1: version_locations names "
                                  f"{tmp_path.resolve() / 'migrations'}, which does not exist")


def _migration(rev: str, parent: str | None, table: str) -> str:
    return (f'"""{table}"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n'
            f"revision = {rev!r}\ndown_revision = {parent!r}\nbranch_labels = None\n"
            f"depends_on = None\n\n\ndef upgrade():\n    op.create_table({table!r}, "
            "sa.Column('id', sa.Integer(), primary_key=True))\n\n\n"
            f"def downgrade():\n    op.drop_table({table!r})\n")


def _both(root: Path, *args: str, alembic_args: tuple[str, ...] = ()) -> tuple[str, str]:
    """(sqlbundle's, Alembic's) stdout for the same question."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQLBUNDLE_")}
    ours = subprocess.run([sys.executable, "-m", "sqlbundle", *args], cwd=root, env=env,
                          capture_output=True, text=True)
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run([sys.executable, "-m", "alembic", *alembic_args], cwd=root,
                            capture_output=True, text=True)
    assert theirs.returncode == 0, theirs.stderr
    return ours.stdout, theirs.stdout


def test_alembic_settings_in_pyproject_toml(tmp_path):
    # Alembic 1.16+: [tool.alembic] names the scripts; alembic.ini keeps the URL and logging.
    write(tmp_path / "pyproject.toml", """
        [project]
        name = "app"

        [tool.alembic]
        script_location = "%(here)s/db"
        prepend_sys_path = ["."]
    """)
    write(tmp_path / "alembic.ini", """
        [alembic]
        sqlalchemy.url = postgresql://
    """)
    (tmp_path / "db" / "versions").mkdir(parents=True)
    write(tmp_path / "db" / "env.py", "")
    (tmp_path / "db" / "versions" / "a1.py").write_text(_migration("a1", None, "one"))
    (tmp_path / "db" / "versions" / "a2.py").write_text(_migration("a2", "a1", "two"))
    config = discover(tmp_path)
    assert config.script_location == tmp_path.resolve() / "db"
    assert config.dialects == ("postgresql",)
    assert config.prepend_sys_path == (tmp_path.resolve(),)
    ours, theirs = _both(tmp_path, "heads", alembic_args=("heads",))
    assert ours.split()[0] == theirs.split()[0] == "a2"


def test_name_reads_another_alembic_ini_section(tmp_path):
    # A multi-database project: one ini, a section per database, chosen with --name.
    write(tmp_path / "alembic.ini", """
        [main]
        script_location = %(here)s/main
        sqlalchemy.url = postgresql://

        [audit]
        script_location = %(here)s/audit
        sqlalchemy.url = mysql://
    """)
    for name, rev in (("main", "m1"), ("audit", "x1")):
        (tmp_path / name / "versions").mkdir(parents=True)
        write(tmp_path / name / "env.py", "")
        (tmp_path / name / "versions" / f"{rev}.py").write_text(_migration(rev, None, name))
    config = discover(tmp_path, name="audit")
    assert (config.script_location, config.dialects, config.ini_section) == \
        (tmp_path.resolve() / "audit", ("mysql",), "audit")
    for name, rev in (("main", "m1"), ("audit", "x1")):
        ours, theirs = _both(tmp_path, "--name", name, "heads",
                             alembic_args=("--name", name, "heads"))
        assert ours.split()[0] == theirs.split()[0] == rev
    bad = subprocess.run([sys.executable, "-m", "sqlbundle", "-n", "nosuch", "heads"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert bad.returncode == 2 and "no [nosuch] section" in bad.stderr
    assert "alembic.ini" in bad.stderr


ENV_PY = """
    import os
    from alembic import context
    from app.models import Base
    import app.other as other

    config = context.config
    target_metadata = Base.metadata


    def run_migrations_offline():
        context.configure(url="x", target_metadata=target_metadata,
                          version_table="schema_versions", version_table_schema="audit",
                          include_schemas=True)


    def run_migrations_online():
        context.configure(connection=None, target_metadata=target_metadata,
                          version_table="schema_versions", version_table_schema="audit")
"""


def _alembic_project(root: Path, env_py: str) -> Path:
    write(root / "alembic.ini", """
        [alembic]
        script_location = %(here)s/migrations
    """)
    (root / "migrations" / "versions").mkdir(parents=True)
    write(root / "migrations" / "env.py", env_py)
    return root


def test_settings_read_from_env_py_without_running_it(tmp_path):
    config = discover(_alembic_project(tmp_path, ENV_PY))
    assert (config.target_metadata, config.version_table, config.version_table_schema) == \
        ("app.models:Base.metadata", "schema_versions", "audit")
    assert config.notes == ("migrations/env.py: read target_metadata = "
                            "'app.models:Base.metadata', version_table = 'schema_versions', "
                            "version_table_schema = 'audit'",)
    # sqlbundle.toml says otherwise: it wins, and nothing is said about env.py's value.
    write(tmp_path / "sqlbundle.toml", 'version_table = "versions"\n')
    config = discover(tmp_path)
    assert config.version_table == "versions" and "version_table =" not in config.notes[0]
    assert "version_table_schema = 'audit'" in config.notes[0]


def test_what_env_py_does_not_say_plainly_is_a_note_naming_the_key(tmp_path):
    env_py = ENV_PY.replace('version_table="schema_versions", version_table_schema="audit",\n'
                            '                          include_schemas=True',
                            'version_table=os.environ["TABLE"]').replace(
        "target_metadata = Base.metadata", "target_metadata = [Base.metadata, other.meta]")
    config = discover(_alembic_project(tmp_path, env_py))
    assert config.target_metadata is None
    assert any("migrations/env.py:8: target_metadata is not an imported name" in n and
               "target_metadata = \"package.module:Base.metadata\" in sqlbundle.toml" in n
               for n in config.notes), config.notes
    assert any("version_table is not a literal; set version_table in sqlbundle.toml" in n
               for n in config.notes), config.notes
    out = subprocess.run([sys.executable, "-m", "sqlbundle", "heads"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert out.returncode == 0 and "note: migrations/env.py:8: target_metadata" in out.stderr
