"""create comments table

Revision ID: 3b6fd0a84e12
Revises: 5c1e8b6d3a0f
Create Date: 2026-01-19 09:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "3b6fd0a84e12"
down_revision: Union[str, Sequence[str], None] = "5c1e8b6d3a0f"
branch_labels: Union[str, Sequence[str], None] = ("comments",)
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("author_name", sa.String(length=100), nullable=False),
        sa.Column("author_email", sa.String(length=255), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "is_approved", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_comments"),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name="fk_comments_posts", ondelete="CASCADE"
        ),
        sa.CheckConstraint("LENGTH(body) > 0", name="ck_comments_body_not_empty"),
    )
    op.create_index("ix_comments_post_created", "comments", ["post_id", "created_at"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("comments")
