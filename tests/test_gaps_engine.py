"""Every gap kind and every matching key, on SQLite and PostgreSQL (tests/gapcase.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import ConflictError, InputError, NotFoundError
from gaptrack.gaps.materialise import refresh_derived
from gaptrack.gaps.model import Gap, GapKind, ItemStatusKind, MatchKey
from gaptrack.models import metadata
from gaptrack.service import gaps
from tests.gapcase import AFTER_DEADLINE, BEFORE_DEADLINE, load_case


@pytest.fixture
def case(engine: Engine, tmp_path: Path) -> Engine:
    load_case(engine, tmp_path)
    return engine


def by_key(found: list[Gap]) -> dict[str, Gap]:
    return {g.key: g for g in found}


def test_all_kinds_before_the_deadline(case: Engine) -> None:
    found = gaps.find_gaps(case, as_of=BEFORE_DEADLINE, party="alice")
    assert [(g.kind.value, g.key) for g in found] == [
        ("known-not-produced", "known:alice-phone"),
        ("inferred", "inferred:alice:r1#1:BOB-0004"),
        ("inferred", "inferred:alice:r1#2:BOB-0004"),
        ("inferred", "inferred:alice:r1#2:CAROL-0001"),
        ("inferred", "inferred:alice:r1#2:CAROL-0004"),
        ("withheld", "inferred:alice:r1#2:CAROL-0003"),
        ("nothing-produced", "nothing-produced:alice:r1#2"),
        ("nothing-produced", "nothing-produced:alice:r1#3"),
        ("referenced-unproduced", "referenced:alice:f78a08219348981c60f4a933e740687c"),
    ]


def test_missing_copy_is_inferred_with_producer_bates_and_role(case: Engine) -> None:
    gap = by_key(gaps.find_gaps(case, as_of=BEFORE_DEADLINE))["inferred:alice:r1#1:BOB-0004"]
    assert gap.kind is GapKind.INFERRED
    assert (gap.request, gap.item) == ("r1", "1")
    assert gap.evidence.producing_party == "bob"
    assert gap.evidence.bates == ["BOB-0004"]
    assert gap.evidence.role == "to"
    assert gap.evidence.match_key is MatchKey.NONE


def test_each_matching_key_is_recorded(case: Engine) -> None:
    found = {f.document: f for f in gaps.findings(case, as_of=BEFORE_DEADLINE, party="alice")}
    # Same Message-ID in both productions.
    assert found["BOB-0001"].match_key is MatchKey.MIH
    assert found["BOB-0001"].copy_bates == "ALICE-0001"
    # Sender's and recipient's copies: different Message-IDs, subjects "FW:" vs "Fwd:", sent
    # a minute apart, no text: only the fingerprint ties them.
    assert found["BOB-0002"].match_key is MatchKey.FINGERPRINT
    assert found["BOB-0002"].copy_bates == "ALICE-0002"
    # Different subject and no Message-ID on Alice's copy, same text.
    assert found["BOB-0003"].match_key is MatchKey.BODY_HASH
    assert found["BOB-0003"].known_item == "alice-numbers"
    assert found["BOB-0004"].match_key is MatchKey.NONE
    matched = {"BOB-0001", "BOB-0002", "BOB-0003"}
    assert not {g.evidence.bates[0] for g in gaps.find_gaps(case, as_of=BEFORE_DEADLINE)
                if g.evidence.bates} & matched  # fmt: skip


def test_fingerprint_needs_the_times_within_tolerance(engine: Engine, tmp_path: Path) -> None:
    from tests.gapcase import CASE

    late = CASE.replace("date_sent: 2017-01-03 09:01:00", "date_sent: 2017-01-03 11:01:00")
    load_case(engine, tmp_path, late)
    found = {f.document: f for f in gaps.findings(engine, as_of=BEFORE_DEADLINE)}
    assert found["BOB-0002"].match_key is MatchKey.NONE


def test_party_only_in_a_quoted_forward_header(case: Engine) -> None:
    gap = by_key(gaps.find_gaps(case, as_of=BEFORE_DEADLINE))["inferred:alice:r1#2:CAROL-0001"]
    assert gap.evidence.role == "quoted"
    assert gap.evidence.producing_party == "carol"


def test_email_answering_no_item_of_the_party_is_not_a_gap(case: Engine) -> None:
    # CAROL-0002 (a party invitation, Alice in To) answers none of Alice's items.
    found = gaps.find_gaps(case, as_of=AFTER_DEADLINE)
    assert not [g for g in found if "CAROL-0002" in g.evidence.bates]
    assert not [f for f in gaps.findings(case, as_of=AFTER_DEADLINE) if f.document == "CAROL-0002"]


def test_privilege_logged_email_is_withheld_not_missing(case: Engine) -> None:
    gap = by_key(gaps.find_gaps(case, as_of=BEFORE_DEADLINE))["inferred:alice:r1#2:CAROL-0003"]
    assert gap.kind is GapKind.WITHHELD
    assert gap.evidence.privilege_entry == "entry 1: attorney-client (Legal advice)"
    only = gaps.find_gaps(case, as_of=BEFORE_DEADLINE, kinds=["withheld"])
    assert [g.key for g in only] == ["inferred:alice:r1#2:CAROL-0003"]


def test_item_level_privilege_entry_makes_nothing_produced_withheld(
    engine: Engine, tmp_path: Path
) -> None:
    from tests.gapcase import CASE

    logged = (
        CASE
        + """
  - party: alice
    entries:
      - {entry_no: "2", description: Phone bills, privilege: personal privacy, item: r1#3}
"""
    )
    load_case(engine, tmp_path, logged)
    found = by_key(gaps.find_gaps(engine, as_of=BEFORE_DEADLINE))
    assert "nothing-produced:alice:r1#3" in found
    assert found["nothing-produced:alice:r1#3"].kind is GapKind.WITHHELD
    assert found["nothing-produced:alice:r1#3"].evidence.privilege_entry == (
        "entry 2: personal privacy (Phone bills)"
    )


def test_overdue_only_after_the_deadline(case: Engine) -> None:
    before = gaps.find_gaps(case, as_of=BEFORE_DEADLINE, kinds=[GapKind.OVERDUE])
    assert before == []
    after = gaps.find_gaps(case, as_of=AFTER_DEADLINE, kinds=[GapKind.OVERDUE])
    assert [g.key for g in after] == ["overdue:alice:r1:2017-03-01"]
    assert after[0].evidence.days_overdue == 9
    assert after[0].evidence.deadline == dt.date(2017, 3, 1)
    assert after[0].item == "1, 2, 3"


def test_referenced_but_produced_by_nobody(case: Engine) -> None:
    found = gaps.find_gaps(case, as_of=BEFORE_DEADLINE, kinds=["referenced-unproduced"])
    assert len(found) == 1
    assert found[0].title == "Email <lost-original@a.example>"
    assert found[0].evidence.referring_bates == ["CAROL-0004"]
    # Carol was asked for nothing, so she owes nothing.
    assert {g.party for g in found} == {"alice"}


def test_presumed_known_item(case: Engine) -> None:
    gap = by_key(gaps.find_gaps(case, as_of=BEFORE_DEADLINE))["known:alice-phone"]
    assert gap.kind is GapKind.KNOWN_NOT_PRODUCED
    assert gap.evidence.basis == "presumed"
    assert gap.evidence.citation == "Presumed from the calls described in testimony."


def test_as_of_ignores_later_productions_and_letters(case: Engine) -> None:
    # Before Alice's production arrived (15 Feb), BOB-0001 had no match yet.
    early = by_key(gaps.find_gaps(case, as_of=dt.date(2017, 2, 12)))
    assert "inferred:alice:r1#1:BOB-0001" in early
    # Before the letter was sent nothing was owed.
    assert gaps.find_gaps(case, as_of=dt.date(2017, 1, 15)) == []


def test_dismissed_finding_never_shows_again(case: Engine) -> None:
    key = "inferred:alice:r1#2:CAROL-0004"
    result = gaps.dismiss_finding(case, key, actor="tester", reason="Alice was on leave")
    assert result.action == "finding.dismiss"
    for when in (BEFORE_DEADLINE, AFTER_DEADLINE):
        assert key not in by_key(gaps.find_gaps(case, as_of=when))
    with pytest.raises(ConflictError):
        gaps.dismiss_finding(case, key, actor="tester", reason="again")
    with case.connect() as connection:
        event = connection.execute(
            sa.select(metadata.tables["event"]).where(
                metadata.tables["event"].c.action == "finding.dismiss"
            )
        ).one()
    assert event.reason == "Alice was on leave" and event.entity_key == key


def test_promoted_finding_becomes_a_known_item(case: Engine) -> None:
    key = "inferred:alice:r1#1:BOB-0004"
    result = gaps.promote_finding(case, key, actor="tester", reason="staff review")
    assert result.known_item == "alice-bob-0004"
    found = by_key(gaps.find_gaps(case, as_of=BEFORE_DEADLINE))
    assert key not in found
    # The same email under item 2 is now covered by the known item: not reported twice.
    assert "inferred:alice:r1#2:BOB-0004" not in found
    known = found["known:alice-bob-0004"]
    assert known.kind is GapKind.KNOWN_NOT_PRODUCED
    assert known.evidence.bates == ["BOB-0004"] and known.evidence.role == "to"


def test_undo_of_a_decision_brings_the_finding_back(case: Engine) -> None:
    from sqlmodel import Session

    from gaptrack.models import Event
    from gaptrack.service.finding_decisions import undo_finding_decision

    key = "inferred:alice:r1#1:BOB-0004"
    result = gaps.promote_finding(case, key, actor="tester")
    with Session(case) as session:
        event = session.get(Event, result.event_id)
        assert event is not None
        undo_finding_decision(session, event)
        session.commit()
    assert key in by_key(gaps.find_gaps(case, as_of=BEFORE_DEADLINE))


def test_bad_finding_keys(case: Engine) -> None:
    with pytest.raises(InputError):
        gaps.dismiss_finding(case, "known:alice-phone", actor="t", reason="x")
    with pytest.raises(NotFoundError):
        gaps.dismiss_finding(case, "inferred:alice:r1#1:NOPE-1", actor="t", reason="x")
    with pytest.raises(InputError):
        gaps.dismiss_finding(case, "inferred:alice:r1#1:BOB-0004", actor="t", reason=" ")


def test_filters_and_names(case: Engine) -> None:
    assert gaps.find_gaps(case, as_of=BEFORE_DEADLINE, party="Alice Able") == gaps.find_gaps(
        case, as_of=BEFORE_DEADLINE, party="alice"
    )
    assert gaps.find_gaps(case, as_of=BEFORE_DEADLINE, party="bob") == []
    by_committee = gaps.find_gaps(case, as_of=BEFORE_DEADLINE, committee="HSGO")
    assert by_committee and all(g.committee == "hsgo" for g in by_committee)
    assert gaps.find_gaps(case, as_of=BEFORE_DEADLINE, request="r1", kinds=["inferred"])
    with pytest.raises(NotFoundError):
        gaps.find_gaps(case, as_of=BEFORE_DEADLINE, party="zelda")
    with pytest.raises(InputError):
        gaps.find_gaps(case, as_of=BEFORE_DEADLINE, kinds=["missing"])


def test_status_ledger(case: Engine) -> None:
    [letter] = gaps.status_ledger(case, as_of=AFTER_DEADLINE, party="alice")
    items = {i.item: i for i in letter.items}
    assert items["1"].status is ItemStatusKind.PARTIAL
    assert items["1"].documents_produced == 3
    assert (items["1"].known_total, items["1"].known_produced) == (1, 1)
    assert items["2"].status is ItemStatusKind.OVERDUE
    assert items["3"].status is ItemStatusKind.OVERDUE
    assert letter.status is ItemStatusKind.PARTIAL
    assert (letter.known_total, letter.known_produced) == (2, 1)
    before = gaps.status_ledger(case, as_of=BEFORE_DEADLINE, party="alice")[0]
    assert {i.item: i.status for i in before.items}["3"] is ItemStatusKind.REQUESTED


def test_party_summaries(case: Engine) -> None:
    [alice] = gaps.party_summaries(case, as_of=AFTER_DEADLINE)
    assert alice.party == "alice" and alice.overdue and alice.requests == 1
    assert alice.outstanding_gaps == len(gaps.find_gaps(case, as_of=AFTER_DEADLINE))


def test_derivation_is_idempotent_and_incremental(case: Engine, tmp_path: Path) -> None:
    gaps.find_gaps(case, as_of=BEFORE_DEADLINE)
    table = metadata.tables["document_item"]
    with case.connect() as connection:
        first = sorted(connection.execute(sa.select(table.c.document_id, table.c.item_id)).all())
    assert refresh_derived(case).skipped
    assert refresh_derived(case, force=True).full
    with case.connect() as connection:
        again = sorted(connection.execute(sa.select(table.c.document_id, table.c.item_id)).all())
    assert first == again


def test_same_database_same_answer(case: Engine) -> None:
    one = [g.model_dump_json() for g in gaps.find_gaps(case, as_of=AFTER_DEADLINE)]
    two = [g.model_dump_json() for g in gaps.find_gaps(case, as_of=AFTER_DEADLINE)]
    assert one == two
