"""The core of the TUI's actions (no Textual): each changes data, logs an event, and undoes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select
from support import table_snapshot

from gaptrack.db import session_scope
from gaptrack.errors import ConflictError, NotFoundError
from gaptrack.models import Event, KnownItem, KnownStatus, Request, RequestItem, Signatory
from gaptrack.service import actions


def _known(engine: Engine, slug: str) -> KnownItem:
    with session_scope(engine) as session:
        row = session.exec(select(KnownItem).where(KnownItem.slug == slug)).one()
        return row


def _events(engine: Engine) -> list[Event]:
    with session_scope(engine) as session:
        return list(session.exec(select(Event).order_by(col(Event.id))).all())


def test_mark_produced_with_own_document_then_undo(demo_engine: Engine) -> None:
    before = table_snapshot(demo_engine)
    result = actions.set_known_status(
        demo_engine, "kushner-phone-records", KnownStatus.PRODUCED, actor="counsel",
        reason="bill found in volume 1", document="KUSHNER-000016",
    )
    known = _known(demo_engine, "kushner-phone-records")
    assert known.status is KnownStatus.PRODUCED or known.status == "produced"
    assert known.produced_document_id is not None
    event = _events(demo_engine)[-1]
    assert (event.id, event.actor, event.action, event.reason) == (
        result.event_id, "counsel", "known.status", "bill found in volume 1"
    )
    assert event.data is not None
    assert event.data["before"]["status"] == "outstanding"
    assert event.data["after"]["status"] == "produced"

    undone = actions.undo_last(demo_engine, actor="counsel")
    assert undone.action == "undo"
    known = _known(demo_engine, "kushner-phone-records")
    assert known.status == "outstanding" and known.produced_document_id is None
    after = table_snapshot(demo_engine)
    # Only the event log grew (the change and its undo) and the known item's version moved on
    # twice (optimistic concurrency); everything else is as before.
    version = list(KnownItem.__table__.columns.keys()).index("version")  # type: ignore[attr-defined]

    def unversioned(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
        return [r[:version] + r[version + 1:] for r in rows]

    def kept_views(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
        # The kept status part is stamped with the newest event: only what it holds must be
        # as before (service.view_store).
        return [(r[0], r[1]["views"]) if r[0] == "case_view_status" else r  # type: ignore[index]
                for r in rows]

    for snapshot in (before, after):
        snapshot["known_item"] = unversioned(snapshot["known_item"])
        snapshot["derived_state"] = kept_views(snapshot["derived_state"])
    assert {k: v for k, v in after.items() if k != "event"} == {
        k: v for k, v in before.items() if k != "event"
    }
    assert len(after["event"]) == len(before["event"]) + 2
    with pytest.raises(NotFoundError):
        actions.undo_last(demo_engine, actor="counsel")


def test_produced_needs_the_partys_own_document(demo_engine: Engine) -> None:
    before = table_snapshot(demo_engine)
    with pytest.raises(ConflictError, match="another party"):
        actions.set_known_status(
            demo_engine, "kushner-wikileaks-forward", KnownStatus.PRODUCED, actor="x",
            document="HICKS-000101",
        )
    with pytest.raises(ConflictError):
        actions.set_known_status(demo_engine, "kushner-wikileaks-forward", KnownStatus.PRODUCED,
                                 actor="x")
    with pytest.raises(NotFoundError):
        actions.set_known_status(demo_engine, "no-such-item", KnownStatus.DISPUTED, actor="x")
    assert table_snapshot(demo_engine) == before


@pytest.mark.parametrize("status", [KnownStatus.WITHHELD, KnownStatus.DISPUTED,
                                    KnownStatus.WITHDRAWN])
def test_other_statuses_are_logged(demo_engine: Engine, status: KnownStatus) -> None:
    actions.set_known_status(demo_engine, "kushner-millian-cc", status, actor="staff",
                             reason="counsel letter of 17 Nov")
    assert _known(demo_engine, "kushner-millian-cc").status == status
    assert _known(demo_engine, "kushner-millian-cc").status_reason == "counsel letter of 17 Nov"
    event = _events(demo_engine)[-1]
    assert event.entity_key == "kushner-millian-cc" and event.data is not None
    assert event.data["after"]["status"] == str(status)


def test_undo_refuses_when_changed_since(demo_engine: Engine) -> None:
    first = actions.set_known_status(demo_engine, "kushner-millian-cc", KnownStatus.DISPUTED,
                                     actor="a")
    actions.set_known_status(demo_engine, "kushner-millian-cc", KnownStatus.WITHDRAWN, actor="b")
    with pytest.raises(ConflictError, match="changed since"):
        actions.undo(demo_engine, first.event_id, actor="a")
    actions.undo_last(demo_engine, actor="b")  # the newer one first
    actions.undo(demo_engine, first.event_id, actor="a")
    assert _known(demo_engine, "kushner-millian-cc").status == "outstanding"
    with pytest.raises(ConflictError, match="already undone"):
        actions.undo(demo_engine, first.event_id, actor="a")


def test_note_and_undo_hides_it(demo_engine: Engine) -> None:
    actions.add_note(demo_engine, entity="party", key="kushner", text="Lowell replied 17 Nov",
                     actor="staff")
    actions.add_note(demo_engine, entity="request_item", key="sjc-2017-10-18#3",
                     text="[b]see HICKS-000101[/b]", actor="staff")
    notes = actions.notes(demo_engine, entity="request_item", key="sjc-2017-10-18#3")
    assert [n.text for n in notes] == ["[b]see HICKS-000101[/b]"]
    actions.undo_last(demo_engine, actor="staff")
    assert actions.notes(demo_engine, entity="request_item", key="sjc-2017-10-18#3") == []
    assert len(actions.notes(demo_engine, entity="party", key="kushner")) == 1
    with pytest.raises(ConflictError):
        actions.add_note(demo_engine, entity="party", key="kushner", text="  ", actor="x")
    with pytest.raises(NotFoundError):
        actions.add_note(demo_engine, entity="party", key="nobody-at-all", text="x", actor="x")


def test_follow_up_letter_with_items_and_deadline(demo_engine: Engine) -> None:
    result = actions.record_follow_up(
        demo_engine,
        follows_up="sjc-2017-11-16",
        party="kushner",
        items=[
            actions.FollowUpItem(number="1", text="Phone records, again.",
                                 renews="sjc-2017-11-16#4"),
            actions.FollowUpItem(number="2", text="The WikiLeaks forward.",
                                 renews="sjc-2017-11-16#3"),
        ],
        deadline=dt.date(2017, 12, 8),
        date_sent=dt.date(2017, 11, 28),
        actor="counsel",
        reason="deadline of 27 Nov passed",
    )
    with session_scope(demo_engine) as session:
        letter = session.exec(select(Request).where(Request.follows_up_id.is_not(None))  # type: ignore[union-attr]
                              .order_by(col(Request.id).desc())).first()
        assert letter is not None and letter.deadline == dt.date(2017, 12, 8)
        assert letter.kind == "follow-up"
        items = session.exec(select(RequestItem).where(RequestItem.request_id == letter.id)
                             .order_by(col(RequestItem.position))).all()
        assert [i.number for i in items] == ["1", "2"]
        assert all(i.renews_item_id is not None for i in items)
        signatories = session.exec(select(Signatory).where(Signatory.request_id == letter.id)).all()
        assert signatories  # carried over from the letter it follows up
        slug = letter.slug
    event = _events(demo_engine)[-1]
    assert event.id == result.event_id and event.action == "request.follow-up"
    assert event.entity_key == slug and event.reason == "deadline of 27 Nov passed"

    actions.undo_last(demo_engine, actor="counsel")
    with session_scope(demo_engine) as session:
        assert session.exec(select(Request).where(Request.slug == slug)).first() is None


def test_follow_up_rejects_bad_input_and_changes_nothing(demo_engine: Engine) -> None:
    before = table_snapshot(demo_engine)
    with pytest.raises(ConflictError):
        actions.record_follow_up(demo_engine, follows_up="sjc-2017-10-18", party="kushner",
                                 items=[], deadline=dt.date(2017, 12, 1),
                                 date_sent=dt.date(2017, 11, 20), actor="x")
    with pytest.raises(ConflictError, match="before"):
        actions.record_follow_up(
            demo_engine, follows_up="sjc-2017-10-18", party="kushner",
            items=[actions.FollowUpItem(number="1", text="x")],
            deadline=dt.date(2017, 11, 1), date_sent=dt.date(2017, 11, 20), actor="x")
    with pytest.raises(NotFoundError):
        actions.record_follow_up(
            demo_engine, follows_up="sjc-2017-10-18", party="kushner",
            items=[actions.FollowUpItem(number="1", text="x", renews="sjc-2017-10-18#99")],
            deadline=dt.date(2017, 12, 1), date_sent=dt.date(2017, 11, 20), actor="x")
    assert table_snapshot(demo_engine) == before
