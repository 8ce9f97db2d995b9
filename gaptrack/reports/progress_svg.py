"""A party's progress as an SVG chart for the HTML status report, written by hand: two step
lines (documents produced, known items produced) from the first letter to the as-of date, each
on its own scale, with a dashed line at every deadline. All text is escaped (party names and
request slugs are data)."""

from __future__ import annotations

import datetime as dt
from html import escape

from gaptrack.service.progress import PartyProgress

WIDTH = 640
PANEL = 110  # height of one chart
LEFT, RIGHT, TOP, GAP = 48, 16, 24, 36
COLOURS = {"documents": "#1f5fa8", "known": "#2e7d32"}


class _Frame:
    """Maps days and counts to the chart's coordinates."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start, self.days = start, max((end - start).days, 1)

    def x(self, day: dt.date) -> float:
        day = min(max(day, self.start), self.start + dt.timedelta(days=self.days))
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.start).days / self.days

    @staticmethod
    def y(value: int, top: int, panel_top: float) -> float:
        return panel_top + PANEL - PANEL * value / max(top, 1)


def _steps(frame: _Frame, progress: PartyProgress, which: str, top: int, panel_top: float) -> str:
    """The cumulative count as a step path (it rises on the day a production arrived)."""
    y0 = frame.y(0, top, panel_top)
    path = [f"M {frame.x(frame.start):.1f} {y0:.1f}"]
    for point in progress.points:
        value = point.documents if which == "documents" else point.known_produced
        path.append(f"H {frame.x(point.date):.1f} V {frame.y(value, top, panel_top):.1f}")
    path.append(f"H {frame.x(progress.as_of):.1f}")
    return " ".join(path)


def _panel(frame: _Frame, progress: PartyProgress, which: str, panel_top: float) -> list[str]:
    last = progress.points[-1] if progress.points else None
    value = (last.documents if which == "documents" else last.known_produced) if last else 0
    top = value if which == "documents" else max(progress.known_total, value)
    label = ("Documents produced" if which == "documents"
             else f"Known items produced (of {progress.known_total})")
    bottom = panel_top + PANEL
    return [
        f'<text x="{LEFT}" y="{panel_top - 6:.1f}" font-size="12">'
        f"{escape(label)}: {value}</text>",
        f'<line x1="{LEFT}" y1="{bottom:.1f}" x2="{WIDTH - RIGHT}" y2="{bottom:.1f}" '
        'stroke="#999"/>',
        f'<line x1="{LEFT}" y1="{panel_top:.1f}" x2="{LEFT}" y2="{bottom:.1f}" stroke="#999"/>',
        f'<text x="{LEFT - 4}" y="{panel_top + 10:.1f}" font-size="10" '
        f'text-anchor="end">{top}</text>',
        f'<text x="{LEFT - 4}" y="{bottom:.1f}" font-size="10" text-anchor="end">0</text>',
        f'<path d="{_steps(frame, progress, which, top, panel_top)}" fill="none" '
        f'stroke="{COLOURS[which]}" stroke-width="2"/>',
    ]


def progress_svg(progress: PartyProgress) -> str:
    """The chart, as an ``<svg>`` element to put in an HTML page (empty: nothing to chart)."""
    if progress.start is None:
        return ""
    frame = _Frame(progress.start, progress.as_of)
    height = TOP + 2 * PANEL + GAP + 28
    title = f"Progress of {progress.name} to {progress.as_of.isoformat()}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        'font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
        *_panel(frame, progress, "documents", TOP),
        *_panel(frame, progress, "known", TOP + PANEL + GAP),
    ]
    bottom = TOP + 2 * PANEL + GAP
    for d in progress.deadlines:
        if d.deadline > progress.as_of:
            continue  # the chart ends at the as-of date
        x = frame.x(d.deadline)
        out += [
            f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{bottom}" stroke="#c62828" '
            'stroke-dasharray="4 3"><title>'
            f"{escape(d.request)} due {d.deadline.isoformat()}: {d.documents} documents, "
            f"known items {d.known_produced}/{d.known_total}</title></line>",
            f'<text x="{x + 3:.1f}" y="{TOP + 10}" font-size="10" fill="#c62828">'
            f"{escape(d.request)}</text>",
        ]
    for day, anchor in ((progress.start, "start"), (progress.as_of, "end")):
        out.append(f'<text x="{frame.x(day):.1f}" y="{bottom + 16}" font-size="10" '
                   f'text-anchor="{anchor}">{day.isoformat()}</text>')
    out.append("</svg>")
    return "\n".join(out)
