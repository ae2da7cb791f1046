"""Dialect differences live in the profiles (``dialects/*.toml``) and in each dialect's render
module, not in branches of shared code (issue 12): no shared module compares a dialect name with
a string literal."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlbundle.profile import known_dialects, load_profile

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "sqlbundle"
DIALECTS = set(known_dialects())
# Modules that may name a dialect: the profile reader and each dialect's own render module.
OWN = {"profile.py"} | {f"render/{name}.py" for name in DIALECTS}
# Comparisons that stay, each with why (module, line text stripped). Keep this short.
ALLOWED = {
    # SQLAlchemy's dialect names (which compiler to load), not a profile's:
    ("render/context.py", 'if name == "mariadb":'),
    ("render/literals.py",
     'if name in ("duckdb", "snowflake"):  # no SQLAlchemy dialect ships for them'),
    ("autogen/compare.py", "known = set(now) | (self.current_enum_keys if self.dialect.name "
                           '== "postgresql" else set())'),
    # The language raw SQL is written in (sqlglot's read dialect), not the target:
    ("render/rawsql.py",
     'return isinstance(tree, exp.Create) and kind == "INDEX" and read == "mysql"'),
    ("schema/rawddl.py", 'if isinstance(tree, exp.Command) and read == "mysql":'),
    # Alembic's view of the target in migration code (mysql unless the ini URL says mariadb):
    ("record/target.py",
     'if self.profile.name == "mariadb" and url_backend(self._ini_url) == "mariadb":'),
}


def _names(node: ast.AST) -> set[str]:
    """The dialect names a literal (a string, or a tuple/list/set of strings) holds."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} & DIALECTS
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return set().union(*(_names(e) for e in node.elts)) if node.elts else set()
    return set()


def dialect_comparisons() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module in OWN:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, operands, operands[1:]):
                if isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) and \
                        (_names(left) or _names(right)):
                    found.append((module, node.lineno, lines[node.lineno - 1].strip()))
    return found


def test_no_shared_module_compares_a_dialect_name_with_a_literal():
    left = [(m, n, text) for m, n, text in dialect_comparisons() if (m, text) not in ALLOWED]
    assert not left, "dialect branches in shared code (make them profile keys or move them " \
        "into render/<dialect>.py):\n" + "\n".join(f"{m}:{n}: {t}" for m, n, t in left)


# Names a table of dialect facts could be keyed by: the profiles' names and sqlglot's names for them.
TABLE_KEYS = DIALECTS | {load_profile(name).sqlglot_dialect for name in DIALECTS}
# Dict literals keyed by dialect names that stay in shared code (module, assigned name), each
# with why. Keep this short: a fact about a target belongs in its profile.
ALLOWED_TABLES = {
    # Vocabulary people write (source dialects, URL schemes), mapped to names, not facts:
    ("schema/sqltext.py", "ALIASES"),
    ("project/alembicfiles.py", "known"),
    # Keyed by SQLAlchemy's dialect name: when Alembic's batch mode recreates a table.
    ("record/batch.py", "AUTO_RECREATE"),
    # Keyed by the profile's constraint_names value (a naming rule, which several targets or a
    # source database's aliases may select), not by the target.
    ("schema/gennames.py", "RULES"),
    # Keyed by sqlglot's dialect name: gaps of sqlglot's parser for the forms our renderers
    # write, not facts about a database.
    ("compile/sqlcheck.py", "KNOWN_GAPS"),
}


def _assigned_name(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str:
    """The variable a dict literal is assigned to (else ``line <n>``)."""
    at = node
    while at in parents:
        at = parents[at]
        if isinstance(at, ast.Assign):
            return ast.unparse(at.targets[0])
        if isinstance(at, ast.AnnAssign):
            return ast.unparse(at.target)
    return f"line {node.lineno}"


def dialect_tables() -> list[tuple[str, int, str]]:
    """Dict literals in shared modules with a dialect name among their keys, named by the
    variable they are assigned to."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module in OWN:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Dict):
                continue
            keys = {k.value for k in node.keys
                    if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            if keys & TABLE_KEYS:
                found.append((module, node.lineno, _assigned_name(node, parents)))
    return found


def test_no_shared_module_holds_a_table_keyed_by_dialect():
    left = [(m, n, name) for m, n, name in dialect_tables() if (m, name) not in ALLOWED_TABLES]
    assert not left, "tables keyed by dialect in shared code (make them profile keys, or " \
        "register the entries from render/<dialect>.py):\n" + \
        "\n".join(f"{m}:{n}: {name}" for m, n, name in left)


def test_allowed_tables_still_exist():
    # A stale entry would let a new table of the same name through unnoticed.
    found = {(m, name) for m, _, name in dialect_tables()}
    assert ALLOWED_TABLES <= found, sorted(ALLOWED_TABLES - found)
