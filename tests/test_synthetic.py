"""The synthetic case: deterministic, shaped like a real one, usable by the gap engine."""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.db import open_database
from gaptrack.matching import fingerprint
from gaptrack.models import metadata
from gaptrack.service import gaps
from gaptrack.synthetic import build_synthetic
from tests.support import row_counts

SYNTHETIC_TABLES = [
    "party", "party_address", "request", "request_item", "item_criterion", "production",
    "document", "document_participant", "document_reference", "document_item", "known_item",
    "privilege_entry",
]  # fmt: skip
DERIVED_TABLES = {"document_item"}


def digest(engine: Engine) -> str:
    out = hashlib.sha256()
    with engine.connect() as connection:
        for name in SYNTHETIC_TABLES:
            table = metadata.tables[name]
            if name in DERIVED_TABLES:
                # Derived by set-based SQL: each backend numbers the rows in its own join
                # order, so the rows are compared without their surrogate ids.
                columns = [c for c in table.c if c.name != "id"]
                found = sorted(tuple(r) for r in connection.execute(sa.select(*columns)))
            else:
                ordered = sa.select(table).order_by(table.c.id)
                found = [tuple(r) for r in connection.execute(ordered)]
            for row in found:
                out.update(repr(row).encode())
    return out.hexdigest()


def test_counts_and_shape(engine: Engine) -> None:
    case = build_synthetic(engine, 2_000, seed=7, parties=12, known_items=40)
    counts = row_counts(engine)
    assert counts["document"] == case.documents == 2_000
    assert counts["party"] == 12 and counts["known_item"] == case.known_items == 40
    assert counts["production"] == 24 and counts["privilege_entry"] == case.privilege_entries
    assert counts["document_participant"] == case.participants
    with engine.connect() as connection:
        d = metadata.tables["document"]
        # Cross-party copies: one email produced by several parties, some with another
        # Message-ID (the sender's Sent Items copy) but the same fingerprint.
        copies = connection.execute(
            sa.select(d.c.fingerprint, sa.func.count(sa.distinct(d.c.mih)))
            .where(d.c.fingerprint.is_not(None))
            .group_by(d.c.fingerprint)
            .having(sa.func.count(sa.distinct(d.c.mih)) > 1)
        ).all()
        assert copies
        # The fingerprint written is the one the matching module computes.
        row = connection.execute(
            sa.select(d.c.sender, d.c.recipients, d.c.cc, d.c.subject, d.c.fingerprint)
            .where(d.c.doc_type == "email")
            .order_by(d.c.id)
            .limit(1)
        ).one()
        recipients = [r for r in (row.recipients, row.cc) if r]
        assert fingerprint(row.sender, recipients, row.subject) == row.fingerprint


def test_same_seed_same_rows(engine: Engine, tmp_path: Path) -> None:
    """Same arguments, same rows: on this backend and in a fresh SQLite file alike."""
    build_synthetic(engine, 500, seed=3, parties=6, known_items=10)
    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    build_synthetic(other, 500, seed=3, parties=6, known_items=10)
    assert digest(engine) == digest(other)
    third = open_database(f"sqlite:///{tmp_path / 'third.db'}")
    build_synthetic(third, 500, seed=4, parties=6, known_items=10)
    assert digest(third) != digest(other)
    other.dispose()
    third.dispose()


def test_gap_engine_finds_every_kind(engine: Engine) -> None:
    import datetime as dt

    build_synthetic(engine, 3_000, seed=11, parties=10, known_items=60)
    found = gaps.find_gaps(engine, as_of=dt.date(2017, 9, 1))
    kinds = {g.kind.value for g in found}
    assert {"inferred", "known-not-produced", "overdue", "referenced-unproduced"} <= kinds
    assert all(g.party.startswith("syn-") for g in found)
