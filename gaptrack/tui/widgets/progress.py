"""A party's progress as two sparklines (documents produced, known items produced, from the
first letter to the as-of date) and one line per deadline: what had arrived by it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Sparkline, Static

from gaptrack.service.progress import PartyProgress
from gaptrack.tui.plain import Text

SAMPLES = 60  # points per chart; Sparkline fits them to its width


def deadline_lines(progress: PartyProgress) -> Text:
    """One line per deadline (request slugs are data: plain text, never markup)."""
    out = Text()
    for d in progress.deadlines:
        out.append(f"{d.request} ", style="bold")
        out.append(f"due {d.deadline.isoformat()}")
        out.append(" (passed)" if d.passed else " (ahead)", style="red" if d.passed else "dim")
        out.append(f": {d.documents} documents, known items {d.known_produced}/"
                   f"{d.known_total}\n")
    return out or Text("no deadline set")


def chart_caption(what: str, values: list[int], progress: PartyProgress) -> str:
    span = (f"{progress.start.isoformat()} to {progress.as_of.isoformat()}"
            if progress.start else "nothing yet")
    return f"{what}: {values[-1] if values else 0} by {progress.as_of.isoformat()} ({span})"


class ProgressPanel(VerticalScroll):
    """Focusable (it scrolls), so the keyboard reaches it from the party screen's tab."""

    def compose(self) -> ComposeResult:
        yield Static("", id="progress-documents-caption", markup=False)
        yield Sparkline([], id="progress-documents")
        yield Static("", id="progress-known-caption", markup=False)
        yield Sparkline([], id="progress-known")
        yield Static("", id="progress-deadlines", markup=False)

    def show_progress(self, progress: PartyProgress) -> None:
        _days, documents, known = progress.series(SAMPLES)
        self.query_one("#progress-documents", Sparkline).data = documents
        self.query_one("#progress-known", Sparkline).data = known
        self.query_one("#progress-documents-caption", Static).update(
            chart_caption("Documents produced", documents, progress))
        self.query_one("#progress-known-caption", Static).update(
            chart_caption(f"Known items produced (of {progress.known_total})", known, progress))
        self.query_one("#progress-deadlines", Static).update(deadline_lines(progress))
