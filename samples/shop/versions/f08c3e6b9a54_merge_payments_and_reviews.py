"""merge payments and reviews

Revision ID: f08c3e6b9a54
Revises: d61f8b4e07a2, 2a7d5c90e3b1
Create Date: 2026-01-22 10:00:00
"""
from sqlbundle import op
import sqlalchemy as sa

# revision identifiers, used by sqlbundle.
revision = "f08c3e6b9a54"
down_revision = ("d61f8b4e07a2", "2a7d5c90e3b1")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
