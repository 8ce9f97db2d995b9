"""Read models of the gap engine: what the faces and the report renderers receive.

These are plain Pydantic values (never ORM rows), stable in name: the JSON output of
``gaptrack gaps`` and ``gaptrack status`` is these models dumped in ``mode="json"``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field


class GapKind(StrEnum):
    KNOWN_NOT_PRODUCED = "known-not-produced"
    INFERRED = "inferred"  # another party produced it; this party was on it
    NOTHING_PRODUCED = "nothing-produced"  # an item with no responsive document at all
    OVERDUE = "overdue"
    WITHHELD = "withheld"  # matches an entry of the party's privilege log
    REFERENCED_UNPRODUCED = "referenced-unproduced"  # replied to / quoted, produced by nobody
    SILENT_PERIOD = "silent-period"  # others show the party active; its production is silent
    INCOMPLETE_FAMILY = "incomplete-family"  # another's copy of its email has more attachments
    PRIVILEGE_CONTRADICTED = "privilege-contradicted"  # logged as privileged; another produced it


class MatchKey(StrEnum):
    MIH = "mih"
    BODY_HASH = "body-hash"
    FINGERPRINT = "fingerprint"
    EXPLICIT = "explicit"  # staff linked it by hand
    NONE = "none"


class ThreadMessage(BaseModel):
    """One message of the thread around a missing one (gaptrack.threads.context)."""

    relation: str  # "parent" (it answers), "missing" (the gap's message) or "reply"
    subject: str | None = None
    date: dt.datetime | None = None
    # Who produced it, as "party BATES" per copy; empty: produced by nobody.
    produced_by: list[str] = Field(default_factory=list)


class Evidence(BaseModel):
    """Why the gap exists, in terms a person can check."""

    summary: str  # one sentence, plain text
    # other-production / testimony / press-report / presumed (known and inferred gaps)
    basis: str | None = None
    producing_party: str | None = None  # slug of the party that produced the copy
    producing_party_name: str | None = None
    bates: list[str] = Field(default_factory=list)  # Bates labels of the documents that show it
    document_ids: list[int] = Field(default_factory=list)
    role: str | None = None  # this party's role on the document (sender, cc, forwarded...)
    match_key: MatchKey | None = None  # which key tied copies together
    citation: str | None = None  # testimony / press report / letter
    privilege_entry: str | None = None  # "entry 12: attorney-client"
    deadline: dt.date | None = None
    days_overdue: int | None = None
    # referenced-unproduced: the documents that refer to it
    referring_bates: list[str] = Field(default_factory=list)
    # The thread around the missing email, when it has one: its parent, it, its replies.
    thread: list[ThreadMessage] = Field(default_factory=list)


class Gap(BaseModel):
    key: str  # stable identity, e.g. "inferred:kushner:sjc-2017-10-18#3:HICKS-000123"
    kind: GapKind
    party: str  # slug of the party that owes the document
    party_name: str
    committee: str | None = None
    request: str | None = None  # request slug
    item: str | None = None  # item number on that request
    item_text: str | None = None
    known_item: str | None = None  # slug, when the gap is a known item
    title: str  # what is missing, one line
    date: dt.date | None = None
    evidence: Evidence


class ItemStatusKind(StrEnum):
    REQUESTED = "requested"
    PARTIAL = "partially produced"
    PRODUCED = "produced"
    WITHHELD = "withheld"
    NO_RESPONSIVE = "no responsive documents"
    OVERDUE = "overdue"
    IGNORED = "ignored"
    REFUSED = "refused"  # a reply refused or objected to it; still owed
    WITHDRAWN = "withdrawn"  # the committee withdrew the letter (a subpoena)


class ItemStatus(BaseModel):
    party: str
    request: str
    item: str
    text: str
    deadline: dt.date | None
    status: ItemStatusKind
    reason: str  # why this status: which documents, which gaps
    documents_produced: int
    known_total: int
    known_produced: int
    gaps: int
    history: list[str] = Field(
        default_factory=list
    )  # renewal chain, oldest first: ["sjc-2017-10-18#2", ...]
    # still open: the date of the first letter that asked for it (the chain's oldest)
    outstanding_since: dt.date | None = None


class RequestStatus(BaseModel):
    party: str
    party_name: str
    committee: str
    request: str
    title: str
    kind: str
    date_sent: dt.date
    deadline: dt.date | None
    follows_up: str | None
    status: ItemStatusKind  # rolled up from the items
    items: list[ItemStatus]
    minority: bool = False  # signed by the committee's minority only (signatories' roles)
    withdrawn_on: dt.date | None = None
    documents_produced: int = 0  # distinct documents answering any item of the letter
    known_total: int
    known_produced: int


class PartySummary(BaseModel):
    party: str
    name: str
    outstanding_gaps: int
    known_total: int
    known_produced: int
    next_deadline: dt.date | None
    overdue: bool
    requests: int


class Finding(BaseModel):
    """One document another party produced, checked against the party's own productions.

    ``match_key`` says which key found the party's copy (``copy_bates`` is its Bates label);
    ``none`` means no copy: that is a gap (inferred, or a known item not produced).
    """

    party: str
    request: str | None
    item: str | None
    document: str  # Bates label of the other party's document
    producing_party: str
    role: str | None
    match_key: MatchKey
    copy_bates: str | None = None
    known_item: str | None = None  # when the finding is a known item's basis
