"""add refunded_amount to payments

Revision ID: d61f8b4e07a2
Revises: 4c9e2a71d8f3
Create Date: 2026-01-20 15:40:00
"""
from sqlbundle import op
import sqlalchemy as sa

# revision identifiers, used by sqlbundle.
revision = "d61f8b4e07a2"
down_revision = "4c9e2a71d8f3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "payments",
        sa.Column(
            "refunded_amount",
            sa.Numeric(precision=12, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
    )
    op.create_check_constraint(
        "ck_payments_refund_in_range",
        "payments",
        "refunded_amount >= 0 AND refunded_amount <= amount",
    )


def downgrade() -> None:
    op.drop_constraint("ck_payments_refund_in_range", "payments", type_="check")
    op.drop_column("payments", "refunded_amount")
