"""The app-wide actions (keys on every screen, and the command palette's commands).

A mixin so that ``app.py`` stays a short list of screens and keys (Frogmouth style). Screens
other than the first, and the core, are imported when first used: the first paint waits only
for what it draws (bench/bench_tui.py).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from gaptrack.tui import exports
from gaptrack.tui.dialogs import ConfirmDialog, TextDialog, TextViewDialog
from gaptrack.tui.messages import DataChanged
from gaptrack.tui.runner import act, load

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from textual.app import App
    from textual.screen import Screen

    from gaptrack.models.event import EventRead
    from gaptrack.tui.state import TuiState

    _Base = App[None]
else:
    _Base = object


# Screens that C, T and D switch between (named: they are imported only when first used).
SWITCHED = {"ChainsScreen", "DeadlinesScreen", "DocumentsScreen"}
ACTION_NAMES = {
    "note": "the note",
    "known.status": "the status change",
    "request.follow-up": "the follow-up letter",
    "finding.promote": "the promotion",
    "finding.dismiss": "the dismissal",
}


def describe_event(event: EventRead) -> str:
    """"the status change on kushner-phone-records (disputed: why), 2017-11-16 09:30"."""
    what = ACTION_NAMES.get(event.action, event.action)
    after = (event.data or {}).get("after")
    detail = str(after.get("status") or "") if isinstance(after, dict) else ""
    if event.reason:
        detail = f"{detail}: {event.reason}" if detail else event.reason
    on = f" on {event.entity_key}" if event.entity_key else ""
    told = f" ({detail})" if detail else ""
    return f"{what}{on}{told}, recorded {event.at:%Y-%m-%d %H:%M}"


def _check_date(text: str) -> str | None:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return f"write the date as YYYY-MM-DD, not {text!r}"
    return None


class GlobalActions(_Base):
    state: TuiState

    def open_party(self, party: str) -> None:
        from gaptrack.tui.screens.party import PartyScreen

        self.push_screen(PartyScreen(party))

    def open_request(self, request: str) -> None:
        from gaptrack.tui.screens.chains import ChainsScreen

        self.push_screen(ChainsScreen(focus=request))

    def action_help(self) -> None:
        from gaptrack.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def _switch_to(self, kind: type[Screen[Any]], make: Callable[[], Screen[Any]]) -> None:
        """C, T and D switch between their screens rather than stack them: an open one is
        brought back (what was above it closes); from another of them, it is replaced."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, kind):
                while self.screen is not screen:
                    self.pop_screen()
                return
        if type(self.screen).__name__ in SWITCHED:
            self.switch_screen(make())
        else:
            self.push_screen(make())

    def action_home(self) -> None:
        """Back to the parties, closing every screen above them."""
        from gaptrack.tui.screens.main import MainScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()

    def action_documents(self) -> None:
        from gaptrack.tui.screens.documents import DocumentsScreen

        party = getattr(self.screen, "party", None)
        self._switch_to(DocumentsScreen,
                        lambda: DocumentsScreen(party if isinstance(party, str) else None))

    def action_letters(self) -> None:
        from gaptrack.tui.screens.chains import ChainsScreen

        self._switch_to(ChainsScreen, ChainsScreen)

    def action_deadlines(self) -> None:
        from gaptrack.tui.screens.deadlines import DeadlinesScreen

        self._switch_to(DeadlinesScreen, DeadlinesScreen)

    def set_as_of(self, as_of: dt.date) -> None:
        self.state.as_of = as_of
        self.sub_title = f"as of {as_of.isoformat()}"
        for screen in self.screen_stack:
            screen.post_message(DataChanged())

    def action_as_of(self) -> None:
        def switch(text: str | None) -> None:
            if text:
                self.set_as_of(dt.date.fromisoformat(text))

        self.push_screen(
            TextDialog("As of", "Compute gaps as of (YYYY-MM-DD):",
                       value=self.state.as_of.isoformat(), check=_check_date),
            switch,
        )

    def action_undo(self) -> None:
        """Say what undo will reverse (this actor's last action), then reverse exactly that."""
        from gaptrack.service import actions

        actor = self.state.actor

        def ask(event: EventRead | None) -> None:
            if event is None:
                self.notify(f"{actor} has nothing to undo", title="Undo", severity="warning",
                            markup=False)
                return

            def confirmed(yes: bool | None) -> None:
                if yes:
                    act(self, lambda e: actions.undo(e, event.id, actor=actor))

            self.push_screen(
                ConfirmDialog("Undo?", f"Undo {describe_event(event)}?", confirm="Undo"),
                confirmed,
            )

        load(self, lambda e: actions.last_undoable(e, actor=actor), ask, group="undo")

    def _wrote(self, path: object) -> None:
        self.notify(f"Wrote {path}", title="Exported", markup=False)

    def action_export_status(self) -> None:
        s = self.state
        load(self, lambda e: exports.export_status(e, s.as_of, s.export_dir), self._wrote,
             group="export")

    def export_letter_for(self, party: str) -> None:
        s = self.state
        load(self, lambda e: exports.export_letter(e, s.as_of, party, s.export_dir),
             self._wrote, group="export")

    def action_draft_letter(self) -> None:
        party = getattr(self.screen, "party", None)
        if isinstance(party, str):
            self.draft_letter_for(party)

    def draft_letter_for(self, party: str) -> None:
        def shown(text: str) -> None:
            def saved(save: bool | None) -> None:
                if save:
                    self.export_letter_for(party)

            self.push_screen(TextViewDialog(f"Deficiency letter draft: {party}", text), saved)

        load(self, lambda e: exports.letter_text(e, self.state.as_of, party), shown,
             group="export")
