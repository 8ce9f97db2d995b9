"""The gap engine's service API: what the CLI and the TUI call.

Every function takes the engine and an explicit ``as_of`` date (never the clock) and returns
read models (:mod:`gaptrack.gaps.model`) or rendered text. Names typed by people (party,
committee, request) are resolved by slug, name or alias; unknown names raise ``NotFoundError``.

Reads are the case view's (:mod:`gaptrack.service.views`): one computation per scope and date,
shared by every face. Reads never refresh derived facts; the commands that write do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy.engine import Engine

from gaptrack.collector import collector_paused
from gaptrack.errors import InputError
from gaptrack.gaps.kinds import parse_kinds as parse_kinds
from gaptrack.gaps.model import Finding, Gap, GapKind, PartySummary, RequestStatus
from gaptrack.gaps.thread_context import attach_thread_context
from gaptrack.service import view_store

# Decisions on findings (service.finding_decisions), reached here beside the gaps they act on.
from gaptrack.service.finding_decisions import dismiss_finding as dismiss_finding
from gaptrack.service.finding_decisions import promote_finding as promote_finding
from gaptrack.service.views import case_view as case_view
from gaptrack.service.views import resolve_scope

THREAD_BATCH = 5000  # gaps whose thread context is read at a time (bounds the memory held)


def find_gaps(
    engine: Engine,
    *,
    as_of: dt.date,
    party: str | None = None,
    committee: str | None = None,
    request: str | None = None,
    kinds: Iterable[GapKind | str] | None = None,
    thread: bool = True,
) -> list[Gap]:
    """Every gap as of ``as_of``, in a stable order (party, kind, request, item, date, key):
    the case view's gaps, with the thread around each missing email unless ``thread`` is
    false (a face that does not show it)."""
    gaps = case_view(
        engine, as_of=as_of, party=party, committee=committee, request=request, kinds=kinds
    ).gaps
    return attach_threads(engine, gaps) if thread else gaps


def attach_threads(engine: Engine, gaps: Sequence[Gap]) -> list[Gap]:
    """Fill ``evidence.thread`` of these gaps (in place; the view computes none, as only a
    gap's detail and ``gaps --format json`` show it), reading a batch of gaps at a time.

    The case view's gaps are shared by every face for the same data, so what is filled here
    is what the next face would read: the same for every caller.
    """
    # Tens of thousands of thread messages, none in a cycle: the collector walking them (and
    # the view they join) again and again took a third of the time at a million documents.
    with collector_paused(), engine.connect() as connection:
        for start in range(0, len(gaps), THREAD_BATCH):
            attach_thread_context(connection, gaps[start : start + THREAD_BATCH])
    return list(gaps)


def status_ledger(
    engine: Engine,
    *,
    as_of: dt.date,
    party: str | None = None,
    committee: str | None = None,
    request: str | None = None,
) -> list[RequestStatus]:
    """Per party × letter: each item's status with its reason, rolled up to the letter."""
    kept = view_store.stored_status(engine, as_of=as_of, party=party, committee=committee,
                                    request=request)
    if kept is not None:
        return view_store.ledger_of(kept)
    return case_view(
        engine, as_of=as_of, party=party, committee=committee, request=request
    ).ledger


def party_summaries(engine: Engine, *, as_of: dt.date) -> list[PartySummary]:
    """One line per party asked to produce (by ``as_of``), sorted by slug: the case view's."""
    kept = view_store.stored_parties(engine, as_of)
    if kept is not None:
        return [p.summary for p in kept if p.summary.requests]
    return case_view(engine, as_of=as_of).summaries


def has_gaps(
    engine: Engine,
    *,
    as_of: dt.date,
    party: str | None = None,
    committee: str | None = None,
    request: str | None = None,
    kinds: Iterable[GapKind | str] | None = None,
) -> bool:
    """Whether any gap is outstanding in this scope (``--check``)."""
    kept = view_store.stored_status(engine, as_of=as_of, party=party, committee=committee,
                                    request=request, kinds=kinds)
    if kept is not None:
        return any(p.summary.outstanding_gaps for p in kept)
    return bool(find_gaps(engine, as_of=as_of, party=party, committee=committee,
                          request=request, kinds=kinds, thread=False))


def status_report(
    engine: Engine,
    *,
    as_of: dt.date,
    fmt: str = "md",
    party: str | None = None,
    committee: str | None = None,
    request: str | None = None,
    kinds: Iterable[GapKind | str] | None = None,
) -> str:
    """The status ledger rendered (``table``, ``json``, ``csv``, ``md`` or ``html``), with the
    per-party line of the main screen; with ``kinds``, only the items with such gaps."""
    from gaptrack.reports.status import render_status

    kept = None
    if str(fmt).lower() != "html":  # the HTML report charts each party's progress: live
        kept = view_store.stored_status(engine, as_of=as_of, party=party, committee=committee,
                                        request=request, kinds=kinds)
    if kept is not None:
        summaries = [p.summary for p in kept if p.summary.requests]
        return render_status(view_store.ledger_of(kept), fmt, as_of=as_of, parties=summaries)
    view = case_view(
        engine, as_of=as_of, party=party, committee=committee, request=request, kinds=kinds
    )
    progress = []
    if str(fmt).lower() == "html":  # only the HTML report charts it
        from gaptrack.service.progress import party_progress

        progress = [party_progress(engine, p, as_of) for p in view.parties if p.summary.requests]
    return render_status(
        view.status_rows(), fmt, as_of=as_of, parties=view.summaries, progress=progress
    )


def gaps_report(
    engine: Engine,
    *,
    as_of: dt.date,
    fmt: str = "md",
    party: str | None = None,
    committee: str | None = None,
    request: str | None = None,
    kinds: Iterable[GapKind | str] | None = None,
) -> str:
    """The gaps rendered (``table``, ``json``, ``csv``, ``md`` or ``html``)."""
    from gaptrack.reports.gaps import render_gaps

    found = find_gaps(
        engine, as_of=as_of, party=party, committee=committee, request=request, kinds=kinds
    )
    filters = {
        "party": party,
        "committee": committee,
        "request": request,
        "kinds": sorted(str(k) for k in kinds) if kinds else None,
    }
    return render_gaps(found, fmt, as_of=as_of, filters=filters)


def draft_letter(
    engine: Engine,
    *,
    party: str,
    as_of: dt.date,
    request: str | None = None,
    fmt: str = "md",
    business_days: int = 10,
    bates_only: bool = False,
    committee: str | None = None,
    kinds: Iterable[GapKind | str] | None = None,
) -> str:
    """A deficiency letter as Markdown or HTML text (see :mod:`gaptrack.service.letter`),
    citing the gaps of the party's case view."""
    from gaptrack.service.letter import draft_letter as draft

    if fmt.lower() not in {"md", "markdown", "html"}:
        raise InputError(f"unknown letter format {fmt!r}; use md or html (docx: gaptrack letter)")
    text = draft(
        engine,
        party=party,
        as_of=as_of,
        fmt=fmt,
        committee=committee,
        request=request,
        kinds=tuple(str(k) for k in kinds or ()),
        business_days=business_days,
        bates_only=bates_only,
    )
    assert isinstance(text, str)
    return text


def findings(engine: Engine, *, as_of: dt.date, party: str | None = None) -> list[Finding]:
    """Every document of another party that a party is on (answering one of its items), or
    that a known item rests on, with the key that found the party's own copy (or ``none``)."""
    from gaptrack.gaps.findings import list_findings

    scope, _names = resolve_scope(engine, as_of, {"party": party})
    with engine.connect() as connection:
        return list_findings(connection, scope)
