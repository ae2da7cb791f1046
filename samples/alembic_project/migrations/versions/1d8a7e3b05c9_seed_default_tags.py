"""seed default tags

Revision ID: 1d8a7e3b05c9
Revises: 9b2f61c0d4e7
Create Date: 2026-01-08 09:40:00

"""
from decimal import Decimal
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "1d8a7e3b05c9"
down_revision: Union[str, Sequence[str], None] = "9b2f61c0d4e7"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    tags = sa.table(
        "tags",
        sa.column("name", sa.String),
        sa.column("slug", sa.String),
        sa.column("description", sa.String),
        sa.column("search_boost", sa.Numeric(precision=3, scale=2)),
    )
    op.bulk_insert(
        tags,
        [
            {
                "name": "Release notes",
                "slug": "release-notes",
                "description": "Product updates and changelogs",
                "search_boost": Decimal("1.00"),
            },
            {
                "name": "Editor's picks",
                "slug": "editors-picks",
                "description": None,
                "search_boost": Decimal("1.50"),
            },
            {
                "name": "Café culture",
                "slug": "cafe-culture",
                "description": "Kaffee, café, 咖啡: coffee writing from everywhere",
                "search_boost": Decimal("0.75"),
            },
        ],
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.execute(
        "DELETE FROM tags"
        " WHERE slug IN ('release-notes', 'editors-picks', 'cafe-culture')"
    )
