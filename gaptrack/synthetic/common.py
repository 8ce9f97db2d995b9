"""What every part of the synthetic case shares: the names it draws from, the time span,
the parties as planned, primary keys handed out in advance and the email fingerprint."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

CHUNK = 20_000
EPOCH = dt.datetime(2016, 1, 4, 9, 0, 0, tzinfo=dt.UTC)  # the column type wants aware values
SPAN_SECONDS = 500 * 24 * 3600  # Jan 2016 .. mid 2017, like the Russia-inquiry cases

FIRST = [
    "Alex",
    "Blair",
    "Casey",
    "Dana",
    "Emery",
    "Farrah",
    "Gale",
    "Harper",
    "Indra",
    "Jordan",
    "Kai",
    "Logan",
    "Morgan",
    "Noor",
    "Oakley",
    "Parker",
    "Quinn",
    "Reese",
    "Sasha",
    "Taylor",
]
LAST = [
    "Abbott",
    "Barlow",
    "Castell",
    "Draper",
    "Ellison",
    "Fenwick",
    "Garrity",
    "Holloway",
    "Ingram",
    "Jessup",
    "Kessler",
    "Lowry",
    "Mercer",
    "Norcross",
    "Osgood",
    "Prentice",
    "Quimby",
    "Rowan",
    "Sterling",
    "Thorne",
]
TOPICS = [
    "Meeting request",
    "Dinner invitation",
    "Schedule for next week",
    "Press inquiry",
    "Foreign policy speech",
    "Campaign travel",
    "Introductions",
    "Follow up on our call",
    "Draft statement",
    "Conference in Moscow",
    "Energy project",
    "Real estate opportunity",
    "Backchannel proposal",
    "Transition planning",
    "Talking points",
]
COMMITTEES = [
    ("syn-ssju", "Synthetic Committee on the Judiciary", "senate", "SSJU"),
    ("syn-slin", "Synthetic Select Committee on Intelligence", "senate", "SLIN"),
    ("syn-hsgo", "Synthetic Committee on Oversight", "house", "HSGO"),
]



@dataclass(slots=True)
class PartyPlan:
    id: int
    slug: str
    name: str
    address: str
    request_id: int = 0
    item_ids: tuple[int, ...] = ()
    production_ids: tuple[int, int] = (0, 0)
    prefix: str = ""
    next_bates: int = 1


class Ids:
    """The next free primary key of each table, read once at the start."""

    def __init__(self, connection: Connection, tables: Iterable[Any]) -> None:
        self.next: dict[str, int] = {}
        for model in tables:
            table = model.__table__
            top = connection.execute(sa.select(sa.func.max(table.c.id))).scalar()
            self.next[table.name] = int(top or 0) + 1

    def take(self, model: Any) -> int:
        name = model.__table__.name
        value = self.next[name]
        self.next[name] = value + 1
        return value


def email_fingerprint(sender: str, recipients: Iterable[str], subject_norm: str) -> str:
    """The same value as :func:`gaptrack.matching.fingerprint` for bare lower-case addresses.

    Computed directly because parsing a million headers would dominate the build time.
    """
    key = "\x1f".join([sender, ",".join(sorted(set(recipients))), subject_norm])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
