"""A case file's document as database rows, keyed exactly like imported documents.

Matching keys and participants come from :func:`gaptrack.derive.derive`, so a document
typed into a case file matches its copies in DAT and mailbox imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection

from gaptrack.casefile.catalog import DocPlan
from gaptrack.derive import derive
from gaptrack.identity.resolve import load_party_names
from gaptrack.matching import normalise_message_id
from gaptrack.models import metadata

T = metadata.tables


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """Case files write UTC unless a time carries its own offset.

    The datetime columns (SQLModel's ``UTCDateTime``) take and return aware UTC values.
    """
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def join_addresses(values: Sequence[str]) -> str | None:
    """A list of recipients as one raw header value (load files use ``;``)."""
    return "; ".join(values) if values else None


def document_row(
    plan: DocPlan, production_id: int, party_id: int
) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """The document's row, its participants and the Message-IDs it refers to."""
    doc = plan.spec
    refs = [r for r in [doc.in_reply_to, *doc.references] if r]
    keys = derive(sender=doc.from_, to=doc.to, cc=doc.cc, bcc=doc.bcc, subject=doc.subject,
                  message_id=doc.message_id, references=refs, text=doc.text)
    row = {
        "production_id": production_id,
        "party_id": party_id,
        "bates_prefix": plan.begin.prefix,
        "bates_begin": plan.begin.number,
        "bates_end": plan.end.number,
        "bates_suffix": plan.begin.suffix,
        "begin_label": doc.bates.strip(),
        "end_label": plan.end.label if doc.bates_end is None else doc.bates_end.strip(),
        "custodian": doc.custodian,
        "doc_type": str(doc.type),
        "title": doc.title,
        "date_sent": as_utc(doc.date_sent),
        "date_created": as_utc(doc.date_created),
        "sender": doc.from_,
        "recipients": join_addresses(doc.to),
        "cc": join_addresses(doc.cc),
        "bcc": join_addresses(doc.bcc),
        "subject": doc.subject,
        "subject_norm": keys.subject_norm or None,
        "message_id": normalise_message_id(doc.message_id) if doc.message_id else None,
        "thread_index": doc.thread_index.strip() if doc.thread_index else None,
        "mih": keys.mih,
        "md5": doc.md5,
        "body_hash": keys.body_hash,
        "fingerprint": keys.fingerprint,
        "page_count": doc.pages,
        "text": doc.text,
    }
    people = [
        {"role": str(p.role), "address": p.address or None, "name": p.name or None,
         "name_norm": p.name_norm or None}
        for p in keys.participants
    ]
    return row, people, keys.references


class PartyResolver:
    """Who a participant is: the identity resolver's rule (gaptrack.identity.resolve)."""

    def __init__(self, conn: Connection) -> None:
        self.names = load_party_names(conn)

    def party(self, person: dict[str, Any]) -> int | None:
        return self.names.party_for(person["address"], person["name_norm"])
