"""Messages the faces of the TUI send each other (workers post these, widgets react)."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """An action changed the database: every open screen reloads what it shows."""


class OpenParty(Message):
    def __init__(self, party: str) -> None:
        super().__init__()
        self.party = party


class OpenDocument(Message):
    def __init__(self, document_id: int) -> None:
        super().__init__()
        self.document_id = document_id
