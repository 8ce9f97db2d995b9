"""Committees: the requesters."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from gaptrack.models.enums import Chamber


class CommitteeBase(SQLModel):
    slug: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=300)
    chamber: Chamber = Field(sa_type=sa.String(16))
    # congress-legislators ``thomas_id`` (SSJU, SLIN, HLIG, HSGO...).
    thomas_id: str | None = Field(default=None, max_length=16, index=True)


class Committee(CommitteeBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class CommitteeContact(SQLModel, table=True):
    """A member of the committee's staff who is copied on its correspondence (the clerk, the
    chief counsel): the cc of a deficiency letter's email draft."""

    __tablename__ = "committee_contact"

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", index=True, ondelete="CASCADE")
    position: int = 0
    name: str = Field(max_length=300)
    email: str = Field(max_length=320)
    role: str | None = Field(default=None, max_length=300)  # "Chief Investigative Counsel"


class CommitteeCreate(CommitteeBase):
    pass


class CommitteeRead(CommitteeBase):
    id: int
