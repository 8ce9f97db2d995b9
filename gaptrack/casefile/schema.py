"""The case-file format: human-writable YAML describing a whole case, validated by Pydantic.

A file has optional top-level sections: ``case`` (title, summary, sources, which identifiers
are illustrative: not stored), ``committees``, ``counsel``, ``parties``, ``requests`` (letters,
with ``signatories``, numbered ``items`` and their ``criteria``, ``replies`` and
``certifications``), ``productions`` (with their ``documents``), ``known_items``,
``privilege_logs`` and ``events``. A file may refer to anything loaded before it.

References between sections use slugs: ``party: kushner``, ``committee: ssju``; a request item
is ``<request slug>#<item number>`` (``sjc-2017-10-18#3``); a document is its Bates label.
Dates are ``YYYY-MM-DD``; times are UTC unless they carry an offset
(``2016-09-21 15:58:00`` or ``2016-09-21T11:58:00-04:00``).

Derived on load, so never written here: a document's matching keys (subject_norm, EDRM MIH,
fingerprint, body hash), its participants and the parties they resolve to; a production's
Bates prefix and range, document and page counts when not given; a document's ``bates_end``
from ``pages``. Unknown keys are errors (a typo must not be silently ignored).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from gaptrack.models.enums import (
    CertificationKind,
    Chamber,
    DocType,
    KnownBasis,
    KnownStatus,
    ParticipantRole,
    PartyKind,
    RequestKind,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=64)]
ItemRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*#[^#\s]+$")]


class Strict(BaseModel):
    # Item numbers and volumes are often written bare (``number: 2``): read them as text.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, coerce_numbers_to_str=True)


class CaseInfo(Strict):
    title: str
    summary: str | None = None
    sources: list[str] = []  # the public reporting the case is built from
    illustrative: str | None = None  # which identifiers are invented


class CommitteeSpec(Strict):
    slug: Slug
    name: str
    chamber: Chamber
    thomas_id: str | None = None


class CounselSpec(Strict):
    slug: Slug
    name: str
    firm: str | None = None
    email: str | None = None


class PartySpec(Strict):
    slug: Slug
    name: str
    kind: PartyKind = PartyKind.PERSON
    description: str | None = None
    aliases: list[str] = []
    addresses: list[str] = []
    counsel: list[Slug] = []


class SignatorySpec(Strict):
    name: str
    role: str
    bioguide_id: str | None = None


class CriteriaSpec(Strict):
    correspondents: list[Slug] = []
    keywords: list[str] = []
    doc_types: list[DocType] = []


class ItemSpec(Strict):
    number: str
    text: str
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    deadline: dt.date | None = None
    renews: ItemRef | None = None
    criteria: CriteriaSpec = CriteriaSpec()


class ReplySpec(Strict):
    date: dt.date
    author: str
    party: Slug | None = None
    summary: str
    source: str | None = None


class CertificationSpec(Strict):
    item: str  # item number on this letter
    party: Slug
    kind: CertificationKind
    date: dt.date
    statement: str | None = None


class RequestSpec(Strict):
    slug: Slug
    committee: Slug
    kind: RequestKind = RequestKind.INITIAL
    title: str
    date_sent: dt.date
    deadline: dt.date | None = None
    follows_up: Slug | None = None
    to: list[Slug] = Field(min_length=1)
    via: Slug | None = None  # counsel the letter was addressed to
    summary: str | None = None
    source: str | None = None
    signatories: list[SignatorySpec] = []
    items: list[ItemSpec] = []
    replies: list[ReplySpec] = []
    certifications: list[CertificationSpec] = []


class DocumentSpec(Strict):
    bates: str  # the begin label
    bates_end: str | None = None  # defaults to ``bates`` (+ pages - 1)
    type: DocType = DocType.OTHER
    custodian: str | None = None
    title: str | None = None
    date_sent: dt.datetime | None = None
    date_created: dt.datetime | None = None
    from_: str | None = Field(default=None, alias="from")
    to: list[str] = []
    cc: list[str] = []
    bcc: list[str] = []
    subject: str | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = []
    text: str | None = None
    pages: int | None = None
    parent: str | None = None  # the parent's Bates label (family)
    md5: str | None = None
    answers: list[ItemRef] = []


class ProductionSpec(Strict):
    slug: Slug
    party: Slug
    volume: str
    date_received: dt.date
    answers: list[Slug] = []  # request slugs
    bates_prefix: str | None = None
    # Derived from the documents when not given (and written back by the exporter).
    bates_first: int | None = None
    bates_last: int | None = None
    doc_count: int | None = None
    page_count: int | None = None
    certified_complete: bool = False
    certification: str | None = None
    notes: str | None = None
    documents: list[DocumentSpec] = []


class KnownItemSpec(Strict):
    slug: Slug
    party: Slug
    item: ItemRef | None = None
    description: str
    basis: KnownBasis
    document: str | None = None  # another party's Bates label (basis other-production)
    role: ParticipantRole | None = None  # this party's role on that document
    citation: str | None = None
    doc_date: dt.date | None = None
    status: KnownStatus = KnownStatus.OUTSTANDING
    status_reason: str | None = None
    produced_as: str | None = None  # Bates label of the party's own matching document
    privilege_entry: str | None = None  # entry_no in the party's privilege log


class PrivilegeEntrySpec(Strict):
    entry_no: str
    date: dt.date | None = None
    author: str | None = None
    recipients: str | None = None
    description: str | None = None
    privilege: str
    doc_type: str | None = None
    bates: str | None = None
    item: ItemRef | None = None


class PrivilegeLogSpec(Strict):
    party: Slug
    production: Slug | None = None
    entries: list[PrivilegeEntrySpec] = []


class EventSpec(Strict):
    """Recorded history. Loaded as history, never as a live action: under the loader's name,
    with the file and the actor written here kept in ``data.origin``."""

    at: dt.datetime
    actor: str
    action: str
    entity: str | None = None
    key: str | None = None
    reason: str | None = None
    data: dict[str, Any] | None = None
    ref: str | None = None  # a name for this event in the file, for ``undoes``
    undoes: str | None = None  # the ``ref`` of the event this one reverses


class CaseFile(Strict):
    """A whole case. Every section is optional so a file may add to cases loaded before it."""

    case: CaseInfo | None = None
    committees: list[CommitteeSpec] = []
    counsel: list[CounselSpec] = []
    parties: list[PartySpec] = []
    requests: list[RequestSpec] = []
    productions: list[ProductionSpec] = []
    known_items: list[KnownItemSpec] = []
    privilege_logs: list[PrivilegeLogSpec] = []
    events: list[EventSpec] = []
