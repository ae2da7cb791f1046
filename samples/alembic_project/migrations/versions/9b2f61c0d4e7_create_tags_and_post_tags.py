"""create tags and post_tags

Revision ID: 9b2f61c0d4e7
Revises: 07e4b9d2c6a8
Create Date: 2026-01-08 09:15:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "9b2f61c0d4e7"
down_revision: Union[str, Sequence[str], None] = "07e4b9d2c6a8"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("slug", sa.String(length=50), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=True),
        # Weight applied by the site search to posts carrying this tag.
        sa.Column(
            "search_boost",
            sa.Numeric(precision=3, scale=2),
            server_default=sa.text("1.00"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tags"),
        sa.UniqueConstraint("slug", name="uq_tags_slug"),
        sa.CheckConstraint(
            "search_boost BETWEEN 0 AND 5", name="ck_tags_search_boost_range"
        ),
    )
    op.create_table(
        "post_tags",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("post_id", "tag_id", name="pk_post_tags"),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name="fk_post_tags_posts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name="fk_post_tags_tags", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_post_tags_tag_id", "post_tags", ["tag_id"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("post_tags")
    op.drop_table("tags")
