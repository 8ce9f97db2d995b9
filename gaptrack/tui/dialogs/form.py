"""The shape every form dialog shares: OK (or Enter) answers, Cancel (or Esc) answers None."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.screen import ModalScreen
from textual.widgets import Button

AnswerT = TypeVar("AnswerT")


class FormDialog(ModalScreen[AnswerT | None], Generic[AnswerT]):
    """Subclasses compose an ``#ok`` button and say in :meth:`submit` what OK answers (or
    show why it cannot yet); their own Esc binding calls ``cancel``, under its own id."""

    def submit(self) -> None:
        raise NotImplementedError

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
