"""Known items of one party, with the status actions: produced, withheld, disputed, withdrawn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from gaptrack.models import KnownStatus
from gaptrack.service import actions
from gaptrack.service.views import KnownView
from gaptrack.tui.dialogs import ConfirmDialog, ProducedDialog, TextDialog, WithheldDialog
from gaptrack.tui.plain import Text
from gaptrack.tui.runner import act
from gaptrack.tui.state import state_of
from gaptrack.tui.widgets.table import Column, Record, RecordTable

STATUS_STYLE = {
    KnownStatus.OUTSTANDING: "bold red",
    KnownStatus.PRODUCED: "green",
    KnownStatus.WITHHELD: "cyan",
    KnownStatus.DISPUTED: "yellow",
    KnownStatus.WITHDRAWN: "dim",
}

# What each status means for the counts, said where it is chosen (README: known item statuses).
DIALOG_NOTES = {
    KnownStatus.DISPUTED: " The party disputes it; it still counts as outstanding until "
    "produced or withdrawn.",
    KnownStatus.OUTSTANDING: " It counts as outstanding again.",
}

COLUMNS = [
    Column("slug", "Known item", 28),
    Column("item", "Item", 18),
    Column("status", "Status", 12),
    Column("basis", "Basis", 16),
    Column("bates", "Shown by", 18),
    Column("produced", "Produced as", 18),
    Column("description", "Description"),
    Column("notes", "Notes"),
]


def _notes_cell(notes: Sequence[actions.Note]) -> str:
    if not notes:
        return ""
    last = notes[-1]
    count = f"{len(notes)} notes: " if len(notes) > 1 else ""
    return f"{count}{last.text} ({last.actor})"


class KnownTable(RecordTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "mark_produced", "Produced", id="known.produced"),
        Binding("w", "mark_withheld", "Withheld", id="known.withheld"),
        Binding("x", "mark('disputed')", "Disputed", id="known.disputed"),
        Binding("z", "mark('withdrawn')", "Withdrawn", id="known.withdrawn"),
        Binding("o", "mark('outstanding')", "Reopen", id="known.reopen"),
        Binding("n", "note", "Note", id="known.note"),
    ]

    def __init__(self, party: str, **kwargs: Any) -> None:
        super().__init__(COLUMNS, **kwargs)
        self.party = party

    @staticmethod
    def record(row: KnownView, notes: Sequence[actions.Note] = ()) -> Record:
        status = row.status
        return Record(
            key=row.slug,
            cells=[
                row.slug,
                f"{row.request}#{row.item}" if row.request else "",
                Text(status, style=STATUS_STYLE[status]),
                row.basis,
                row.basis_bates or "",
                row.produced_bates or "",
                row.description,
                # The notes written here, newest first: "2 notes: newest (actor)".
                _notes_cell(notes),
            ],
            data=row,
        )

    @property
    def known(self) -> KnownView | None:
        record = self.current
        return record.data if record else None

    def _set_status(
        self, row: KnownView, status: KnownStatus, reason: str, **details: Any
    ) -> None:
        """Store the status (an event, undoable) off the UI thread; ``details`` name the
        produced document or the privilege-log entry."""
        actor = state_of(self).actor
        act(self, lambda e: actions.set_known_status(
            e, row.slug, status, actor=actor, reason=reason or None, version=row.version,
            **details))

    def action_mark_produced(self) -> None:
        row = self.known
        if row is None:
            return

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer:
                bates, reason = answer
                self._set_status(row, KnownStatus.PRODUCED, reason, document=bates)

        self.app.push_screen(ProducedDialog(self.party, row.slug, row.description), chosen)

    def action_mark_withheld(self) -> None:
        row = self.known
        if row is None:
            return

        def chosen(answer: tuple[int | None, str] | None) -> None:
            if answer:
                entry, reason = answer
                self._set_status(row, KnownStatus.WITHHELD, reason, privilege_entry_id=entry)

        self.app.push_screen(WithheldDialog(self.party, row.slug, row.description), chosen)

    def action_mark(self, status: str) -> None:
        row = self.known
        if row is None:
            return
        target = KnownStatus(status)

        def with_reason(reason: str | None) -> None:
            if reason is not None:
                self._set_status(row, target, reason)

        def ask_reason(yes: bool | None = True) -> None:
            if yes:
                note = DIALOG_NOTES.get(target, "")
                self.app.push_screen(
                    TextDialog(f"Mark {target}", f"Why is {row.slug} {target}?{note}",
                               required=False),
                    with_reason,
                )

        if target is KnownStatus.WITHDRAWN:
            # Withdrawing takes an item off the list of what the party owes: ask first.
            self.app.push_screen(
                ConfirmDialog(f"Mark {target}?",
                              f"{row.slug} will no longer count as outstanding or as a known "
                              "item (it stays listed, and can be reopened).",
                              confirm=f"Mark {target}"),
                ask_reason,
            )
        else:
            ask_reason()

    def action_note(self) -> None:
        row = self.known
        if row is None:
            return
        actor = state_of(self).actor

        def add(text: str | None) -> None:
            if text:
                act(self, lambda e: actions.add_note(e, entity="known_item", key=row.slug,
                                                     text=text, actor=actor))

        self.app.push_screen(TextDialog("Note", f"Note on {row.slug}"), add)
