"""Request letters, their signatories, recipients, numbered items, replies and certifications."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from gaptrack.models.enums import CertificationKind, CriterionKind, RequestKind


class RequestBase(SQLModel):
    slug: str = Field(max_length=64, unique=True, index=True)
    committee_id: int = Field(foreign_key="committee.id", index=True)
    kind: RequestKind = Field(default=RequestKind.INITIAL, sa_type=sa.String(16))
    title: str = Field(max_length=500)
    date_sent: dt.date
    deadline: dt.date | None = None
    # The earlier letter this one follows up (initial -> follow-up -> deficiency).
    follows_up_id: int | None = Field(default=None, foreign_key="request.id", index=True)
    summary: str | None = None
    source: str | None = None  # citation of the public record the letter comes from
    # A letter (a subpoena) withdrawn by the committee: from that date it asks for nothing.
    withdrawn_on: dt.date | None = None
    withdrawn_reason: str | None = None


class Request(RequestBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class RequestRead(RequestBase):
    id: int


class RequestRecipient(SQLModel, table=True):
    """A party the letter asks to produce (through counsel, if any)."""

    __tablename__ = "request_recipient"
    __table_args__ = (UniqueConstraint("request_id", "party_id"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True, ondelete="CASCADE")
    party_id: int = Field(foreign_key="party.id", index=True)
    counsel_id: int | None = Field(default=None, foreign_key="counsel.id")


class RequestCounsel(SQLModel, table=True):
    """A counsel the letter went to ("via"), in the order the letter names them."""

    __tablename__ = "request_counsel"
    __table_args__ = (UniqueConstraint("request_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True, ondelete="CASCADE")
    position: int = 0
    counsel_id: int = Field(foreign_key="counsel.id", index=True)


class Signatory(SQLModel, table=True):
    """A member who signed the letter, with the role exactly as written on it."""

    __table_args__ = (UniqueConstraint("request_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True, ondelete="CASCADE")
    position: int = 0
    name: str = Field(max_length=300)
    role: str = Field(max_length=300)  # "Chairman", "Ranking Member", "Vice Chairman"
    bioguide_id: str | None = Field(default=None, max_length=16)


class RequestItemBase(SQLModel):
    request_id: int = Field(foreign_key="request.id", index=True, ondelete="CASCADE")
    number: str = Field(max_length=32)  # "2", "3(a)"
    position: int = 0
    text: str
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    deadline: dt.date | None = None  # a staged deadline for this item; else the letter's
    # The item of an earlier letter that this one renews; the chain keeps the history.
    renews_item_id: int | None = Field(default=None, foreign_key="request_item.id", index=True)
    # How its criteria combine (casefile.schema.CriteriaSpec): a document must be on with
    # "any" or "all" of the correspondents; and meet "all" the kinds of criterion, or "any".
    correspondents_match: str = Field(
        default="any", max_length=8, sa_column_kwargs={"server_default": "any"}
    )
    criteria_combine: str = Field(
        default="all", max_length=8, sa_column_kwargs={"server_default": "all"}
    )


class RequestItem(RequestItemBase, table=True):
    __tablename__ = "request_item"
    __table_args__ = (UniqueConstraint("request_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)


class RequestItemRead(RequestItemBase):
    id: int


class ItemCriterion(SQLModel, table=True):
    """What makes a document responsive to an item: a correspondent, a keyword, a type."""

    __tablename__ = "item_criterion"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="request_item.id", index=True, ondelete="CASCADE")
    kind: CriterionKind = Field(sa_type=sa.String(16))
    value: str = Field(max_length=300)  # keyword or doc type; the party's slug for correspondents
    party_id: int | None = Field(default=None, foreign_key="party.id", index=True)


class Reply(SQLModel, table=True):
    """A letter back from the party or its counsel (e.g. counsel's 17 Nov 2017 reply)."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True, ondelete="CASCADE")
    party_id: int | None = Field(default=None, foreign_key="party.id", index=True)
    date: dt.date
    author: str = Field(max_length=300)
    summary: str
    source: str | None = None
    # A refusal or an objection: the items it names (numbers on the letter; none: all of
    # them) stand "refused" in the ledger from its date.
    response_kind: str | None = Field(default=None, max_length=16)
    response_items: str | None = None  # the item numbers, one per line


class ItemCertification(SQLModel, table=True):
    """The party's statement about one item: complete, or no responsive documents exist."""

    __tablename__ = "item_certification"
    __table_args__ = (UniqueConstraint("item_id", "party_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="request_item.id", index=True, ondelete="CASCADE")
    party_id: int = Field(foreign_key="party.id", index=True)
    kind: CertificationKind = Field(sa_type=sa.String(32))
    date: dt.date
    statement: str | None = None
