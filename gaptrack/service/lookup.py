"""Resolve what a person typed (a slug or a name) to a row, or say what was meant."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from sqlmodel import Session, col, func, select

from gaptrack.errors import NotFoundError
from gaptrack.matching import normalise_name
from gaptrack.models import Committee, Party, PartyAlias, Production, Request, RequestItem

T = TypeVar("T", Committee, Party, Production, Request)

_LABELS: dict[type[Any], str] = {
    Committee: "committee",
    Party: "party",
    Production: "production",
    Request: "request",
}


def _name_column(model: type[Any]) -> Any:
    return model.title if model is Request else model.volume if model is Production else model.name


def resolve(session: Session, model: type[T], text: str) -> T:
    """Find by slug, then by name (case-insensitive), then by a party alias."""
    wanted = text.strip()
    row = session.exec(select(model).where(model.slug == wanted.lower())).first()
    if row is not None:
        return row
    name = _name_column(model)
    rows: list[Any] = list(
        session.exec(select(model).where(func.lower(name) == wanted.lower())).all()
    )
    if model is Committee and not rows:
        rows = list(
            session.exec(
                select(Committee).where(func.upper(Committee.thomas_id) == wanted.upper())
            ).all()
        )
    if model is Party and not rows:
        rows = list(
            session.exec(
                select(Party)
                .join(PartyAlias, col(PartyAlias.party_id) == Party.id)
                .where(PartyAlias.alias_norm == normalise_name(wanted))
            ).all()
        )
    if len(rows) == 1:
        found: T = rows[0]
        return found
    label = _LABELS[model]
    if len(rows) > 1:
        slugs = ", ".join(sorted(r.slug for r in rows))
        raise NotFoundError(f"{label} {wanted!r} is ambiguous: use one of {slugs}")
    known = list(session.exec(select(model.slug)).all())
    close = difflib.get_close_matches(wanted.lower(), known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise NotFoundError(f"unknown {label} {wanted!r}{hint}")


def resolve_item(session: Session, ref: str) -> RequestItem:
    """``<request>#<number>`` to the item."""
    request_text, _, number = ref.partition("#")
    request = resolve(session, Request, request_text)
    item = session.exec(
        select(RequestItem).where(
            RequestItem.request_id == request.id, RequestItem.number == number.strip()
        )
    ).first()
    if item is None:
        raise NotFoundError(f"request {request.slug!r} has no item {number!r}")
    return item
