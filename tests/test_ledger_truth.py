"""Decisions that stick and a ledger that tells the truth, on the Kushner fixture (SQLite and
PostgreSQL): each test is one "what is wrong today" bullet of the case-view issue."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from gaptrack.errors import ConflictError
from gaptrack.gaps.model import GapKind
from gaptrack.models import KnownStatus
from gaptrack.reports.status import render_status
from gaptrack.service import actions
from gaptrack.service.cases import load_case_files
from gaptrack.service.gaps import dismiss_finding, find_gaps, status_ledger
from gaptrack.service.views import case_view
from tests.conftest import FIXTURES

AS_OF = dt.date(2017, 11, 16)
LATER = dt.date(2017, 11, 30)
REPLY = "inferred:kushner:sjc-2017-10-18#3:HICKS-000102"

# Another party's later volume with its own copy of Hope Hicks's reply (same Message-ID).
ANOTHER_COPY = """
productions:
  - slug: djtfp-vol002
    party: djtfp
    volume: DJTFP002
    date_received: 2017-11-20
    bates_prefix: DJTFP-
    documents:
      - bates: DJTFP-0000901
        type: email
        date_sent: 2016-09-21 16:20:00
        from: Hope Hicks <hhicks@campaign.example>
        to: [Jared Kushner <jared@campaign.example>]
        subject: "RE: Fwd: WikiLeaks DM"
        message_id: <HH.20160921162000.5@mail.campaign.example>
        answers: [sjc-2017-11-16#3]
"""


@pytest.fixture
def kushner(engine: Engine) -> Engine:
    load_case_files(engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    return engine


def _inferred_bates(engine: Engine, as_of: dt.date) -> set[str]:
    return {
        label
        for g in find_gaps(engine, as_of=as_of, party="kushner", kinds=[GapKind.INFERRED])
        for label in g.evidence.bates
    }


def test_a_dismissal_holds_across_renewed_items_and_later_imports(
    kushner: Engine, tmp_path: Path
) -> None:
    assert REPLY in {g.key for g in find_gaps(kushner, as_of=AS_OF, party="kushner")}
    dismiss_finding(kushner, REPLY, actor="tester", reason="Hicks's reply, not his document")
    assert "HICKS-000102" not in _inferred_bates(kushner, AS_OF)
    # After the 16 Nov letter renewed item 3, and at a later date: still dismissed.
    assert "HICKS-000102" not in _inferred_bates(kushner, LATER)
    later = tmp_path / "djtfp-vol002.yaml"
    later.write_text(ANOTHER_COPY, encoding="utf-8")
    load_case_files(kushner, [later])
    assert not {"HICKS-000102", "DJTFP-0000901"} & _inferred_bates(kushner, LATER)
    with pytest.raises(ConflictError):  # the same email under the renewed item: decided
        dismiss_finding(kushner, "inferred:kushner:sjc-2017-11-16#3:HICKS-000102",
                        actor="tester", reason="again")


def test_disputed_still_counts_as_outstanding_withdrawn_does_not(kushner: Engine) -> None:
    before = case_view(kushner, as_of=AS_OF, party="kushner").parties[0].summary
    actions.set_known_status(kushner, "kushner-phone-records", KnownStatus.DISPUTED,
                             actor="tester", reason="counsel says there are none")
    view = case_view(kushner, as_of=AS_OF, party="kushner").parties[0]
    assert "known:kushner-phone-records" in {g.key for g in view.gaps}
    assert view.summary.known_total == before.known_total
    assert {k.slug: k.status for k in view.known}["kushner-phone-records"] == "disputed"
    actions.set_known_status(kushner, "kushner-phone-records", KnownStatus.WITHDRAWN,
                             actor="tester", reason="committee no longer asks")
    view = case_view(kushner, as_of=AS_OF, party="kushner").parties[0]
    assert "known:kushner-phone-records" not in {g.key for g in view.gaps}
    assert view.summary.known_total == before.known_total - 1
    assert view.summary.outstanding_gaps == before.outstanding_gaps - 1
    withdrawn = {k.slug: k for k in view.known}["kushner-phone-records"]
    assert withdrawn.status == "withdrawn" and not withdrawn.counted  # listed, not counted


def test_documents_are_counted_once_per_letter(kushner: Engine) -> None:
    [first, _] = status_ledger(kushner, as_of=AS_OF, party="kushner")
    # KUSHNER-000001 answers items 1 and 2; 000013/14 answer 2 and 5: seven documents.
    assert sum(i.documents_produced for i in first.items) == 10
    assert first.documents_produced == 7
    rows = json.loads(render_status([first], "json", as_of=AS_OF))["requests"]
    assert rows[0]["documents_produced"] == 7


def test_known_items_and_inferred_findings_are_counted_apart(kushner: Engine) -> None:
    [first, _] = status_ledger(kushner, as_of=AS_OF, party="kushner")
    item2 = next(i for i in first.items if i.item == "2")
    assert "2 known to exist and not produced" in item2.reason
    assert "2 inferred from other productions" in item2.reason


def test_overdue_only_for_what_is_outstanding_after_its_deadline(kushner: Engine) -> None:
    overdue = find_gaps(kushner, as_of=AS_OF, party="kushner", kinds=[GapKind.OVERDUE])
    # Item 1 (produced) was the only item of the 18 Oct letter still on it, not renewed.
    assert overdue == []
    later = find_gaps(kushner, as_of=LATER, party="kushner", kinds=[GapKind.OVERDUE])
    named = {n.strip() for g in later for n in (g.item or "").split(",")}
    assert named == {"2", "3", "4"}  # 5 was produced; 2 only in part


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md", "html"])
def test_a_renewed_item_is_outstanding_since_the_first_letter(kushner: Engine, fmt: str) -> None:
    ledger = status_ledger(kushner, as_of=AS_OF, party="kushner", request="sjc-2017-11-16")
    item3 = next(i for i in ledger[0].items if i.item == "3")
    assert item3.outstanding_since == dt.date(2017, 10, 18)
    assert "outstanding since sjc-2017-10-18#3" in item3.reason
    assert "2017-10-18" in render_status(ledger, fmt, as_of=AS_OF)
    produced = next(i for i in ledger[0].items if i.item == "5")
    assert produced.outstanding_since is None
