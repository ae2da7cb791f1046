"""The difference report of ``drift`` and ``verify``, on in-memory states (no engine)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from sqlbundle.compile.steps import replayed_state
from sqlbundle.profile import load_profile
from sqlbundle.project.model import open_project
from sqlbundle.review.schemadiff import differences_markdown, schema_differences
from sqlbundle.schema.state import IndexState, evolve

SHOP = Path(__file__).resolve().parent.parent / "samples" / "shop"


def shop(target: str):
    profile = load_profile(target)
    return profile, replayed_state(open_project(SHOP, use_cache=False), "heads", profile)


def changed(state, table_name, **changes):
    return state.with_table(evolve(state.table(table_name), **changes))


def test_the_same_schema_has_no_differences():
    for target in ("postgresql", "mariadb", "sqlite"):
        profile, state = shop(target)
        assert schema_differences(state, state, profile) == ()


def test_missing_extra_and_different_are_named_exactly():
    profile, history = shop("postgresql")
    customers = history.table("customers")
    db = changed(history, "customers",
                 columns=tuple(c if c.name != "full_name" else evolve(c, type=sa.String(150))
                               for c in customers.columns if c.name != "email"),
                 uniques=())
    orders = db.table("orders")
    db = changed(db, "orders", indexes=orders.indexes + (IndexState("ix_manual", ("status",)),))
    products = db.table("products")
    db = changed(db, "products", foreign_keys=tuple(
        evolve(fk, ondelete="CASCADE") for fk in products.foreign_keys))
    found = [d.text() for d in schema_differences(db, history, profile)]
    assert found == [
        "missing column customers.email (in the history, not in the database)",
        "different column customers.full_name: type VARCHAR(150) in the database, "
        "VARCHAR(100) in the history",
        "missing unique constraint uq_customers_email on customers (in the history, not in "
        "the database)",
        "extra index ix_manual on orders (in the database, not in the history)",
        "different foreign key fk_products_categories on products: definition (category_id) "
        "REFERENCES categories (id) ON DELETE CASCADE in the database, (category_id) "
        "REFERENCES categories (id) ON DELETE SET NULL in the history",
    ]


def test_a_missing_table_and_markdown():
    profile, history = shop("mariadb")
    db = history.without_table((None, "payments"))
    differences = schema_differences(db, history, profile)
    assert [d.as_dict() for d in differences] == [
        {"status": "missing", "kind": "table", "subject": "payments", "details": []}]
    text = differences_markdown(differences, "Drift")
    assert "| missing | table `payments` | absent | present |" in text
    assert differences_markdown((), "Drift").endswith("No differences.\n")
