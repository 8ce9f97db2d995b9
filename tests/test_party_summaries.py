"""The main screen's per-party line counts each known item once, renewed letters or not."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.models import KnownItem, Party
from gaptrack.service.cases import load_case_files
from gaptrack.service.gaps import find_gaps, party_summaries
from tests.conftest import FIXTURES

AS_OF = dt.date(2017, 11, 16)


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
