"""Case-file load sections: privilege logs, known items and recorded events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from gaptrack.casefile.documents import as_utc
from gaptrack.casefile.loadstate import LoadState, T
from gaptrack.casefile.report import FileReport
from gaptrack.casefile.store import upsert

HISTORY_ENTITIES = {"party", "request", "known_item", "production", "committee"}
KNOWN_DECISION = ("status", "status_reason", "produced_document_id", "privilege_entry_id")


def privilege_logs(load: LoadState) -> None:
    rows: list[tuple[FileReport, dict[str, Any]]] = []
    for f in load.cat.files:
        for log in f.case.privilege_logs:
            for e in log.entries:
                rows.append((load.rep(f), {
                    "party_id": load.parties[log.party],
                    "production_id": load.productions.get(log.production),
                    "entry_no": e.entry_no, "doc_date": e.date, "author": e.author,
                    "recipients": e.recipients, "description": e.description,
                    "privilege": e.privilege, "doc_type": e.doc_type, "bates": e.bates,
                    "item_id": load.item_id(e.item) if e.item else None,
                }))
    upsert(load.conn, T["privilege_entry"], ["party_id", "entry_no"], rows, in_col="party_id")


def known_items(load: LoadState) -> None:
    rows: list[tuple[FileReport, dict[str, Any]]] = []
    for f in load.cat.files:
        for k in f.case.known_items:
            party_id = load.parties[k.party]
            privilege = None
            if k.privilege_entry:
                pe = T["privilege_entry"]
                privilege = load.conn.execute(
                    sa.select(pe.c.id).where(pe.c.party_id == party_id,
                                             pe.c.entry_no == k.privilege_entry)
                ).scalar_one()
            rows.append((load.rep(f), {
                "slug": k.slug, "party_id": party_id,
                "item_id": load.item_id(k.item) if k.item else None,
                "description": k.description, "basis": str(k.basis),
                "basis_document_id": load.document_id(k.document) if k.document else None,
                "basis_role": str(k.role) if k.role else None,
                "citation": k.citation, "doc_date": k.doc_date, "status": str(k.status),
                "status_reason": k.status_reason,
                "produced_document_id": (
                    load.document_id(k.produced_as) if k.produced_as else None
                ),
                "privilege_entry_id": privilege,
            }))
    # A status decided by an action since (version > 1) is the action's: a re-load of
    # the file keeps it, and the file's status applies to new items only.
    ki = T["known_item"]
    decided = set(load.conn.execute(
        sa.select(ki.c.slug).where(ki.c.version > 1,
                                   ki.c.slug.in_([r["slug"] for _, r in rows]))
    ).scalars()) if rows else set()
    upsert(load.conn, ki, ["slug"], [r for r in rows if r[1]["slug"] not in decided])
    upsert(load.conn, ki, ["slug"], [r for r in rows if r[1]["slug"] in decided],
           insert_only=KNOWN_DECISION)


def _entity_id(load: LoadState, entity: str | None, key: str | None) -> int | None:
    if not key or entity not in HISTORY_ENTITIES:
        return None
    table = T[entity]
    found = load.conn.execute(sa.select(table.c.id).where(table.c.slug == key)).first()
    return int(found[0]) if found is not None else None


def events(load: LoadState, actor: str) -> None:
    """Recorded history, under ``actor`` (the person loading) with its origin noted; an
    event already loaded is never written again, and never changed."""
    rows: list[tuple[FileReport, dict[str, Any]]] = []
    refs: dict[str, Any] = {}
    undo: list[tuple[Any, str]] = []
    key_cols = ["at", "action", "entity", "entity_key", "reason"]
    for f in load.cat.files:
        for e in f.case.events:
            row = {
                "at": as_utc(e.at), "actor": actor, "action": e.action,
                "entity": e.entity, "entity_key": e.key, "reason": e.reason,
                "entity_id": _entity_id(load, e.entity, e.key),
                "data": {**(e.data or {}), "origin": {"file": Path(f.name).name,
                                                      "actor": e.actor}},
            }
            rows.append((load.rep(f), row))
            key: Any = tuple(row[c] for c in key_cols)
            if e.ref:
                refs[e.ref] = key
            if e.undoes:
                undo.append((key, e.undoes))
    added: set[int] = set()
    ids = upsert(load.conn, T["event"], key_cols, rows, added=added,
                 insert_only=("actor", "entity_id", "data"))
    for key, target in undo:
        row_id, undone = ids.get(key), ids.get(refs.get(target, ()))
        if row_id in added and undone is not None:  # only rows this load wrote
            load.conn.execute(sa.update(T["event"]).where(T["event"].c.id == row_id)
                              .values(undoes_id=undone))
