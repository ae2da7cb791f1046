"""``sqlbundle check``: are the committed bundles current, and were locked migrations edited?

Bundles are found under the output folder (any folder, searched recursively, whose
``manifest.json`` says ``"tool": "sqlbundle"``). Each is rebuilt in memory from its manifest's
range, target and guards, and compared byte for byte with what is on disk. A file that differs
is classified with the bundle's own manifest, which records every file's sha256:

* ``edited``: the file on disk no longer matches the manifest (changed by hand);
* ``missing``: the manifest lists it, but it is not on disk;
* ``extra``: on disk, but neither the manifest nor a rebuild has it;
* ``stale``: matches the manifest, but a rebuild differs (the migrations, templates or sqlbundle
  changed since the bundle was written), would add it, or no longer produces it.

A bundle whose files all match its manifest and whose recorded inputs (see
:mod:`sqlbundle.assemble.inputs`) are those of the project now is current without a rebuild
(``rebuild=True`` rebuilds every bundle anyway); anything else is rebuilt and compared.

The lock (:mod:`sqlbundle.lock`) is checked too: a locked migration whose checksum changed, or
whose file disappeared, is a finding. Nothing here prints or exits: the result is a
:class:`CheckReport` value, and user errors are raised as :class:`SqlbundleError`.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..assemble.manifest import FORMAT, MANIFEST
from ..errors import SqlbundleError
from .lock import LOCK_FILE, LockStatus, lock_path, lock_status, read_lock
from ..project.model import Project

DIFF_LINES = 40
STATUSES = ("edited", "missing", "extra", "stale")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class FoundBundle:
    folder: Path
    name: str  # for messages: the folder relative to the project root when inside it
    manifest: dict

    @property
    def range(self) -> str:
        return self.manifest["range"]

    @property
    def target(self) -> str:
        return self.manifest["target"]

    @property
    def guards(self) -> bool:
        return self.manifest["guards"]

    @property
    def pretty(self) -> bool:
        return bool(self.manifest.get("pretty", False))

    @property
    def safe(self) -> bool:
        """Built with the safe forms (``--safe`` or the setting)."""
        return bool(self.manifest.get("safe", False))

    def project_as_built(self, project: Project) -> Project:
        """``project`` with the settings this bundle was built with that a command line may
        give (``--safe``)."""
        if project.config.safe == self.safe:
            return project
        from dataclasses import replace

        return replace(project, config=replace(project.config, safe=self.safe))

    @property
    def schema(self) -> str | None:
        """A tenant's bundle: the schema it is applied in."""
        value = self.manifest.get("schema")
        return value if isinstance(value, str) and value else None


def read_manifest(path: Path, shown: str) -> dict | None:
    """A bundle manifest, or None when the JSON is not sqlbundle's. Corrupt JSON, a newer
    format or missing fields are errors naming the file."""
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise SqlbundleError("the manifest is not UTF-8", path=shown) from None
    except OSError as exc:
        raise SqlbundleError(f"cannot read the manifest: {exc.strerror}", path=shown) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SqlbundleError(f"the manifest is not valid JSON: {exc}", path=shown,
                             hint="rewrite the bundle with `sqlbundle bundle`") from None
    if not isinstance(data, dict) or data.get("tool") != "sqlbundle":
        return None
    fmt = data.get("format")
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
        raise SqlbundleError(f"unknown manifest format {fmt!r}", path=shown)
    if fmt > FORMAT:
        by = f" (written by sqlbundle {data['version']})" if "version" in data else ""
        raise SqlbundleError(
            f"the manifest has format {fmt}{by}, newer than this sqlbundle reads ({FORMAT})",
            path=shown, hint="upgrade sqlbundle")
    for key, kind in (("range", str), ("target", str), ("guards", bool)):
        if not isinstance(data.get(key), kind):
            raise SqlbundleError(f"the manifest has no valid {key!r}", path=shown)
    if not isinstance(data.get("files", {}), dict):
        raise SqlbundleError("the manifest has no valid 'files' table", path=shown)
    return data


def find_bundles(out_dir: Path, root: Path) -> list[FoundBundle]:
    """Every sqlbundle bundle under ``out_dir``, sorted by path. Hidden folders (the writer's
    temporary ones) are skipped, and a bundle's own subfolders are not searched."""
    found = []
    if not out_dir.is_dir():
        return found
    for current, dirs, files in os.walk(out_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        here = Path(current)
        if MANIFEST in files:
            manifest = read_manifest(here / MANIFEST, _shown(here / MANIFEST, root))
            if manifest is not None:
                found.append(FoundBundle(here, _shown(here, root), manifest))
                dirs[:] = []
    return sorted(found, key=lambda b: b.folder.as_posix())


@dataclass(frozen=True)
class FileFinding:
    file: str  # relative to the bundle folder, POSIX
    status: str  # one of STATUSES
    detail: str = ""

    def as_dict(self) -> dict:
        return {"file": self.file, "status": self.status, "detail": self.detail}


@dataclass(frozen=True)
class BundleReport:
    folder: Path
    name: str
    range: str
    target: str
    guards: bool
    files: int  # files compared (rebuilt)
    findings: tuple[FileFinding, ...]
    diff: tuple[str, ...]  # unified diff of the first differing file, cut to DIFF_LINES
    rebuilt: bool = True  # False: current because its files and inputs are unchanged
    schema: str | None = None  # a tenant's bundle
    # The renderers' versions, when they differ from those that wrote the bundle.
    versions: tuple[str, ...] = ()
    # Current, but its recorded inputs are not those of the project now (so it is rebuilt on
    # every check until ``bundle`` writes them again).
    stale_inputs: bool = False

    @property
    def current(self) -> bool:
        return not self.findings

    def by_status(self, status: str) -> list[str]:
        return [f.file for f in self.findings if f.status == status]

    def as_dict(self) -> dict:
        return {
            "bundle": self.name,
            "range": self.range,
            "target": self.target,
            "guards": self.guards,
            "current": self.current,
            "files": self.files,
            "findings": [f.as_dict() for f in self.findings],
            **{status: self.by_status(status) for status in STATUSES},
            "diff": list(self.diff),
            "rebuilt": self.rebuilt,
            "stale_inputs": self.stale_inputs,
            "versions": list(self.versions),
        }


def _read_tree(folder: Path) -> dict[str, bytes]:
    out = {}
    top = str(folder)
    for current, dirs, files in os.walk(top):
        dirs.sort()
        prefix = os.path.relpath(current, top).replace(os.sep, "/") + "/"
        prefix = "" if prefix == "./" else prefix
        for name in sorted(files):
            path = os.path.join(current, name)
            try:
                with open(path, "rb") as handle:
                    out[prefix + name] = handle.read()
            except OSError as exc:
                raise SqlbundleError(f"cannot read bundle file: {exc.strerror}",
                                     path=path) from None
    return dict(sorted(out.items()))


def _manifest_edited(data: bytes) -> bool:
    """Whether a manifest on disk disagrees with its own checksum (changed by hand)."""
    try:
        manifest = json.loads(data.decode("utf-8"))
        files = manifest["files"]
        return manifest["checksum"] != _sha(json.dumps(files, sort_keys=True).encode("utf-8"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return True


def compare_files(expected: dict[str, str], on_disk: dict[str, bytes],
                  recorded: dict[str, str]) -> list[FileFinding]:
    """Classify the differences between a rebuilt bundle (``expected``), the files on disk and
    the sha256 per file the bundle's manifest recorded (``recorded``)."""
    findings = []
    for name in sorted(set(expected) | set(on_disk)):
        want = expected.get(name)
        have = on_disk.get(name)
        if want is not None and have is not None and want.encode("utf-8") == have:
            continue
        if name == MANIFEST:
            if have is None:
                findings.append(FileFinding(name, "missing"))
            elif _manifest_edited(have):
                findings.append(FileFinding(name, "edited", "does not match its own checksum"))
            else:
                findings.append(FileFinding(name, "stale", "differs from a rebuild"))
            continue
        listed = recorded.get(name)
        if have is None:
            if listed is not None:
                findings.append(FileFinding(name, "missing"))
            else:
                findings.append(FileFinding(name, "stale", "a rebuild adds it"))
        elif listed is not None and _sha(have) != listed:
            findings.append(FileFinding(name, "edited", "differs from the manifest's sha256"))
        elif listed is None and want is None:
            findings.append(FileFinding(name, "extra"))
        elif want is None:
            findings.append(FileFinding(name, "stale", "a rebuild no longer has it"))
        else:
            findings.append(FileFinding(name, "stale", "differs from a rebuild"))
    return findings


def first_diff(name: str, findings: list[FileFinding], expected: dict[str, str],
               on_disk: dict[str, bytes], limit: int = DIFF_LINES) -> tuple[str, ...]:
    """Unified diff (on disk -> rebuilt) of the first file both sides have, cut to ``limit``
    lines (the last one saying how many were left out)."""
    for finding in findings:
        if finding.file in expected and finding.file in on_disk:
            old = on_disk[finding.file].decode("utf-8", errors="replace")
            new = expected[finding.file]
            lines = [line.rstrip("\n") for line in difflib.unified_diff(
                old.splitlines(keepends=True), new.splitlines(keepends=True),
                f"{name}/{finding.file} (on disk)", f"{name}/{finding.file} (rebuilt)", n=2)]
            if len(lines) > limit:
                rest = len(lines) - (limit - 1)
                lines = lines[:limit - 1] + [f"... ({rest} more diff line(s))"]
            return tuple(lines)
    return ()


def _as_written(on_disk: dict[str, bytes], recorded: dict[str, str]) -> bool:
    """Whether the files on disk are exactly those the manifest lists, unedited."""
    if set(on_disk) != set(recorded) | {MANIFEST} or _manifest_edited(on_disk[MANIFEST]):
        return False
    return all(_sha(on_disk[name]) == sha for name, sha in recorded.items())


def _same_but_inputs(rebuilt: dict, written: dict) -> bool:
    def strip(manifest: dict) -> dict:
        return {k: v for k, v in manifest.items() if k != "inputs"}

    return strip(rebuilt) == strip(written)


def _inputs_unchanged(project: Project, found: FoundBundle, memo: dict) -> bool:
    from ..assemble.manifest import inputs_digest
    from ..history.plan import upgrade_range_of

    inputs = found.manifest.get("inputs")
    recorded = inputs.get("sha256") if isinstance(inputs, dict) else None
    if not isinstance(recorded, str):
        return False
    try:
        range = upgrade_range_of(project.graph, found.range)
    except SqlbundleError:
        return False  # the rebuild says why
    return inputs_digest(found.project_as_built(project), range, found.target, found.guards,
                         found.pretty, memo, schema=found.schema) == recorded


def up_to_date(project: Project, folder: Path, range_text: str, target: str, guards: bool,
               pretty: bool, memo: dict | None = None, schema: str | None = None
               ) -> dict | None:
    """The manifest of the bundle in ``folder`` when a build of these settings would write
    exactly what is there (its files as listed, its inputs unchanged); else None."""
    path = folder / MANIFEST
    try:
        manifest = read_manifest(path, str(path)) if path.is_file() else None
        if manifest is None or (manifest["range"], manifest["target"], manifest["guards"],
                                bool(manifest.get("pretty", False)),
                                manifest.get("schema") or None,
                                bool(manifest.get("safe", False))) != \
                (range_text, target, guards, pretty, schema, project.config.safe):
            return None
        on_disk = _read_tree(folder)
    except SqlbundleError:
        return None  # the build replaces what cannot be read
    found = FoundBundle(folder, str(folder), manifest)
    if _as_written(on_disk, manifest.get("files", {})) and \
            _inputs_unchanged(project, found, {} if memo is None else memo):
        return manifest
    return None


def version_changes(manifest: dict) -> tuple[str, ...]:
    """``name X -> Y`` for each renderer whose version differs from the one that wrote the
    bundle: a rebuild with other versions may differ without any migration having changed."""
    from .. import __version__
    from ..assemble.manifest import renderer_versions

    inputs = manifest.get("inputs") if isinstance(manifest.get("inputs"), dict) else {}
    versions = renderer_versions()
    now = {"sqlbundle": (manifest.get("version"), __version__),
           **{name: (inputs.get(name), versions[name]) for name in versions}}
    return tuple(f"{name} {was} -> {current}" for name, (was, current) in now.items()
                 if was is not None and was != current)


def check_bundle(project: Project, found: FoundBundle, *, diff_lines: int = DIFF_LINES,
                 rebuild: bool = False, memo: dict | None = None) -> BundleReport:
    """Compare ``found`` with what the project builds now: without rebuilding it when its
    files and inputs are unchanged (unless ``rebuild``), else rebuilt in memory. ``memo``:
    shared by the bundles of one project."""
    on_disk = _read_tree(found.folder)
    recorded = found.manifest.get("files", {})
    if not rebuild and _as_written(on_disk, recorded) and \
            _inputs_unchanged(project, found, {} if memo is None else memo):
        return BundleReport(found.folder, found.name, found.range, found.target, found.guards,
                            len(on_disk), (), (), rebuilt=False, schema=found.schema)
    from ..assemble.bundle import build_bundle

    try:
        if found.manifest.get("phases"):
            from ..assemble.phases import build_phases

            rebuilt = build_phases(project, found.range, found.target, guards=found.guards)
        else:
            rebuilt = build_bundle(found.project_as_built(project), found.range, found.target,
                                   guards=found.guards, pretty=found.pretty,
                                   schema=found.schema)
    except SqlbundleError as exc:
        raise SqlbundleError(f"cannot rebuild bundle {found.name} "
                             f"({found.range} for {found.target}): {exc}",
                             path=f"{found.name}/{MANIFEST}") from None
    findings = compare_files(rebuilt.files, on_disk, recorded)
    stale_inputs = False
    if FileFinding(MANIFEST, "stale", "differs from a rebuild") in findings and \
            _same_but_inputs(rebuilt.manifest, found.manifest):
        # The inputs changed but not one file of the bundle did (a comment in the
        # configuration, a template it does not use): current, and rebuilt until rewritten.
        findings.remove(FileFinding(MANIFEST, "stale", "differs from a rebuild"))
        stale_inputs = not findings
    diff = first_diff(found.name, findings, rebuilt.files, on_disk, diff_lines)
    return BundleReport(found.folder, found.name, found.range, found.target, found.guards,
                        len(rebuilt.files), tuple(findings), diff,
                        versions=version_changes(found.manifest) if findings else (),
                        stale_inputs=stale_inputs, schema=found.schema)


@dataclass(frozen=True)
class CheckReport:
    out_dir: Path
    bundles: tuple[BundleReport, ...]
    lock: LockStatus | None  # None when the lock was not checked (absent or --no-lock)
    lock_file: str

    @property
    def ok(self) -> bool:
        return all(b.current for b in self.bundles) and (self.lock is None or self.lock.ok)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "bundles": [b.as_dict() for b in self.bundles],
            "lock": None if self.lock is None else {"file": self.lock_file,
                                                    **self.lock.as_dict()},
        }


def check_project(project: Project, out_dir: Path | None = None, *, bundles: bool = True,
                  lock: bool = True, diff_lines: int = DIFF_LINES,
                  rebuild: bool = False) -> CheckReport:
    """Check every bundle under ``out_dir`` (default: the configured output folder) and the
    lock. Finding nothing to check is an error."""
    root = project.config.root
    out_dir = out_dir if out_dir is not None else project.config.output_dir
    if not bundles and not lock:
        raise SqlbundleError("nothing to check: both --no-bundles and --no-lock were given")
    found = find_bundles(out_dir, root) if bundles else []
    path = lock_path(project)
    locked = read_lock(path, _shown(path, root)) if lock else None
    if not found and locked is None:
        if bundles:
            where = _shown(out_dir, root)
            raise SqlbundleError(
                f"no bundles under {where}" + (f" and no {LOCK_FILE}" if lock else ""),
                hint="run `sqlbundle bundle` to write them"
                     + (" (or `sqlbundle lock` to check only the lock)" if lock else ""))
        raise SqlbundleError(f"no {LOCK_FILE} in {root}",
                             hint="run `sqlbundle lock` to create it")
    memo: dict = {}
    reports = tuple(check_bundle(project, item, diff_lines=diff_lines, rebuild=rebuild,
                                 memo=memo) for item in found)
    status = lock_status(project, locked) if locked is not None else None
    return CheckReport(out_dir, reports, status, _shown(path, root))
