"""create media_assets table

Revision ID: 8f40c2e7a19b
Revises: 5c1e8b6d3a0f
Create Date: 2026-01-19 11:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "8f40c2e7a19b"
down_revision: Union[str, Sequence[str], None] = "5c1e8b6d3a0f"
branch_labels: Union[str, Sequence[str], None] = ("media",)
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "media_assets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("byte_size", sa.BigInteger(), nullable=False),
        sa.Column(
            "uploaded_at",
            sa.DateTime(),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_media_assets"),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["authors.id"],
            name="fk_media_assets_authors",
            ondelete="SET NULL",
        ),
        sa.CheckConstraint("byte_size >= 0", name="ck_media_assets_size_nonneg"),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("media_assets")
