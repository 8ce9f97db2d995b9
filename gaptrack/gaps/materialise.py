"""Derived facts the gap queries join on, written with set-based statements, idempotently.

1. **Participant → party**: the identity resolver (:mod:`gaptrack.identity.resolve`): by
   address, else by a name of exactly one party; re-linked when parties or aliases change.
2. **Criteria responsiveness**: ``document_item`` rows with ``source = criteria`` for every
   document that meets an item's criteria.
3. **Inferred candidates**: ``inferred_candidate`` rows: party P is on a document another party
   produced that answers an item asked of P, with the document's matching keys copied along.
4. **The ledger's document counts** per letter and item chain (:mod:`gaptrack.gaps.ledger_counts`).
5. **Coverage counts** per party, producer, production, custodian and day
   (:mod:`gaptrack.gaps.coverage_counts`).
6. **Lost references**: Message-IDs produced emails refer to that nobody had produced when
   they arrived (:mod:`gaptrack.gaps.lost_references`).

Criteria semantics (documented in casefile.schema.CriteriaSpec): an item with at least one
criterion is answered by a document that is produced by, or names (in any role), a party
the item's letter was addressed to, that falls inside the item's date range (undated documents
pass), and that meets every *kind* of criterion the item has (``combine: all``, the default) or
one of them (``combine: any``): one — or with ``correspondents_match: all`` every one — of its
correspondents is on the document, one of its keywords appears in the subject or text (as whole
words, case and accents folded, through the full-text index), its type is one of the types.

The work is incremental. The inputs that change what is derived (addresses, aliases, criteria,
items, recipients) are hashed into a signature kept, with the highest document id done, in
``derived_state`` (not the event log: no one decided anything). Same signature: only newer
documents (and newer responsiveness rows, e.g. tags a later load added) are processed. New
signature, or rows deleted: the criteria rows and candidates are rebuilt. Inserts use ON CONFLICT DO
NOTHING so two processes deriving at once cannot collide.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from gaptrack.gaps import sql as t
from gaptrack.gaps.coverage_counts import LINK_INPUTS, refresh_coverage
from gaptrack.gaps.derived_state import digest_tables, only_added, read_state, write_state
from gaptrack.gaps.ledger_counts import refresh_counts
from gaptrack.gaps.lost_references import refresh_lost_references
from gaptrack.gaps.unify import spread_copies
from gaptrack.identity.resolve import resolve_stored
from gaptrack.matching import FINGERPRINT_TOLERANCE_SECONDS
from gaptrack.models.enums import CriterionKind, Responsiveness
from gaptrack.search.criteria import KEYWORD_HIT, keyword_hits

STATE = "gaps"  # the derived_state row this module keeps


@dataclass(frozen=True, slots=True)
class DeriveReport:
    full: bool  # rebuilt from scratch (vs. only documents newer than the last run)
    skipped: bool  # nothing changed since the last run
    participants_resolved: int
    responsive_rows: int
    max_document_id: int


def _signature(connection: Connection) -> str:
    return digest_tables(connection, (
        *LINK_INPUTS,
        (t.criterion, ("item_id", "kind", "value", "party_id")),
        (t.item, ("id", "request_id", "date_from", "date_to", "correspondents_match",
                  "criteria_combine")),
        (t.recipient, ("request_id", "party_id")),
    ))


def _insert(connection: Connection, table: Any = None) -> Any:
    dialect = connection.dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(t.document_item if table is None else table)


def _resolve_participants(
    connection: Connection, after_id: int, *, relink: bool, linked: int | None = None
) -> int:
    """The identity resolver over stored participants (set-based): newer documents' ones,
    or — when parties, addresses or aliases changed — all of them, re-linked.

    ``linked`` is a production whose import linked its participants as it wrote them, by the
    same rule and the same parties (the signature did not move, or ``relink`` would be
    set): its documents are left out rather than scanned again (millions of rows).
    """
    if relink:
        return resolve_stored(connection, where="1 = 1", relink=True)
    after = int(after_id)
    if linked is not None:
        d = t.document
        low, high, count = connection.execute(
            sa.select(sa.func.min(d.c.id), sa.func.max(d.c.id), sa.func.count())
            .where(d.c.production_id == linked)
        ).one()
        # Only when its documents are the newer ids' first unbroken run (no other
        # production's documents before or among them, e.g. two imports at once on
        # PostgreSQL): then what is left is what follows it, one index range.
        if low is not None and int(count) == int(high) - int(low) + 1:
            between = connection.execute(
                sa.select(sa.func.count()).where(d.c.id > after, d.c.id < int(low))
            ).scalar_one()
            if not between:
                after = max(after, int(high))
    return resolve_stored(connection, where=f"document_id > {after}")


def _criteria_select(dialect: str, scope: str, after_id: int) -> Any:
    """(document_id, item_id) pairs meeting the criteria, for one way of being in scope."""
    d, ri, rr, c = t.document, t.item, t.recipient, t.criterion
    doc_date = t.date_of(sa.func.coalesce(d.c.date_sent, d.c.date_created), dialect)

    def has(kind: CriterionKind, *extra: Any) -> Any:
        return sa.exists().where(c.c.item_id == ri.c.id, c.c.kind == kind.value, *extra)

    corr = t.participant.alias("corr")
    on_it = (
        sa.exists()
        .where(corr.c.document_id == d.c.id, corr.c.party_id == c.c.party_id)
        .correlate_except(corr)
    )
    is_correspondent = (c.c.item_id == ri.c.id, c.c.kind == CriterionKind.CORRESPONDENT.value)
    correspondent_met = sa.case(
        (ri.c.correspondents_match == "all", ~sa.exists().where(*is_correspondent, ~on_it)),
        else_=sa.exists().where(*is_correspondent, on_it),
    )
    # Keywords go through the full-text index (gaptrack.search.criteria): whole words,
    # case and accents folded; the hits were put in ``keyword_hit`` first.
    keyword_met = sa.exists().where(
        KEYWORD_HIT.c.item_id == ri.c.id, KEYWORD_HIT.c.document_id == d.c.id
    )
    type_met = has(CriterionKind.DOC_TYPE, c.c.value == d.c.doc_type)
    kinds = [
        (has(CriterionKind.DOC_TYPE), type_met),
        (has(CriterionKind.CORRESPONDENT), correspondent_met),
        (has(CriterionKind.KEYWORD), keyword_met),
    ]
    every_kind = sa.and_(*(sa.or_(~present, met) for present, met in kinds))
    some_kind = sa.or_(*(sa.and_(present, met) for present, met in kinds))
    conditions = [
        sa.exists().where(c.c.item_id == ri.c.id),
        d.c.id > after_id,
        sa.or_(ri.c.date_from.is_(None), doc_date.is_(None), doc_date >= ri.c.date_from),
        sa.or_(ri.c.date_to.is_(None), doc_date.is_(None), doc_date <= ri.c.date_to),
        sa.case((ri.c.criteria_combine == "any", some_kind), else_=every_kind),
    ]
    if scope == "own":
        source = ri.join(rr, rr.c.request_id == ri.c.request_id).join(
            d, d.c.party_id == rr.c.party_id
        )
    else:
        sp = t.participant.alias("scope")
        source = (
            ri.join(rr, rr.c.request_id == ri.c.request_id)
            .join(sp, sp.c.party_id == rr.c.party_id)
            .join(d, d.c.id == sp.c.document_id)
        )
        conditions.append(d.c.party_id != rr.c.party_id)  # the "own" pass did those
    return (
        sa.select(d.c.id, ri.c.id, sa.literal(Responsiveness.CRITERIA.value))
        .select_from(source)
        .where(*conditions)
        .distinct()
    )


def _derive_criteria(connection: Connection, after_id: int) -> int:
    dialect = connection.dialect.name
    keyword_hits(connection, after_id)
    done = 0
    for scope in ("own", "named"):
        statement = (
            _insert(connection)
            .from_select(
                ["document_id", "item_id", "source"], _criteria_select(dialect, scope, after_id)
            )
            .on_conflict_do_nothing()
        )
        done += int(connection.execute(statement).rowcount or 0)
    return done


def _derive_candidates(connection: Connection, after_item_row: int) -> int:
    """``inferred_candidate`` rows for responsiveness rows newer than ``after_item_row``."""
    from gaptrack.gaps.query_inferred import ROLE_RANK

    di, d, pr, ri, rr = t.document_item, t.document, t.production, t.item, t.recipient
    on_it = t.participant.alias("on_it")
    rank = sa.case(*[(on_it.c.role == role, value) for role, value in ROLE_RANK.items()], else_=9)
    role_rank = (
        sa.select(sa.func.min(rank))
        .where(on_it.c.document_id == d.c.id, on_it.c.party_id == rr.c.party_id)
        .scalar_subquery()
    )
    rows = (
        sa.select(
            rr.c.party_id,
            d.c.id,
            ri.c.id,
            d.c.party_id,
            role_rank,
            pr.c.date_received,
            d.c.mih,
            d.c.body_hash,
            d.c.fingerprint,
            d.c.date_sent,
        )
        .select_from(
            di.join(d, d.c.id == di.c.document_id)
            .join(pr, pr.c.id == d.c.production_id)
            .join(ri, ri.c.id == di.c.item_id)
            .join(rr, rr.c.request_id == ri.c.request_id)
        )
        .where(
            di.c.id > after_item_row,
            d.c.party_id != rr.c.party_id,
            sa.exists().where(on_it.c.document_id == d.c.id, on_it.c.party_id == rr.c.party_id),
        )
        .distinct()
    )
    statement = (
        _insert(connection, t.candidate)
        .from_select(
            [
                "party_id",
                "document_id",
                "item_id",
                "producer_id",
                "role_rank",
                "received",
                "mih",
                "body_hash",
                "fingerprint",
                "date_sent",
            ],
            rows,
        )
        .on_conflict_do_nothing()
    )
    return int(connection.execute(statement).rowcount or 0)


def _find_copies(connection: Connection) -> int:
    """For candidates with no copy yet, look for P's own copy, one key at a time.

    The first key that matches is recorded with that copy's receipt date. The gap query trusts
    it only when that date is on or before its ``as_of``; otherwise it probes live, so the
    shortcut can never hide a gap.
    """
    from gaptrack.gaps.model import MatchKey

    c, pr = t.candidate, t.production
    dialect = connection.dialect.name
    found = 0
    for key, column in (
        (MatchKey.MIH, "mih"),
        (MatchKey.BODY_HASH, "body_hash"),
        (MatchKey.FINGERPRINT, "fingerprint"),
    ):
        x = t.document.alias("own_copy")
        conditions = [x.c.party_id == c.c.party_id, x.c[column] == c.c[column]]
        if column == "fingerprint":
            conditions.append(
                sa.or_(
                    sa.and_(x.c.date_sent.is_(None), c.c.date_sent.is_(None)),
                    t.seconds_apart(x.c.date_sent, c.c.date_sent, dialect)
                    <= FINGERPRINT_TOLERANCE_SECONDS,
                )
            )
        copy_id = sa.select(sa.func.min(x.c.id)).where(*conditions).scalar_subquery()
        received = (
            sa.select(sa.func.min(pr.c.date_received))
            .select_from(x.join(pr, pr.c.id == x.c.production_id))
            .where(*conditions)
            .scalar_subquery()
        )
        found += int(
            connection.execute(
                sa.update(c)
                .where(c.c.copy_document_id.is_(None), c.c[column].is_not(None))
                .where(sa.exists().where(*conditions))
                .values(copy_document_id=copy_id, copy_key=key.value, copy_received=received)
            ).rowcount
            or 0
        )
    return found


_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(engine: Engine) -> threading.Lock:
    """One derivation at a time per database in this process: a second caller (a TUI worker
    thread) waits for the first instead of timing out on SQLite's write lock."""
    key = engine.url.render_as_string(hide_password=True)
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


def refresh_derived(
    engine: Engine, *, force: bool = False, linked: int | None = None
) -> DeriveReport:
    """Bring participant parties and criteria responsiveness up to date (cheap when current).

    ``linked``: a production just imported whose participants its import already linked
    to parties (:func:`_resolve_participants`).
    """
    from gaptrack.service.view_store import refresh_snapshots

    with _lock_for(engine):
        report = _refresh(engine, force=force, linked=linked)
    refresh_snapshots(engine)  # what `status` and the TUI's first screens read
    return report


def _refresh(engine: Engine, *, force: bool, linked: int | None = None) -> DeriveReport:
    with engine.begin() as connection:
        signature = _signature(connection)
        # Two statements: alone, max(id) is one step down the primary key and count(*)
        # SQLite's page count of the smallest index; together they walked an index (a
        # tenth of a second per read at a million documents).
        top = int(connection.execute(
            sa.select(sa.func.coalesce(sa.func.max(t.document.c.id), 0))
        ).scalar_one())
        count = int(connection.execute(
            sa.select(sa.func.count()).select_from(t.document)
        ).scalar_one())
        item_top = int(
            connection.execute(
                sa.select(sa.func.coalesce(sa.func.max(t.document_item.c.id), 0))
            ).scalar_one()
        )
        last = read_state(connection, STATE)
        full = (
            force
            or last is None
            or last.get("signature") != signature
            or int(last.get("max_document_id", 0)) > top
            or int(last.get("max_document_item_id", 0)) > item_top
        )
        after = 0 if full else int(last["max_document_id"]) if last else 0
        after_item = 0 if full else int(last.get("max_document_item_id", 0)) if last else 0
        if not full and last is not None and not only_added(
            connection, t.document.c.id, after=after, before=int(last.get("documents", 0)),
            now=count,
        ):
            full, after, after_item = True, 0, 0  # documents were deleted: start over
        if not full and after == top and after_item == item_top:
            refresh_counts(connection, count)  # cheap when current
            refresh_coverage(connection, top=top, documents=count)  # likewise
            refresh_lost_references(connection, top=top, documents=count)  # likewise
            return DeriveReport(False, True, 0, 0, top)
        if full:
            connection.execute(
                sa.delete(t.document_item).where(
                    t.document_item.c.source == Responsiveness.CRITERIA.value
                )
            )
            connection.execute(sa.delete(t.candidate))
        # Names or addresses changed since the last run: re-link what is stored. (A first run
        # finds the links the loads made by the same rule.)
        renamed = last is not None and last.get("signature") != signature
        resolved = _resolve_participants(connection, after, relink=renamed, linked=linked)
        rows = _derive_criteria(connection, after)
        candidates = _derive_candidates(connection, after_item)
        copies = _find_copies(connection)
        copies += spread_copies(connection)  # held under one key: held under all
        item_top = int(
            connection.execute(
                sa.select(sa.func.coalesce(sa.func.max(t.document_item.c.id), 0))
            ).scalar_one()
        )
        write_state(connection, STATE,
            {
                "signature": signature,
                "max_document_id": top,
                "max_document_item_id": item_top,
                "documents": count,
                "full": full,
                "participants_resolved": resolved,
                "responsive_rows": rows,
                "candidates": candidates,
                "copies_found": copies,
            },
        )
        refresh_counts(connection, count)  # the ledger's documents per letter and item
        refresh_coverage(connection, top=top, documents=count)  # per party, producer and day
        # The references nobody had produced when their referring email arrived.
        refresh_lost_references(connection, top=top, documents=count)
    return DeriveReport(full, False, resolved, rows, top)
