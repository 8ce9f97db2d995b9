"""Alembic environment: runs against the engine gaptrack hands it (never one of its own)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

import gaptrack.models  # noqa: F401  (registers every table on the metadata)
from gaptrack.models import metadata
from gaptrack.search.schema import include_name

config = context.config


def run() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # the `alembic` command line: the URL comes from the config
        engine = engine_from_config(
            config.get_section(config.config_ini_section) or {},
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,  # SQLite alters tables by copying them
            compare_type=True,
            include_name=include_name,  # the search index is not a model
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run()
