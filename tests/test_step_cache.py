"""The step cache: steps kept by the content chain before them. Every build here is compared
byte for byte with a build of the same files with no cache at all, and the steps actually
rendered are counted."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from sqlbundle.assemble.bundle import build_bundle
from sqlbundle.cache import Caches
from sqlbundle.compile import steps as compile_steps
from sqlbundle.lint.api import lint_project
from sqlbundle.project.model import Project, open_project

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
HEAD = "6e4a0d9c1b7f"  # the shop sample's head
FIRST = "3f9a1c7e2b04_create_customers_table.py"


def cached(root: Path, cache: Path) -> Project:
    project = open_project(root, use_cache=False)
    return replace(project, config=replace(project.config, cache_dir=cache),
                   caches=Caches.configured(cache))


def uncached(root: Path) -> Project:
    project = open_project(root, use_cache=False)
    return replace(project, config=replace(project.config, cache_dir=None),
                   caches=Caches.off())


class Renders:
    """Counts (revision, direction) of every step replayed and rendered."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.steps: list[tuple[str, int]] = []
        real = compile_steps.render_step

        def counting(script, ops, *args, **kwargs):
            self.steps.append((script.revision, len(ops)))
            return real(script, ops, *args, **kwargs)

        monkeypatch.setattr(compile_steps, "render_step", counting)

    def take(self) -> list[str]:
        taken, self.steps = [rev for rev, _ in self.steps], []
        return taken


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(SAMPLES / "shop", root, ignore=shutil.ignore_patterns(".sqlbundle-cache"))
    return root


def add_head(root: Path, rev: str, parent: str, upgrade: str, downgrade: str,
             preamble: str = "") -> None:
    (root / "versions" / f"{rev}_added.py").write_text(
        f'"""added\n\nRevision ID: {rev}\nRevises: {parent}\n"""\n'
        "from sqlbundle import op\nimport sqlalchemy as sa\n" + preamble +
        f"\nrevision = {rev!r}\ndown_revision = {parent!r}\nbranch_labels = None\n"
        f"depends_on = None\n\n\ndef upgrade():\n{upgrade}\n\n\ndef downgrade():\n"
        f"{downgrade}\n", "utf-8")


def both(root: Path, cache: Path, dialect: str) -> tuple[dict[str, str], dict[str, str]]:
    """The bundle's files built with the cache, and built with none."""
    return (build_bundle(cached(root, cache), "base:heads", dialect).files,
            build_bundle(uncached(root), "base:heads", dialect).files)


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_a_second_bundle_renders_nothing(shop, tmp_path, monkeypatch, dialect):
    first = build_bundle(cached(shop, tmp_path / "cache"), "base:heads", dialect).files
    renders = Renders(monkeypatch)
    again = build_bundle(cached(shop, tmp_path / "cache"), "base:heads", dialect).files
    assert renders.take() == []
    assert again == first == build_bundle(uncached(shop), "base:heads", dialect).files


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_a_new_migration_at_the_head_is_the_only_step_rendered(shop, tmp_path, monkeypatch,
                                                               dialect):
    build_bundle(cached(shop, tmp_path / "cache"), "base:heads", dialect)
    add_head(shop, "a1b2c3d4e5f6", HEAD,
             "    op.create_table('coupons', sa.Column('id', sa.Integer, primary_key=True),\n"
             "                    sa.Column('code', sa.String(20), nullable=False))",
             "    op.drop_table('coupons')")
    renders = Renders(monkeypatch)
    with_cache, without = both(shop, tmp_path / "cache", dialect)
    # Its upgrade, and its downgrade in the rollback: the rollback's other steps are found
    # under the keys of the schema the new step's downgrade returns to.
    assert renders.take()[:2] == ["a1b2c3d4e5f6", "a1b2c3d4e5f6"]
    assert renders.steps == []
    assert with_cache == without
    assert "coupons" in with_cache["upgrade.sql"]


def test_a_downgrade_that_does_not_undo_its_upgrade_is_not_taken_for_it(shop, tmp_path,
                                                                        monkeypatch):
    # The new step's downgrade leaves a column behind: the rollback's next steps run on
    # another schema than when the step did not exist (SQLite copies customers with it).
    build_bundle(cached(shop, tmp_path / "cache"), "base:heads", "sqlite")
    add_head(shop, "a1b2c3d4e5f6", HEAD,
             "    op.add_column('customers', sa.Column('nickname', sa.String(30)))\n"
             "    op.add_column('customers', sa.Column('vip', sa.Boolean))",
             "    op.drop_column('customers', 'vip')")
    renders = Renders(monkeypatch)
    with_cache = build_bundle(cached(shop, tmp_path / "cache"), "base:heads", "sqlite").files
    rendered = renders.take()
    assert rendered.count(HEAD) == 1  # the old head's downgrade, rendered again
    assert with_cache == build_bundle(uncached(shop), "base:heads", "sqlite").files
    assert "nickname" in with_cache["rollback/rollback.sql"]


def test_an_edit_renders_what_depends_on_it_and_no_more(shop, tmp_path, monkeypatch):
    build_bundle(cached(shop, tmp_path / "cache"), "base:heads", "postgresql")
    first = shop / "versions" / FIRST
    renders = Renders(monkeypatch)
    first.write_text(first.read_text("utf-8") + "\n# reviewed\n", "utf-8")
    with_cache, without = both(shop, tmp_path / "cache", "postgresql")
    assert with_cache == without
    project = uncached(shop)
    steps = len(project.scripts)
    rendered = renders.take()
    # With the cache: every upgrade (all follow the edited file) and every downgrade; then
    # the same again for the build without cache.
    assert len(rendered) == 4 * steps
    # The last migration, edited: only its own upgrade and downgrade.
    build_bundle(cached(shop, tmp_path / "cache"), "base:heads", "postgresql")
    last = shop / "versions" / "6e4a0d9c1b7f_add_default_shipping_method_to_customers.py"
    last.write_text(last.read_text("utf-8") + "\n# reviewed\n", "utf-8")
    renders.take()
    with_cache = build_bundle(cached(shop, tmp_path / "cache"), "base:heads", "postgresql")
    assert renders.take() == [HEAD, HEAD]
    assert with_cache.files == build_bundle(uncached(shop), "base:heads", "postgresql").files


def test_a_migration_that_reads_the_environment_is_rendered_every_time(shop, tmp_path,
                                                                       monkeypatch):
    add_head(shop, "a1b2c3d4e5f6", HEAD,
             "    op.add_column('customers', sa.Column(os.environ.get('EXTRA', 'x1'),"
             " sa.Integer))",
             "    op.drop_column('customers', os.environ.get('EXTRA', 'x1'))",
             preamble="import os\n")
    add_head(shop, "b2c3d4e5f6a7", "a1b2c3d4e5f6",
             "    op.create_index('ix_customers_email2', 'customers', ['email'])",
             "    op.drop_index('ix_customers_email2', 'customers')")
    monkeypatch.setenv("EXTRA", "loyalty_points")
    first = build_bundle(cached(shop, tmp_path / "cache"), "base:heads", "sqlite").files
    assert "loyalty_points" in first["upgrade.sql"]
    monkeypatch.setenv("EXTRA", "referral_code")
    with_cache, without = both(shop, tmp_path / "cache", "sqlite")
    assert with_cache == without
    assert "referral_code" in with_cache["upgrade.sql"]
    assert "loyalty_points" not in with_cache["rollback/rollback.sql"]


def test_lint_takes_its_findings_from_the_steps_a_bundle_kept(shop, tmp_path, monkeypatch):
    fresh = lint_project(uncached(shop), "base:heads", "postgresql")
    build_bundle(cached(shop, tmp_path / "cache"), "base:heads", "postgresql")
    renders = Renders(monkeypatch)
    again = lint_project(cached(shop, tmp_path / "cache"), "base:heads", "postgresql")
    assert renders.take() == []
    assert again == fresh and fresh.findings
