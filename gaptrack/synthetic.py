"""A seeded, deterministic synthetic case shaped like the real ones, for benchmarks and demos.

``build_synthetic(engine, 1_000_000)`` writes committees, ``parties`` parties with names, aliases
and addresses, one letter per party (four numbered items with correspondent / keyword /
document-type criteria, some renewed by a deficiency letter), two rolling productions per party
with contiguous Bates ranges, emails between parties where each participant produced its own copy
(or not), the sender's copy often carrying a *different* Message-ID than the recipients' copies
(so only the fingerprint ties them), forwards with quoted headers, replies to emails nobody
produced, known items and privilege-log entries.

Rows go in through SQLAlchemy Core ``executemany`` in chunks inside one transaction (never ORM
``add_all``): the ORM inserts a few thousand rows a second, this path a few hundred thousand.
Identifiers are assigned here (after the current maximum) so child rows can point at parents
without a round trip; PostgreSQL sequences are moved past them at the end.

Everything derives from ``random.Random(seed)``: the same arguments give the same database.
Slugs start with ``syn-`` so a synthetic case can sit next to the fixture cases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gaptrack.importers.rows import TableWriter
from gaptrack.matching import body_hash, edrm_mih, normalise_name, normalise_subject
from gaptrack.models import (
    Committee,
    Document,
    DocumentItem,
    DocumentParticipant,
    DocumentReference,
    ItemCertification,
    ItemCriterion,
    KnownItem,
    Party,
    PartyAddress,
    PartyAlias,
    PrivilegeEntry,
    Production,
    ProductionRequest,
    Request,
    RequestItem,
    RequestRecipient,
    Signatory,
)

CHUNK = 20_000
EPOCH = dt.datetime(2016, 1, 4, 9, 0, 0, tzinfo=dt.UTC)  # the column type wants aware values
SPAN_SECONDS = 500 * 24 * 3600  # Jan 2016 .. mid 2017, like the Russia-inquiry cases

_FIRST = [
    "Alex",
    "Blair",
    "Casey",
    "Dana",
    "Emery",
    "Farrah",
    "Gale",
    "Harper",
    "Indra",
    "Jordan",
    "Kai",
    "Logan",
    "Morgan",
    "Noor",
    "Oakley",
    "Parker",
    "Quinn",
    "Reese",
    "Sasha",
    "Taylor",
]
_LAST = [
    "Abbott",
    "Barlow",
    "Castell",
    "Draper",
    "Ellison",
    "Fenwick",
    "Garrity",
    "Holloway",
    "Ingram",
    "Jessup",
    "Kessler",
    "Lowry",
    "Mercer",
    "Norcross",
    "Osgood",
    "Prentice",
    "Quimby",
    "Rowan",
    "Sterling",
    "Thorne",
]
_TOPICS = [
    "Meeting request",
    "Dinner invitation",
    "Schedule for next week",
    "Press inquiry",
    "Foreign policy speech",
    "Campaign travel",
    "Introductions",
    "Follow up on our call",
    "Draft statement",
    "Conference in Moscow",
    "Energy project",
    "Real estate opportunity",
    "Backchannel proposal",
    "Transition planning",
    "Talking points",
]
_COMMITTEES = [
    ("syn-ssju", "Synthetic Committee on the Judiciary", "senate", "SSJU"),
    ("syn-slin", "Synthetic Select Committee on Intelligence", "senate", "SLIN"),
    ("syn-hsgo", "Synthetic Committee on Oversight", "house", "HSGO"),
]


@dataclass(frozen=True, slots=True)
class SyntheticCase:
    """What was built: counts, and the slugs a caller may want to point at."""

    seed: int
    documents: int
    emails: int
    parties: int
    requests: int
    items: int
    productions: int
    participants: int
    known_items: int
    privilege_entries: int
    party_slugs: tuple[str, ...]


@dataclass(slots=True)
class _Party:
    id: int
    slug: str
    name: str
    address: str
    request_id: int = 0
    item_ids: tuple[int, ...] = ()
    production_ids: tuple[int, int] = (0, 0)
    prefix: str = ""
    next_bates: int = 1


class _Ids:
    """The next free primary key of each table, read once at the start."""

    def __init__(self, connection: Connection, tables: Iterable[Any]) -> None:
        self.next: dict[str, int] = {}
        for model in tables:
            table = model.__table__
            top = connection.execute(sa.select(sa.func.max(table.c.id))).scalar()
            self.next[table.name] = int(top or 0) + 1

    def take(self, model: Any) -> int:
        name = model.__table__.name
        value = self.next[name]
        self.next[name] = value + 1
        return value


def _fingerprint(sender: str, recipients: Iterable[str], subject_norm: str) -> str:
    """The same value as :func:`gaptrack.matching.fingerprint` for bare lower-case addresses.

    Computed directly because parsing a million headers would dominate the build time.
    """
    key = "\x1f".join([sender, ",".join(sorted(set(recipients))), subject_norm])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _make_parties(count: int, ids: _Ids, out: TableWriter) -> list[_Party]:
    parties: list[_Party] = []
    for index in range(count):
        first = _FIRST[index % len(_FIRST)]
        last = _LAST[(index // len(_FIRST) + index * 7) % len(_LAST)]
        name = f"{first} {last}" if index < len(_FIRST) else f"{first} {last} {index}"
        slug = f"syn-p{index:03d}"
        address = f"{first.lower()}.{last.lower()}{index}@syn-mail.example"
        party = _Party(ids.take(Party), slug, name, address)
        parties.append(party)
        out.add(
            Party,
            {
                "id": party.id,
                "slug": slug,
                "name": name,
                "kind": "person",
                "description": "synthetic party",
            },
        )
        out.add(
            PartyAddress, {"id": ids.take(PartyAddress), "party_id": party.id, "address": address}
        )
        out.add(
            PartyAddress,
            {
                "id": ids.take(PartyAddress),
                "party_id": party.id,
                "address": f"{first[0].lower()}{last.lower()}{index}@syn-org.example",
            },
        )
        for alias in (name, f"{first[0]}. {last}" + (f" {index}" if index >= len(_FIRST) else "")):
            out.add(
                PartyAlias,
                {
                    "id": ids.take(PartyAlias),
                    "party_id": party.id,
                    "alias": alias,
                    "alias_norm": normalise_name(alias),
                },
            )
    return parties


def _make_requests(
    parties: list[_Party], committee_ids: list[int], ids: _Ids, out: TableWriter
) -> tuple[int, int]:
    """One letter per party with four items; every fifth party gets a deficiency letter."""
    requests = items = 0
    count = len(parties)
    for index, party in enumerate(parties):
        sent = dt.date(2017, 6, 1) + dt.timedelta(days=index % 20)
        request_id = ids.take(Request)
        party.request_id = request_id
        out.add(
            Request,
            {
                "id": request_id,
                "slug": f"syn-r{index:03d}",
                "committee_id": committee_ids[index % len(committee_ids)],
                "kind": "initial",
                "title": f"Document request to {party.name}",
                "date_sent": sent,
                "deadline": sent + dt.timedelta(days=21),
                "follows_up_id": None,
                "summary": None,
                "source": "synthetic",
            },
        )
        out.add(
            RequestRecipient,
            {
                "id": ids.take(RequestRecipient),
                "request_id": request_id,
                "party_id": party.id,
                "counsel_id": None,
            },
        )
        for position, (name, role) in enumerate(
            (("A. Chair", "Chairman"), ("B. Member", "Ranking Member"))
        ):
            out.add(
                Signatory,
                {
                    "id": ids.take(Signatory),
                    "request_id": request_id,
                    "position": position,
                    "name": name,
                    "role": role,
                    "bioguide_id": None,
                },
            )
        one, two, three = (parties[(index + k) % count] for k in (1, 2, 3))
        specs: list[tuple[str, str, list[tuple[str, str | _Party]]]] = [
            ("1", f"All communications with {one.name}.", [("correspondent", one)]),
            (
                "2",
                f"Documents concerning contacts with {two.name} or {three.name}.",
                [("correspondent", two), ("correspondent", three)],
            ),
            (
                "3",
                "Documents concerning any backchannel proposal.",
                [("keyword", "backchannel")] if index % 10 == 0 else [],
            ),
            (
                "4",
                "Your phone records for the period.",
                [("doc_type", "phone bill"), ("doc_type", "call record")],
            ),
        ]
        item_ids: list[int] = []
        for position, (number, text, criteria) in enumerate(specs):
            item_id = ids.take(RequestItem)
            item_ids.append(item_id)
            out.add(
                RequestItem,
                {
                    "id": item_id,
                    "request_id": request_id,
                    "number": number,
                    "position": position,
                    "text": text,
                    "date_from": dt.date(2016, 1, 1),
                    "date_to": dt.date(2017, 6, 1),
                    "deadline": None,
                    "renews_item_id": None,
                },
            )
            for kind, value in criteria:
                target = value if isinstance(value, _Party) else None
                out.add(
                    ItemCriterion,
                    {
                        "id": ids.take(ItemCriterion),
                        "item_id": item_id,
                        "kind": kind,
                        "value": target.slug if target else value,
                        "party_id": target.id if target else None,
                    },
                )
        party.item_ids = tuple(item_ids)
        requests += 1
        items += len(specs)
        if index % 5 == 0:
            follow_id = ids.take(Request)
            out.add(
                Request,
                {
                    "id": follow_id,
                    "slug": f"syn-r{index:03d}-f",
                    "committee_id": committee_ids[index % len(committee_ids)],
                    "kind": "deficiency",
                    "title": f"Deficiencies in the production of {party.name}",
                    "date_sent": sent + dt.timedelta(days=45),
                    "deadline": sent + dt.timedelta(days=56),
                    "follows_up_id": request_id,
                    "summary": None,
                    "source": "synthetic",
                },
            )
            out.add(
                RequestRecipient,
                {
                    "id": ids.take(RequestRecipient),
                    "request_id": follow_id,
                    "party_id": party.id,
                    "counsel_id": None,
                },
            )
            out.add(
                RequestItem,
                {
                    "id": ids.take(RequestItem),
                    "request_id": follow_id,
                    "number": "1",
                    "position": 0,
                    "text": specs[0][1],
                    "date_from": dt.date(2016, 1, 1),
                    "date_to": dt.date(2017, 6, 1),
                    "deadline": None,
                    "renews_item_id": item_ids[0],
                },
            )
            requests += 1
            items += 1
        if index % 7 == 3:
            out.add(
                ItemCertification,
                {
                    "id": ids.take(ItemCertification),
                    "item_id": item_ids[3],
                    "party_id": party.id,
                    "kind": "no-responsive-documents",
                    "date": sent + dt.timedelta(days=20),
                    "statement": None,
                },
            )
    return requests, items


def _make_productions(parties: list[_Party], ids: _Ids, out: TableWriter) -> int:
    for index, party in enumerate(parties):
        party.prefix = f"SYN{index:03d}-"
        received = dt.date(2017, 6, 15) + dt.timedelta(days=index % 20)
        pair = []
        for volume in (1, 2):
            production_id = ids.take(Production)
            pair.append(production_id)
            out.add(
                Production,
                {
                    "id": production_id,
                    "slug": f"syn-p{index:03d}-vol{volume}",
                    "party_id": party.id,
                    "volume": f"VOL00{volume}",
                    "date_received": received + dt.timedelta(days=21 * (volume - 1)),
                    "bates_prefix": party.prefix,
                    "certified_complete": False,
                    "load_format": "synthetic",
                },
            )
            out.add(
                ProductionRequest,
                {
                    "id": ids.take(ProductionRequest),
                    "production_id": production_id,
                    "request_id": party.request_id,
                },
            )
        party.production_ids = (pair[0], pair[1])
    return 2 * len(parties)


def build_synthetic(
    engine: Engine,
    n_documents: int,
    *,
    seed: int = 2017,
    parties: int = 50,
    known_items: int | None = None,
) -> SyntheticCase:
    """Write a synthetic case of about ``n_documents`` produced documents; return its counts.

    ``known_items`` defaults to one per hundred documents. Runs in one transaction.
    """
    if parties < 4:
        raise ValueError("a synthetic case needs at least 4 parties")
    rng = random.Random(seed)
    wanted_known = n_documents // 100 if known_items is None else known_items
    tables: list[Any] = [
        Committee,
        Party,
        PartyAddress,
        PartyAlias,
        Request,
        RequestRecipient,
        Signatory,
        RequestItem,
        ItemCriterion,
        ItemCertification,
        Production,
        ProductionRequest,
        Document,
        DocumentParticipant,
        DocumentReference,
        DocumentItem,
        KnownItem,
        PrivilegeEntry,
    ]
    with engine.begin() as connection:
        ids = _Ids(connection, tables)
        out = TableWriter(connection, CHUNK)
        committee_ids = []
        for slug, name, chamber, thomas in _COMMITTEES:
            committee_id = ids.take(Committee)
            committee_ids.append(committee_id)
            out.add(
                Committee,
                {
                    "id": committee_id,
                    "slug": slug,
                    "name": name,
                    "chamber": chamber,
                    "thomas_id": thomas,
                },
            )
        people = _make_parties(parties, ids, out)
        n_requests, n_items = _make_requests(people, committee_ids, ids, out)
        n_productions = _make_productions(people, ids, out)
        out.flush()
        emails, documents, participants, candidates = _make_documents(
            rng, people, n_documents, wanted_known, ids, out
        )
        out.flush()
        n_known, n_privilege = _make_known(rng, people, candidates, wanted_known, ids, out)
        out.flush()
        if connection.dialect.name == "postgresql":
            for model in tables:
                name = model.__table__.name
                connection.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"
                    )
                )
    from gaptrack.gaps.materialise import refresh_derived

    refresh_derived(engine)  # derived facts follow writes, never reads
    return SyntheticCase(
        seed=seed,
        documents=documents,
        emails=emails,
        parties=parties,
        requests=n_requests,
        items=n_items,
        productions=n_productions,
        participants=participants,
        known_items=n_known,
        privilege_entries=n_privilege,
        party_slugs=tuple(p.slug for p in people),
    )


# A known-item candidate: (document id, party expected to hold it, its role, sent, subject).
_Candidate = tuple[int, _Party, str, dt.datetime, str]


def _make_documents(
    rng: random.Random,
    people: list[_Party],
    n_documents: int,
    wanted_known: int,
    ids: _Ids,
    out: TableWriter,
) -> tuple[int, int, int, list[_Candidate]]:
    """Emails (and some phone bills and memos) until ``n_documents`` copies were produced."""
    documents = emails = participants = 0
    seen_candidates = 0
    candidates: list[_Candidate] = []
    reservoir = max(1, wanted_known * 2)
    produced_ids: list[str] = []  # Message-IDs of earlier emails, for replies
    count = len(people)
    midpoint = EPOCH + dt.timedelta(seconds=SPAN_SECONDS // 2)

    def add_document(
        producer: _Party,
        sent: dt.datetime,
        doc_type: str,
        subject: str | None,
        fields: dict[str, Any],
    ) -> int:
        doc_id = ids.take(Document)
        pages = 1 + (doc_id % 3)
        begin = producer.next_bates
        producer.next_bates += pages
        row = {
            "id": doc_id,
            "production_id": producer.production_ids[0 if sent < midpoint else 1],
            "party_id": producer.id,
            "bates_prefix": producer.prefix,
            "bates_begin": begin,
            "bates_end": begin + pages - 1,
            "bates_suffix": "",
            "begin_label": f"{producer.prefix}{begin:07d}",
            "end_label": f"{producer.prefix}{begin + pages - 1:07d}",
            "parent_id": None,
            "custodian": producer.name,
            "doc_type": doc_type,
            "title": None,
            "date_sent": sent,
            "date_created": None,
            "subject": subject,
            "page_count": pages,
            "source_line": None,
            "sender": None,
            "recipients": None,
            "cc": None,
            "bcc": None,
            "subject_norm": None,
            "message_id": None,
            "mih": None,
            "md5": None,
            "sha1": None,
            "body_hash": None,
            "fingerprint": None,
            "text": None,
            "text_path": None,
            "native_path": None,
        }
        row.update(fields)
        out.add(Document, row)
        return doc_id

    while documents < n_documents:
        emails += 1
        sent = EPOCH + dt.timedelta(seconds=int(SPAN_SECONDS * documents / n_documents))
        sender = people[rng.randrange(count)]
        roll = rng.random()
        if roll < 0.03:  # a phone bill or call log, produced only by its owner
            kind = "phone bill" if roll < 0.015 else "call record"
            doc_id = add_document(
                sender, sent, kind, None, {"title": f"{kind.title()} {sent:%B %Y}"}
            )
            out.add(
                DocumentParticipant,
                {
                    "id": ids.take(DocumentParticipant),
                    "document_id": doc_id,
                    "role": "sender",
                    "address": sender.address,
                    "name": sender.name,
                    "name_norm": normalise_name(sender.name),
                    "party_id": sender.id,
                },
            )
            participants += 1
            out.add(
                DocumentItem,
                {
                    "id": ids.take(DocumentItem),
                    "document_id": doc_id,
                    "item_id": sender.item_ids[3],
                    "source": "tagged",
                },
            )
            documents += 1
            continue
        others = rng.sample(range(count), k=min(count - 1, 1 + rng.randrange(4)))
        recipients = [people[i] for i in others if people[i] is not sender]
        if not recipients:
            recipients = [people[(people.index(sender) + 1) % count]]
        cc = recipients[2:]
        to = recipients[:2]
        external = f"outside{rng.randrange(5000)}@elsewhere.example" if roll < 0.2 else None
        topic = _TOPICS[rng.randrange(len(_TOPICS))]
        forward = roll > 0.9
        subject = ("FW: " if forward else ("RE: " if roll > 0.75 else "")) + f"{topic} #{emails}"
        subject_norm = normalise_subject(subject)
        quoted: _Party | None = None
        text = f"{topic}: notes for message {emails}. Regards, {sender.name}"
        if forward:
            quoted = people[rng.randrange(count)]
            if quoted is sender or quoted in recipients:
                quoted = None
            else:
                text += (
                    f"\n\n-----Original Message-----\nFrom: {quoted.name} <{quoted.address}>\n"
                    f"Sent: {sent - dt.timedelta(hours=3):%a, %d %b %Y %H:%M:%S} +0000\n"
                    f"To: {sender.name} <{sender.address}>\nSubject: {topic} #{emails}\n\n"
                    "Original text."
                )
        addresses = [p.address for p in recipients] + ([external] if external else [])
        fingerprint = _fingerprint(sender.address, addresses, subject_norm)
        digest = body_hash(text, sender.address)
        message_id = f"<e{emails}.{seed_tag(rng)}@syn-mail.example>"
        # Outlook-like: half the time the sender's Sent Items copy has its own Message-ID.
        sender_message_id = message_id if rng.random() < 0.5 else f"<s{emails}@syn-sent.example>"
        reply_to: str | None = None
        if roll > 0.75 and produced_ids:
            reply_to = produced_ids[rng.randrange(len(produced_ids))]
        elif 0.2 <= roll < 0.21:
            reply_to = f"<lost{emails}@syn-mail.example>"  # nobody produced the original
        copies_by = [sender, *recipients]
        made_copy = False
        for position, producer in enumerate(copies_by):
            if rng.random() >= 0.85:
                continue  # this participant left its copy out: that is what the engine finds
            made_copy = True
            own = position == 0
            msg = sender_message_id if own else message_id
            skew = dt.timedelta(seconds=0 if own else rng.randrange(90))
            doc_id = add_document(
                producer,
                sent + skew,
                "email",
                subject,
                {
                    "sender": f"{sender.name} <{sender.address}>",
                    "recipients": "; ".join(f"{p.name} <{p.address}>" for p in to),
                    "cc": "; ".join(
                        [
                            *(f"{p.name} <{p.address}>" for p in cc),
                            *([external] if external else []),
                        ]
                    )
                    or None,
                    "subject_norm": subject_norm,
                    "message_id": msg,
                    "mih": edrm_mih(msg),
                    # The sender's copy often comes without extracted text: no body hash then.
                    "text": text if not own or rng.random() < 0.5 else None,
                    "body_hash": digest if not own or rng.random() < 0.5 else None,
                    "fingerprint": fingerprint,
                },
            )
            documents += 1
            roles = [("forwarded" if forward else "sender", sender)]
            roles += [("to", p) for p in to] + [("cc", p) for p in cc]
            if quoted is not None:
                roles.append(("quoted", quoted))
            for role, person in roles:
                out.add(
                    DocumentParticipant,
                    {
                        "id": ids.take(DocumentParticipant),
                        "document_id": doc_id,
                        "role": role,
                        "address": person.address,
                        "name": person.name,
                        "name_norm": normalise_name(person.name),
                        "party_id": person.id,
                    },
                )
                participants += 1
                if person is not producer:
                    seen_candidates += 1
                    entry = (doc_id, person, role, sent + skew, subject)
                    if len(candidates) < reservoir:
                        candidates.append(entry)
                    else:
                        slot = rng.randrange(seen_candidates)
                        if slot < reservoir:
                            candidates[slot] = entry
            if external:
                out.add(
                    DocumentParticipant,
                    {
                        "id": ids.take(DocumentParticipant),
                        "document_id": doc_id,
                        "role": "cc",
                        "address": external,
                        "name": "",
                        "name_norm": "",
                        "party_id": None,
                    },
                )
                participants += 1
            if reply_to:
                out.add(
                    DocumentReference,
                    {
                        "id": ids.take(DocumentReference),
                        "document_id": doc_id,
                        "message_id": reply_to,
                        "mih": edrm_mih(reply_to),
                    },
                )
            if rng.random() < 0.8:  # the producer tagged it to an item of its own letter
                out.add(
                    DocumentItem,
                    {
                        "id": ids.take(DocumentItem),
                        "document_id": doc_id,
                        "item_id": producer.item_ids[doc_id % 2],
                        "source": "tagged",
                    },
                )
            if documents >= n_documents:
                break
        if made_copy and len(produced_ids) < 100_000:
            produced_ids.append(message_id)
    candidates.sort(key=lambda c: c[0])  # reservoir order depends on the walk; ids do not
    return emails, documents, participants, candidates


def seed_tag(rng: random.Random) -> str:
    """A short random token, so Message-IDs look like real ones rather than counters."""
    return f"{rng.getrandbits(32):08x}"


def _make_known(
    rng: random.Random,
    people: list[_Party],
    candidates: list[_Candidate],
    wanted: int,
    ids: _Ids,
    out: TableWriter,
) -> tuple[int, int]:
    """Known items (mostly from other productions, some presumed) and privilege entries."""
    made = privileged = 0
    used: set[tuple[int, int]] = set()
    entry_no: dict[int, int] = {}
    for doc_id, party, role, sent, subject in candidates:
        if made >= wanted:
            break
        if (doc_id, party.id) in used:
            continue
        used.add((doc_id, party.id))
        roll = rng.random()
        status = "produced" if roll < 0.05 else "disputed" if roll < 0.08 else "outstanding"
        known_id = ids.take(KnownItem)
        privilege_id: int | None = None
        if 0.08 <= roll < 0.1:  # logged as privileged by the party that owes it
            privilege_id = ids.take(PrivilegeEntry)
            entry_no[party.id] = entry_no.get(party.id, 0) + 1
            out.add(
                PrivilegeEntry,
                {
                    "id": privilege_id,
                    "party_id": party.id,
                    "production_id": party.production_ids[1],
                    "source_file_id": None,
                    "entry_no": str(entry_no[party.id]),
                    "doc_date": sent.date(),
                    "author": party.name,
                    "recipients": None,
                    "description": "Email with counsel",
                    "privilege": "attorney-client",
                    "doc_type": "email",
                    "bates": None,
                    "item_id": None,
                    "source_line": None,
                },
            )
            privileged += 1
        out.add(
            KnownItem,
            {
                "id": known_id,
                "slug": f"syn-k{made:06d}",
                "party_id": party.id,
                "item_id": party.item_ids[0],
                "description": f"Email {subject!r}",
                "basis": "other-production",
                "basis_document_id": doc_id,
                "basis_role": role,
                "citation": None,
                "doc_date": sent.date(),
                "status": status,
                "status_reason": None,
                "produced_document_id": None,
                "privilege_entry_id": None,
            },
        )
        made += 1
    for index, party in enumerate(people):
        if made >= wanted:
            break
        if index % 4:
            continue
        out.add(
            KnownItem,
            {
                "id": ids.take(KnownItem),
                "slug": f"syn-k{made:06d}",
                "party_id": party.id,
                "item_id": party.item_ids[3],
                "description": "Phone records for 2016",
                "basis": "presumed",
                "basis_document_id": None,
                "basis_role": None,
                "citation": "Presumed to exist",
                "doc_date": None,
                "status": "outstanding",
                "status_reason": None,
                "produced_document_id": None,
                "privilege_entry_id": None,
            },
        )
        made += 1
    return made, privileged
