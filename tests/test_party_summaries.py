"""The main screen's per-party line counts each known item once, renewed letters or not."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.gaps.model import GapKind
from gaptrack.models import KnownItem, Party
from gaptrack.service.cases import load_case_files
from gaptrack.service.gaps import find_gaps, party_summaries, status_ledger
from gaptrack.synthetic import build_synthetic
from tests.conftest import FIXTURES

AS_OF = dt.date(2017, 11, 16)
SYNTHETIC_AS_OF = dt.date(2017, 9, 1)


def test_known_items_are_counted_once_per_party(engine: Engine) -> None:
    load_case_files(engine, sorted(FIXTURES.glob("*.yaml")))
    with engine.connect() as connection:
        expected = dict(
            connection.execute(
                sa.select(Party.slug, sa.func.count(KnownItem.id))  # type: ignore[arg-type]
                .join(KnownItem, KnownItem.party_id == Party.id)  # type: ignore[arg-type]
                .group_by(Party.slug)
            ).all()
        )
    summaries = {s.party: s for s in party_summaries(engine, as_of=AS_OF)}
    # Kushner's known items answer items that the 16 Nov letter renews: still four, not eight.
    assert summaries["kushner"].known_total == expected["kushner"] == 4
    assert summaries["kushner"].known_produced == 0
    for slug, summary in summaries.items():
        assert summary.known_total == expected.get(slug, 0)
        assert summary.outstanding_gaps == len(find_gaps(engine, as_of=AS_OF, party=slug))


def _from_full_results(engine: Engine, as_of: dt.date) -> dict[str, tuple[object, ...]]:
    """The per-party line worked out from the built gaps and the status ledger."""
    ledger = status_ledger(engine, as_of=as_of)
    out: dict[str, tuple[object, ...]] = {}
    for slug in sorted({s.party for s in ledger}):
        own = find_gaps(engine, as_of=as_of, party=slug)
        letters = [s for s in ledger if s.party == slug]
        upcoming = [
            i.deadline for s in letters for i in s.items if i.deadline and i.deadline >= as_of
        ]
        out[slug] = (
            len(own),
            any(g.kind is GapKind.OVERDUE for g in own),
            len(letters),
            min(upcoming) if upcoming else None,
        )
    return out


@pytest.mark.parametrize("as_of", ["2017-06-01", "2017-09-01", "2017-11-16", "2018-03-01"])
def test_counted_summaries_agree_with_the_built_gaps(engine: Engine, as_of: str) -> None:
    """The main screen counts gaps without building them; the counts must be what building
    them gives, kind grouping and renewals included, on every fixture and at every date."""
    load_case_files(engine, sorted(FIXTURES.glob("*.yaml")))
    when = dt.date.fromisoformat(as_of)
    expected = _from_full_results(engine, when)
    counted = {
        s.party: (s.outstanding_gaps, s.overdue, s.requests, s.next_deadline)
        for s in party_summaries(engine, as_of=when)
    }
    assert counted == expected


def test_counted_summaries_agree_on_a_synthetic_case(engine: Engine) -> None:
    """Many parties, copies of one email from several producers, renewed items."""
    build_synthetic(engine, 3000, parties=8, known_items=60)
    expected = _from_full_results(engine, SYNTHETIC_AS_OF)
    counted = {
        s.party: (s.outstanding_gaps, s.overdue, s.requests, s.next_deadline)
        for s in party_summaries(engine, as_of=SYNTHETIC_AS_OF)
    }
    assert counted == expected
    assert sum(v[0] for v in counted.values()) > 100  # the case has gaps to count
