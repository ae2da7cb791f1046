"""create posts table

Revision ID: 07e4b9d2c6a8
Revises: a1c93e7f5b20
Create Date: 2026-01-07 11:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "07e4b9d2c6a8"
down_revision: Union[str, Sequence[str], None] = "a1c93e7f5b20"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "status",
            # VARCHAR + CHECK everywhere, so there is no database ENUM type to manage.
            sa.Enum(
                "draft",
                "published",
                "archived",
                name="post_status",
                native_enum=False,
                create_constraint=True,
            ),
            server_default="draft",
            nullable=False,
        ),
        sa.Column(
            "view_count", sa.Integer(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_posts"),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["authors.id"],
            name="fk_posts_authors",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "status <> 'published' OR published_at IS NOT NULL",
            name="ck_posts_published_has_date",
        ),
        sa.CheckConstraint("view_count >= 0", name="ck_posts_view_count_nonneg"),
    )
    op.create_index("ix_posts_slug", "posts", ["slug"], unique=True)
    op.create_index("ix_posts_author_published", "posts", ["author_id", "published_at"])


def downgrade() -> None:
    """Downgrade schema."""
    # Dropping the table drops its indexes too. (MariaDB will not drop
    # ix_posts_author_published on its own while it backs fk_posts_authors.)
    op.drop_table("posts")
