"""Letters as real chains have them (SQLite and PostgreSQL): one letter via several counsel, a
reply that refuses items, a subpoena withdrawn, a letter from the committee's minority; each
loads, exports to the same bytes, and shows in the ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from gaptrack.errors import CaseFileError, ConflictError
from gaptrack.gaps.model import GapKind, ItemStatusKind
from gaptrack.service.cases import export_case, load_case_files
from gaptrack.service.gaps import find_gaps, status_ledger
from gaptrack.service.letters import withdraw_letter

CASE = """
committees:
  - {slug: hsgo, name: House Committee on Oversight, chamber: house, thomas_id: HSGO}
counsel:
  - {slug: ann, name: Ann Advocate}
  - {slug: ben, name: Ben Barrister}
parties:
  - {slug: alice, name: Alice Able, counsel: [ann, ben]}
requests:
  - slug: r1
    committee: hsgo
    title: Requests to Alice Able
    date_sent: 2017-02-01
    deadline: 2017-03-01
    to: [alice]
    via: [ann, ben]
    signatories:
      - {name: Lee Member, role: Ranking Member}
    items:
      - {number: "1", text: All communications with Bob Baker.}
      - {number: "2", text: Your calendars.}
    replies:
      - date: 2017-02-20
        author: Ann Advocate
        party: alice
        summary: Item 2 is outside the committee's jurisdiction.
        response:
          kind: objection
          items: ["2"]
  - slug: s1
    committee: hsgo
    kind: subpoena
    title: Subpoena to Alice Able
    date_sent: 2017-04-01
    deadline: 2017-04-15
    to: [alice]
    via: ann
    signatories:
      - {name: Pat Chair, role: Chairman}
    items:
      - {number: "1", text: Your phone records.}
    withdrawn:
      date: 2017-05-01
      reason: Agreement with counsel on a voluntary production.
"""


@pytest.fixture
def case(engine: Engine, tmp_path: Path) -> Engine:
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    load_case_files(engine, [path])
    return engine


def _items(engine: Engine, request: str, as_of: dt.date) -> dict[str, ItemStatusKind]:
    [letter] = status_ledger(engine, as_of=as_of, party="alice", request=request)
    return {i.item: i.status for i in letter.items}


def test_round_trip_keeps_counsel_responses_and_withdrawal(case: Engine, tmp_path: Path) -> None:
    first = export_case(case)
    assert "via:\n  - ann\n  - ben\n" in first and "via: ann\n" in first
    assert "response:\n      kind: objection\n      items:\n      - '2'" in first
    assert "withdrawn:\n    date: 2017-05-01" in first
    again = tmp_path / "again.yaml"
    again.write_text(first, encoding="utf-8")
    load_case_files(case, [again])
    assert export_case(case) == first


def test_an_objection_sets_the_items_it_names_to_refused(case: Engine) -> None:
    assert _items(case, "r1", dt.date(2017, 2, 10)) == {
        "1": ItemStatusKind.REQUESTED, "2": ItemStatusKind.REQUESTED,
    }
    after = _items(case, "r1", dt.date(2017, 3, 10))
    assert after == {"1": ItemStatusKind.OVERDUE, "2": ItemStatusKind.REFUSED}
    # Refused is still owed: the overdue gap names it.
    overdue = find_gaps(case, as_of=dt.date(2017, 3, 10), request="r1", kinds=[GapKind.OVERDUE])
    assert {n.strip() for g in overdue for n in (g.item or "").split(",")} == {"1", "2"}


def test_a_withdrawn_subpoena_asks_for_nothing_from_that_day(case: Engine) -> None:
    assert _items(case, "s1", dt.date(2017, 4, 20)) == {"1": ItemStatusKind.IGNORED}
    assert find_gaps(case, as_of=dt.date(2017, 4, 20), request="s1")
    assert _items(case, "s1", dt.date(2017, 5, 2)) == {"1": ItemStatusKind.WITHDRAWN}
    [letter] = status_ledger(case, as_of=dt.date(2017, 5, 2), request="s1")
    assert letter.status is ItemStatusKind.WITHDRAWN
    assert letter.withdrawn_on == dt.date(2017, 5, 1)
    assert find_gaps(case, as_of=dt.date(2017, 5, 2), request="s1") == []


def test_withdrawing_a_letter_is_an_event_that_changes_the_ledger(case: Engine) -> None:
    result = withdraw_letter(case, "r1", on=dt.date(2017, 6, 1), actor="clerk",
                             reason="superseded by the subpoena")
    assert result.action == "request.withdraw"
    assert _items(case, "r1", dt.date(2017, 6, 2)) == {
        "1": ItemStatusKind.WITHDRAWN, "2": ItemStatusKind.WITHDRAWN,
    }
    assert _items(case, "r1", dt.date(2017, 5, 31))["1"] is ItemStatusKind.OVERDUE
    with pytest.raises(ConflictError):
        withdraw_letter(case, "r1", on=dt.date(2017, 6, 2), actor="clerk")


def test_a_letter_signed_by_the_minority_says_so(case: Engine) -> None:
    ledger = status_ledger(case, as_of=dt.date(2017, 4, 20), party="alice")
    assert {r.request: r.minority for r in ledger} == {"r1": True, "s1": False}


def test_a_response_naming_an_item_the_letter_lacks_is_refused(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(CASE.replace('items: ["2"]', 'items: ["7"]'), encoding="utf-8")
    with pytest.raises(CaseFileError) as caught:
        load_case_files(engine, [path])
    assert "no item '7'" in str(caught.value) and "response" in str(caught.value)
