"""The TUI's ``Text``: rich's Text with every string it is given made safe to show.

Data reaches the screen through ``Text`` objects (table cells, captions, detail panes,
dialogs). This subclass passes each string through :func:`gaptrack.text.printable` as it is
made or appended, so an escape sequence, a control character or a bidi override in a party
name or a subject is shown as ``\\x1b`` / ``\\u202e`` and never reaches the terminal. Being
``rich.text.Text``, it is never read as markup either. TUI modules import ``Text`` from here
(tests/tui enforce it); the cell clipping of very long values is
:func:`gaptrack.tui.widgets.table.cell`'s.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text as RichText

from gaptrack.text import printable


class Text(RichText):
    """``rich.text.Text`` that escapes control characters and bidi overrides in its input."""

    def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(printable(text), *args, **kwargs)

    def append(
        self, text: str | RichText, style: str | Style | None = None
    ) -> RichText:
        if isinstance(text, str):
            text = printable(text)
        elif not isinstance(text, Text) and printable(text.plain) != text.plain:
            text = Text(text.plain, style=text.style)  # spans of unsafe text are not kept
        return super().append(text, style)
