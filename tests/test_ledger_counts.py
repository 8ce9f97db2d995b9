"""The ledger's document counts kept after each write (gaps.ledger_counts) equal the live count
of the same rows, at several dates and scopes, after loads, a later import and a removed
production, and are not trusted once a write skipped the refresh (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.gaps import ledger_counts
from gaptrack.gaps import sql as t
from gaptrack.gaps.ledger_facts import document_counts
from gaptrack.gaps.scope import Scope
from gaptrack.service.cases import load_case_files
from gaptrack.service.gaps import status_ledger
from gaptrack.service.productions import remove_production
from gaptrack.service.views import clear_cache
from tests.conftest import FIXTURES
from tests.test_case_view import LATER_VOLUME

DATES = [dt.date(2017, 5, 10), dt.date(2017, 9, 1), dt.date(2017, 11, 16), dt.date(2018, 3, 1)]
Both = tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]


def _both(engine: Engine, as_of: dt.date, party_id: int | None = None) -> tuple[Both, Both]:
    """(kept, live) counts of every letter sent by ``as_of``."""
    scope = Scope(as_of=as_of, dialect=engine.dialect.name, party_id=party_id)
    with engine.connect() as connection:
        letters = set(connection.execute(
            sa.select(t.request.c.id).where(t.request.c.date_sent <= as_of)).scalars())
        assert ledger_counts._current(connection) is not None, "kept counts are current"
        kept = document_counts(connection, scope, letters)
    with engine.begin() as connection:  # forget them: the same call counts live
        connection.execute(
            sa.delete(t.derived_state).where(t.derived_state.c.name == ledger_counts.STATE))
    with engine.connect() as connection:
        live = document_counts(connection, scope, letters)
    with engine.begin() as connection:
        ledger_counts.refresh_counts(connection, _documents(connection))
    return kept, live


def _documents(connection: sa.Connection) -> int:
    return int(connection.execute(sa.select(sa.func.count()).select_from(t.document)).scalar_one())


def _party(engine: Engine, slug: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(
            sa.select(t.party.c.id).where(t.party.c.slug == slug)).scalar_one())


def test_kept_counts_equal_the_live_count(engine: Engine, tmp_path: Path) -> None:
    load_case_files(engine, sorted(FIXTURES.glob("*.yaml")))
    for as_of in DATES:
        kept, live = _both(engine, as_of)
        assert kept == live, as_of
    kept, live = _both(engine, DATES[2], _party(engine, "kushner"))
    assert kept == live and kept[1], "Kushner's letters count his documents"
    # A later import adds documents: counted and added, not recounted, and still equal.
    later = tmp_path / "later.yaml"
    later.write_text(LATER_VOLUME, encoding="utf-8")
    before = _both(engine, DATES[3])[0]
    load_case_files(engine, [later])
    kept, live = _both(engine, DATES[3])
    assert kept == live and kept != before
    # A removed production: its documents leave the counts.
    remove_production(engine, "kushner-vol002", reason="withdrawn by counsel")
    kept, live = _both(engine, DATES[3])
    assert kept == live == before


def test_a_write_that_skipped_the_refresh_is_counted_live(engine: Engine) -> None:
    load_case_files(engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    as_of = dt.date(2017, 11, 30)
    clear_cache()
    before = _item_documents(engine, as_of)
    kushner = _party(engine, "kushner")
    with engine.begin() as connection:  # a new responsive row, no refresh after it
        document, item = _unanswered_pair(connection, kushner, as_of)
        connection.execute(sa.insert(t.document_item).values(
            document_id=document, item_id=item, source="tagged"))
        assert ledger_counts._current(connection) is None
    clear_cache()
    after = _item_documents(engine, as_of)
    # The item now answered gains the document, and so does each renewal of it.
    grown = {k for k in after if after[k] == before[k] + 1}
    assert grown and all(after[k] == before[k] for k in after if k not in grown)


def _item_documents(engine: Engine, as_of: dt.date) -> dict[tuple[str, str, str], int]:
    return {(r.party, r.request, i.item): i.documents_produced
            for r in status_ledger(engine, as_of=as_of) for i in r.items}


def _unanswered_pair(connection: sa.Connection, party: int, as_of: dt.date) -> tuple[int, int]:
    """A received document of ``party`` and an item of a letter to it (sent by ``as_of``) that
    the document answers neither that item nor any item it renews."""
    di, ri, rr, rq, d, pr = (
        t.document_item, t.item, t.recipient, t.request, t.document, t.production
    )
    renews = dict(connection.execute(sa.select(ri.c.id, ri.c.renews_item_id)).all())
    items = connection.execute(
        sa.select(ri.c.id).join(rr, rr.c.request_id == ri.c.request_id)
        .join(rq, rq.c.id == ri.c.request_id)
        .where(rr.c.party_id == party, rq.c.date_sent <= as_of).order_by(ri.c.id)
    ).scalars().all()
    answered = set(connection.execute(sa.select(di.c.document_id, di.c.item_id)).all())
    documents = connection.execute(
        sa.select(d.c.id).join(pr, pr.c.id == d.c.production_id)
        .where(d.c.party_id == party, pr.c.date_received <= as_of).order_by(d.c.id)).scalars()

    def chain(item: int | None) -> list[int]:
        return [item, *chain(renews[item])] if item is not None else []

    return next(
        (doc, item) for doc in documents for item in items
        if not any((doc, member) in answered for member in chain(item))
    )
