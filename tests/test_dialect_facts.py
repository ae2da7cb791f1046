"""Dialect differences live in the profiles (``dialects/*.toml``) and in each dialect's render
module, not in branches of shared code (issue 12): no shared module compares a dialect name with
a string literal."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlbundle.profile import known_dialects

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
