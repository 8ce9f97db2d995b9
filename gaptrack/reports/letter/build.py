"""The one function that turns the service's gap data into a :class:`LetterModel`.

Pure: it reads no database and no clock. What it decides:

- By default only confirmed deficiencies are cited: known items (including promoted findings),
  requests past due with nothing produced, and withheld documents. Unreviewed inferred findings
  and unanswered references are added, apart and labelled, only with ``include_findings``.
- Nothing not yet due is a deficiency: a gap on an item whose deadline is after the letter's
  date is left out.
- Each document is cited once, under the first request of its renewal chain; a request with
  nothing produced is left out when a cited document already answers it, and when the party
  produced nothing at all (the opening says so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from gaptrack.errors import InputError
from gaptrack.gaps.kinds import spec as kind_spec
from gaptrack.gaps.model import Gap, GapKind
from gaptrack.reports.deadline import add_business_days
from gaptrack.reports.letter.model import (
    SECTION_ORDER,
    LetterEntry,
    LetterModel,
    LetterSection,
    SectionKind,
    Signer,
)
from gaptrack.reports.letter.prose import closing, cover_note, opening, signers_and_cc
from gaptrack.reports.letter.sections import Voice, describe, headings, section_of
from gaptrack.reports.letter.source import DocInfo, LetterFacts
from gaptrack.reports.letter.words import (
    and_list,
    citation,
    file_stem,
    long_date,
    natural_key,
    salutation,
    short_name,
)

# The kinds' letter sections (gaptrack.gaps.kinds) that are unreviewed until staff confirm
# them: an inferred finding, an email referred to and produced by nobody. A promoted finding
# is a known item, so it is confirmed.
UNREVIEWED_SECTIONS = {"findings", "referenced"}
LETTERHEAD = {
    "senate": ("United States Senate", "Washington, DC 20510"),
    "house": ("U.S. House of Representatives", "Washington, DC 20515"),
    "joint": ("Congress of the United States", "Washington, DC 20515"),
}


@dataclass(frozen=True, slots=True)
class LetterOptions:
    as_of: dt.date
    business_days: int = 10
    bates_only: bool = False
    include_findings: bool = False
    signed_by: tuple[str, ...] = ()  # names or roles; default: the latest letter's signers


def build_letter_model(
    facts: LetterFacts,
    gaps: Sequence[Gap],
    docs: dict[str, DocInfo],
    options: LetterOptions,
) -> LetterModel:
    """The letter to ``facts.party`` (via counsel when there is one) as of ``options.as_of``."""
    if options.business_days < 1:
        raise InputError("the new deadline needs at least one business day")
    voice = _voice(facts)
    confirmed, unreviewed, overdue = _sort(facts, gaps, docs, voice, options)
    deadline = add_business_days(options.as_of, options.business_days)
    signers, cc = signers_and_cc(facts, options.signed_by)
    chamber, city = LETTERHEAD.get(facts.chamber, LETTERHEAD["joint"])
    addressee = facts.counsel or facts.party
    model = LetterModel(
        letterhead=[chamber, facts.committee_name, city],
        committee=facts.committee_name,
        date=options.as_of,
        recipient=_recipient(facts),
        salutation=_salutation(facts),
        subject=f"Documents requested from {facts.party.name}",
        opening=opening(facts, voice, confirmed, overdue, options.as_of),
        sections=confirmed,
        closing=closing(deadline, confirmed),
        signers=[Signer(name=n, role=r) for n, r in signers],
        cc=cc,
        to_address=addressee.email,
        to_name=addressee.name,
        to_more=[(c.name, c.email) for c in facts.co_counsel if c.email],
        cc_addresses=list(facts.contacts),
        file_stem=file_stem("letter", facts.party_slug, options.as_of.isoformat()),
    )
    if options.include_findings and unreviewed:
        model.findings_heading = "For review before sending: unconfirmed findings"
        model.findings_intro = (
            "The documents below were found by comparing other parties' productions with "
            f"{voice.possessive} production, and no one has confirmed them yet. Confirm or "
            "dismiss each one, and remove this part before the letter is sent."
        )
        model.findings = unreviewed
    model.cover_note = cover_note(model, facts)
    return model


def _voice(facts: LetterFacts) -> Voice:
    name = (
        facts.party.name
        if facts.organisation
        else short_name(facts.party.name, facts.party.honorific)
    )
    return Voice(name=name, possessive="your client's" if facts.counsel else "your")


def _recipient(facts: LetterFacts) -> list[str]:
    if facts.counsel is None:
        person = facts.party
        return [f"{person.honorific} {person.name}" if person.honorific else person.name]
    lines: list[str] = []
    for c in [facts.counsel, *facts.co_counsel]:
        lines.append(f"{c.honorific} {c.name}" if c.honorific else c.name)
        if c.firm:
            lines.append(c.firm)
    lines.append(f"Counsel for {facts.party.name}")
    return lines


def _salutation(facts: LetterFacts) -> str:
    """``Dear Mr. Lowell:``; ``Dear Mr. Lowell and Ms. Doe:`` for a letter via two counsel."""
    if facts.counsel is None:
        if facts.organisation:
            return "Dear Sir or Madam:"
        return salutation(facts.party.name, facts.party.honorific)
    names = [short_name(c.name, c.honorific) for c in [facts.counsel, *facts.co_counsel]]
    return f"Dear {and_list(names)}:"


def _due(gap: Gap, facts: LetterFacts, as_of: dt.date) -> bool:
    """Whether the item the gap answers was due by ``as_of`` (gaps with no item always are)."""
    if gap.kind is GapKind.NOTHING_PRODUCED and gap.evidence.deadline:
        return gap.evidence.deadline < as_of
    info = facts.items.get((gap.request or "", gap.item or ""))
    return info is None or info.deadline is None or info.deadline < as_of


Keyed = dict[SectionKind, list[tuple[tuple[object, ...], LetterEntry]]]
Root = tuple[str, str]


@dataclass(slots=True)
class _Sorting:
    """The letter's entries as they are sorted in: confirmed, unreviewed, passed deadlines."""

    facts: LetterFacts
    docs: dict[str, DocInfo]
    voice: Voice
    options: LetterOptions
    keyed: dict[bool, Keyed] = field(
        default_factory=lambda: {flag: {k: [] for k in SECTION_ORDER} for flag in (True, False)}
    )
    overdue: set[dt.date] = field(default_factory=set)
    cited_roots: set[Root] = field(default_factory=set)

    def add(self, gap: Gap, root: Root, *, confirmed: bool) -> None:
        """Describe the gap and file it under its section, cited by the first item of its
        renewal chain."""
        info = self.facts.items.get(root)
        when = info.root_date if info else dt.date.min
        cite = citation(root[1], info.root_date if info else None) if root[1] else None
        entry = describe(
            gap, self.docs, self.voice, citation=cite, bates_only=self.options.bates_only
        )
        order = (when, natural_key(root[1]), gap.date or dt.date.min, gap.key)
        self.keyed[confirmed][section_of(gap)].append((order, entry))
        if confirmed and root[1]:
            self.cited_roots.add(root)

    def sections(self, confirmed: bool) -> list[LetterSection]:
        words = headings(self.voice)
        return [
            LetterSection(
                kind=kind,
                heading=words[kind][0],
                intro=words[kind][1],
                entries=[e for _, e in sorted(rows, key=lambda p: p[0])],
            )
            for kind, rows in self.keyed[confirmed].items()
            if rows
        ]


def _sort(
    facts: LetterFacts,
    gaps: Sequence[Gap],
    docs: dict[str, DocInfo],
    voice: Voice,
    options: LetterOptions,
) -> tuple[list[LetterSection], list[LetterSection], list[dt.date]]:
    """(confirmed sections, unreviewed sections, passed deadlines)."""
    sorting = _Sorting(facts, docs, voice, options)
    nothing: list[tuple[Root, Gap]] = []
    # A withheld document another party produced is cited once: as a contradicted claim.
    contradicted = {
        b for g in gaps if g.kind is GapKind.PRIVILEGE_CONTRADICTED and g.party == facts.party_slug
        for b in g.evidence.bates
    }
    for gap in gaps:
        if gap.party != facts.party_slug:
            continue
        if (gap.kind is GapKind.WITHHELD and gap.evidence.bates
                and set(gap.evidence.bates) <= contradicted):
            continue
        if gap.kind is GapKind.OVERDUE:
            if gap.evidence.deadline and gap.evidence.deadline < options.as_of:
                sorting.overdue.add(gap.evidence.deadline)
            continue
        section = kind_spec(gap.kind).letter_section
        if section is None or not _due(gap, facts, options.as_of):
            continue  # never cited, or not yet due
        info = facts.items.get((gap.request or "", gap.item or ""))
        root = info.root if info else (gap.request or "", gap.item or "")
        if gap.kind is GapKind.NOTHING_PRODUCED:
            nothing.append((root, gap))
        else:
            confirmed = section not in UNREVIEWED_SECTIONS or bool(gap.known_item)
            sorting.add(gap, root, confirmed=confirmed)
    # A request with nothing produced, once, unless a cited document already answers it or
    # the party produced nothing at all (the opening says so).
    for root, gap in nothing:
        if root not in sorting.cited_roots and facts.productions:
            sorting.add(gap, root, confirmed=True)
    return sorting.sections(True), sorting.sections(False), sorted(sorting.overdue)


__all__ = ["LetterOptions", "build_letter_model", "long_date"]
