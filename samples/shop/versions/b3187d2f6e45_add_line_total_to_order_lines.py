"""add line_total to order lines

Revision ID: b3187d2f6e45
Revises: 9e05a7b3c2d8
Create Date: 2026-01-14 11:55:00
"""
from sqlbundle import op
import sqlalchemy as sa

# revision identifiers, used by sqlbundle.
revision = "b3187d2f6e45"
down_revision = "9e05a7b3c2d8"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Add as nullable, backfill existing lines, then tighten to NOT NULL.
    op.add_column(
        "order_lines",
        sa.Column("line_total", sa.Numeric(precision=12, scale=2), nullable=True),
    )
    op.execute("UPDATE order_lines SET line_total = quantity * unit_price")
    op.alter_column(
        "order_lines",
        "line_total",
        existing_type=sa.Numeric(precision=12, scale=2),
        nullable=False,
    )


def downgrade() -> None:
    op.drop_column("order_lines", "line_total")
