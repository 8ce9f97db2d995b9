"""Paged read queries: filters, sort, capped counts, letter chains, deadlines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from gaptrack.service import browse
from gaptrack.service.browse import DocumentQuery, DocumentSort
from tui.demo import AS_OF


def test_document_pages_filters_and_sort(demo_engine: Engine) -> None:
    everything = browse.document_page(demo_engine, DocumentQuery())
    assert everything.total == len(everything.rows) > 10
    assert not everything.total_capped and not everything.has_next
    labels = [r.bates for r in everything.rows]
    assert labels == sorted(labels)

    page = browse.document_page(demo_engine, DocumentQuery(), offset=3, limit=4)
    assert [r.bates for r in page.rows] == labels[3:7] and page.has_next

    kushner = browse.document_page(demo_engine, DocumentQuery(party="kushner"))
    assert kushner.rows and {r.party for r in kushner.rows} == {"kushner"}

    by_text = browse.document_page(demo_engine, DocumentQuery(text="wikileaks"))
    assert by_text.rows and all("wikileaks" in (r.subject or "").lower() for r in by_text.rows)

    by_bates = browse.document_page(demo_engine, DocumentQuery(bates="HICKS-000101"))
    assert [r.bates for r in by_bates.rows] == ["HICKS-000101"]
    prefix = browse.document_page(demo_engine, DocumentQuery(bates="KUSH"))
    assert prefix.rows and all(r.bates.startswith("KUSHNER") for r in prefix.rows)

    custodian = browse.document_page(demo_engine, DocumentQuery(custodian="scheduling"))
    assert custodian.rows and all("scheduling" in (r.custodian or "").lower()
                                  for r in custodian.rows)

    newest = browse.document_page(demo_engine,
                                  DocumentQuery(sort=DocumentSort.DATE, descending=True))
    dates = [r.date_sent for r in newest.rows if r.date_sent is not None]
    assert dates == sorted(dates, reverse=True)


def test_like_wildcards_are_literal(demo_engine: Engine) -> None:
    assert browse.document_page(demo_engine, DocumentQuery(text="%")).rows == []
    assert browse.document_page(demo_engine, DocumentQuery(text="_")).rows == []


def test_letter_chains_and_deadlines(demo_engine: Engine) -> None:
    chains = browse.letter_chains(demo_engine)
    sjc = next(c for c in chains if c.slug == "sjc-2017-10-18")
    assert [c.slug for c in sjc.children] == ["sjc-2017-11-16"]
    assert sjc.kind == "initial" and sjc.children[0].kind == "follow-up"

    rows = browse.deadlines(demo_engine, as_of=AS_OF)
    assert rows[0].overdue
    flags = [r.overdue for r in rows]
    assert flags == sorted(flags, reverse=True)  # overdue first
    kushner = [r for r in rows if r.party == "kushner"]
    assert {(r.request, r.overdue) for r in kushner} >= {
        ("sjc-2017-10-18", True), ("sjc-2017-11-16", False)
    }
    before = browse.deadlines(demo_engine, as_of=dt.date(2017, 4, 1))
    assert not any(r.overdue for r in before)


def test_pick_lists(demo_engine: Engine) -> None:
    assert any(c.slug == "kushner" for c in browse.parties(demo_engine))
    assert any(c.slug == "sjc-2017-10-18" for c in browse.requests(demo_engine))
    items = browse.request_items(demo_engine, request="sjc-2017-10-18")
    assert [c.label for c in items][:3] == ["1", "2", "3"]


def test_keyset_pages_match_offset_pages(engine: Engine) -> None:
    from gaptrack.synthetic import build_synthetic

    build_synthetic(engine, 1_200)
    query = DocumentQuery()
    first = browse.document_page(engine, query, limit=500)
    by_offset = browse.document_page(engine, query, offset=500, limit=500)
    by_key = browse.document_page(engine, query, offset=500, limit=500,
                                  after=first.rows[-1].bates_key)
    assert [r.id for r in by_key.rows] == [r.id for r in by_offset.rows]
    assert len(by_key.rows) == 500 and by_key.offset == 500

    backwards = DocumentQuery(descending=True)
    top = browse.document_page(engine, backwards, limit=300)
    after = browse.document_page(engine, backwards, limit=300, after=top.rows[-1].bates_key)
    assert [r.id for r in after.rows] == [
        r.id for r in browse.document_page(engine, backwards, offset=300, limit=300).rows
    ]


def test_party_overview_without_the_gap_engine(demo_engine: Engine) -> None:
    overview = {p.party: p for p in browse.party_overview(demo_engine, as_of=AS_OF)}
    kushner = overview["kushner"]
    assert kushner.name == "Jared Kushner" and kushner.requests == 2
    assert kushner.overdue and kushner.next_deadline == dt.date(2017, 11, 27)
    assert all(p.requests >= 1 for p in overview.values())  # only parties asked to produce
