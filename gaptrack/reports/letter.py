"""Deficiency-letter drafts in the shape of the Senate Judiciary Committee's 16 Nov 2017 letter.

The gaps are grouped as that letter grouped them: documents the party *forwarded*, documents
*sent or copied to* the party, documents *otherwise produced by others* (or referred to by
produced emails), and documents *presumed to exist*; then requests with nothing produced and
documents withheld. Each entry cites the request number it answers and the other party's Bates
numbers (``bates_only`` leaves out subjects and descriptions). The new deadline is a number of
business days after the letter's date, skipping weekends and US federal holidays.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import InputError, NotFoundError
from gaptrack.gaps import sql as t
from gaptrack.gaps.model import Gap, GapKind
from gaptrack.models.enums import KnownBasis, ParticipantRole
from gaptrack.reports.deadline import add_business_days

FORWARDED = "forwarded"
COPIED = "copied"
OTHERS = "others"
PRESUMED = "presumed"
NOTHING = "nothing"
WITHHELD = "withheld"
SECTION_ORDER = [FORWARDED, COPIED, OTHERS, PRESUMED, NOTHING, WITHHELD]
_ORDINALS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
]


@dataclass(frozen=True, slots=True)
class Entry:
    request: str
    request_date: dt.date | None
    item: str
    text: str  # one sentence, plain text


@dataclass(slots=True)
class Letter:
    party: str
    party_name: str
    committee_name: str
    date: dt.date
    deadline: dt.date
    business_days: int
    counsel_name: str | None
    counsel_firm: str | None
    requests: list[tuple[str, dt.date]]  # letters to the party, oldest first
    productions: list[str]  # "KUSHNER001 (KUSHNER-000001 to KUSHNER-000018, 7 documents)"
    overdue: list[str]  # deadlines passed
    signatories: list[tuple[str, str]]
    sections: dict[str, list[Entry]] = field(default_factory=dict)


def long_date(value: dt.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def request_phrase(item: str, request_date: dt.date | None) -> str:
    """'the third request (Request No. 3) of the October 18, 2017 letter'."""
    number = item.strip()
    ordinal = _ORDINALS[int(number)] if number.isdigit() and int(number) < len(_ORDINALS) else ""
    head = f"the {ordinal} request (No. {number})" if ordinal else f"request No. {number}"
    return f"{head} of the {long_date(request_date)} letter" if request_date else head


def section_of(gap: Gap) -> str:
    if gap.kind is GapKind.WITHHELD:
        return WITHHELD
    if gap.kind is GapKind.NOTHING_PRODUCED:
        return NOTHING
    if gap.evidence.basis in {KnownBasis.PRESUMED, KnownBasis.TESTIMONY, KnownBasis.PRESS_REPORT}:
        return PRESUMED
    if gap.evidence.role == ParticipantRole.FORWARDED.value:
        return FORWARDED
    if gap.evidence.role in {
        ParticipantRole.TO.value,
        ParticipantRole.CC.value,
        ParticipantRole.BCC.value,
    }:
        return COPIED
    return OTHERS


def _entry_text(gap: Gap, party_name: str, bates_only: bool) -> str:
    e = gap.evidence
    bates = ", ".join(e.bates or e.referring_bates)
    if gap.kind is GapKind.REFERENCED_UNPRODUCED:
        return f"An email to which {bates} (produced by others) replied; no party produced it."
    if gap.kind is GapKind.NOTHING_PRODUCED:
        text = f"No documents responsive to this request have been produced. {gap.item_text or ''}"
        return text.strip()
    what = "" if bates_only else f"{gap.title.rstrip('.')}"
    dated = f" ({gap.date.isoformat()})" if gap.date and not bates_only else ""
    if e.producing_party_name:
        source = f"produced by {e.producing_party_name} as {bates}"
        text = (
            f"{what}{dated}; {source}."
            if what
            else f"Produced by {e.producing_party_name} as {bates}."
        )
    elif e.citation:
        text = f"{what}{dated}. Basis: {e.citation}." if what else f"Basis: {e.citation}."
    else:
        text = f"{what}{dated}." if what else "Known to exist."
    if gap.kind is GapKind.WITHHELD and e.privilege_entry:
        text += (
            f" Your privilege log lists it as {e.privilege_entry}; please substantiate the claim."
        )
    return text[0].upper() + text[1:]


def _natural(text: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def build_letter(
    engine: Engine,
    *,
    party: str,
    as_of: dt.date,
    gaps: Sequence[Gap],
    request: str | None = None,
    business_days: int = 10,
    bates_only: bool = False,
) -> Letter:
    """Collect what the letter says. ``party`` / ``request`` are as typed (resolved here)."""
    if business_days < 1:
        raise InputError("the new deadline needs at least one business day")
    from sqlmodel import Session

    from gaptrack.models import Party, Request
    from gaptrack.service.lookup import resolve

    with Session(engine) as session:
        owner = resolve(session, Party, party)
        wanted = resolve(session, Request, request) if request else None
    rq, rr, cm, sg, co = t.request, t.recipient, t.committee, t.signatory, t.counsel
    with engine.connect() as connection:
        letters = connection.execute(
            sa.select(rq.c.id, rq.c.slug, rq.c.date_sent, rq.c.deadline, cm.c.name, rr.c.counsel_id)
            .select_from(
                rq.join(rr, rr.c.request_id == rq.c.id).join(cm, cm.c.id == rq.c.committee_id)
            )
            .where(rr.c.party_id == owner.id, rq.c.date_sent <= as_of)
            .order_by(rq.c.date_sent, rq.c.id)
        ).all()
        if wanted is not None:
            letters = [r for r in letters if r.id == wanted.id] or letters
        if not letters:
            raise NotFoundError(f"no letter had been sent to {owner.name} by {as_of.isoformat()}")
        last = letters[-1]
        signatories = [
            (r.name, r.role)
            for r in connection.execute(
                sa.select(sg.c.name, sg.c.role)
                .where(sg.c.request_id == last.id)
                .order_by(sg.c.position, sg.c.id)
            )
        ]
        counsel = None
        counsel_id = next((r.counsel_id for r in reversed(letters) if r.counsel_id), None)
        if counsel_id is None:
            rep = t.representation
            counsel_id = connection.execute(
                sa.select(sa.func.min(rep.c.counsel_id)).where(rep.c.party_id == owner.id)
            ).scalar()
        if counsel_id is not None:
            counsel = connection.execute(
                sa.select(co.c.name, co.c.firm).where(co.c.id == counsel_id)
            ).first()
        d, pr = t.document, t.production
        productions = [
            f"{r.volume} ({r.first} to {r.last_label}, {r.n} document{'s' if r.n != 1 else ''})"
            for r in connection.execute(
                sa.select(
                    pr.c.volume,
                    sa.func.min(d.c.begin_label).label("first"),
                    sa.func.max(d.c.end_label).label("last_label"),
                    sa.func.count().label("n"),
                )
                .select_from(pr.join(d, d.c.production_id == pr.c.id))
                .where(pr.c.party_id == owner.id, pr.c.date_received <= as_of)
                .group_by(pr.c.id, pr.c.volume, pr.c.date_received)
                .order_by(pr.c.date_received, pr.c.volume)
            )
        ]
    dates = {r.slug: r.date_sent for r in letters}
    with engine.connect() as connection:  # dates of every letter a gap may cite
        dates.update(
            {r.slug: r.date_sent for r in connection.execute(sa.select(rq.c.slug, rq.c.date_sent))}
        )
    sections: dict[str, list[tuple[tuple[object, ...], Entry]]] = {s: [] for s in SECTION_ORDER}
    overdue: set[dt.date] = set()
    for gap in gaps:
        if gap.party != owner.slug:
            continue
        if gap.kind is GapKind.OVERDUE:
            if gap.evidence.deadline:
                overdue.add(gap.evidence.deadline)
            continue
        entry = Entry(
            request=gap.request or "",
            request_date=dates.get(gap.request or ""),
            item=gap.item or "",
            text=_entry_text(gap, owner.name, bates_only),
        )
        order = (
            entry.request_date or dt.date.min,
            _natural(entry.item),
            gap.date or dt.date.min,
            gap.key,
        )
        sections[section_of(gap)].append((order, entry))
    return Letter(
        party=owner.slug,
        party_name=owner.name,
        committee_name=last.name,
        date=as_of,
        deadline=add_business_days(as_of, business_days),
        business_days=business_days,
        counsel_name=counsel.name if counsel else None,
        counsel_firm=counsel.firm if counsel else None,
        requests=[(r.slug, r.date_sent) for r in letters],
        productions=productions,
        overdue=[long_date(day) for day in sorted(overdue)],  # by date, not by text
        signatories=signatories,
        sections={k: [e for _, e in sorted(v, key=lambda p: p[0])] for k, v in sections.items()},
    )


def _headings(letter: Letter) -> dict[str, str]:
    name = letter.party_name
    return {
        FORWARDED: f"Documents forwarded by {name}",
        COPIED: f"Documents sent or copied to {name}",
        OTHERS: "Documents otherwise produced by other parties",
        PRESUMED: "Documents presumed to exist",
        NOTHING: "Requests for which nothing has been produced",
        WITHHELD: "Documents withheld under a claim of privilege",
    }


def _paragraphs(letter: Letter) -> tuple[list[str], list[str]]:
    first = letter.requests[0]
    opening = (
        f"On {long_date(first[1])}, the Committee sent {letter.party_name} numbered requests "
        "for documents."
    )
    if letter.productions:
        opening += f" The Committee has received: {'; '.join(letter.productions)}."
    else:
        opening += " The Committee has received no production."
    known = any(letter.sections[s] for s in (FORWARDED, COPIED, OTHERS, PRESUMED))
    body = [opening]
    if known:
        body.append(
            "There are several documents that are known to exist but were not included in "
            "the production. Other parties have produced them, or they are presumed to exist; "
            "each is listed below with the request it answers."
        )
    if letter.overdue:
        *earlier, latest = letter.overdue
        if earlier:
            dates = f"{', '.join(earlier)} and {latest}"
            passed = f"The deadlines of {dates} have passed"
        else:
            passed = f"The deadline of {latest} has passed"
        body.append(f"{passed} without a certification that the production is complete.")
    closing = [
        f"Please produce these documents, or identify any that are withheld on a privilege log "
        f"stating the privilege claimed, by {long_date(letter.deadline)}.",
    ]
    return body, closing


def render_markdown(letter: Letter) -> str:
    body, closing = _paragraphs(letter)
    lines = ["DRAFT", "", f"# {letter.committee_name}", "", long_date(letter.date), ""]
    if letter.counsel_name:
        lines += [letter.counsel_name + ("  " if letter.counsel_firm else "")]
        if letter.counsel_firm:
            lines += [letter.counsel_firm + "  "]
        lines += [f"Counsel for {letter.party_name}", "", f"Dear {letter.counsel_name}:", ""]
    else:
        lines += [letter.party_name, "", f"Dear {letter.party_name}:", ""]
    for paragraph in body:
        lines += [paragraph, ""]
    headings = _headings(letter)
    for section in SECTION_ORDER:
        entries = letter.sections.get(section, [])
        if not entries:
            continue
        lines += [f"## {headings[section]}", ""]
        for entry in entries:
            lines.append(
                f"- Responsive to {request_phrase(entry.item, entry.request_date)} "
                f"({entry.request}#{entry.item}): {entry.text}"
                if entry.item
                else f"- {entry.text}"
            )
        lines.append("")
    for paragraph in closing:
        lines += [paragraph, ""]
    lines += ["Sincerely,", ""]
    for name, role in letter.signatories:
        lines += [f"{name}  ", f"{role}", ""]
    return "\n".join(lines).rstrip() + "\n"


def render_html(letter: Letter) -> str:
    from gaptrack.reports.tabular import html_page

    e = html.escape
    body, closing = _paragraphs(letter)
    out = [
        "<p><strong>DRAFT</strong></p>",
        f"<h1>{e(letter.committee_name)}</h1>",
        f"<p>{e(long_date(letter.date))}</p>",
    ]
    if letter.counsel_name:
        firm = f"<br>{e(letter.counsel_firm)}" if letter.counsel_firm else ""
        out += [
            f"<p>{e(letter.counsel_name)}{firm}<br>Counsel for {e(letter.party_name)}</p>",
            f"<p>Dear {e(letter.counsel_name)}:</p>",
        ]
    else:
        out += [f"<p>{e(letter.party_name)}</p>", f"<p>Dear {e(letter.party_name)}:</p>"]
    out += [f"<p>{e(p)}</p>" for p in body]
    headings = _headings(letter)
    for section in SECTION_ORDER:
        entries = letter.sections.get(section, [])
        if not entries:
            continue
        out += [f"<h2>{e(headings[section])}</h2>", "<ul>"]
        for entry in entries:
            cite = (
                f"Responsive to {e(request_phrase(entry.item, entry.request_date))} "
                f"({e(entry.request)}#{e(entry.item)}): "
                if entry.item
                else ""
            )
            out.append(f"<li>{cite}{e(entry.text)}</li>")
        out.append("</ul>")
    out += [f"<p>{e(p)}</p>" for p in closing]
    out.append("<p>Sincerely,</p>")
    out += [f"<p>{e(name)}<br>{e(role)}</p>" for name, role in letter.signatories]
    return html_page(f"Letter to {letter.party_name}", out)


def render_letter(letter: Letter, fmt: str) -> str:
    form = fmt.lower()
    if form in {"md", "markdown"}:
        return render_markdown(letter)
    if form == "html":
        return render_html(letter)
    raise InputError(f"unknown letter format {fmt!r}; use md or html")
