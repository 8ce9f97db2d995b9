"""Coverage: what a party produced per custodian and period, against what others show.

For party P and each period (month, or ISO week starting Monday), by the date a document
was sent (else created):

* **own**: documents P produced, per custodian of P's productions;
* **others**: documents *other* parties produced that P is on (sender, recipient, copied,
  forwarded, quoted), per producing party.

A period is **silent** when others' productions show P active (at least one document) and
P's own production holds nothing dated then. It **falls sharply** when P produced something
but far less than usual: a robust z-score of P's own count against the counts of every
period in P's span,

    z = 0.6745 · (x − median) / MAD          (MAD: median absolute deviation)

with ``z ≤ −3.5`` a fall (Iglewicz and Hoaglin's outlier cut-off). When more than half the
periods share one count (MAD = 0) the mean absolute deviation stands in for it
(``z = (x − median) / (1.253314 · meanAD)``); when every count is equal nothing falls. Only
periods in which others show P active are flagged: a month of silence on all sides proves
nothing. The span runs from the first to the last period in which either side has
documents; only productions received by ``as_of`` count.

The counts are read from ``coverage_count`` (:mod:`gaptrack.gaps.coverage_counts`), kept
per party, producer, production, custodian and day after every write.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t

Z_CUTOFF = -3.5


class Period(StrEnum):
    MONTH = "month"
    WEEK = "week"


def period_of(day: dt.date, by: Period) -> dt.date:
    """The first day of the period holding ``day``."""
    if by is Period.MONTH:
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday())


def period_end(start: dt.date, by: Period) -> dt.date:
    if by is Period.MONTH:
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return start + dt.timedelta(days=6)


def label(start: dt.date, by: Period) -> str:
    return start.strftime("%Y-%m") if by is Period.MONTH else f"week of {start.isoformat()}"


def _periods(first: dt.date, last: dt.date, by: Period) -> list[dt.date]:
    out, at = [], first
    while at <= last:
        out.append(at)
        at = period_end(at, by) + dt.timedelta(days=1)
    return out


@dataclass(slots=True)
class Coverage:
    party_id: int
    by: Period
    periods: list[dt.date]
    own: dict[str, dict[dt.date, int]]  # custodian → period → documents
    others: dict[int, dict[dt.date, int]]  # producing party id → period → documents
    flags: dict[dt.date, str] = field(default_factory=dict)  # period → "silent" / "fall"
    z: dict[dt.date, float] = field(default_factory=dict)

    def own_total(self, period: dt.date) -> int:
        return sum(c.get(period, 0) for c in self.own.values())

    def others_total(self, period: dt.date) -> int:
        return sum(c.get(period, 0) for c in self.others.values())


def _as_day(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def period_sql(day: Any, by: Period, dialect: str) -> Any:
    """SQL for :func:`period_of` of a date expression: documents are counted per period in
    the database, so a party's thousands of days come back as a few dozen rows."""
    if dialect == "postgresql":
        part = "day" if by is Period.MONTH else "isodow"  # isodow: Monday is 1
        return day - (sa.cast(sa.extract(part, day), sa.Integer) - 1)
    if by is Period.MONTH:
        return sa.func.date(day, "start of month")
    return sa.func.date(day, "weekday 0", "-6 days")  # the next Sunday (or today), less 6


def _counts(
    connection: Connection, party_id: int, as_of: dt.date, by: Period
) -> tuple[Any, Any]:
    """(custodian, period, documents) of P's own and (producer, period, documents) of
    others', summed from the kept rows (:mod:`gaptrack.gaps.coverage_counts`): one range of
    the primary key per party, a few thousand rows at a million documents."""
    cc, pr = t.coverage_count, t.production
    period = period_sql(cc.c.day, by, connection.dialect.name).label("period")
    source = cc.join(pr, pr.c.id == cc.c.production_id)
    scope = (cc.c.subject_party_id == party_id, pr.c.date_received <= as_of, cc.c.day <= as_of)
    own = connection.execute(
        sa.select(cc.c.custodian, period, sa.func.sum(cc.c.documents))
        .select_from(source).where(*scope, cc.c.producer_party_id == party_id)
        .group_by(cc.c.custodian, period)
    ).all()
    others = connection.execute(
        sa.select(cc.c.producer_party_id, period, sa.func.sum(cc.c.documents))
        .select_from(source).where(*scope, cc.c.producer_party_id != party_id)
        .group_by(cc.c.producer_party_id, period)
    ).all()
    return own, others


def live_counts(
    connection: Connection, party_id: int, as_of: dt.date, by: Period
) -> tuple[Any, Any]:
    """The counts straight from the documents (what the kept rows must add up to)."""
    d, pr, p = t.document, t.production, t.participant
    dialect = connection.dialect.name
    day = t.date_of(sa.func.coalesce(d.c.date_sent, d.c.date_created), dialect)
    period = period_sql(day, by, dialect).label("period")
    own = connection.execute(
        sa.select(d.c.custodian, period, sa.func.count())
        .select_from(d.join(pr, pr.c.id == d.c.production_id))
        .where(d.c.party_id == party_id, pr.c.date_received <= as_of, day <= as_of)
        .group_by(d.c.custodian, period)
    ).all()
    # IN, not a join on the DISTINCT document ids: SQLite then looks each document up once
    # without sorting the ids first (a fifth faster at a million documents).
    on_it = sa.select(p.c.document_id).where(p.c.party_id == party_id)
    others = connection.execute(
        sa.select(d.c.party_id, period, sa.func.count())
        .select_from(d.join(pr, pr.c.id == d.c.production_id))
        .where(d.c.id.in_(on_it), d.c.party_id != party_id, pr.c.date_received <= as_of,
               day <= as_of)
        .group_by(d.c.party_id, period)
    ).all()
    return own, others


def coverage(
    connection: Connection, party_id: int, *, as_of: dt.date, by: Period = Period.MONTH,
    live: bool = False,
) -> Coverage:
    """P's coverage from the kept counts (current once derived facts were refreshed after
    the last write), or with ``live`` counted from the documents themselves."""
    own_rows, other_rows = (live_counts if live else _counts)(connection, party_id, as_of, by)
    own: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    others: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    seen: set[dt.date] = set()
    for custodian, value, count in own_rows:
        start = _as_day(value)
        if start is not None:
            own[str(custodian or "")][start] += int(count)
            seen.add(start)
    for producer, value, count in other_rows:
        start = _as_day(value)
        if start is not None:
            others[int(producer)][start] += int(count)
            seen.add(start)
    periods = _periods(min(seen), max(seen), by) if seen else []
    result = Coverage(party_id, by, periods, dict(own), dict(others))
    flag(result)
    return result


def robust_z(values: Sequence[int]) -> list[float] | None:
    """The robust z-score of each value (None when every value is the same)."""
    median = statistics.median(values)
    deviations = [abs(v - median) for v in values]
    mad = statistics.median(deviations)
    if mad > 0:
        return [0.6745 * (v - median) / mad for v in values]
    mean_ad = statistics.fmean(deviations)
    if mean_ad == 0:
        return None
    return [(v - median) / (1.253314 * mean_ad) for v in values]


def flag(result: Coverage) -> None:
    """Mark the silent periods and the sharp falls of ``result`` (see the module doc)."""
    counts = [result.own_total(p) for p in result.periods]
    scores = robust_z(counts) if counts else None
    for n, period in enumerate(result.periods):
        if scores is not None:
            result.z[period] = round(scores[n], 2)
        if result.others_total(period) == 0:
            continue
        if counts[n] == 0:
            result.flags[period] = "silent"
        elif scores is not None and scores[n] <= Z_CUTOFF:
            result.flags[period] = "fall"
