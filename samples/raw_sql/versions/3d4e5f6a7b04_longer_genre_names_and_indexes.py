"""longer genre names, and indexes for author and title lookups

A Python migration on tables that raw SQL created: sqlbundle followed that SQL into its schema
state, so MySQL's full MODIFY needs no existing_type.

Revision ID: 3d4e5f6a7b04
Revises: 2c3d4e5f6a03
Create Date: 2026-02-04 09:00:00
"""
from sqlbundle import op
import sqlalchemy as sa

revision = "3d4e5f6a7b04"
down_revision = "2c3d4e5f6a03"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("genres", "name", type_=sa.String(80))
    op.create_index("ix_books_author", "books", ["author_id"])
    op.create_index("ix_books_title", "books", ["title"])


def downgrade() -> None:
    op.drop_index("ix_books_title", table_name="books")
    op.drop_index("ix_books_author", table_name="books")
    op.alter_column("genres", "name", type_=sa.String(40))
