"""The command palette: jump to a party or a request, export, draft a letter, change as_of.

Party names and request titles are data: every prompt and help line is handed to Textual as
:class:`~textual.content.Content` (plain text, never markup, never ``@click`` actions) after
:func:`gaptrack.text.display` has escaped control characters and clipped it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from gaptrack.text import display

PROMPT_LIMIT = 200  # characters of a name or title shown in the palette

if TYPE_CHECKING:
    from gaptrack.service.browse import Choice


class GaptrackCommands(Provider):
    """Parties and requests are read once per palette opening, in a worker thread."""

    async def startup(self) -> None:
        self.choices: list[Choice] = []
        worker = self.app.run_worker(self._load, thread=True, group="palette")
        await worker.wait()
        if worker.result is not None:
            self.choices = worker.result

    def _load(self) -> list[Choice]:
        from gaptrack.service import browse
        from gaptrack.tui.runner import BUSY_RETRY_DELAYS

        def read() -> list[Choice]:
            engine = self.app.state.engine()  # type: ignore[attr-defined]
            return browse.parties(engine) + browse.requests(engine)

        from gaptrack.db import retry_busy

        try:
            return retry_busy(read, BUSY_RETRY_DELAYS)
        except Exception as exc:  # the palette still offers its commands; the app goes on
            self.app.call_from_thread(
                self.app.notify, display(str(exc), 1000), title="Palette", severity="error",
                markup=False,
            )
            return []

    def _commands(self) -> list[tuple[str, Any, str]]:
        app: Any = self.app
        out: list[tuple[str, Any, str]] = [
            ("Export status report", app.action_export_status,
             "write the status report (Markdown) to a file"),
            ("Change as-of date", app.action_as_of, "recompute every gap as of another date"),
            ("Documents", app.action_documents, "browse every produced document"),
            ("Letters by committee", app.action_letters, "request letter chains"),
            ("Deadlines", app.action_deadlines, "every deadline, overdue first"),
            ("Undo last action", app.action_undo, "reverse the newest change in the event log"),
        ]
        for choice in self.choices:
            if choice.kind == "party":
                out.append((f"Party: {choice.label}", partial(app.open_party, choice.slug),
                            f"open {choice.slug}"))
                out.append((f"Draft letter: {choice.label}",
                            partial(app.draft_letter_for, choice.slug),
                            "deficiency letter draft, to read and save"))
                out.append((f"Export letter: {choice.label}",
                            partial(app.export_letter_for, choice.slug),
                            "write the deficiency letter (Markdown) to a file"))
            else:
                out.append((f"Request: {choice.slug}", partial(app.open_request, choice.slug),
                            f"{choice.label} ({choice.detail})"))
        return [(display(name, PROMPT_LIMIT, keep_newlines=False), command, help_text)
                for name, command, help_text in out]

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands()[:6]:
            yield DiscoveryHit(Content(name), command, text=name, help=_plain(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(matcher, name), command, text=name,
                          help=_plain(help_text))


def _plain(text: str) -> Any:
    """Help text as Content: Textual reads a ``str`` help as markup."""
    return Content(display(text, PROMPT_LIMIT, keep_newlines=False))


def _highlight(matcher: Matcher, name: str) -> Content:
    """``Matcher.highlight`` without its markup parsing: the matched letters of plain text."""
    content = Content(name)
    _, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
