"""Paged document lists for the faces: filter, sort, count with a cap, one page at a time.

Lists that can grow with the number of documents are paged with LIMIT/OFFSET over indexed
orderings and counted with a cap, so a screen over a million documents costs one page, not
one table scan.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from gaptrack.bates import parse_bates
from gaptrack.db import session_scope
from gaptrack.errors import NotFoundError
from gaptrack.models import (
    Document,
    Party,
)
from gaptrack.service.search import text_filter

# SQLModel types table attributes as their Python values, which SQLAlchemy's typed select()
# overloads reject; these are Core selects of columns, so the call is typed loosely.
_select: Any = sa.select

# Rows a table holds at once (docs/architecture.md §7: DataTable measures every cell).
PAGE_SIZE = 500
COUNT_CAP = 100_000  # filtered counts stop here ("100,000+") instead of scanning everything


class DocumentSort(StrEnum):
    BATES = "bates"
    PARTY = "party"
    CUSTODIAN = "custodian"
    TYPE = "type"
    DATE = "date"
    SUBJECT = "subject"


class DocumentQuery(BaseModel):
    """What the document browser asks for. Empty strings mean no filter."""

    bates: str = ""
    custodian: str = ""
    party: str = ""  # slug
    text: str = ""  # a search (gaptrack.search.query): subject, title, participants, text
    sort: DocumentSort = DocumentSort.BATES
    descending: bool = False


BatesKey = tuple[str, int, str]  # (prefix, begin, suffix): the unique, indexed Bates order


class DocumentRow(BaseModel):
    id: int
    bates_key: BatesKey
    bates: str
    bates_end: str
    party: str
    party_name: str
    custodian: str | None
    doc_type: str
    date_sent: dt.datetime | None
    sender: str | None
    recipients: str | None
    subject: str | None


class DocumentPage(BaseModel):
    rows: list[DocumentRow]
    offset: int
    total: int
    total_capped: bool  # ``total`` is a lower bound: more rows matched than were counted

    @property
    def has_next(self) -> bool:
        return self.total_capped or self.offset + len(self.rows) < self.total


class DocumentDetail(DocumentRow):
    cc: str | None
    bcc: str | None
    message_id: str | None
    mih: str | None
    production: str
    page_count: int | None
    text: str | None


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _document_filters(session: Session, query: DocumentQuery) -> list[Any]:
    where: list[Any] = []
    if query.party:
        party_id = session.exec(select(Party.id).where(Party.slug == query.party)).first()
        if party_id is None:
            raise NotFoundError(f"unknown party {query.party!r}")
        where.append(col(Document.party_id) == party_id)
    if query.bates.strip():
        where.append(_bates_filter(query.bates.strip()))
    if query.custodian.strip():
        where.append(col(Document.custodian).ilike(_like(query.custodian.strip()), escape="\\"))
    if query.text.strip():
        where.append(text_filter(session, query.text))
    return where


def _bates_filter(text: str) -> Any:
    """A label typed in part ("KUSH") matches by prefix; a whole one also matches the document
    whose page range holds it, so a page number cited in a letter finds its document."""
    by_label = col(Document.begin_label).ilike(text.replace("%", "") + "%")
    try:
        bates = parse_bates(text)
    except ValueError:
        return by_label
    in_range = sa.and_(
        col(Document.bates_prefix) == bates.prefix,
        col(Document.bates_begin) <= bates.number,
        col(Document.bates_end) >= bates.number,
    )
    return sa.or_(in_range, by_label)


_SORT_COLUMNS: dict[DocumentSort, list[Any]] = {
    DocumentSort.BATES: [
        col(Document.bates_prefix), col(Document.bates_begin), col(Document.bates_suffix)
    ],
    DocumentSort.PARTY: [col(Party.slug), col(Document.bates_prefix), col(Document.bates_begin)],
    DocumentSort.CUSTODIAN: [col(Document.custodian), col(Document.id)],
    DocumentSort.TYPE: [col(Document.doc_type), col(Document.id)],
    DocumentSort.DATE: [col(Document.date_sent), col(Document.id)],
    DocumentSort.SUBJECT: [col(Document.subject), col(Document.id)],
}


def document_page(
    engine: Engine,
    query: DocumentQuery,
    *,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    after: BatesKey | None = None,
) -> DocumentPage:
    """One page of documents matching ``query``, in the asked order, and how many match.

    In Bates order, ``after`` (the last row's ``bates_key``) seeks the next page through the
    unique index instead of skipping ``offset`` rows (OFFSET costs as many rows as it skips);
    ``offset`` then only numbers the page.
    """
    with session_scope(engine) as session:
        where = _document_filters(session, query)
        order = [c.desc() if query.descending else c.asc() for c in _SORT_COLUMNS[query.sort]]
        seek: list[Any] = []
        if after is not None and query.sort is DocumentSort.BATES:
            here = sa.tuple_(*_SORT_COLUMNS[DocumentSort.BATES])
            there = sa.tuple_(*(sa.literal(v) for v in after))
            seek.append(here < there if query.descending else here > there)
        stmt = (
            _document_rows()
            .where(*where, *seek)
            .order_by(*order)
            .offset(0 if seek else max(offset, 0))
            .limit(limit)
        )
        rows = [_row(r) for r in session.execute(stmt).all()]
        total, capped = _count(session, where)
    return DocumentPage(rows=rows, offset=offset, total=total, total_capped=capped)


def _row(r: Any) -> DocumentRow:
    return DocumentRow(
        id=r[0], bates_key=(r[1], r[2], r[3]), bates=r[4], bates_end=r[5], party=r[6],
        party_name=r[7], custodian=r[8], doc_type=str(r[9]), date_sent=r[10], sender=r[11],
        recipients=r[12], subject=r[13],
    )


def _count(session: Session, where: list[Any]) -> tuple[int, bool]:
    if not where:
        # An exact count over the narrowest index: fast even for millions of rows.
        total = session.execute(_select(sa.func.count(col(Document.id)))).scalar_one()
        return int(total), False
    limited = _select(Document.id).where(*where).limit(COUNT_CAP + 1).subquery()
    total = int(session.execute(_select(sa.func.count()).select_from(limited)).scalar_one())
    return min(total, COUNT_CAP), total > COUNT_CAP


def document_detail(engine: Engine, document_id: int) -> DocumentDetail:
    with session_scope(engine) as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFoundError(f"no document with id {document_id}")
        party = session.get(Party, doc.party_id)
        from gaptrack.models import Production

        production = session.get(Production, doc.production_id)
        assert party is not None and production is not None and doc.id is not None
        return DocumentDetail(
            id=doc.id,
            bates_key=(doc.bates_prefix, doc.bates_begin, doc.bates_suffix),
            bates=doc.begin_label,
            bates_end=doc.end_label,
            party=party.slug,
            party_name=party.name,
            custodian=doc.custodian,
            doc_type=str(doc.doc_type),
            date_sent=doc.date_sent,
            sender=doc.sender,
            recipients=doc.recipients,
            subject=doc.subject,
            cc=doc.cc,
            bcc=doc.bcc,
            message_id=doc.message_id,
            mih=doc.mih,
            production=production.slug,
            page_count=doc.page_count,
            text=doc.text,
        )


def _document_rows() -> Any:
    """The columns of a ``DocumentRow``, with the producing party joined."""
    return _select(
        Document.id,
        Document.bates_prefix,
        Document.bates_begin,
        Document.bates_suffix,
        Document.begin_label,
        Document.end_label,
        Party.slug,
        Party.name,
        Document.custodian,
        Document.doc_type,
        Document.date_sent,
        Document.sender,
        Document.recipients,
        sa.func.coalesce(Document.subject, Document.title),
    ).join(Party, col(Party.id) == Document.party_id)


def documents_by_ids(engine: Engine, ids: list[int]) -> list[DocumentRow]:
    """The documents behind a gap's evidence, in Bates order."""
    if not ids:
        return []
    with session_scope(engine) as session:
        stmt = (
            _document_rows()
            .where(col(Document.id).in_(sorted(set(ids))))
            .order_by(*_SORT_COLUMNS[DocumentSort.BATES])
        )
        return [_row(r) for r in session.execute(stmt).all()]


# --- pick lists --------------------------------------------------------------------------
