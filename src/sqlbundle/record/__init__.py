"""Running migration code: the ``op`` recorder and the Alembic stand-in."""
