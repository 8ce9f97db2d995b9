"""Members of Congress and committee membership, from the congress-legislators files."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Legislator(SQLModel, table=True):
    """A member of Congress as ``legislators-current.yaml`` names them."""

    __tablename__ = "legislator"

    id: int | None = Field(default=None, primary_key=True)
    bioguide_id: str = Field(max_length=16, unique=True, index=True)
    name: str = Field(max_length=300)  # official_full, else "first last"
    first: str = Field(default="", max_length=100)
    last: str = Field(default="", max_length=100)


class CommitteeMember(SQLModel, table=True):
    """A seat on a committee, as ``committee-membership-current.yaml`` lists it, valid from the
    start of the Congress the file describes until a later file replaces it (``valid_to``)."""

    __tablename__ = "committee_member"
    __table_args__ = (UniqueConstraint("committee_id", "bioguide_id", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", index=True, ondelete="CASCADE")
    bioguide_id: str = Field(max_length=16, index=True)
    name: str = Field(max_length=300)
    title: str | None = Field(default=None, max_length=100)  # "Chairman", "Ranking Member"
    rank: int | None = None
    side: str | None = Field(default=None, max_length=16)  # majority / minority
    valid_from: dt.date
    valid_to: dt.date | None = None
