"""seed categories and shipping methods

Revision ID: 5a61f3d8e9b7
Revises: c47b0e1d5f82
Create Date: 2026-01-06 11:20:00
"""
from decimal import Decimal

from sqlbundle import op
import sqlalchemy as sa

# revision identifiers, used by sqlbundle.
revision = "5a61f3d8e9b7"
down_revision = "c47b0e1d5f82"
branch_labels = None
depends_on = None

# Lightweight table stubs: only the columns the seed data touches.
categories = sa.table(
    "categories",
    sa.column("name", sa.String),
    sa.column("slug", sa.String),
    sa.column("description", sa.String),
)
shipping_methods = sa.table(
    "shipping_methods",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("description", sa.String),
    sa.column("fee", sa.Numeric(precision=8, scale=2)),
)


def upgrade() -> None:
    op.bulk_insert(
        categories,
        [
            {
                "name": "Books",
                "slug": "books",
                "description": "Fiction, non-fiction and reference",
            },
            {
                "name": "Children's books",
                "slug": "childrens-books",
                "description": None,
            },
            {
                "name": "Küche & Café",
                "slug": "kueche-cafe",
                "description": "Kaffeemühlen, Töpfe und Geschirr",
            },
        ],
    )
    op.bulk_insert(
        shipping_methods,
        [
            {
                "code": "standard",
                "name": "Standard delivery",
                "description": "3–5 business days",
                "fee": Decimal("4.95"),
            },
            {
                "code": "express",
                "name": "Express delivery",
                "description": "Next business day",
                "fee": Decimal("12.50"),
            },
            {
                "code": "pickup",
                "name": "Store pickup",
                "description": None,
                "fee": Decimal("0.00"),
            },
        ],
    )


def downgrade() -> None:
    op.execute(
        "DELETE FROM shipping_methods"
        " WHERE code IN ('standard', 'express', 'pickup')"
    )
    op.execute(
        "DELETE FROM categories"
        " WHERE slug IN ('books', 'childrens-books', 'kueche-cafe')"
    )
