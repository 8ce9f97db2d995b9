"""Case-file load section: productions and their documents (matching keys and
participants from :func:`gaptrack.derive.derive`, like imported ones)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from gaptrack.casefile.documents import PartyResolver, document_row
from gaptrack.casefile.loadstate import LoadState, T
from gaptrack.casefile.report import FileReport
from gaptrack.casefile.store import fetch, link, sync_children, upsert
from gaptrack.matching import edrm_mih
from gaptrack.models.enums import Responsiveness


def productions_and_documents(load: LoadState) -> None:
    rows: list[tuple[FileReport, dict[str, Any]]] = []
    for f in load.cat.files:
        for p in f.case.productions:
            rows.append((load.rep(f), {
                "slug": p.slug, "party_id": load.parties[p.party], "volume": p.volume,
                "date_received": p.date_received,
                "certified_complete": p.certified_complete,
                "certification": p.certification, "notes": p.notes,
                "load_format": "casefile",
            }))
    added_prods: set[int] = set()
    load.productions.update(
        upsert(load.conn, T["production"], ["slug"], rows, added=added_prods,
               insert_only=["load_format"])
    )
    answers: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    for f in load.cat.files:
        for p in f.case.productions:
            answers[load.productions[p.slug]] = (load.rep(f), [
                {"request_id": load.requests[r]} for r in p.answers
            ])
    sync_children(load.conn, T["production_request"], "production_id", answers,
                  ["request_id"])
    _documents(load)
    _production_counts(load, added_prods)


def _documents(load: LoadState) -> None:
    plans = list(load.cat.documents.values())
    derived = [
        document_row(plan, load.productions[plan.production.slug],
                     load.parties[plan.production.party])
        for plan in plans
    ]
    rows = [(load.rep(plan.where.file), row) for plan, (row, _, _) in zip(plans, derived,
                                                                          strict=True)]
    added: set[int] = set()
    ids = upsert(load.conn, T["document"], ["bates_prefix", "bates_begin", "bates_suffix"],
                 rows, in_col="bates_begin", added=added)
    for plan in plans:
        load.documents[plan.spec.bates.strip()] = ids[plan.key]
    parents: dict[int, tuple[FileReport, Any]] = {}
    participants: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    references: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    answers: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    resolver = PartyResolver(load.conn)
    for plan, (_, people, refs) in zip(plans, derived, strict=True):
        rep = load.rep(plan.where.file)
        did = ids[plan.key]
        parent = plan.spec.parent
        parents[did] = (rep, load.document_id(parent) if parent else None)
        participants[did] = (rep, [
            {**person, "party_id": resolver.party(person)} for person in people
        ])
        references[did] = (rep, [{"message_id": m, "mih": edrm_mih(m)} for m in refs])
        answers[did] = (rep, [
            {"item_id": load.item_id(a), "source": str(Responsiveness.TAGGED)}
            for a in plan.spec.answers
        ])
    link(load.conn, T["document"], "parent_id", parents, added)
    person_cols = ["role", "address", "name", "name_norm"]
    sync_children(load.conn, T["document_participant"], "document_id", participants,
                  person_cols, extra=["party_id"])
    _participant_parties(load, participants, person_cols)
    sync_children(load.conn, T["document_reference"], "document_id", references,
                  ["message_id", "mih"])
    _drop_derived_answers(load, answers)
    sync_children(load.conn, T["document_item"], "document_id", answers,
                  ["item_id", "source"],
                  where=T["document_item"].c.source == str(Responsiveness.TAGGED))


def _participant_parties(
    load: LoadState, wanted: dict[int, tuple[FileReport, list[dict[str, Any]]]], cols: list[str]
) -> None:
    """Set participants' parties where this load can resolve them.

    Compared apart from the participant itself because the gap engine also resolves
    parties (for rows left unresolved); a party it found is not undone here.
    """
    table = T["document_participant"]
    resolved = {
        (did, *(row[c] for c in cols)): (report, row["party_id"])
        for did, (report, rows) in wanted.items()
        for row in rows
        if row["party_id"] is not None
    }
    if not resolved:
        return
    params = []
    for row in fetch(load.conn, table, "document_id", wanted):
        key = (row["document_id"], *(row[c] for c in cols))
        found = resolved.get(key)
        if found is not None and row["party_id"] != found[1]:
            params.append({"b_id": row["id"], "b_party": found[1]})
            found[0].updated[table.name] += 1
    if params:
        load.conn.execute(
            sa.update(table).where(table.c.id == sa.bindparam("b_id"))
            .values(party_id=sa.bindparam("b_party")),
            params,
        )


def _drop_derived_answers(
    load: LoadState, wanted: dict[int, tuple[FileReport, list[dict[str, Any]]]]
) -> None:
    """A tagged answer replaces the gap engine's derived (criteria) row for the pair."""
    table = T["document_item"]
    pairs = {(did, row["item_id"]): report
             for did, (report, rows) in wanted.items() for row in rows}
    derived = fetch(load.conn, table, "document_id", wanted,
                    where=table.c.source == str(Responsiveness.CRITERIA))
    doomed = [r for r in derived if (r["document_id"], r["item_id"]) in pairs]
    for r in doomed:
        pairs[(r["document_id"], r["item_id"])].removed[table.name] += 1
    if doomed:
        load.conn.execute(sa.delete(table).where(table.c.id.in_([r["id"] for r in doomed])))


def _production_counts(load: LoadState, added: set[int]) -> None:
    """Bates prefix and range, document and page counts: as given, else derived.

    Derived from all the production's documents in the database (a rolling production
    may have been loaded from several sources). The prefix is derived only when every
    document shares it; exported, it then tells the loader how to split the labels.
    """
    d = T["document"]
    wanted: dict[str, dict[int, tuple[FileReport, Any]]] = {
        c: {} for c in ("bates_prefix", "bates_first", "bates_last", "doc_count",
                        "page_count")
    }
    specs = [(load.rep(f), p) for f in load.cat.files for p in f.case.productions]
    if not specs:
        return
    pids = [load.productions[p.slug] for _, p in specs]
    query = (
        sa.select(
            d.c.production_id,
            sa.func.min(d.c.bates_begin),
            sa.func.max(d.c.bates_end),
            sa.func.count(),
            sa.func.sum(sa.func.coalesce(d.c.page_count, d.c.bates_end - d.c.bates_begin + 1)),
        )
        .where(d.c.production_id.in_(pids))
        .group_by(d.c.production_id)
    )
    stats = {row[0]: row[1:] for row in load.conn.execute(query)}
    prefixes: dict[int, set[str]] = {}
    for row in load.conn.execute(
        sa.select(d.c.production_id, d.c.bates_prefix).distinct()
        .where(d.c.production_id.in_(pids))
    ):
        prefixes.setdefault(row[0], set()).add(row[1])
    for rep, p in specs:
        pid = load.productions[p.slug]
        first, last, count, pages = stats.get(pid, (None, None, 0, None))
        common = prefixes.get(pid, set())
        given = (p.bates_prefix, p.bates_first, p.bates_last, p.doc_count, p.page_count)
        derived = (
            next(iter(common)) if len(common) == 1 else None,
            first, last, count, int(pages) if pages is not None else None,
        )
        for column, value, fallback in zip(wanted, given, derived, strict=True):
            wanted[column][pid] = (rep, value if value is not None else fallback)
    for column, values in wanted.items():
        link(load.conn, T["production"], column, values, added)
