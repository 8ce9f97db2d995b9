"""Removing a production: its documents and what hangs off them, as one recorded event.

Nothing is lost silently: a production whose documents a known item cites (as the other
party's copy it rests on, or as the copy that answered it) is refused unless ``force``; then
the items lose those links, and the event names them. Privilege-log entries that pointed at
the production stay, without the link; the source files' records go, so the same files can
be loaded again.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from gaptrack.errors import ConflictError
from gaptrack.gaps.materialise import refresh_derived
from gaptrack.models import Document, KnownItem, PrivilegeEntry, Production, SourceFile
from gaptrack.service.events import record
from gaptrack.service.lookup import resolve


def remove_production(
    engine: Engine, name: str, *, force: bool = False, reason: str | None = None,
    actor: str = "cli",
) -> dict[str, Any]:
    """Remove production ``name`` (slug or volume); returns what was removed."""
    with engine.begin() as conn, Session(bind=conn) as session:
        made = resolve(session, Production, name)
        documents = select(Document.id).where(Document.production_id == made.id)
        cited = session.exec(
            select(KnownItem.slug).where(
                sa.or_(col(KnownItem.basis_document_id).in_(documents),
                       col(KnownItem.produced_document_id).in_(documents))
            ).order_by(col(KnownItem.slug))
        ).all()
        if cited and not force:
            shown = ", ".join(cited[:10]) + (" …" if len(cited) > 10 else "")
            raise ConflictError(
                f"known items cite documents of production {made.slug!r} ({shown}); "
                "pass --force to remove it anyway (those items then lose the links)"
            )
        count = session.exec(
            select(sa.func.count()).select_from(Document).where(Document.production_id == made.id)
        ).one()
        files = session.exec(select(SourceFile.path).where(SourceFile.production_id == made.id))
        paths = sorted(files.all())
        conn.execute(sa.update(KnownItem).where(col(KnownItem.basis_document_id).in_(documents))
                     .values(basis_document_id=None))
        conn.execute(sa.update(KnownItem)
                     .where(col(KnownItem.produced_document_id).in_(documents))
                     .values(produced_document_id=None))
        conn.execute(sa.update(Document).where(
            col(Document.parent_id).in_(documents), col(Document.production_id) != made.id
        ).values(parent_id=None))  # attachments in other volumes keep themselves
        conn.execute(sa.update(PrivilegeEntry).where(col(PrivilegeEntry.production_id) == made.id)
                     .values(production_id=None))
        conn.execute(sa.delete(Document).where(col(Document.production_id) == made.id))
        conn.execute(sa.delete(SourceFile).where(col(SourceFile.production_id) == made.id))
        removed = {"production": made.slug, "documents": int(count), "files": paths,
                   "known_items_unlinked": list(cited)}
        record(session, actor=actor, action="production.remove", entity="production",
               entity_id=made.id, key=made.slug, reason=reason, data=removed)
        session.delete(made)
        session.flush()
    refresh_derived(engine)  # derived facts follow writes, never reads
    return removed
