"""create product reviews

Revision ID: 2a7d5c90e3b1
Revises: b3187d2f6e45
Create Date: 2026-01-19 13:25:00
"""
from sqlbundle import op
import sqlalchemy as sa

# revision identifiers, used by sqlbundle.
revision = "2a7d5c90e3b1"
down_revision = "b3187d2f6e45"
branch_labels = ("reviews",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "product_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_product_reviews"),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name="fk_product_reviews_products",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name="fk_product_reviews_customers",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "product_id", "customer_id", name="uq_product_reviews_customer"
        ),
        sa.CheckConstraint(
            "rating BETWEEN 1 AND 5", name="ck_product_reviews_rating"
        ),
    )


def downgrade() -> None:
    op.drop_table("product_reviews")
