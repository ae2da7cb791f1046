"""add comment_count to posts

Revision ID: 2e6c8f1a4d7b
Revises: d4e9a0c68b53
Create Date: 2026-01-26 13:35:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "2e6c8f1a4d7b"
down_revision: Union[str, Sequence[str], None] = "d4e9a0c68b53"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column(
        "posts",
        sa.Column(
            "comment_count", sa.Integer(), server_default=sa.text("0"), nullable=False
        ),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column("posts", "comment_count")
