"""Parties (people and organisations asked to produce), their aliases, addresses and counsel."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from gaptrack.models.enums import PartyKind


class PartyBase(SQLModel):
    slug: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=300)
    kind: PartyKind = Field(default=PartyKind.PERSON, sa_type=sa.String(16))
    description: str | None = None
    # "Mr.", "Ms.", "Dr.": the salutation of a letter addressed to the party ("Dear Mr. Page:").
    honorific: str | None = Field(default=None, max_length=32)


class Party(PartyBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class PartyCreate(PartyBase):
    aliases: list[str] = []
    addresses: list[str] = []


class PartyRead(PartyBase):
    id: int


class PartyAlias(SQLModel, table=True):
    """Another name the party goes by ("Jared Kushner", "J. Kushner", "jared")."""

    __tablename__ = "party_alias"
    __table_args__ = (UniqueConstraint("party_id", "alias_norm"),)

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True, ondelete="CASCADE")
    alias: str = Field(max_length=300)
    # casefolded, whitespace collapsed: the join key used to resolve names on documents.
    alias_norm: str = Field(max_length=300, index=True)


class PartyAddress(SQLModel, table=True):
    """An email address (or phone number) that belongs to the party."""

    __tablename__ = "party_address"

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True, ondelete="CASCADE")
    # lower-cased; unique: one address resolves to one party.
    address: str = Field(max_length=320, unique=True, index=True)


class CounselBase(SQLModel):
    slug: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=300)
    firm: str | None = Field(default=None, max_length=300)
    email: str | None = Field(default=None, max_length=320)
    # "Mr.", "Ms.": the salutation of a letter to counsel ("Dear Mr. Lowell:").
    honorific: str | None = Field(default=None, max_length=32)


class Counsel(CounselBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class CounselRead(CounselBase):
    id: int


class Representation(SQLModel, table=True):
    """Counsel represents party; one counsel may represent several parties."""

    __table_args__ = (UniqueConstraint("party_id", "counsel_id"),)

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True, ondelete="CASCADE")
    counsel_id: int = Field(foreign_key="counsel.id", index=True, ondelete="CASCADE")
