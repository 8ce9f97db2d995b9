"""Coverage for every face: a party's documents per custodian and period, against the
documents other parties produced that it was on, with silent periods and sharp falls
flagged (:mod:`gaptrack.coverage`)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session

from gaptrack.coverage import Period, coverage, label
from gaptrack.gaps import sql as t
from gaptrack.models import Party
from gaptrack.service.lookup import resolve

OTHERS_ROW = "on others' documents"


class CoverageRow(BaseModel):
    source: str  # "own" (a custodian of the party) or "others" (a producing party)
    name: str  # the custodian, or the other party's name
    counts: list[int]  # one per period


class CoverageReport(BaseModel):
    party: str
    party_name: str
    by: Period
    as_of: dt.date
    periods: list[str]  # labels
    starts: list[dt.date]
    rows: list[CoverageRow]
    own_totals: list[int]
    others_totals: list[int]
    flags: dict[str, str]  # period label → "silent" / "fall"
    z: dict[str, float]  # period label → robust z-score of the own total


def coverage_report(
    engine: Engine, party: str, *, as_of: dt.date, by: Period = Period.MONTH
) -> CoverageReport:
    with engine.connect() as connection:
        with Session(bind=connection) as session:
            owner = resolve(session, Party, party)
        names = {int(r[0]): str(r[1]) for r in connection.execute(
            sa.select(t.party.c.id, t.party.c.name))}
        assert owner.id is not None
        found = coverage(connection, owner.id, as_of=as_of, by=by)
    periods = found.periods
    rows = [
        CoverageRow(source="own", name=custodian or "(no custodian)",
                    counts=[counts.get(p, 0) for p in periods])
        for custodian, counts in sorted(found.own.items())
    ]
    rows += [
        CoverageRow(source="others", name=str(names.get(producer, producer)),
                    counts=[counts.get(p, 0) for p in periods])
        for producer, counts in sorted(found.others.items(),
                                       key=lambda kv: str(names.get(kv[0], kv[0])))
    ]
    return CoverageReport(
        party=owner.slug, party_name=owner.name, by=by, as_of=as_of,
        periods=[label(p, by) for p in periods], starts=periods, rows=rows,
        own_totals=[found.own_total(p) for p in periods],
        others_totals=[found.others_total(p) for p in periods],
        flags={label(p, by): f for p, f in sorted(found.flags.items())},
        z={label(p, by): z for p, z in sorted(found.z.items())},
    )
