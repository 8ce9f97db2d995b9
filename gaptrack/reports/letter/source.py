"""The facts a letter needs besides the gaps, read from the database in a few queries.

Who the letter goes to (the party, its counsel, their honorifics and addresses), which
committee writes and who signs, the earlier letters and their items (dates, deadlines, the
renewal chain), the party's productions, and the other parties' documents the gaps cite (sender,
date, subject, text, references) so the letter can describe them in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from gaptrack.errors import NotFoundError
from gaptrack.gaps import sql as t
from gaptrack.models import CommitteeContact, Party, Request
from gaptrack.models.enums import PartyKind
from gaptrack.service.lookup import resolve

ROLE_RANK = {"forwarded": 0, "sender": 1, "to": 2, "cc": 3, "bcc": 4, "quoted": 5}


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    honorific: str | None = None
    firm: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class SentLetter:
    slug: str
    date_sent: dt.date
    deadline: dt.date | None


@dataclass(frozen=True, slots=True)
class ItemInfo:
    deadline: dt.date | None  # the item's staged deadline, else its letter's
    root: tuple[str, str]  # the first item of its renewal chain (request slug, number)
    root_date: dt.date  # the date of that first letter


@dataclass(frozen=True, slots=True)
class ProductionInfo:
    volume: str
    date_received: dt.date
    first: str
    last: str
    documents: int


@dataclass(slots=True)
class DocInfo:
    bates: str
    producer: str
    sender: str | None
    date_sent: dt.datetime | None
    subject: str | None
    text: str | None
    references: list[str] = field(default_factory=list)  # MIHs, in stored order
    owner_role: str | None = None  # the party's own role on it, if any


@dataclass(slots=True)
class LetterFacts:
    party_id: int
    party_slug: str
    party: Person
    organisation: bool
    counsel: Person | None  # whom the letter is addressed to (the first counsel it went via)
    co_counsel: list[Person]  # the other counsel it went via, in the letter's order
    committee_slug: str
    committee_name: str
    chamber: str
    letters: list[SentLetter]  # from this committee to the party, by as_of, oldest first
    signers: list[tuple[str, str]]  # (name, role) of the latest of them
    committee_signers: list[tuple[str, str]]  # everyone who signed the committee's letters
    contacts: list[tuple[str, str]]  # (name, address) of the committee's staff contacts
    productions: list[ProductionInfo]
    items: dict[tuple[str, str], ItemInfo]


def letter_facts(
    engine: Engine,
    *,
    party: str,
    as_of: dt.date,
    request: str | None = None,
    committee: str | None = None,
) -> LetterFacts:
    """Everything but the gaps. ``party``, ``request`` and ``committee`` are as typed."""
    from gaptrack.models import Committee

    with Session(engine) as session:
        owner = resolve(session, Party, party)
        wanted = resolve(session, Request, request) if request else None
        chosen = resolve(session, Committee, committee) if committee else None
    assert owner.id is not None
    with engine.connect() as conn:
        sent = _letters(conn, owner.id, as_of)
        if chosen is not None:
            sent = [r for r in sent if r.committee_id == chosen.id]
        if wanted is not None:
            sent = [r for r in sent if r.committee_id == wanted.committee_id]
        if not sent:
            raise NotFoundError(f"no letter had been sent to {owner.name} by {as_of.isoformat()}")
        last = (
            sent[-1] if wanted is None else next((r for r in sent if r.id == wanted.id), sent[-1])
        )
        sent = [r for r in sent if r.committee_id == last.committee_id]
        counsel = _counsel(conn, owner.id, sent)
        return LetterFacts(
            party_id=owner.id,
            party_slug=owner.slug,
            party=Person(owner.name, owner.honorific, email=_first_address(conn, owner.id)),
            organisation=str(owner.kind) != PartyKind.PERSON.value,
            counsel=counsel[0] if counsel else None,
            co_counsel=counsel[1:],
            committee_slug=last.committee_slug,
            committee_name=last.committee_name,
            chamber=str(last.chamber),
            letters=[SentLetter(r.slug, r.date_sent, r.deadline) for r in sent],
            signers=_signers(conn, [last.id]),
            committee_signers=_signers(conn, _committee_letters(conn, last.committee_id, as_of)),
            contacts=_contacts(conn, last.committee_id),
            productions=_productions(conn, owner.id, as_of),
            items=_items(conn),
        )


def _letters(conn: Connection, party_id: int, as_of: dt.date) -> list[sa.Row[tuple]]:
    rq, rr, cm = t.request, t.recipient, t.committee
    return list(
        conn.execute(
            sa.select(
                rq.c.id,
                rq.c.slug,
                rq.c.date_sent,
                rq.c.deadline,
                rq.c.committee_id,
                cm.c.slug.label("committee_slug"),
                cm.c.name.label("committee_name"),
                cm.c.chamber,
            )
            .select_from(
                rq.join(rr, rr.c.request_id == rq.c.id).join(cm, cm.c.id == rq.c.committee_id)
            )
            .where(rr.c.party_id == party_id, rq.c.date_sent <= as_of)
            .order_by(rq.c.date_sent, rq.c.id)
        )
    )


def _first_address(conn: Connection, party_id: int) -> str | None:
    pa = t.party_address
    return conn.execute(
        sa.select(pa.c.address).where(pa.c.party_id == party_id).order_by(pa.c.id).limit(1)
    ).scalar()


def _counsel(conn: Connection, party_id: int, sent: list[sa.Row[tuple]]) -> list[Person]:
    """The counsel the latest letter went via, in its order (a letter can go via several);
    else the party's first counsel; else nobody."""
    rr, rc, co, rep = t.recipient, t.metadata.tables["request_counsel"], t.counsel, t.representation
    ids: list[int] = []
    for letter in reversed(sent):
        first = conn.execute(
            sa.select(rr.c.counsel_id).where(
                rr.c.party_id == party_id,
                rr.c.request_id == letter.id,
                rr.c.counsel_id.is_not(None),
            )
        ).scalar()
        if first is not None:
            listed = conn.execute(
                sa.select(rc.c.counsel_id)
                .where(rc.c.request_id == letter.id)
                .order_by(rc.c.position)
            ).scalars()
            ids = [first, *(c for c in listed if c != first)]
            break
    if not ids:
        ids = [
            c
            for c in [
                conn.execute(
                    sa.select(sa.func.min(rep.c.counsel_id)).where(rep.c.party_id == party_id)
                ).scalar()
            ]
            if c is not None
        ]
    rows = {r.id: r for r in conn.execute(sa.select(co).where(co.c.id.in_(ids)))}
    return [Person(rows[i].name, rows[i].honorific, rows[i].firm, rows[i].email) for i in ids]


def _committee_letters(conn: Connection, committee_id: int, as_of: dt.date) -> list[int]:
    rq = t.request
    return list(
        conn.execute(
            sa.select(rq.c.id)
            .where(rq.c.committee_id == committee_id, rq.c.date_sent <= as_of)
            .order_by(rq.c.date_sent.desc(), rq.c.id.desc())
        ).scalars()
    )


def _signers(conn: Connection, request_ids: list[int]) -> list[tuple[str, str]]:
    """Signatories of these letters, in the letters' order then as signed, each once."""
    sg = t.signatory
    rows = conn.execute(
        sa.select(sg.c.request_id, sg.c.name, sg.c.role)
        .where(sg.c.request_id.in_(request_ids))
        .order_by(sg.c.position, sg.c.id)
    ).all()
    rank = {rid: n for n, rid in enumerate(request_ids)}
    seen: dict[str, tuple[str, str]] = {}
    for row in sorted(rows, key=lambda r: rank[r.request_id]):
        seen.setdefault(row.name, (row.name, row.role))
    return list(seen.values())


def _contacts(conn: Connection, committee_id: int) -> list[tuple[str, str]]:
    cc = CommitteeContact.__table__  # type: ignore[attr-defined]
    rows = conn.execute(
        sa.select(cc.c.name, cc.c.email)
        .where(cc.c.committee_id == committee_id)
        .order_by(cc.c.position, cc.c.id)
    )
    return [(r.name, r.email) for r in rows]


def _productions(conn: Connection, party_id: int, as_of: dt.date) -> list[ProductionInfo]:
    d, pr = t.document, t.production
    rows = conn.execute(
        sa.select(
            pr.c.volume,
            pr.c.date_received,
            sa.func.min(d.c.begin_label).label("first"),
            sa.func.max(d.c.end_label).label("last"),
            sa.func.count(d.c.id).label("n"),
        )
        .select_from(pr.outerjoin(d, d.c.production_id == pr.c.id))
        .where(pr.c.party_id == party_id, pr.c.date_received <= as_of)
        .group_by(pr.c.id, pr.c.volume, pr.c.date_received)
        .order_by(pr.c.date_received, pr.c.volume)
    )
    return [
        ProductionInfo(r.volume, r.date_received, r.first or "", r.last or "", r.n) for r in rows
    ]


def _items(conn: Connection) -> dict[tuple[str, str], ItemInfo]:
    """Every request item: its deadline and the first item of its renewal chain."""
    it, rq = t.item, t.request
    rows = conn.execute(
        sa.select(
            it.c.id,
            it.c.number,
            it.c.deadline,
            it.c.renews_item_id,
            rq.c.slug,
            rq.c.date_sent,
            rq.c.deadline.label("letter_deadline"),
        ).select_from(it.join(rq, rq.c.id == it.c.request_id))
    ).all()
    by_id = {r.id: r for r in rows}
    out: dict[tuple[str, str], ItemInfo] = {}
    for row in rows:
        root, seen = row, {row.id}
        while root.renews_item_id in by_id and root.renews_item_id not in seen:
            root = by_id[root.renews_item_id]
            seen.add(root.id)
        out[(row.slug, row.number)] = ItemInfo(
            deadline=row.deadline or row.letter_deadline,
            root=(root.slug, root.number),
            root_date=root.date_sent,
        )
    return out


CHUNK = 900  # bound values per IN (...) list, well under every backend's limit


def cited_documents(engine: Engine, party_id: int, labels: set[str]) -> dict[str, DocInfo]:
    """The documents the gaps cite, by Bates label, with the party's role on each."""
    wanted = sorted(labels)
    out: dict[str, DocInfo] = {}
    with engine.connect() as conn:
        for start in range(0, len(wanted), CHUNK):
            out.update(_documents(conn, party_id, wanted[start : start + CHUNK]))
    return out


def _documents(conn: Connection, party_id: int, labels: list[str]) -> dict[str, DocInfo]:
    d, p, ref, dp = t.document, t.party, t.reference, t.participant
    rows = conn.execute(
        sa.select(
            d.c.id, d.c.begin_label, p.c.name, d.c.sender, d.c.date_sent, d.c.subject, d.c.text
        )
        .select_from(d.join(p, p.c.id == d.c.party_id))
        .where(d.c.begin_label.in_(labels))
    ).all()
    ids = {r.id: r.begin_label for r in rows}
    out = {
        r.begin_label: DocInfo(r.begin_label, r.name, r.sender, r.date_sent, r.subject, r.text)
        for r in rows
    }
    for rf in conn.execute(
        sa.select(ref.c.document_id, ref.c.mih)
        .where(ref.c.document_id.in_(list(ids)))
        .order_by(ref.c.id)
    ):
        out[ids[rf.document_id]].references.append(rf.mih)
    for row in conn.execute(
        sa.select(dp.c.document_id, dp.c.role).where(
            dp.c.document_id.in_(list(ids)), dp.c.party_id == party_id
        )
    ):
        info = out[ids[row.document_id]]
        if ROLE_RANK.get(row.role, 9) < ROLE_RANK.get(info.owner_role or "", 9):
            info.owner_role = row.role
    return out
