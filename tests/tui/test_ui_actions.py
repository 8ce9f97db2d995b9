"""Every action driven from the keyboard, then checked in the database (SQLite and PostgreSQL):
mark produced / withheld / disputed / withdrawn, notes, a follow-up letter, promote and
dismiss a finding, undo; destructive ones ask first, and errors are shown, not raised."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import col, select
from support import table_snapshot
from textual.widgets import DataTable, Input, Select, Static

from gaptrack.db import session_scope
from gaptrack.models import (
    Event,
    FindingDecision,
    KnownItem,
    Party,
    PrivilegeEntry,
    Request,
    RequestItem,
)
from gaptrack.tui.app import GaptrackApp
from gaptrack.tui.dialogs import (
    ConfirmDialog,
    FollowUpDialog,
    ProducedDialog,
    TextDialog,
    WithheldDialog,
)
from tui.demo import AS_OF, SIZE
from tui.pilot import palette_search, rows, settle
from tui.test_screens import open_kushner


def _app(url: str, tmp_path: Path) -> GaptrackApp:
    return GaptrackApp(url, as_of=AS_OF, actor="tester", export_dir=tmp_path)


def _status(engine: Engine, slug: str) -> str:
    with session_scope(engine) as session:
        return str(session.exec(select(KnownItem.status).where(KnownItem.slug == slug)).one())


def _last_event(engine: Engine) -> Event:
    """The newest event a person caused (the gap engine logs its own ``gaps.*`` refreshes)."""
    with session_scope(engine) as session:
        event = session.exec(
            select(Event)
            .where(col(Event.action).not_like("gaps.%"))
            .order_by(col(Event.id).desc())
        ).first()
        assert event is not None
        return event


async def _known_tab(pilot: object, app: GaptrackApp, slug: str) -> DataTable[object]:
    screen = await open_kushner(pilot, app)
    await pilot.press("k")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    table = screen.query_one("#known-table", DataTable)
    table.move_cursor(row=table.get_row_index(slug))
    return table


async def test_mark_produced_choosing_the_document_then_undo(
    demo_engine: Engine, demo_url: str, tmp_path: Path
) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await _known_tab(pilot, app, "kushner-phone-records")
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ProducedDialog)
        await pilot.press(*"KUSHNER-000016")
        await settle(pilot)
        candidates = dialog.query_one("#candidates", DataTable)
        assert [r[0] for r in rows(candidates)] == ["KUSHNER-000016"]
        candidates.focus()
        await pilot.press("enter")  # choose it; focus moves to the reason
        await pilot.press(*"bill found in volume 1", "enter")
        await settle(pilot)
        assert _status(demo_engine, "kushner-phone-records") == "produced"
        event = _last_event(demo_engine)
        assert (event.actor, event.action, event.reason) == (
            "tester", "known.status", "bill found in volume 1"
        )
        known = rows(app.screen.query_one("#known-table", DataTable))
        assert [
            next(r for r in known if r[0] == "kushner-phone-records")[i] for i in (0, 2, 5)
        ] == ["kushner-phone-records", "produced", "KUSHNER-000016"]

        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert _status(demo_engine, "kushner-phone-records") == "outstanding"
        assert _last_event(demo_engine).action == "undo"


async def test_disputed_asks_first_and_no_changes_nothing(
    demo_engine: Engine, demo_url: str, tmp_path: Path
) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _known_tab(pilot, app, "kushner-millian-cc")
        before = table_snapshot(demo_engine)
        await pilot.press("x")  # disputed keeps it outstanding: a reason, no confirmation
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        prompt = app.screen.query_one(".dialog-body", Static)
        assert "still counts as outstanding" in str(prompt.content)
        await pilot.press("escape")
        await settle(pilot)
        assert table_snapshot(demo_engine) == before

        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"Lowell: not missing (17 Nov)", "enter")
        await settle(pilot)
        assert _status(demo_engine, "kushner-millian-cc") == "disputed"
        assert _last_event(demo_engine).reason == "Lowell: not missing (17 Nov)"

        await pilot.press("z")  # withdrawn: also confirmed
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("enter")  # no reason given
        await settle(pilot)
        assert _status(demo_engine, "kushner-millian-cc") == "withdrawn"

        await pilot.press("w")  # withheld: not destructive, asks which log entry and why
        await settle(pilot)
        assert isinstance(app.screen, WithheldDialog)
        await pilot.press(*"privilege claimed", "enter")
        await settle(pilot)
        assert _status(demo_engine, "kushner-millian-cc") == "withheld"


async def test_notes_from_the_keyboard(demo_engine: Engine, demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_kushner(pilot, app)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"[b]call Lowell[/b]", "enter")
        await settle(pilot)
        event = _last_event(demo_engine)
        assert (event.action, event.entity, event.entity_key, event.reason, event.actor) == (
            "note", "party", "kushner", "[b]call Lowell[/b]", "tester"
        )


async def test_follow_up_letter(demo_engine: Engine, demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_kushner(pilot, app)
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FollowUpDialog)
        dialog.query_one("#letter", Select).value = "sjc-2017-11-16"
        await settle(pilot)
        dialog.query_one("#deadline", Input).value = "2017-12-08"
        dialog.query_one("#reason", Input).value = "27 Nov deadline passed"
        await pilot.click("#ok")
        await settle(pilot)
        with session_scope(demo_engine) as session:
            letter = session.exec(
                select(Request).where(Request.summary == "27 Nov deadline passed")
            ).one()
            assert str(letter.deadline) == "2017-12-08" and str(letter.kind) == "deficiency"
            numbers = session.exec(
                select(RequestItem.number).where(RequestItem.request_id == letter.id)
                .order_by(col(RequestItem.position))
            ).all()
        assert list(numbers) == ["2", "3", "4", "5"]  # renewed items keep their numbers
        assert _last_event(demo_engine).action == "request.follow-up"


async def test_promote_and_dismiss_findings(
    demo_engine: Engine, demo_url: str, tmp_path: Path
) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = await open_kushner(pilot, app)
        await pilot.press("g")
        await settle(pilot)
        table = screen.query_one(".gaps-table", DataTable)
        inferred = [i for i, r in enumerate(rows(table)) if r[0] == "inferred"]
        assert len(inferred) >= 2
        table.move_cursor(row=inferred[0])
        await pilot.press("P")
        await settle(pilot)
        table.move_cursor(row=[i for i, r in enumerate(rows(table)) if r[0] == "inferred"][-1])
        await pilot.press("X")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press(*"same email as KUSHNER-000012", "enter")
        await settle(pilot)
        with session_scope(demo_engine) as session:
            decisions = {str(d.decision) for d in session.exec(select(FindingDecision)).all()}
        assert decisions == {"promoted", "dismissed"}

        await pilot.press("u", "y")  # undo the dismissal: the finding is back
        await settle(pilot)
        with session_scope(demo_engine) as session:
            decisions = {str(d.decision) for d in session.exec(select(FindingDecision)).all()}
        assert decisions == {"promoted"}
        assert _last_event(demo_engine).action == "undo"


async def test_errors_are_notified_not_raised(demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("u", "y")  # nothing of this actor's to undo
        await settle(pilot)
        told = [n for n in app._notifications if n.severity == "warning"]
        assert told and "tester has nothing to undo" in told[-1].message
        assert not isinstance(app.screen, ConfirmDialog)


async def test_reopen_and_notes_on_known_items_gaps_and_items(
    demo_engine: Engine, demo_url: str, tmp_path: Path
) -> None:
    from textual.widgets import Static

    from gaptrack.service import actions as core
    from gaptrack.tui.screens.item import ItemScreen

    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _known_tab(pilot, app, "kushner-phone-records")
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert _status(demo_engine, "kushner-phone-records") == "withheld"
        await pilot.press("o")  # reopen: outstanding again
        await settle(pilot)
        await pilot.press(*"withdrawn claim", "enter")
        await settle(pilot)
        assert _status(demo_engine, "kushner-phone-records") == "outstanding"

        await pilot.press("n")  # a note on the known item
        await settle(pilot)
        await pilot.press(*"ask AT&T", "enter")
        await settle(pilot)
        assert [n.text for n in core.notes(demo_engine, entity="known_item",
                                           key="kushner-phone-records")] == ["ask AT&T"]

        await pilot.press("g", "n")  # a note on the highlighted gap
        await settle(pilot)
        await pilot.press(*"[draft] check with Hicks", "enter")
        await settle(pilot)
        event = _last_event(demo_engine)
        assert (event.entity, event.reason) == ("gap", "[draft] check with Hicks")

        await pilot.press("i")
        await settle(pilot)
        items = app.screen.query_one("#items-table", DataTable)
        items.move_cursor(row=items.get_row_index("sjc-2017-10-18#4"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemScreen)
        await pilot.press("N")
        await settle(pilot)
        await pilot.press(*"[b]presumed[/b]", "enter")
        await settle(pilot)
        caption = app.screen.query_one("#item-caption", Static).content
        assert "[b]presumed[/b]" in getattr(caption, "plain", str(caption))  # verbatim
        assert [n.text for n in core.notes(demo_engine, entity="request_item",
                                           key="sjc-2017-10-18#4")] == ["[b]presumed[/b]"]


async def test_palette_opens_a_request_in_its_letter_chain(demo_url: str, tmp_path: Path) -> None:
    from textual.widgets import Tree

    from gaptrack.tui.screens.chains import ChainsScreen

    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette_search(pilot, "Request: sjc-2017-11-16")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChainsScreen)
        node = app.screen.query_one(Tree).cursor_node
        assert node is not None and node.data is not None and node.data.slug == "sjc-2017-11-16"


async def test_mark_withheld_under_a_privilege_log_entry(
    demo_engine: Engine, demo_url: str, tmp_path: Path
) -> None:
    """The dialog offers the party's own log (shown as plain text), and the chosen entry is
    stored with the status; the gap then says which entry withholds it."""
    from gaptrack.service.gaps import find_gaps

    with session_scope(demo_engine) as session:
        kushner = session.exec(select(Party).where(Party.slug == "kushner")).one()
        assert kushner.id is not None
        entry = PrivilegeEntry(
            party_id=kushner.id, entry_no="7", privilege="attorney-client",
            description="[b]call notes[/b]",
        )
        session.add(entry)
        session.flush()
        entry_id = entry.id
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _known_tab(pilot, app, "kushner-phone-records")
        await pilot.press("w")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, WithheldDialog)
        entries = dialog.query_one("#entry", Select)
        labels = [str(prompt) for prompt, _ in entries._options]
        assert "entry 7: attorney-client ([b]call notes[/b])" in labels  # verbatim, not markup
        entries.value = entry_id
        await pilot.press(*"logged on 20 Nov", "enter")
        await settle(pilot)
    with session_scope(demo_engine) as session:
        item = session.exec(
            select(KnownItem).where(KnownItem.slug == "kushner-phone-records")
        ).one()
        assert (item.status, item.privilege_entry_id) == ("withheld", entry_id)
    gap = next(
        g for g in find_gaps(demo_engine, as_of=AS_OF, party="kushner")
        if g.known_item == "kushner-phone-records"
    )
    assert gap.kind.value == "withheld"
    assert gap.evidence.privilege_entry == "entry 7: attorney-client ([b]call notes[/b])"
