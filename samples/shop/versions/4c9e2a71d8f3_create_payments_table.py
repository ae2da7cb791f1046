"""create payments table

Revision ID: 4c9e2a71d8f3
Revises: b3187d2f6e45
Create Date: 2026-01-19 09:00:00
"""
from sqlbundle import op
import sqlalchemy as sa

# revision identifiers, used by sqlbundle.
revision = "4c9e2a71d8f3"
down_revision = "b3187d2f6e45"
branch_labels = ("payments",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=30), nullable=False),
        sa.Column("provider_ref", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column(
            "currency", sa.String(length=3), server_default="EUR", nullable=False
        ),
        sa.Column("captured_at", sa.DateTime(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_payments"),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name="fk_payments_orders",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "provider", "provider_ref", name="uq_payments_provider_ref"
        ),
        sa.CheckConstraint("amount > 0", name="ck_payments_amount_positive"),
    )
    op.create_index("ix_payments_order_id", "payments", ["order_id"])


def downgrade() -> None:
    # Dropping the table drops ix_payments_order_id with it. (MariaDB will not drop
    # that index on its own while it backs fk_payments_orders.)
    op.drop_table("payments")
