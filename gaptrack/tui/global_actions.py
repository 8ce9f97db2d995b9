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
    from textual.app import App

    from gaptrack.tui.state import TuiState

    _Base = App[None]
else:
    _Base = object


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

    def action_documents(self) -> None:
        from gaptrack.tui.screens.documents import DocumentsScreen

        party = getattr(self.screen, "party", None)
        self.push_screen(DocumentsScreen(party if isinstance(party, str) else None))

    def action_letters(self) -> None:
        from gaptrack.tui.screens.chains import ChainsScreen

        self.push_screen(ChainsScreen())

    def action_deadlines(self) -> None:
        from gaptrack.tui.screens.deadlines import DeadlinesScreen

        self.push_screen(DeadlinesScreen())

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
        def confirmed(yes: bool | None) -> None:
            from gaptrack.service import actions

            if yes:
                act(self, lambda e: actions.undo_last(e, actor=self.state.actor))

        self.push_screen(
            ConfirmDialog("Undo?", "Undo the last recorded action?", confirm="Undo"), confirmed
        )

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
