"""The case view: one read model per (scope, as_of) that every screen, report and letter shows.

One computation of the gap engine feeds the gaps, the status ledger, the known items as they
stand and the per-party counts; every count is taken from the same rows the lists hold, so the
main screen, a party's header, its Known items tab, ``gaptrack status``, ``gaptrack gaps`` and
the letter cannot disagree. Reads never write: derived facts are refreshed by the commands that
change the data (:func:`gaptrack.gaps.materialise.refresh_derived` after a load, an import or an
action), never here.

A view is kept (two per process) until the data changes: the key is the scope plus a cheap
fingerprint of the database (latest event, document and known item, and the derived-facts
stamp), so the party screen reuses the main screen's computation instead of running the engine
again.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gaptrack.gaps import sql as t
from gaptrack.gaps.catalogue import GapResult, KnownState
from gaptrack.gaps.engine import compute_gaps
from gaptrack.gaps.kinds import ALL_KINDS, OPT_IN_KINDS, parse_kinds
from gaptrack.gaps.ledger import OPEN, build_ledger
from gaptrack.gaps.model import Gap, GapKind, PartySummary, RequestStatus
from gaptrack.gaps.scope import Scope
from gaptrack.models.enums import KnownStatus
from gaptrack.service.view_model import CaseView as CaseView
from gaptrack.service.view_model import KnownView as KnownView
from gaptrack.service.view_model import PartyStatus as PartyStatus
from gaptrack.service.view_model import PartyView as PartyView
from gaptrack.service.view_store import STATE as KEPT_STATUS

CACHE_SIZE = 2  # views kept: a million-document case's view holds tens of thousands of gaps


# --- building ---------------------------------------------------------------------------------


def _known_rows(connection: Connection, scope: Scope) -> dict[str, Any]:
    """Every known item of the scope's parties, described (a few thousand rows at most)."""
    k, p, ri, rq = t.known, t.party, t.item, t.request
    basis, produced = t.document.alias("basis"), t.document.alias("produced")
    query = (
        sa.select(
            k.c.slug, k.c.party_id, p.c.slug.label("party"), rq.c.slug.label("request"),
            ri.c.number, k.c.description, k.c.basis, k.c.status, k.c.status_reason,
            basis.c.begin_label.label("basis_bates"),
            produced.c.begin_label.label("produced_bates"), rq.c.date_sent, k.c.version,
            k.c.produced_document_id,
        )
        .select_from(
            k.join(p, p.c.id == k.c.party_id)
            .outerjoin(ri, ri.c.id == k.c.item_id)
            .outerjoin(rq, rq.c.id == ri.c.request_id)
            .outerjoin(basis, basis.c.id == k.c.basis_document_id)
            .outerjoin(produced, produced.c.id == k.c.produced_document_id)
        )
        .order_by(p.c.slug, k.c.slug)
    )
    if scope.party_id is not None:
        query = query.where(k.c.party_id == scope.party_id)
    return {r.slug: r for r in connection.execute(query)}


def _labels(connection: Connection, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    d = t.document
    return {
        int(i): label
        for i, label in connection.execute(
            sa.select(d.c.id, d.c.begin_label).where(d.c.id.in_(wanted))
        )
    }


def _effective(state: KnownState, recorded: KnownStatus) -> KnownStatus:
    if state.produced:
        return KnownStatus.PRODUCED
    if state.withheld:
        return KnownStatus.WITHHELD
    return recorded if recorded is KnownStatus.DISPUTED else KnownStatus.OUTSTANDING


def known_views(connection: Connection, scope: Scope, result: GapResult) -> list[KnownView]:
    """The known items the engine weighed (each once), plus the withdrawn ones (shown, not
    counted), in party then slug order."""
    rows = _known_rows(connection, scope)
    copies = _labels(connection, (s.copy_id for s in result.known if s.copy_id is not None))
    out: list[KnownView] = []
    states = {s.slug: s for s in result.known}
    for slug, row in rows.items():
        state = states.get(slug)
        recorded = KnownStatus(row.status)
        if state is None:
            sent = row.date_sent is None or row.date_sent <= scope.as_of
            if recorded is not KnownStatus.WITHDRAWN or not sent or scope.narrowed_to_requests:
                continue  # not known, or not asked for, on that date
            status: KnownStatus = recorded
            counted, produced, key = False, row.produced_bates, None
            produced_id = row.produced_document_id
        else:
            status, counted = _effective(state, recorded), True
            produced = row.produced_bates or (copies.get(state.copy_id) if state.copy_id else None)
            produced_id = row.produced_document_id if row.produced_bates else state.copy_id
            key = state.match_key
        out.append(
            KnownView(
                slug=slug, party=row.party, request=row.request, item=row.number,
                description=row.description, basis=str(row.basis), status=status,
                recorded_status=recorded, status_reason=row.status_reason,
                basis_bates=row.basis_bates, produced_bates=produced, match_key=key,
                counted=counted, version=row.version, produced_id=produced_id,
            )
        )
    return out


def _drop_settled_overdue(gaps: list[Gap], ledger: list[RequestStatus]) -> list[Gap]:
    """An overdue gap names only the items still open on its letter: a produced item is not
    overdue, and a deadline whose items are all settled is no gap."""
    status = {(i.party, i.request, i.item): i.status for r in ledger for i in r.items}
    out: list[Gap] = []
    for gap in gaps:
        if gap.kind is GapKind.OVERDUE and gap.request and gap.item:
            numbers = [n.strip() for n in gap.item.split(",")]
            still = [n for n in numbers if status.get((gap.party, gap.request, n)) in OPEN]
            if not still:
                continue
            if still != numbers:
                listed = ", ".join(still)
                plural = "s" if len(still) > 1 else ""
                gap = gap.model_copy(
                    update={
                        "item": listed,
                        "title": f"Deadline {gap.date.isoformat() if gap.date else ''} passed "
                        f"for {gap.request} (request{plural} {listed})",
                    }
                )
        out.append(gap)
    return out


def _summary(
    slug: str, name: str, ledger: list[RequestStatus], gaps: list[Gap], known: list[KnownView],
    as_of: dt.date,
) -> PartySummary:
    counted = [k for k in known if k.counted]
    upcoming = [i.deadline for r in ledger for i in r.items if i.deadline and i.deadline >= as_of]
    return PartySummary(
        party=slug,
        name=name,
        outstanding_gaps=len(gaps),
        known_total=len(counted),
        known_produced=sum(1 for k in counted if k.status is KnownStatus.PRODUCED),
        next_deadline=min(upcoming, default=None),
        overdue=any(g.kind is GapKind.OVERDUE for g in gaps),
        requests=len(ledger),
    )


def build_view(
    connection: Connection, scope: Scope, *, names: dict[str, str | None] | None = None
) -> CaseView:
    """The case view of ``scope``: one engine run, one ledger, and the counts from their rows."""
    result = compute_gaps(connection, scope, ALL_KINDS)
    scope = result.scope or scope
    ledger = build_ledger(connection, scope, result)
    gaps = _drop_settled_overdue(result.gaps, ledger)
    known = known_views(connection, scope, result)
    catalogue = result.catalogue
    assert catalogue is not None
    by_slug = {p.slug: p for p in catalogue.parties.values()}
    ledgers: dict[str, list[RequestStatus]] = defaultdict(list)
    for row in ledger:
        ledgers[row.party].append(row)
    gaps_of: dict[str, list[Gap]] = defaultdict(list)
    for gap in gaps:
        gaps_of[gap.party].append(gap)
    known_of: dict[str, list[KnownView]] = defaultdict(list)
    for item in known:
        known_of[item.party].append(item)
    slugs = sorted(set(ledgers) | set(gaps_of) | {k.party for k in known if k.counted})
    parties = [
        PartyView(
            summary=_summary(slug, by_slug[slug].name, ledgers[slug], gaps_of[slug],
                             known_of[slug], scope.as_of),
            ledger=ledgers[slug],
            gaps=gaps_of[slug],
            known=known_of[slug],
        )
        for slug in slugs
    ]
    names = names or {}
    return CaseView(
        as_of=scope.as_of,
        party=names.get("party"),
        committee=names.get("committee"),
        request=names.get("request"),
        parties=parties,
    )


# --- the cache ----------------------------------------------------------------------------------

_CACHE: OrderedDict[tuple[Any, ...], CaseView] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def data_stamp(connection: Connection) -> tuple[Any, ...]:
    """Changes whenever the data a view rests on changes (every write records an event)."""
    e, d, k, s = t.event, t.document, t.known, t.derived_state
    return tuple(
        connection.execute(
            sa.select(
                sa.select(sa.func.max(e.c.id)).scalar_subquery(),
                sa.select(sa.func.max(d.c.id)).scalar_subquery(),
                sa.select(sa.func.max(k.c.id)).scalar_subquery(),
                sa.select(sa.func.count(k.c.id)).scalar_subquery(),
                # Not the kept status part (service.view_store): it is stamped with this.
                sa.select(sa.func.max(s.c.updated_at))
                .where(s.c.name != KEPT_STATUS).scalar_subquery(),
            )
        ).one()
    )


def clear_cache() -> None:
    """Forget every kept view (the next read computes afresh)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def cached(key: tuple[Any, ...]) -> CaseView | None:
    with _CACHE_LOCK:
        view = _CACHE.get(key)
        if view is not None:
            _CACHE.move_to_end(key)
        return view


def keep(key: tuple[Any, ...], view: CaseView) -> None:
    with _CACHE_LOCK:
        _CACHE[key] = view
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)


def narrow(view: CaseView, party: str, kinds: frozenset[GapKind]) -> CaseView:
    """One party's part of a whole-case view (the same rows, not a new computation)."""
    parties = []
    found = view.party_view(party)
    if found is not None:
        gaps = [g for g in found.gaps if g.kind in kinds]
        summary = _summary(found.slug, found.summary.name, found.ledger, gaps, found.known,
                           view.as_of)
        parties.append(found.model_copy(update={"gaps": gaps, "summary": summary}))
    return view.model_copy(update={
        "party": party, "parties": parties,
        "kinds": sorted(kinds) if kinds != ALL_KINDS else [],
    })


def resolve_scope(
    engine: Engine, as_of: dt.date, names: dict[str, str | None]
) -> tuple[Scope, dict[str, str | None]]:
    """Names typed by people to ids (slug, name or alias; unknown: ``NotFoundError``)."""
    from sqlmodel import Session

    from gaptrack.models import Committee, Party, Request
    from gaptrack.service.lookup import resolve

    ids: dict[str, int | None] = {}
    slugs: dict[str, str | None] = {}
    models: tuple[tuple[str, Any], ...] = (
        ("party", Party), ("committee", Committee), ("request", Request)
    )
    with Session(engine) as session:
        for key, model in models:
            text = names.get(key)
            row = resolve(session, model, text) if text else None
            ids[key] = row.id if row is not None else None
            slugs[key] = row.slug if row is not None else None
    scope = Scope(as_of=as_of, dialect=engine.dialect.name, party_id=ids["party"],
                  committee_id=ids["committee"], request_id=ids["request"])
    return scope, slugs


def case_view(
    engine: Engine,
    *,
    as_of: dt.date,
    party: str | None = None,
    committee: str | None = None,
    request: str | None = None,
    kinds: Iterable[GapKind | str] | None = None,
) -> CaseView:
    """The case view for a scope as of a date: computed once, then shared until data changes.

    A party's view is cut from the whole case's when that one is at hand for the same data.
    """
    wanted = parse_kinds([str(k) for k in kinds] if kinds else None)
    scope, slugs = resolve_scope(engine, as_of, {"party": party, "committee": committee,
                                            "request": request})
    view = _shared_view(engine, scope, slugs, wanted)
    if wanted & OPT_IN_KINDS:
        view = _with_opt_in(engine, view, scope, wanted & OPT_IN_KINDS)
    return view


def _with_opt_in(
    engine: Engine, view: CaseView, scope: Scope, kinds: frozenset[GapKind]
) -> CaseView:
    """The view with the gaps of opt-in kinds (computed when asked for by name) added to
    its parties' gaps and counts."""
    from gaptrack.gaps.engine import sort_key

    with engine.connect() as connection:
        extra = compute_gaps(connection, scope, kinds).gaps
    parties = []
    for found in view.parties:
        gaps = sorted([*found.gaps, *(g for g in extra if g.party == found.slug)], key=sort_key)
        summary = _summary(found.slug, found.summary.name, found.ledger, gaps, found.known,
                           view.as_of)
        parties.append(found.model_copy(update={"gaps": gaps, "summary": summary}))
    return view.model_copy(update={"parties": parties})


def _shared_view(
    engine: Engine, scope: Scope, slugs: dict[str, str | None], wanted: frozenset[GapKind]
) -> CaseView:
    as_of = scope.as_of
    with engine.connect() as connection:
        stamp = (str(engine.url), data_stamp(connection))
        whole = cached((*stamp, as_of, None, None, None))
        if whole is not None and scope.committee_id is None and scope.request_id is None:
            if slugs["party"] is None:
                return narrow_kinds(whole, wanted)
            return narrow(whole, slugs["party"], wanted)
        key = (*stamp, as_of, scope.party_id, scope.committee_id, scope.request_id)
        view = cached(key)
        if view is None:
            view = build_view(connection, scope, names=slugs)
            keep(key, view)
    if slugs["party"] is not None:
        return narrow(view, slugs["party"], wanted)
    return narrow_kinds(view, wanted)


def narrow_kinds(view: CaseView, kinds: frozenset[GapKind]) -> CaseView:
    """The view with only gaps of ``kinds`` (and the counts taken from those)."""
    if kinds == ALL_KINDS:
        return view
    parties = []
    for found in view.parties:
        gaps = [g for g in found.gaps if g.kind in kinds]
        summary = _summary(found.slug, found.summary.name, found.ledger, gaps, found.known,
                           view.as_of)
        parties.append(found.model_copy(update={"gaps": gaps, "summary": summary}))
    return view.model_copy(update={"parties": parties, "kinds": sorted(kinds)})
