"""A search snippet as styled text: the words the search found are marked by style, never
by markup, so a snippet holding ``[b]`` shows it as written."""

from __future__ import annotations

from textual.widgets import Static

from gaptrack.search import Snippet
from gaptrack.tui.plain import Text

HIT_STYLE = "bold reverse"


def snippet_text(snippet: Snippet | None, *, label: bool = True) -> Text:
    """``snippet`` as a ``Text`` whose hits carry :data:`HIT_STYLE`."""
    if snippet is None:
        return Text("")
    text = Text()
    if label:
        text.append(f"{snippet.field}: ", style="dim")
    at = 0
    for start, end in snippet.highlights:  # appended piece by piece: escaping may lengthen
        text.append(snippet.text[at:start])
        text.append(snippet.text[start:end], style=HIT_STYLE)
        at = end
    text.append(snippet.text[at:])
    return text


class SnippetView(Static):
    """One line or two under a list: the highlighted document's snippet."""

    DEFAULT_CSS = """
    SnippetView { height: auto; max-height: 3; padding: 0 1; display: none; }
    """

    def show(self, snippet: Snippet | None) -> None:
        """Show ``snippet``; hidden when there is none (the list keeps its rows)."""
        self.update(snippet_text(snippet))
        self.display = snippet is not None
