"""widen product name to 255 characters

Revision ID: 71bc6e0f4a9d
Revises: e2d84c9a1f60
Create Date: 2026-01-12 16:10:00
"""
from sqlbundle import op
import sqlalchemy as sa

# revision identifiers, used by sqlbundle.
revision = "71bc6e0f4a9d"
down_revision = "e2d84c9a1f60"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column(
        "products",
        "name",
        existing_type=sa.String(length=100),
        type_=sa.String(length=255),
        existing_nullable=False,
    )


def downgrade() -> None:
    op.alter_column(
        "products",
        "name",
        existing_type=sa.String(length=255),
        type_=sa.String(length=100),
        existing_nullable=False,
    )
