"""Loading migration files into ``Script`` values without running their code.

Python files are read with ``ast``: the module docstring and literal assignments to
``revision``, ``down_revision``, ``branch_labels`` and ``depends_on``. Only when one of those is
not a literal is the module's top level executed (never ``upgrade()``/``downgrade()``), and the
``Script`` says so (``static=False``). SQL files are read from their header.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ScriptError
from .script import Script

_METADATA = ("revision", "down_revision", "branch_labels", "depends_on")
_CREATE_DATE = re.compile(r"^\s*Create Date:\s*(.+?)\s*$", re.MULTILINE)
_DOC_FIELD = re.compile(r"^\s*(Revision ID|Revises|Create Date)\s*:", re.IGNORECASE)


def _find_paths(locations: Sequence[Path], recursive: bool) -> list[str]:
    """Migration files in Alembic's reading order: location by location as configured, each
    folder's files by name, then its subfolders by name (depth first); a folder listed twice
    is read once."""
    # Plain strings and scandir: this runs for every graph command over thousands of files.
    found: list[str] = []
    seen: set[str] = set()
    for location in locations:
        pending = [str(location)]
        while pending:
            folder = pending.pop()
            real = os.path.realpath(folder)
            if real in seen:
                continue
            seen.add(real)
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except (FileNotFoundError, NotADirectoryError):
                continue
            subfolders: list[str] = []
            for entry in entries:
                name = entry.name
                if name.startswith((".", "__")):
                    continue
                if name.endswith((".py", ".sql")):
                    found.append(entry.path)
                elif recursive and entry.is_dir():
                    subfolders.append(entry.path)
            pending.extend(reversed(subfolders))
    return found


def load_scripts(
    locations: Sequence[Path],
    *,
    recursive: bool = False,
    cache: Any = None,
    display_root: Path | None = None,
    code_store: Any = None,
) -> list[Script]:
    """Read every migration file in ``locations`` into a ``Script``, in Alembic's reading
    order (which only listings use: ``history`` lists like Alembic's).

    ``cache`` (a ``ScriptIndex``) skips files whose size and mtime are unchanged.
    """
    prefix = str(display_root) + os.sep if display_root is not None else None
    scripts: list[Script] = []
    for raw in _find_paths(locations, recursive):
        if prefix is not None and raw.startswith(prefix):
            shown = raw[len(prefix):]
        else:
            shown = _display(Path(raw), display_root)
        script = cache.lookup(raw, shown) if cache is not None else None
        if script is None:
            path = Path(raw)
            script = load_script(path, shown, code_store)
            if cache is not None and script is not None:
                cache.store(raw, script)
        if script is not None:
            scripts.append(script)
    if cache is not None:
        cache.save()
    return scripts


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return os.path.relpath(path, root)
        except ValueError:
            pass
    return str(path)


def load_script(path: Path, shown: str | None = None, code_store: Any = None
                ) -> Script | None:
    """Read one migration file. Returns None for a Python file that declares no revision at all
    (a helper module kept next to the migrations). ``code_store``: where the file's bytecode
    goes when reading it compiled it."""
    shown = shown or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScriptError(f"cannot read migration file: {exc.strerror}", path=shown) from None
    import hashlib  # only for files the index lacks (OpenSSL's start-up is 3 ms)

    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScriptError(
            f"migration file is not UTF-8 (byte {exc.start})", path=shown,
            line=data.count(b"\n", 0, exc.start) + 1,
        ) from None
    if path.suffix == ".sql":
        return _load_sql(text, shown, digest)
    return _load_python(text, shown, digest, os.path.normpath(path), code_store)


def _load_sql(text: str, shown: str, digest: str) -> Script:
    from .sqlfile import parse_sql_migration, split_list  # only for files the index lacks

    migration = parse_sql_migration(text, shown)
    header = migration.header
    down = split_list(header["down_revision"])
    return Script(
        revision=header["revision"].strip(),
        down_revisions=down,
        branch_labels=split_list(header.get("branch_labels", "")),
        depends_on=split_list(header.get("depends_on", "")),
        message=header.get("message", "").strip(),
        path=shown,
        line=migration.header_lines["revision"],
        sha256=digest,
        kind="sql",
        create_date=header.get("create_date") or None,
        key_lines=tuple(sorted(migration.header_lines.items())),
        settings=comment_settings(text),
    )


# Top-level names of ``import a.b, c`` and ``from a.b import x`` at the start of a line
# (relative imports name the migrations' own folder, whose files are in the plan already).
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b|import[ \t]+"
                     r"([A-Za-z_][\w. \t,]*))", re.M)


# ``# sqlbundle: lock_timeout=30s`` (``--`` in SQL files): settings of this migration alone.
_SETTING = re.compile(r"(?:#|--)\s*sqlbundle:\s*(lock_timeout|statement_timeout)\s*=\s*(\S+)")


def comment_settings(text: str) -> tuple[tuple[str, str], ...]:
    """The per-migration settings its comments give, the last one of each key winning."""
    found = {key: value for key, value in _SETTING.findall(text)}
    return tuple(sorted(found.items()))


def imported_names(text: str) -> tuple[str, ...]:
    """Top-level module names a Python source imports, read from its text, sorted."""
    names = set()
    for match in _IMPORT.finditer(text):
        if match.group(1):
            names.add(match.group(1).split(".")[0])
        else:
            for part in match.group(2).split(","):
                words = part.split()
                if words:
                    names.add(words[0].split(".")[0])
    return tuple(sorted(names))


def _opcodes() -> tuple[int, int, int, int, frozenset[int]]:
    import dis

    # Module-level bytecode that makes reading constants straight unsafe: any branch, loop,
    # handler or context (an assignment under ``if`` is not the module's own).
    flow = re.compile(r"JUMP|FOR_ITER|SETUP_(?!ANNOTATIONS)|WITH|RAISE|POP_EXCEPT|RERAISE|PUSH_EXC|SEND|YIELD")
    return (dis.opmap["STORE_NAME"], dis.opmap["LOAD_CONST"], dis.opmap["EXTENDED_ARG"],
            dis.opmap.get("CACHE", -1),
            frozenset(op for op, name in enumerate(dis.opname) if flow.search(name)))


_OPS: list[tuple[int, int, int, int, frozenset[int]]] = []


def _from_bytecode(text: str, real_path: str, digest: str = "", code_store: Any = None
                   ) -> tuple[str, dict[str, Any], dict[str, int]] | None:
    """The docstring, metadata values and their lines, read off the module's compiled top
    level when each metadata name is stored straight from one constant, not a tuple (what
    Alembic's template writes for all but merges); None when anything else is there (the
    AST reading decides then). Compiling is C all the way, where ``ast.parse`` builds a
    Python object per node: on a fresh clone of 5,000 migrations this halves the loading.
    The code object goes to ``code_store`` (as the runtime compiles it: same file name and
    newlines), so recording the migration does not compile it again."""
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        code = compile(source, real_path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    if code_store is not None:
        code_store.put(real_path, digest, code)
    if not _OPS:
        _OPS.append(_opcodes())
    store, load_const, extended, cache, flow = _OPS[0]
    raw, names, consts = code.co_code, code.co_names, code.co_consts
    doc = ""
    values: dict[str, Any] = {}
    offsets: dict[str, int] = {}
    previous, previous_arg, high = -1, 0, 0
    for offset in range(0, len(raw), 2):
        op, arg = raw[offset], raw[offset + 1] | high
        if op == extended:
            high = arg << 8
            continue
        high = 0
        if op == cache:
            continue
        if op in flow:
            return None
        if op == store and (names[arg] == "__doc__" or names[arg] in _METADATA):
            if previous != load_const:
                return None
            value = consts[previous_arg]
            if names[arg] == "__doc__":
                if not isinstance(value, str):
                    return None
                import inspect

                doc = inspect.cleandoc(value)
            elif isinstance(value, tuple):
                return None  # each id's own line (for errors about one) is the AST's
            elif isinstance(value, str) and f"'{value}'" not in text and \
                    f'"{value}"' not in text:
                return None  # folded ('a' + 'b'): not a literal, as the AST reading sees it
            else:
                values[names[arg]] = value
                offsets[names[arg]] = offset
        previous, previous_arg = op, arg
    lines = {}
    for name, offset in offsets.items():
        lines[name] = next((line for start, end, line in code.co_lines()
                            if start <= offset < end and line is not None), 1)
    return doc, values, lines


def _load_python(text: str, shown: str, digest: str, real_path: str,
                 code_store: Any = None) -> Script | None:
    fast = _from_bytecode(text, real_path, digest, code_store)
    if fast is not None and ("revision" in fast[1] or "down_revision" in fast[1]):
        doc, values, lines = fast
        return _script(values, lines, [], doc, text, shown, digest, real_path)
    try:
        tree = ast.parse(text, filename=shown)
    except SyntaxError as exc:
        raise ScriptError(f"syntax error: {exc.msg}", path=shown, line=exc.lineno) from None
    doc = ast.get_docstring(tree, clean=True) or ""
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    dynamic: list[str] = []
    for node in tree.body:
        targets: list[ast.expr]
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in _METADATA:
                lines[target.id] = node.lineno
                if isinstance(value, (ast.Tuple, ast.List)):
                    # A tuple over several lines: each id's own line, for errors about one.
                    for item in value.elts:
                        if isinstance(item, ast.Constant) and isinstance(item.value, str):
                            lines[f"{target.id}={item.value.strip()}"] = item.lineno
                try:
                    values[target.id] = ast.literal_eval(value)
                except ValueError:
                    dynamic.append(target.id)
                    values.pop(target.id, None)
    if "revision" not in lines and "down_revision" not in lines:
        return None
    return _script(values, lines, dynamic, doc, text, shown, digest, real_path)


def _script(values: dict[str, Any], lines: dict[str, int], dynamic: list[str], doc: str,
            text: str, shown: str, digest: str, real_path: str) -> Script:
    static = not dynamic
    if dynamic:
        values = _execute_for_metadata(text, shown, real_path)
    if "revision" not in values:
        raise ScriptError(
            "migration file has no 'revision = \"...\"' assignment",
            path=shown,
            line=1,
        )
    if "down_revision" not in values and "down_revision" not in lines:
        raise ScriptError(
            "migration file has no 'down_revision = ...' assignment (use None for a base)",
            path=shown,
            line=lines.get("revision"),
        )
    line = lines.get("revision")
    return Script(
        revision=_as_id(values.get("revision"), "revision", shown, line),
        down_revisions=_as_ids(values.get("down_revision"), "down_revision", shown,
                               lines.get("down_revision")),
        branch_labels=_as_ids(values.get("branch_labels"), "branch_labels", shown,
                              lines.get("branch_labels")),
        depends_on=_as_ids(values.get("depends_on"), "depends_on", shown, lines.get("depends_on")),
        message=_message(doc),
        path=shown,
        line=line,
        sha256=digest,
        kind="python",
        create_date=_create_date(doc),
        static=static,
        key_lines=tuple(sorted(lines.items())),
        imports=imported_names(text),
        settings=comment_settings(text),
    )


def _execute_for_metadata(text: str, shown: str, real_path: str) -> dict[str, Any]:
    from ..record.runtime import execute_module

    module = execute_module(text, real_path, "sqlbundle_migration_metadata", shown)
    return {name: getattr(module, name) for name in _METADATA if hasattr(module, name)}


def _as_id(value: Any, name: str, path: str, line: int | None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScriptError(f"{name} must be a non-empty string, got {value!r}", path=path, line=line)
    return value.strip()


def _as_ids(value: Any, name: str, path: str, line: int | None) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            item = _as_id(item, name, path, line)
            if item not in out:
                out.append(item)
        return tuple(out)
    raise ScriptError(
        f"{name} must be None, a string or a tuple of strings, got {value!r}",
        path=path,
        line=line,
    )


def _message(doc: str) -> str:
    """The docstring's first paragraph, without Alembic's 'Revision ID:' lines."""
    paragraph: list[str] = []
    for line in doc.splitlines():
        if _DOC_FIELD.match(line):
            break
        if not line.strip():
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    return " ".join(paragraph)


def _create_date(doc: str) -> str | None:
    match = _CREATE_DATE.search(doc)
    return match.group(1) if match else None
