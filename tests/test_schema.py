"""The schema comes only from migrations, and the migrations match the models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from gaptrack.db import current_revision, head_revision
from gaptrack.models import metadata
from gaptrack.search.schema import include_name


def test_migrations_produce_the_models_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        diffs = compare_metadata(context, metadata)
    assert diffs == []


def test_database_is_at_the_newest_revision(engine: Engine) -> None:
    assert head_revision() is not None
    assert current_revision(engine) == head_revision()


def test_every_model_table_exists(engine: Engine) -> None:
    tables = set(sa.inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables
    assert "alembic_version" in tables


def test_gap_query_indexes_exist(engine: Engine) -> None:
    names = {ix["name"] for ix in sa.inspect(engine).get_indexes("document")}
    assert {"ix_document_mih_party", "ix_document_fingerprint_party"} <= names


def test_participant_party_index_leaves_out_participants_of_no_party(engine: Engine) -> None:
    """ix_participant_party_role holds only participants linked to a party, on both backends
    (a load writes most participants with none: an entry each would be work for nothing)."""
    if engine.dialect.name == "postgresql":
        sql = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_participant_party_role'"
    else:
        sql = "SELECT sql FROM sqlite_master WHERE name = 'ix_participant_party_role'"
    with engine.connect() as connection:
        definition = str(connection.execute(sa.text(sql)).scalar_one())
    assert "WHERE" in definition.upper() and "party_id IS NOT NULL" in definition
