"""merge comments and media branches

Revision ID: d4e9a0c68b53
Revises: 60d7b3f9e2a4, c2a95d1b7f36
Create Date: 2026-01-22 09:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "d4e9a0c68b53"
down_revision: Union[str, Sequence[str], None] = ("60d7b3f9e2a4", "c2a95d1b7f36")
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass
