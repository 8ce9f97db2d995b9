"""The case-file format: human-writable YAML describing a whole case, validated by Pydantic.

A file has optional top-level sections: ``case`` (title, summary, sources, which identifiers
are illustrative: not stored), ``committees``, ``counsel``, ``parties``, ``requests`` (letters,
with ``signatories``, numbered ``items`` and their ``criteria``, ``replies`` (a refusal or
objection says so in ``response``), ``certifications`` and a ``withdrawn`` date),
``productions`` (with their ``documents``), ``known_items``, ``privilege_logs`` and
``events``. A file may refer to anything loaded before it.

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
from typing import Annotated, Any, Literal

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
    ResponseKind,
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


class ContactSpec(Strict):
    """Committee staff copied on the committee's letters (the cc of a letter's email draft)."""

    name: str
    email: str
    role: str | None = None


class CommitteeSpec(Strict):
    slug: Slug
    name: str
    chamber: Chamber
    thomas_id: str | None = None
    contacts: list[ContactSpec] = []


class CounselSpec(Strict):
    slug: Slug
    name: str
    honorific: str | None = None  # "Mr.": the letter's salutation ("Dear Mr. Lowell:")
    firm: str | None = None
    email: str | None = None


class PartySpec(Strict):
    slug: Slug
    name: str
    kind: PartyKind = PartyKind.PERSON
    honorific: str | None = None  # "Mr.", "Ms.": a letter addressed to the party itself
    description: str | None = None
    aliases: list[str] = []
    addresses: list[str] = []
    counsel: list[Slug] = []


class SignatorySpec(Strict):
    name: str
    role: str
    bioguide_id: str | None = None


class CriteriaSpec(Strict):
    """What makes a document responsive to an item, besides the item's date range.

    * ``correspondents``: parties; with ``correspondents_match: any`` (the default) one of
      them on the document (from, to, cc, bcc, forwarded or quoted) is enough; with ``all``
      every one must be on it ("communications between John and Jane").
    * ``keywords``: one of them in the subject or the text, as whole words with case and
      accents folded; ``word*`` is a prefix (through the search index).
    * ``doc_types``: the document is one of these types.
    * ``combine``: ``all`` (the default) — the document meets every kind of criterion the
      item has (correspondents *and* keywords *and* types); ``any`` — one kind is enough.
    * Always: the document falls inside ``date_from``..``date_to`` (undated documents pass),
      and it is produced by, or names, a party the letter was addressed to.
    """

    correspondents: list[Slug] = []
    correspondents_match: Literal["any", "all"] = "any"
    keywords: list[str] = []
    doc_types: list[DocType] = []
    combine: Literal["all", "any"] = "all"


class ItemSpec(Strict):
    number: str
    text: str
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    deadline: dt.date | None = None
    renews: ItemRef | None = None
    criteria: CriteriaSpec = CriteriaSpec()


class ResponseSpec(Strict):
    """What a reply does to the letter's items: a refusal or an objection sets the items it
    names (numbers on the letter; none named: every item) to "refused" in the ledger."""

    kind: ResponseKind
    items: list[str] = []


class ReplySpec(Strict):
    date: dt.date
    author: str
    party: Slug | None = None
    summary: str
    source: str | None = None
    response: ResponseSpec | None = None


class WithdrawalSpec(Strict):
    """The committee withdrew the letter (a subpoena): from ``date`` it asks for nothing."""

    date: dt.date
    reason: str | None = None


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
    # counsel the letter was addressed to: one slug, or a list when it went via several
    via: Slug | list[Slug] | None = None
    summary: str | None = None
    source: str | None = None
    signatories: list[SignatorySpec] = []
    items: list[ItemSpec] = []
    replies: list[ReplySpec] = []
    certifications: list[CertificationSpec] = []
    withdrawn: WithdrawalSpec | None = None

    @property
    def counsel(self) -> list[str]:
        """``via`` as a list, in the letter's order."""
        if self.via is None:
            return []
        return [self.via] if isinstance(self.via, str) else list(self.via)


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
    thread_index: str | None = None  # Outlook Thread-Index header (base64), if produced
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
