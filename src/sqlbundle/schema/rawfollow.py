"""Following raw SQL into the replayed schema, statement by statement (``rawddl`` reads one
statement), including MySQL's conditional drops written with a prepared statement."""

from __future__ import annotations

import re
from typing import Any

from .rawddl import Ops, _is_comment, fold, raw_operations, raw_statements
from .state import SchemaState


def apply_raw_ddl(state: SchemaState, sql: str, read: str) -> SchemaState | None:
    """The state after ``sql`` (in sqlglot dialect ``read``), or None when it cannot follow."""
    followed, complete = follow_raw_ddl(state, sql, read)
    return followed if complete else None


def follow_raw_ddl(state: SchemaState, sql: str, read: str) -> tuple[SchemaState, bool]:
    """The state after ``sql`` as far as it can be followed, and whether all of it was: a
    statement it cannot follow is skipped (the caller marks the state opaque), and the tables
    the others create or change stay known."""
    complete = True
    prepared = False  # a conditional drop was put in a variable (see _conditional_drop)
    for statement in raw_statements(sql, read):
        if not statement.changes_schema:
            continue
        if prepared and _runs_prepared(statement.text):
            continue
        conditional = _conditional_drop(statement.tree, state, read)
        if conditional is not None:
            prepared, ops = True, conditional
        else:
            ops = raw_operations(statement.tree, state, read)
        followed = fold(state, ops) if ops is not None else None
        if followed is None:
            # A comment on something the state does not model (a view, an index) leaves
            # what it does model complete.
            complete = complete and _is_comment(statement.tree)
        else:
            state = followed
    return state, complete


_PREPARED = re.compile(r"^\s*(PREPARE\s+\w+\s+FROM\s+@\w+|EXECUTE\s+\w+|"
                       r"(DEALLOCATE|DROP)\s+PREPARE\s+\w+)\s*;?\s*$", re.IGNORECASE)


def _runs_prepared(text: str) -> bool:
    return bool(_PREPARED.match(text))


def _conditional_drop(tree: Any, state: SchemaState, read: str) -> Ops | None:
    """MySQL has no DROP INDEX IF EXISTS, so histories write ``SET @v = IF(<exists>, 'ALTER
    TABLE t DROP INDEX x', 'SELECT 1'); PREPARE s FROM @v; EXECUTE s`` (airflow). Whichever
    branch runs, the object is gone afterwards: the drop, made IF EXISTS. None for anything
    else."""
    from dataclasses import replace

    from sqlglot import exp

    if not isinstance(tree, exp.Set) or len(tree.expressions) != 1:
        return None
    item = tree.expressions[0].this
    branch = item.expression if isinstance(item, exp.EQ) else None
    if not isinstance(branch, exp.If):
        return None
    then, other = branch.args.get("true"), branch.args.get("false")
    if not (isinstance(then, exp.Literal) and then.is_string and isinstance(other, exp.Literal)
            and other.is_string and re.match(r"^\s*select\s+1\s*$", other.this, re.I)):
        return None
    drops = raw_statements(then.this, read)
    if len(drops) != 1 or drops[0].tree is None:
        return None
    ops = raw_operations(drops[0].tree, state, read)
    if not ops or not all(hasattr(op, "if_exists") and op.kind.startswith("drop")
                          for op in ops):
        return None
    return tuple(replace(op, if_exists=True) for op in ops)


