"""One party: its requests and numbered items with status, its gaps, its known items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy.engine import Engine
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from gaptrack.gaps.model import ItemStatusKind, PartySummary, RequestStatus
from gaptrack.models import RequestKind
from gaptrack.service import actions, browse
from gaptrack.service.progress import PartyProgress, party_progress
from gaptrack.service.views import PartyStatus, PartyView
from gaptrack.text import display
from gaptrack.tui.dialogs import FollowUpDialog, FollowUpSpec, TextDialog
from gaptrack.tui.plain import Text
from gaptrack.tui.runner import act, load
from gaptrack.tui.screens.base import DataScreen
from gaptrack.tui.widgets.gaps import GapsPanel
from gaptrack.tui.widgets.known import KnownTable
from gaptrack.tui.widgets.progress import ProgressPanel
from gaptrack.tui.widgets.table import Column, Record, RecordTable

STATUS_STYLE = {
    ItemStatusKind.PRODUCED: "green",
    ItemStatusKind.NO_RESPONSIVE: "green",
    ItemStatusKind.PARTIAL: "yellow",
    ItemStatusKind.WITHHELD: "cyan",
    ItemStatusKind.OVERDUE: "bold red",
    ItemStatusKind.IGNORED: "red",
    ItemStatusKind.REQUESTED: "",
}

ITEM_COLUMNS = [
    Column("request", "Request", 22),
    Column("item", "Item", 5),
    Column("status", "Status", 22),
    Column("deadline", "Deadline", 10),
    Column("docs", "Docs", 5),
    Column("known", "Known", 6),
    Column("gaps", "Gaps", 5),
    Column("text", "Item text"),
]


def fetch_party(engine: Engine, party: str, as_of: Any) -> PartyView:
    """The party's part of the case view (shared with the main screen: no second run)."""
    from gaptrack.service.views import case_view

    view = case_view(engine, as_of=as_of, party=party).party_view(party)
    if view is None:
        name = next((c.label for c in browse.parties(engine) if c.slug == party), party)
        return PartyView(
            summary=PartySummary(party=party, name=name, outstanding_gaps=0, known_total=0,
                                 known_produced=0, next_deadline=None, overdue=False,
                                 requests=0),
            ledger=[], gaps=[], known=[],
        )
    return view


@dataclass
class PartyData:
    view: PartyView
    notes: dict[str, dict[str, list[actions.Note]]]  # entity -> key -> notes
    progress: PartyProgress


def fetch_party_data(engine: Engine, party: str, as_of: Any) -> PartyData:
    view = fetch_party(engine, party, as_of)
    notes = {
        "party": actions.notes_on(engine, "party", [party]),
        "known_item": actions.notes_on(engine, "known_item", [k.slug for k in view.known]),
        "gap": actions.notes_on(engine, "gap", [g.key for g in view.gaps]),
    }
    return PartyData(view, notes, party_progress(engine, view, as_of))


@dataclass
class PartyHead:
    """What opening the screen shows at once: the header and the Requests & items tab."""

    status: PartyStatus
    notes: list[actions.Note]  # on the party


def fetch_party_head(engine: Engine, party: str, as_of: Any) -> PartyHead:
    """The party's line and ledger as kept after the last write (a few rows), else its part
    of the case view; the gaps, known items and progress follow (:func:`fetch_party_data`)."""
    from gaptrack.service.view_store import stored_party

    status = stored_party(engine, party, as_of) or fetch_party(engine, party, as_of)
    return PartyHead(status, actions.notes_on(engine, "party", [party]).get(party, []))


def notes_text(notes: list[actions.Note]) -> str:
    return "\n".join(f"note ({n.actor}, {n.at:%Y-%m-%d}): {n.text}" for n in notes)


def party_caption(data: PartyStatus, as_of: dt.date) -> str:
    """The party header: the main screen's figures, from the same case view."""
    s = data.summary
    return (
        f"{s.name} · {s.requests} requests · {data.open_items()} open items · "
        f"{s.outstanding_gaps} gaps · known items produced {s.known_produced}/{s.known_total}"
        f" · as of {as_of.isoformat()}"
    )


def item_records(statuses: list[RequestStatus]) -> list[Record]:
    out = []
    for request in statuses:
        for item in request.items:
            out.append(
                Record(
                    key=f"{request.request}#{item.item}",
                    cells=[
                        request.request,
                        item.item,
                        Text(str(item.status), style=STATUS_STYLE.get(item.status, "")),
                        item.deadline,
                        item.documents_produced,
                        f"{item.known_produced}/{item.known_total}",
                        item.gaps,
                        item.text,
                    ],
                    data=(request, item),
                )
            )
    return out


class PartyScreen(DataScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="party.back"),
        Binding("i", "tab('items')", "Items", id="party.items"),
        Binding("g", "tab('gaps')", "Gaps", id="party.gaps"),
        Binding("k", "tab('known')", "Known", id="party.known"),
        Binding("f", "follow_up", "Follow-up letter", id="party.follow-up"),
        Binding("n", "note", "Note", id="party.note"),
        Binding("L", "app.draft_letter", "Draft letter", id="party.letter"),
        Binding("t", "threads", "Threads", id="party.threads"),
        Binding("v", "coverage", "Coverage", id="party.coverage"),
        Binding("r", "tab('progress')", "Progress", id="party.progress"),
    ]

    def __init__(self, party: str) -> None:
        super().__init__()
        self.party = party
        self.data: PartyStatus | None = None
        self.complete = False  # every tab filled (the gaps, known items and progress follow)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(display(self.party, 300), id="party-caption", markup=False)
        with TabbedContent(initial="items", id="party-tabs"):
            with TabPane("Requests & items", id="items"):
                yield RecordTable(ITEM_COLUMNS, id="items-table")
            with TabPane("Gaps", id="gaps"):
                yield GapsPanel(id="party-gaps")
            with TabPane("Known items", id="known"):
                yield KnownTable(self.party, id="known-table")
            with TabPane("Progress", id="progress"):
                yield ProgressPanel(id="progress-panel")
        yield Footer()

    def loading_target(self) -> Any:
        return self.query_one(TabbedContent)

    def fetch(self, engine: Engine) -> PartyHead:
        return fetch_party_head(engine, self.party, self.state.as_of)

    def show(self, loaded: PartyHead) -> None:
        data = self.data = loaded.status
        self.sub_title = data.summary.name
        caption = party_caption(data, self.state.as_of)
        mine = notes_text(loaded.notes)
        shown = display(caption, 1000) + (f"\n{display(mine, 2000)}" if mine else "")
        self.query_one("#party-caption", Static).update(shown)
        self.query_one("#items-table", RecordTable).set_records(item_records(data.ledger))
        if not self.loaded:  # first load only: a reload must not move the user's focus
            self.query_one("#items-table", RecordTable).focus()
        # The other tabs (thousands of gaps at a million documents) follow in a worker; until
        # they first arrive they say they are loading (a reload keeps the old rows in view).
        if not self.complete:
            for tab in self._rest_tabs():
                tab.loading = True
        party, as_of = self.party, self.state.as_of
        load(self, lambda e: fetch_party_data(e, party, as_of), self._show_rest,
             group=f"party-rest-{id(self)}")

    def _rest_tabs(self) -> list[Any]:
        return [self.query_one(GapsPanel), self.query_one(KnownTable),
                self.query_one(ProgressPanel)]

    def _show_rest(self, loaded: PartyData) -> None:
        for tab in self._rest_tabs():
            tab.loading = False
        data = loaded.view
        self.query_one(GapsPanel).show_gaps(data.gaps, loaded.notes["gap"])
        known_notes = loaded.notes["known_item"]
        self.query_one(KnownTable).set_records(
            [KnownTable.record(k, known_notes.get(k.slug, [])) for k in data.known]
        )
        self.query_one(ProgressPanel).show_progress(loaded.progress)
        self.complete = True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "items-table" and event.row_key.value:
            from gaptrack.tui.screens.item import ItemScreen

            request, _, number = event.row_key.value.partition("#")
            self.app.push_screen(ItemScreen(self.party, request, number))

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        target = {"items": "#items-table", "gaps": ".gaps-table", "known": "#known-table",
                  "progress": "#progress-panel"}[tab]
        self.query_one(target).focus()

    def action_threads(self) -> None:
        from gaptrack.tui.screens.threads import ThreadsScreen

        self.app.push_screen(ThreadsScreen(self.party))

    def action_coverage(self) -> None:
        from gaptrack.tui.screens.coverage import CoverageScreen

        self.app.push_screen(CoverageScreen(self.party))

    def action_note(self) -> None:
        actor = self.state.actor

        def add(text: str | None) -> None:
            if text:
                act(self, lambda e: actions.add_note(e, entity="party", key=self.party,
                                                     text=text, actor=actor))

        self.app.push_screen(TextDialog("Note", f"Note on {self.party}"), add)

    def action_follow_up(self) -> None:
        if self.data is None:
            return
        letters = [
            browse.Choice(slug=r.request, label=r.title, kind="request") for r in self.data.ledger
        ]
        if not letters:
            self.notify("this party has no letter to follow up", severity="warning")
            return
        actor = self.state.actor

        def record(spec: FollowUpSpec | None) -> None:
            if spec is None:
                return
            act(self, lambda e: actions.record_follow_up(
                e, follows_up=spec.follows_up, party=self.party, items=spec.items,
                deadline=spec.deadline, date_sent=spec.date_sent, actor=actor,
                reason=spec.reason or None, kind=RequestKind(spec.kind)))

        self.app.push_screen(FollowUpDialog(self.party, letters, self.state.as_of), record)

    def current_item(self) -> str | None:
        record = self.query_one("#items-table", RecordTable).current
        return record.key if record else None
