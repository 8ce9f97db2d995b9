"""Search, for every face: ranked hits with Bates numbers and snippets (plain read models)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from gaptrack.gaps import sql as t
from gaptrack.models import Party, Production
from gaptrack.search import Query, SearchQueryError, Snippet, ensure_index, parse_query
from gaptrack.search.engine import count_matches, id_subquery, ranked_page
from gaptrack.search.index import ensure_current
from gaptrack.search.snippet import best_snippet
from gaptrack.search.terms import TermRow, read_terms, term_rows
from gaptrack.service.lookup import resolve

SEARCH_COUNT_CAP = 100_000


class SearchHit(BaseModel):
    rank: int  # 1 = best
    score: float
    document_id: int
    bates: str
    bates_end: str
    party: str
    production: str
    custodian: str | None
    doc_type: str
    date_sent: dt.datetime | None
    sender: str | None
    subject: str | None
    snippet: Snippet | None


class SearchResult(BaseModel):
    query: str
    party: str | None
    production: str | None
    total: int
    total_capped: bool
    offset: int
    hits: list[SearchHit]


def _scope(
    connection: Connection, party: str | None, production: str | None
) -> tuple[int | None, int | None, str | None, str | None]:
    if not party and not production:
        return None, None, None, None
    with Session(bind=connection) as session:
        owner = resolve(session, Party, party) if party else None
        volume = resolve(session, Production, production) if production else None
        return (
            owner.id if owner else None,
            volume.id if volume else None,
            owner.slug if owner else None,
            volume.slug if volume else None,
        )


def _snippet(row: Any, query: Query) -> Snippet | None:
    """Where a document's snippet comes from: its text first, then subject, title, people."""
    people = "; ".join(v for v in (row.sender, row.recipients, row.cc, row.bcc) if v)
    fields = [("text", row.text), ("subject", row.subject), ("title", row.title),
              ("participants", people)]
    return best_snippet(fields, query)


def _hits(connection: Connection, page: list[tuple[int, float]], query_text: str,
          offset: int) -> list[SearchHit] | None:
    """The page's hits with their snippets (made for this page only); None when a hit's
    document is gone (the index is behind: ask again through the document table)."""
    if not page:
        return []
    query = parse_query(query_text)
    d, p, pr = t.document, t.party, t.production
    rows = {
        r.id: r
        for r in connection.execute(
            sa.select(
                d.c.id, d.c.begin_label, d.c.end_label, p.c.slug.label("party"),
                pr.c.slug.label("production"), d.c.custodian, d.c.doc_type, d.c.date_sent,
                d.c.sender, d.c.recipients, d.c.cc, d.c.bcc, d.c.subject, d.c.title, d.c.text,
            )
            .select_from(d.join(p, p.c.id == d.c.party_id).join(pr, pr.c.id == d.c.production_id))
            .where(d.c.id.in_([i for i, _ in page]))
        )
    }
    if len(rows) < len(page):
        return None
    hits = []
    for n, (doc_id, score) in enumerate(page, start=offset + 1):
        r = rows[doc_id]
        snippet = _snippet(r, query)
        hits.append(SearchHit(
            rank=n, score=round(score, 6), document_id=doc_id, bates=r.begin_label,
            bates_end=r.end_label, party=r.party, production=r.production,
            custodian=r.custodian, doc_type=str(r.doc_type), date_sent=r.date_sent,
            sender=r.sender, subject=r.subject, snippet=snippet,
        ))
    return hits


def search_documents(
    engine: Engine,
    text: str,
    *,
    party: str | None = None,
    production: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Documents matching ``text`` (the language of :mod:`gaptrack.search.query`), best
    first, one page of ``limit`` from ``offset``, with the total counted up to a cap."""
    query = parse_query(text)
    ensure_current(engine)
    with engine.connect() as connection:
        party_id, production_id, party_slug, volume_slug = _scope(connection, party, production)
        hits: list[SearchHit] | None = None
        for joined in (False, True):
            page = ranked_page(connection, query, party_id=party_id, joined=joined,
                               production_id=production_id, limit=limit, offset=offset)
            hits = _hits(connection, page, text, offset)
            if hits is not None:
                break
        assert hits is not None  # joined, every hit has its document
        if offset == 0 and len(page) < limit:  # the page holds every hit
            total, capped = len(page), False
        else:
            total, capped = count_matches(connection, query, party_id=party_id, joined=joined,
                                          production_id=production_id, cap=SEARCH_COUNT_CAP)
    return SearchResult(query=text, party=party_slug, production=volume_slug, total=total,
                        total_capped=capped, offset=offset, hits=hits)


def text_filter(session: Session, text: str) -> Any:
    """A condition on ``document.id``: the document matches ``text`` in the index (a text
    with no word in it matches nothing). For list screens that filter as the user types."""
    try:
        query = parse_query(text)
    except SearchQueryError:
        return sa.false()
    connection = session.connection()
    ensure_index(connection)
    return t.document.c.id.in_(id_subquery(connection.dialect.name, query))


def snippet_for(engine: Engine, document_id: int, text: str) -> Snippet | None:
    """The snippet of one document for ``text`` (None when the text finds nothing in it)."""
    try:
        query = parse_query(text)
    except SearchQueryError:
        return None
    d = t.document
    with engine.connect() as connection:
        r = connection.execute(
            sa.select(d.c.subject, d.c.title, d.c.text, d.c.sender, d.c.recipients, d.c.cc,
                      d.c.bcc).where(d.c.id == document_id)
        ).first()
    if r is None:
        return None
    return _snippet(r, query)


class TermReport(BaseModel):
    source: str
    party: str | None
    terms: list[TermRow]


def term_report(engine: Engine, path: Path, *, party: str | None = None) -> TermReport:
    """The search-term report for the terms in ``path`` (see :mod:`gaptrack.search.terms`)."""
    terms = read_terms(Path(path))
    ensure_current(engine)
    with engine.connect() as connection:
        slug = _scope(connection, party, None)[2] if party else None
        rows = term_rows(connection, terms, party=slug)
    return TermReport(source=str(path), party=slug, terms=rows)
