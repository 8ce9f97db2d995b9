"""Deficiency letters: the service gathers the gaps and the facts, the reports lay them out.

The gaps come from the party's case view (:func:`gaptrack.service.views.case_view`, the same
rows every screen and report shows), cut to the committee that writes;
:mod:`gaptrack.reports.letter` turns them into a letter model and renders it. Only this module
touches the database for a letter.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine

from gaptrack.gaps.model import GapKind
from gaptrack.reports.letter import LetterModel, LetterOptions, build_letter_model, render_letter
from gaptrack.reports.letter.source import cited_documents, letter_facts


def letter_model(
    engine: Engine,
    *,
    party: str,
    as_of: dt.date,
    request: str | None = None,
    committee: str | None = None,
    business_days: int = 10,
    bates_only: bool = False,
    include_findings: bool = False,
    signed_by: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
) -> LetterModel:
    """The letter to ``party`` as of ``as_of`` (names as typed; resolved here)."""
    from gaptrack.service.views import case_view

    options = LetterOptions(
        as_of=as_of,
        business_days=business_days,
        bates_only=bates_only,
        include_findings=include_findings,
        signed_by=signed_by,
    )
    facts = letter_facts(engine, party=party, as_of=as_of, request=request, committee=committee)
    # Gaps of no committee (emails referred to and produced by nobody) belong to every letter.
    gaps = [
        g
        for g in case_view(
            engine, as_of=as_of, party=facts.party_slug, request=request, kinds=kinds or None
        ).gaps
        if g.committee in (None, facts.committee_slug)
    ]
    labels = {b for g in gaps for b in g.evidence.bates}
    labels |= {
        b
        for g in gaps
        if g.kind in (GapKind.REFERENCED_UNPRODUCED, GapKind.INCOMPLETE_FAMILY)
        for b in g.evidence.referring_bates
    }
    docs = cited_documents(engine, facts.party_id, labels)
    return build_letter_model(facts, gaps, docs, options)


def draft_letter(
    engine: Engine,
    *,
    party: str,
    as_of: dt.date,
    fmt: str = "md",
    template: Path | None = None,
    **options: object,
) -> str | bytes:
    """The letter rendered: ``md`` and ``html`` as text, ``docx`` and ``eml`` as bytes."""
    model = letter_model(engine, party=party, as_of=as_of, **options)  # type: ignore[arg-type]
    return render_letter(model, fmt, template=template)
