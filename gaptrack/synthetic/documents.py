"""The produced documents of a synthetic case: emails copied by some of their
participants, phone records, forwards, replies; and the known-item candidates they leave."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from functools import partial
from typing import Any

from gaptrack.importers.rows import TableWriter
from gaptrack.matching import body_hash, edrm_mih, normalise_name, normalise_subject
from gaptrack.models import (
    Document,
    DocumentItem,
    DocumentParticipant,
    DocumentReference,
)
from gaptrack.synthetic.common import EPOCH, SPAN_SECONDS, TOPICS, Ids, PartyPlan, email_fingerprint

# A known-item candidate: (document id, party expected to hold it, its role, sent, subject).
Candidate = tuple[int, PartyPlan, str, dt.datetime, str]


def make_documents(
    rng: random.Random,
    people: list[PartyPlan],
    n_documents: int,
    wanted_known: int,
    ids: Ids,
    out: TableWriter,
) -> tuple[int, int, int, list[Candidate]]:
    """Emails (and some phone bills and memos) until ``n_documents`` copies were produced."""
    documents = emails = participants = 0
    seen_candidates = 0
    candidates: list[Candidate] = []
    reservoir = max(1, wanted_known * 2)
    produced_ids: list[str] = []  # Message-IDs of earlier emails, for replies
    count = len(people)
    midpoint = EPOCH + dt.timedelta(seconds=SPAN_SECONDS // 2)

    # (producer, sent, doc_type, subject, fields) -> the new document's id
    add_document = partial(_add_document, ids, out, midpoint)

    while documents < n_documents:
        emails += 1
        sent = EPOCH + dt.timedelta(seconds=int(SPAN_SECONDS * documents / n_documents))
        sender = people[rng.randrange(count)]
        roll = rng.random()
        if roll < 0.03:  # a phone bill or call log, produced only by its owner
            _add_phone_record(add_document, ids, out, sender, sent, roll)
            participants += 1
            documents += 1
            continue
        others = rng.sample(range(count), k=min(count - 1, 1 + rng.randrange(4)))
        recipients = [people[i] for i in others if people[i] is not sender]
        if not recipients:
            recipients = [people[(people.index(sender) + 1) % count]]
        cc = recipients[2:]
        to = recipients[:2]
        external = f"outside{rng.randrange(5000)}@elsewhere.example" if roll < 0.2 else None
        topic = TOPICS[rng.randrange(len(TOPICS))]
        forward = roll > 0.9
        subject = ("FW: " if forward else ("RE: " if roll > 0.75 else "")) + f"{topic} #{emails}"
        subject_norm = normalise_subject(subject)
        quoted: PartyPlan | None = None
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
        fingerprint = email_fingerprint(sender.address, addresses, subject_norm)
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


def _add_document(
    ids: Ids,
    out: TableWriter,
    midpoint: dt.datetime,
    producer: PartyPlan,
    sent: dt.datetime,
    doc_type: str,
    subject: str | None,
    fields: dict[str, Any],
) -> int:
    """One produced copy, numbered on from the producer's last Bates number; its id."""
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


def _add_phone_record(
    add_document: Callable[..., int],
    ids: Ids,
    out: TableWriter,
    sender: PartyPlan,
    sent: dt.datetime,
    roll: float,
) -> None:
    """A phone bill or call log, produced only by its owner (one participant)."""
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
    out.add(
        DocumentItem,
        {
            "id": ids.take(DocumentItem),
            "document_id": doc_id,
            "item_id": sender.item_ids[3],
            "source": "tagged",
        },
    )
