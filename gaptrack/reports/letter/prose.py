"""The letter's own sentences: the opening, the new deadline, who signs, the cover note."""

from __future__ import annotations

import datetime as dt

from gaptrack.errors import InputError
from gaptrack.reports.letter.model import LetterModel, LetterSection
from gaptrack.reports.letter.sections import Voice
from gaptrack.reports.letter.source import LetterFacts, ProductionInfo
from gaptrack.reports.letter.words import and_list, long_date

RANKING = ("ranking member", "vice chairman", "vice chair", "vice chairwoman")


def opening(
    facts: LetterFacts,
    voice: Voice,
    sections: list[LetterSection],
    overdue: list[dt.date],
    as_of: dt.date,
) -> list[str]:
    """What the Committee asked, what it received, and that documents are missing."""
    asked = [r for r in facts.letters if r.date_sent < as_of] or facts.letters[:1]
    dates = and_list([long_date(r.date_sent) for r in asked])
    whom = f" from your client, {facts.party.name}" if facts.counsel else ""
    paragraphs = [f"On {dates}, the Committee wrote to you requesting documents{whom}."]
    cited = sum(len(s.entries) for s in sections if s.kind.value != "nothing")
    if facts.productions:
        paragraphs[0] += f" The Committee has received {_received(facts.productions, voice)}."
        if cited:
            several = "are several documents that are" if cited > 1 else "is a document that is"
            were = "were" if cited > 1 else "was"
            paragraphs.append(
                f"There {several} known to exist but {were} not included in "
                f"{voice.possessive} production. {_listed(cited)}"
            )
    else:
        paragraphs[0] += (
            f" The Committee has received no documents from "
            f"{'your client' if facts.counsel else 'you'}."
        )
        if cited:
            paragraphs.append(
                "Documents responsive to the Committee's requests are known or presumed to "
                f"exist. {_listed(cited)}"
            )
    if overdue:
        paragraphs.append(_overdue(overdue, voice, bool(facts.productions)))
    return paragraphs


def _listed(cited: int) -> str:
    what = "Each is" if cited > 1 else "It is"
    return f"{what} listed below with the request to which it is responsive."


def _received(productions: list[ProductionInfo], voice: Voice) -> str:
    parts = []
    for p in productions:
        span = f"{p.first} to {p.last}" if p.first and p.first != p.last else p.first
        count = f"{p.documents} document{'s' if p.documents != 1 else ''}"
        detail = ", ".join(x for x in (p.volume, span, count) if x)
        parts.append(f"{long_date(p.date_received)} ({detail})")
    noun = "production" if len(parts) == 1 else "productions"
    return f"{voice.possessive} {noun} of {and_list(parts)}"


def _overdue(days: list[dt.date], voice: Voice, produced: bool) -> str:
    dates = and_list([long_date(d) for d in days])
    passed = f"The deadline of {dates} has" if len(days) == 1 else f"The deadlines of {dates} have"
    if not produced:
        return f"{passed} passed."
    return f"{passed} passed, and {voice.possessive} production has not been certified as complete."


def closing(deadline: dt.date, sections: list[LetterSection]) -> list[str]:
    what = "these documents" if any(s.entries for s in sections) else "the requested documents"
    return [
        f"Please produce {what}, or identify any that are withheld on a privilege log "
        f"stating the privilege claimed, by {long_date(deadline)}.",
        "Thank you for your attention to this matter.",
    ]


def signers_and_cc(
    facts: LetterFacts, signed_by: tuple[str, ...]
) -> tuple[list[tuple[str, str]], list[str]]:
    """Who signs (default: the latest letter's signatories), and the cc line: the ranking
    member (or vice chairman) when the chairman signs alone."""
    signers = list(facts.signers)
    if signed_by:
        pool = facts.committee_signers
        signers = []
        for wanted in signed_by:
            key = wanted.strip().casefold()
            match = [s for s in pool if key in (s[0].casefold(), s[1].casefold())]
            if not match:
                known = "; ".join(f"{n} ({r})" for n, r in pool) or "none recorded"
                raise InputError(
                    f"--signed-by {wanted!r}: no signatory of {facts.committee_name} by that "
                    f"name or role; known: {known}"
                )
            signers.extend(m for m in match[:1] if m not in signers)
    cc: list[str] = []
    roles = [r.casefold() for _, r in signers]
    if any(r.startswith("chair") for r in roles) and not any(r in RANKING for r in roles):
        ranking = next((s for s in facts.committee_signers if s[1].casefold() in RANKING), None)
        cc = [
            f"The Honorable {ranking[0]}, {ranking[1]}"
            if ranking
            else f"Ranking Member, {facts.committee_name}"
        ]
    return signers, cc


def cover_note(model: LetterModel, facts: LetterFacts) -> list[str]:
    """The body of the email draft that carries the letter."""
    who = model.salutation
    return [
        who,
        f"Please find attached a letter of {long_date(model.date)} from the "
        f"{facts.committee_name} concerning the documents requested from {facts.party.name}.",
        "Please confirm receipt.",
    ]
