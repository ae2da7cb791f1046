"""rename order_items to order_lines

Revision ID: 9e05a7b3c2d8
Revises: 71bc6e0f4a9d
Create Date: 2026-01-14 10:30:00
"""
from sqlbundle import op
import sqlalchemy as sa

# revision identifiers, used by sqlbundle.
revision = "9e05a7b3c2d8"
down_revision = "71bc6e0f4a9d"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Constraint names keep their original "order_items" prefix.
    op.rename_table("order_items", "order_lines")


def downgrade() -> None:
    op.rename_table("order_lines", "order_items")
