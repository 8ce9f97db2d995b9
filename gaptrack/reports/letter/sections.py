"""Which group of the letter a gap belongs to, and how the letter describes it in words.

A known item or a finding that rests on another party's document goes by the party's role on
that document (forwarded, sent, received or copied); a known item that rests on testimony or a
press report, or is presumed, goes by its basis; an email that produced emails quote or reply
to, which nobody produced, is described from the headers quoted in those emails (sender, date,
subject), never by its Message-ID.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import parseaddr

from gaptrack.derive import QuotedMessage, quoted_messages
from gaptrack.gaps.model import Gap, GapKind
from gaptrack.importers.dates import written_datetime
from gaptrack.models.enums import KnownBasis, ParticipantRole
from gaptrack.reports.letter.model import LetterEntry, SectionKind
from gaptrack.reports.letter.source import DocInfo
from gaptrack.reports.letter.words import and_list, long_date

_REPORTED = {KnownBasis.TESTIMONY.value, KnownBasis.PRESS_REPORT.value}
_RECEIVED = {ParticipantRole.TO.value, ParticipantRole.CC.value, ParticipantRole.BCC.value}


@dataclass(frozen=True, slots=True)
class Voice:
    """How the letter names the party: ``Mr. Kushner`` and ``your client's``."""

    name: str  # "Mr. Kushner"
    possessive: str  # "your client's" / "your"


def section_of(gap: Gap) -> SectionKind:
    if gap.kind is GapKind.WITHHELD:
        return SectionKind.WITHHELD
    if gap.kind is GapKind.NOTHING_PRODUCED:
        return SectionKind.NOTHING
    if gap.kind is GapKind.REFERENCED_UNPRODUCED:
        return SectionKind.REFERENCED
    if gap.kind is GapKind.INCOMPLETE_FAMILY:
        return SectionKind.FAMILY
    if gap.kind is GapKind.PRIVILEGE_CONTRADICTED:
        return SectionKind.CONTRADICTED
    basis = gap.evidence.basis
    if basis == KnownBasis.PRESUMED.value:
        return SectionKind.PRESUMED
    if basis in {KnownBasis.TESTIMONY.value, KnownBasis.PRESS_REPORT.value}:
        return SectionKind.REPORTED
    role = gap.evidence.role
    if role == ParticipantRole.FORWARDED.value:
        return SectionKind.FORWARDED
    if role == ParticipantRole.SENDER.value:
        return SectionKind.SENT
    return SectionKind.RECEIVED if role in _RECEIVED else SectionKind.REFERENCED


def headings(voice: Voice) -> dict[SectionKind, tuple[str, str]]:
    """Each group's heading and the sentence that opens it."""
    who = voice.name
    return {
        SectionKind.FORWARDED: (
            f"Documents {who} forwarded",
            f"Other parties have produced the following documents, which {who} forwarded:",
        ),
        SectionKind.SENT: (
            f"Documents {who} sent",
            f"Other parties have produced the following documents, which {who} sent:",
        ),
        SectionKind.RECEIVED: (
            f"Documents {who} received or was copied on",
            f"Other parties have produced the following documents, which were sent or copied "
            f"to {who}:",
        ),
        SectionKind.REFERENCED: (
            "Documents referred to in other parties' productions",
            f"Documents produced by other parties quote or reply to the following documents, "
            f"which passed through {who}'s hands and which no party has produced:",
        ),
        SectionKind.REPORTED: (
            "Documents described in testimony or public reports",
            "Testimony or public reports describe the following documents:",
        ),
        SectionKind.PRESUMED: (
            "Documents presumed to exist",
            "The Committee presumes that the following records exist:",
        ),
        SectionKind.NOTHING: (
            "Requests to which nothing has been produced",
            f"No documents have been produced in response to the following requests, "
            f"although {voice.possessive} response is due:",
        ),
        SectionKind.WITHHELD: (
            "Documents withheld",
            f"The following documents are withheld on {voice.possessive} privilege log; "
            "please substantiate each claim:",
        ),
        SectionKind.FAMILY: (
            "Attachments missing from produced emails",
            f"{who} has produced the following emails without attachments that other parties "
            "produced with the same emails. Please produce each missing attachment:",
        ),
        SectionKind.CONTRADICTED: (
            "Documents withheld as privileged that another party produced",
            f"The following documents are withheld on {voice.possessive} privilege log, yet "
            "another party has produced the same documents to the Committee without any claim "
            "of privilege. Please state whether each claim is maintained and, if so, the basis "
            "for maintaining it notwithstanding that disclosure, or produce the document:",
        ),
    }


def describe(
    gap: Gap,
    docs: dict[str, DocInfo],
    voice: Voice,
    *,
    citation: str | None,
    bates_only: bool,
) -> LetterEntry:
    """The gap as one entry of the letter (plain text)."""
    e = gap.evidence
    if gap.kind is GapKind.REFERENCED_UNPRODUCED:
        return _referenced(gap, docs, voice, bates_only=bates_only)
    if gap.kind is GapKind.NOTHING_PRODUCED:
        return LetterEntry(description=gap.item_text or "", citation=citation)
    if gap.kind is GapKind.INCOMPLETE_FAMILY:
        return _family(gap, docs, citation=citation, bates_only=bates_only)
    if gap.kind in (GapKind.INFERRED, GapKind.PRIVILEGE_CONTRADICTED) and not gap.known_item:
        text = "" if bates_only else _email_words(docs.get(e.bates[0]) if e.bates else None)
    else:
        text = "" if bates_only and e.bates else gap.title
    if gap.kind in (GapKind.WITHHELD, GapKind.PRIVILEGE_CONTRADICTED) and e.privilege_entry:
        text = f"{text.rstrip('. ')}; logged as {e.privilege_entry}".lstrip("; ")
    source = None
    if e.bates and e.producing_party_name:
        source = f"produced by {e.producing_party_name} as {and_list(list(e.bates))}"
    elif e.basis in _REPORTED and e.citation and not bates_only:
        source = f"source: {e.citation.strip()}"
    return LetterEntry(description=text, source=source, citation=citation, bates=list(e.bates))


def _family(
    gap: Gap, docs: dict[str, DocInfo], *, citation: str | None, bates_only: bool
) -> LetterEntry:
    """``The attachment "Survey.pdf" to an email from ... (produced by you as ALICE-0001)``."""
    e = gap.evidence
    own = list(e.referring_bates)
    name = gap.title.split(" of \"", 1)[0].removeprefix("Attachment ").strip()
    email = "" if bates_only else _email_words(docs.get(own[0]) if own else None)
    email = (email[0].lower() + email[1:]) if email else "the email"
    text = f"The attachment {name} to {email}" + (
        f", which was produced as {and_list(own)} without it" if own else ""
    )
    source = None
    if e.bates and e.producing_party_name:
        source = f"produced by {e.producing_party_name} as {and_list(list(e.bates))}"
    return LetterEntry(description=text, source=source, citation=citation, bates=list(e.bates))


def _email_words(doc: DocInfo | None) -> str:
    """``an email from Hope Hicks of September 21, 2016, "RE: Fwd: WikiLeaks DM"``."""
    if doc is None:
        return "An email"
    sender = _person(doc.sender)
    when = f" of {long_date(doc.date_sent.date())}" if doc.date_sent else ""
    subject = f', "{doc.subject}"' if doc.subject else ""
    return f"An email{f' from {sender}' if sender else ''}{when}{subject}"


def _person(header: str | None) -> str:
    if not header:
        return ""
    name, address = parseaddr(header)
    return name.strip() or address.strip() or header.strip()


def _quoted_for(doc: DocInfo, mih: str) -> QuotedMessage | None:
    """The quoted block of ``doc`` that is the referenced email, if the text quotes it.

    References are stored oldest first and quoted blocks outermost (newest) first, so the
    email referred to last is the first block quoted.
    """
    if mih not in doc.references:
        return None
    depth = len(doc.references) - 1 - doc.references.index(mih)
    blocks = quoted_messages(doc.text)
    return blocks[depth] if depth < len(blocks) else None


def _referenced(
    gap: Gap, docs: dict[str, DocInfo], voice: Voice, *, bates_only: bool
) -> LetterEntry:
    mih = gap.key.rsplit(":", 1)[-1]
    referring = [docs[b] for b in gap.evidence.referring_bates if b in docs]
    labels = list(gap.evidence.referring_bates)
    quoted = next((q for d in referring if (q := _quoted_for(d, mih)) is not None), None)
    forwarded = any(d.owner_role in {"sender", "forwarded"} for d in referring) and bool(
        quoted and quoted.forwarded
    )
    if quoted is not None and quoted.sender:
        sent = written_datetime(quoted.sent) if quoted.sent else None
        when = f" of {long_date(sent.date())}" if sent else ""
        subject = f', "{quoted.subject}"' if quoted.subject and not bates_only else ""
        text = f"An email from {_person(quoted.sender)}{when}{subject}"
        if forwarded:
            text += f", which {voice.name} forwarded"
        source = f"quoted in {_labelled(labels, docs)}; no party has produced it"
    else:
        first = referring[0] if referring else None
        words = _email_words(first) if first and not bates_only else "a produced email"
        reply = words[0].lower() + words[1:]
        text = f"The email to which {reply} replied"
        source = f"referred to in {_labelled(labels, docs)}; no party has produced it"
    return LetterEntry(description=text, source=source, bates=labels)


def _labelled(labels: list[str], docs: dict[str, DocInfo]) -> str:
    """``HICKS-000101 (produced by Hope Hicks) and DJTFP-0000211 (produced by ...)``."""
    return and_list([f"{b} (produced by {docs[b].producer})" if b in docs else b for b in labels])


def gap_date(gap: Gap) -> dt.date:
    return gap.date or dt.date.min
