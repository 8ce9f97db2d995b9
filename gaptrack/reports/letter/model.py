"""The letter read model: everything a deficiency letter says, as plain values.

One function (:func:`gaptrack.reports.letter.build.build_letter_model`) fills it from the
service's gap data; the renderers (Markdown, HTML, Word, email draft) only lay it out. All text
is plain: each renderer escapes it for its own format.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field


class SectionKind(StrEnum):
    """The groups of the 16 Nov 2017 letter, in its order, then the rest."""

    FORWARDED = "forwarded"  # documents the party forwarded
    SENT = "sent"  # documents the party sent
    RECEIVED = "received"  # documents the party received or was copied on
    REFERENCED = "referenced"  # quoted or replied to in others' productions, produced by nobody
    REPORTED = "reported"  # known from testimony or public reports
    PRESUMED = "presumed"  # presumed to exist (phone records)
    NOTHING = "nothing"  # requests past due with nothing produced
    WITHHELD = "withheld"  # on the party's privilege log
    FAMILY = "incomplete-family"  # attachments another party's copy of the email carries
    CONTRADICTED = "contradicted"  # logged as privileged, produced by another party


SECTION_ORDER = list(SectionKind)


class LetterEntry(BaseModel):
    """One cited document: what it is, who produced it (Bates), which request it answers."""

    description: str  # a sentence; empty with ``bates_only`` when a Bates number says it
    source: str | None = None  # "produced by Hope Hicks as HICKS-000101"
    citation: str | None = None  # "the third request of the Committee's October 18, 2017 letter"
    bates: list[str] = Field(default_factory=list)

    def sentence(self) -> str:
        """The entry as one line of the letter: what, who produced it, which request."""
        parts = [self.description.rstrip(". ")] if self.description else []
        if self.source:
            parts.append(self.source.rstrip(". "))
        if self.citation:
            parts.append(f"responsive to {self.citation}")
        text = "; ".join(parts).strip()
        return (text[0].upper() + text[1:] + ".") if text else ""


class LetterSection(BaseModel):
    kind: SectionKind
    heading: str
    intro: str
    entries: list[LetterEntry]


class Signer(BaseModel):
    name: str
    role: str


class LetterModel(BaseModel):
    """A deficiency letter, ready to render."""

    letterhead: list[str]  # "United States Senate", "Committee on the Judiciary", "Washington, DC"
    committee: str
    date: dt.date
    recipient: list[str]  # the inside address, one line each
    salutation: str  # "Dear Mr. Lowell:"
    subject: str  # the Re: line, and the email's subject
    opening: list[str]  # paragraphs before the cited documents
    sections: list[LetterSection]  # confirmed deficiencies only
    findings_heading: str = ""
    findings_intro: str = ""
    findings: list[LetterSection] = Field(default_factory=list)  # unreviewed, on request
    closing: list[str]
    signers: list[Signer]
    cc: list[str] = Field(default_factory=list)  # the letter's cc line(s)
    # The email draft: counsel's (or the party's) address and the committee's contacts.
    to_address: str | None = None
    to_name: str | None = None
    to_more: list[tuple[str, str]] = Field(default_factory=list)  # other counsel (name, address)
    cc_addresses: list[tuple[str, str]] = Field(default_factory=list)  # (name, address)
    cover_note: list[str] = Field(default_factory=list)  # the email body's paragraphs
    file_stem: str = "letter"  # a safe file name for attachments

    def cited(self) -> int:
        return sum(len(s.entries) for s in self.sections)
