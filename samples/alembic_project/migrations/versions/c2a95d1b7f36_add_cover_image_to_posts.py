"""add cover image to posts

Revision ID: c2a95d1b7f36
Revises: 8f40c2e7a19b
Create Date: 2026-01-20 16:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "c2a95d1b7f36"
down_revision: Union[str, Sequence[str], None] = "8f40c2e7a19b"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column("posts", sa.Column("cover_image_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        "fk_posts_media_assets",
        "posts",
        "media_assets",
        ["cover_image_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_constraint("fk_posts_media_assets", "posts", type_="foreignkey")
    op.drop_column("posts", "cover_image_id")
