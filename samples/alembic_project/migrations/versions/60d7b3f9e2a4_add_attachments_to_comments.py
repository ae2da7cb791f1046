"""add attachments to comments

Revision ID: 60d7b3f9e2a4
Revises: 3b6fd0a84e12
Create Date: 2026-01-21 10:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "60d7b3f9e2a4"
down_revision: Union[str, Sequence[str], None] = "3b6fd0a84e12"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = "8f40c2e7a19b"


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column("comments", sa.Column("attachment_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        "fk_comments_media_assets",
        "comments",
        "media_assets",
        ["attachment_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_constraint("fk_comments_media_assets", "comments", type_="foreignkey")
    op.drop_column("comments", "attachment_id")
