"""add default shipping method to customers

Revision ID: 6e4a0d9c1b7f
Revises: f08c3e6b9a54
Create Date: 2026-01-26 14:15:00
"""
from sqlbundle import op
import sqlalchemy as sa

# revision identifiers, used by sqlbundle.
revision = "6e4a0d9c1b7f"
down_revision = "f08c3e6b9a54"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "customers",
        sa.Column("default_shipping_method_id", sa.Integer(), nullable=True),
    )
    op.create_foreign_key(
        "fk_customers_shipping_methods",
        "customers",
        "shipping_methods",
        ["default_shipping_method_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(
        "fk_customers_shipping_methods", "customers", type_="foreignkey"
    )
    op.drop_column("customers", "default_shipping_method_id")
