"""Configuration discovery and validation."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from sqlbundle.config import discover
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
