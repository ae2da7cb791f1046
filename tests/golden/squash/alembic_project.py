"""baseline

Revision ID: 5c1e8b6d3a0f
Revises: 
Replaces: 07e4b9d2c6a8, 1d8a7e3b05c9, 9b2f61c0d4e7, a1c93e7f5b20, e7305fa2b9d1 (squashed)
Create Date: 2026-01-01 00:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = "5c1e8b6d3a0f"
down_revision = None
branch_labels = None
depends_on = None

# The revisions this baseline replaces (sqlbundle squash).
replaces = (
    "07e4b9d2c6a8",
    "1d8a7e3b05c9",
    "9b2f61c0d4e7",
    "a1c93e7f5b20",
    "e7305fa2b9d1",
)


def upgrade() -> None:
    op.create_table(
        "authors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_authors"),
        sa.UniqueConstraint("email", name="uq_authors_email"),
    )
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft", "published", "archived", name="post_status", native_enum=False
            ),
            server_default="draft",
            nullable=False,
        ),
        sa.Column(
            "view_count", sa.BigInteger(), server_default=sa.text("0"), nullable=False
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
            ["author_id"], ["authors.id"], name="fk_posts_authors", ondelete="CASCADE"
        ),
        sa.CheckConstraint(
            "status <> 'published' OR published_at IS NOT NULL",
            name="ck_posts_published_has_date",
        ),
        sa.CheckConstraint("view_count >= 0", name="ck_posts_view_count_nonneg"),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'archived')", name="post_status"
        ),
    )
    op.create_index("ix_posts_slug", "posts", ["slug"], unique=True)
    op.create_index("ix_posts_author_published", "posts", ["author_id", "published_at"])
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("slug", sa.String(length=50), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=True),
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
    op.drop_table("post_tags")
    op.drop_table("tags")
    op.drop_table("posts")
    op.drop_table("authors")
