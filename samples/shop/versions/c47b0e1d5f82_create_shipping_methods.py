"""create shipping methods

Revision ID: c47b0e1d5f82
Revises: 8d2e5b6a9c31
Create Date: 2026-01-06 10:05:00
"""
from sqlbundle import op
import sqlalchemy as sa

# revision identifiers, used by sqlbundle.
revision = "c47b0e1d5f82"
down_revision = "8d2e5b6a9c31"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shipping_methods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column(
            "fee",
            sa.Numeric(precision=8, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_shipping_methods"),
        sa.UniqueConstraint("code", name="uq_shipping_methods_code"),
        sa.CheckConstraint("fee >= 0", name="ck_shipping_methods_fee_nonneg"),
    )


def downgrade() -> None:
    op.drop_table("shipping_methods")
