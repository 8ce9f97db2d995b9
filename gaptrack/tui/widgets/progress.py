"""A party's progress as two sparklines (documents produced, known items produced, from the
first letter to the as-of date), a ``▲`` under each where a deadline falls, and one line per
deadline: what had arrived by it."""

from __future__ import annotations

from typing import Any

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
        out.append("▲ " if d.deadline <= progress.as_of else "  ", style="red")
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


class DeadlineMarks(Static):
    """A row under a chart with ``▲`` where each deadline falls (drawn at the row's width,
    so the marks stay under the chart's columns however wide the terminal is)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.marks: list[float] = []  # where each deadline falls, 0 (first letter) to 1

    def set_marks(self, progress: PartyProgress) -> None:
        self.marks = deadline_fractions(progress)
        self.refresh()

    def render(self) -> Text:
        width = max(self.size.width, 1)
        row = [" "] * width
        for fraction in self.marks:
            row[min(round(fraction * (width - 1)), width - 1)] = "▲"
        return Text("".join(row), style="red")


def deadline_fractions(progress: PartyProgress) -> list[float]:
    """Each deadline up to the as-of date as a fraction of the chart's span."""
    if progress.start is None:
        return []
    span = max((progress.as_of - progress.start).days, 1)
    return [
        max((d.deadline - progress.start).days, 0) / span
        for d in progress.deadlines if d.deadline <= progress.as_of
    ]


class ProgressPanel(VerticalScroll):
    """Focusable (it scrolls), so the keyboard reaches it from the party screen's tab."""

    def compose(self) -> ComposeResult:
        yield Static("", id="progress-documents-caption", markup=False)
        yield Sparkline([], id="progress-documents")
        yield DeadlineMarks(id="progress-documents-marks")
        yield Static("", id="progress-known-caption", markup=False)
        yield Sparkline([], id="progress-known")
        yield DeadlineMarks(id="progress-known-marks")
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
        for marks in self.query(DeadlineMarks):
            marks.set_marks(progress)
