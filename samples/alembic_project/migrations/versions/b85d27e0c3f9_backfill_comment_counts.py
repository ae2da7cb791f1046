"""backfill comment counts

Revision ID: b85d27e0c3f9
Revises: 2e6c8f1a4d7b
Create Date: 2026-01-26 13:50:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "b85d27e0c3f9"
down_revision: Union[str, Sequence[str], None] = "2e6c8f1a4d7b"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.execute(
        "UPDATE posts SET comment_count = ("
        "SELECT COUNT(*) FROM comments"
        " WHERE comments.post_id = posts.id AND comments.is_approved = TRUE"
        ")"
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("UPDATE posts SET comment_count = 0")
