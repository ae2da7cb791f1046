"""rename authors.name to display_name

Revision ID: 5c1e8b6d3a0f
Revises: e7305fa2b9d1
Create Date: 2026-01-15 10:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "5c1e8b6d3a0f"
down_revision: Union[str, Sequence[str], None] = "e7305fa2b9d1"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.alter_column(
        "authors",
        "name",
        new_column_name="display_name",
        existing_type=sa.String(length=100),
        existing_nullable=False,
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.alter_column(
        "authors",
        "display_name",
        new_column_name="name",
        existing_type=sa.String(length=100),
        existing_nullable=False,
    )
