"""sqlbundle in CI: lint for pull requests (--since, Markdown), the pre-commit hooks and the
GitHub Action's script, run locally on a git project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DROP = ('"""drop the bio"""\nfrom alembic import op\n\nrevision = "c0ffee000001"\n'
        'down_revision = "6e4a0d9c1b7f"\n\n\ndef upgrade():\n'
        '    op.drop_column("customers", "email")\n\n\ndef downgrade():\n    pass\n')


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("SQLBUNDLE_")}
    out.update(SOURCE_DATE_EPOCH="1767225600", GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    out["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{out.get('PATH', '')}"
    return out


def sb(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "sqlbundle", *args], cwd=cwd, env=env(),
                          capture_output=True, text=True)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env(), check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    """samples/shop in a git repository, its bundle committed on main."""
    root = tmp_path / "shop"
    shutil.copytree(SAMPLES / "shop", root, ignore=shutil.ignore_patterns("bundles"))
    (root / ".gitignore").write_text(".sqlbundle-cache/\n")
    git("init", "-q", "-b", "main", cwd=root)
    assert sb("bundle", "-d", "sqlite", cwd=root).returncode == 0
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "history", cwd=root)
    return root


def test_lint_since_reports_only_what_the_branch_adds(repo):
    whole = json.loads(sb("lint", "-f", "json", cwd=repo).stdout)
    assert whole["findings"], "the sample's history has findings of its own"
    assert json.loads(sb("lint", "--since", "main", "-f", "json", cwd=repo).stdout)[
        "findings"] == []
    git("checkout", "-q", "-b", "feature", cwd=repo)
    (repo / "versions" / "c0ffee000001_drop_email.py").write_text(DROP)  # untracked still
    out = sb("lint", "--since", "main", "-f", "json", cwd=repo)
    assert out.returncode == 1
    found = json.loads(out.stdout)["findings"]
    assert {f["path"] for f in found} == {"versions/c0ffee000001_drop_email.py"}
    assert "SBL002" in {f["code"] for f in found}
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "drop", cwd=repo)
    assert {f["path"] for f in json.loads(sb("lint", "--since", "main", "-f", "json",
                                             cwd=repo).stdout)["findings"]} == \
        {"versions/c0ffee000001_drop_email.py"}
    bad = sb("lint", "--since", "no-such-branch", cwd=repo)
    assert bad.returncode == 2 and "unknown git revision 'no-such-branch'" in bad.stderr


def test_lint_markdown_for_a_pull_request_comment(repo):
    (repo / "versions" / "c0ffee000001_drop_email.py").write_text(DROP)
    text = sb("lint", "--since", "main", "-f", "markdown", cwd=repo).stdout
    lines = text.splitlines()
    assert lines[0] == "### sqlbundle lint: postgresql@16, base:heads"
    assert "| severity | rule | where | finding | fix |" in lines
    row = next(line for line in lines if "SBL002" in line)
    assert row.startswith("| error | SBL002 ") and \
        "`versions/c0ffee000001_drop_email.py:9`" in row
    clean = sb("lint", "--since", "HEAD", "-f", "markdown", cwd=repo)
    # The new file is untracked: still part of what the branch adds.
    assert "SBL002" in clean.stdout
    (repo / "versions" / "c0ffee000001_drop_email.py").unlink()
    none = sb("lint", "--since", "main", "-f", "markdown", cwd=repo).stdout
    assert none.splitlines()[2].startswith("No findings")


def test_pre_commit_manifest_is_valid_and_its_hooks_run(repo):
    manifest = ROOT / ".pre-commit-hooks.yaml"
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest",
                           str(manifest)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    import yaml  # pre-commit's own dependency

    hooks = {hook["id"]: hook for hook in yaml.safe_load(manifest.read_text())}
    assert set(hooks) == {"sqlbundle-check", "sqlbundle-lint", "sqlbundle-check-models"}
    for hook in hooks.values():
        assert hook["entry"].startswith("sqlbundle ") and hook["pass_filenames"] is False
    # Each entry, as pre-commit would run it in the project.
    assert sb(*hooks["sqlbundle-check"]["entry"].split()[1:], cwd=repo).returncode == 0
    assert sb(*hooks["sqlbundle-lint"]["entry"].split()[1:], cwd=repo).returncode in (0, 1)
    (repo / "sqlbundle.toml").write_text((repo / "sqlbundle.toml").read_text()
                                         + 'target_metadata = "models:Base.metadata"\n')
    models = sb(*hooks["sqlbundle-check-models"]["entry"].split()[1:], cwd=repo)
    assert models.returncode == 0, models.stdout + models.stderr


def test_action_script_runs_locally(repo, tmp_path):
    action = ROOT / "action.yml"
    import yaml

    spec = yaml.safe_load(action.read_text())
    assert spec["runs"]["using"] == "composite"
    assert "action/run.sh" in json.dumps(spec["runs"]["steps"])
    outputs = tmp_path / "github_output"
    summary = tmp_path / "step_summary"

    def run(**extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", str(ROOT / "action" / "run.sh")], cwd=repo,
                              env={**env(), "RUNNER_TEMP": str(tmp_path),
                                   "GITHUB_OUTPUT": str(outputs),
                                   "GITHUB_STEP_SUMMARY": str(summary),
                                   "SQLBUNDLE_BIN": str(Path(sys.executable).parent /
                                                        "sqlbundle"), **extra},
                              capture_output=True, text=True)

    ok = run(SQLBUNDLE_SINCE="main")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "**check**: every bundle is current." in summary.read_text()
    sarif = json.loads((repo / "sqlbundle.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []
    assert f"sarif={repo / 'sqlbundle.sarif'}" in outputs.read_text() or \
        "sarif=sqlbundle.sarif" in outputs.read_text()
    # A new risky migration: the bundle is stale and lint fails; both are in the summary.
    (repo / "versions" / "c0ffee000001_drop_email.py").write_text(DROP)
    failed = run(SQLBUNDLE_SINCE="main")
    assert failed.returncode == 1
    text = summary.read_text()
    assert "**check**: something is not current:" in text and "a rebuild adds it" in text
    assert "| error | SBL002 " in text
    results = json.loads((repo / "sqlbundle.sarif").read_text())["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"SBL002"}
