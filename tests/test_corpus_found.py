"""Defects the real-world corpus (``corpus/run.py``) found in histories other projects wrote,
each reduced to a few lines and proved against Alembic on the real engines (tests/twin.py)."""

from __future__ import annotations

import pytest

from twin import twin

pytestmark = pytest.mark.engine


# ckan 016_37ada738328e: a revision table keyed by (id, continuity_id) drops continuity_id and
# then creates a new primary key: PostgreSQL drops the whole key with the column (MariaDB
# refuses to drop a column of a composite key, for both tools).
@pytest.mark.parametrize("engine_name", ["postgresql"])
def test_dropping_a_key_column_drops_the_whole_key_on_postgresql(engine_name, tmp_path):
    twin(tmp_path, engine_name, ("""
op.create_table("rev", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("continuity_id", sa.Integer, primary_key=True),
                sa.Column("revision_id", sa.Integer, nullable=False, server_default="0"))
""", 'op.drop_table("rev")'), ("""
op.drop_column("rev", "continuity_id")
op.create_primary_key("rev_pkey", "rev", ["id", "revision_id"])
""", """
op.drop_constraint("rev_pkey", "rev", type_="primary")
op.add_column("rev", sa.Column("continuity_id", sa.Integer, nullable=False,
                               server_default="0"))
op.create_primary_key("rev_pkey", "rev", ["id", "continuity_id"])
"""), downgrade=True)
