"""A party's coverage as a heat map: one row per custodian of its productions and per other
party whose documents show it, one column per month (or week); the darker the cell, the
more documents. Months that others show the party active and its own production is silent
(or falls sharply) are marked in the header and listed under the map."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.engine import Engine
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
from textual.widgets import Footer, Header, Static

from gaptrack.coverage import Period
from gaptrack.service.coverage import CoverageReport, coverage_report
from gaptrack.tui.plain import Text
from gaptrack.tui.screens.base import DataScreen

NAME_WIDTH = 22
CELL = 4  # characters per period
SHADES = ["grey23", "dark_green", "green4", "green3", "bright_green"]


def _shade(count: int, top: int) -> str:
    if count == 0:
        return ""
    step = max(1, round(count / max(top, 1) * (len(SHADES) - 1)))
    return f"black on {SHADES[step]}" if step >= 3 else f"white on {SHADES[step]}"


def _short(label: str, by: Period) -> str:
    if by is Period.MONTH:  # "2017-02" -> "1702"
        return label[2:4] + label[5:7]
    return label[-5:].replace("-", "")  # "week of 2017-02-06" -> "0206"


def heat_map(report: CoverageReport) -> Text:
    """The matrix as styled text (names are data: plain text, never markup)."""
    out = Text()
    out.append(" " * NAME_WIDTH)
    for period in report.periods:
        flag = report.flags.get(period)
        style = "bold red" if flag == "silent" else "bold yellow" if flag == "fall" else "dim"
        out.append(_short(period, report.by).rjust(CELL - 1) + ("!" if flag else " "), style)
    out.append("\n")
    top = max((c for r in report.rows for c in r.counts), default=0)
    for source in ("own", "others"):
        rows = [r for r in report.rows if r.source == source]
        if not rows:
            continue
        out.append(("own production" if source == "own" else "others' documents on it")
                   + "\n", style="bold")
        for row in rows:
            out.append(row.name[: NAME_WIDTH - 2].ljust(NAME_WIDTH))
            for count in row.counts:
                out.append((str(count) if count else "·").rjust(CELL - 1) + " ",
                           _shade(count, top))
            out.append("\n")
    return out


def flag_lines(report: CoverageReport) -> Text:
    text = Text()
    for period, flag in report.flags.items():
        text.append(f"{period}: ", style="bold")
        n = report.periods.index(period)
        what = "silent" if flag == "silent" else f"sharp fall (z {report.z.get(period)})"
        text.append(f"{what}; own {report.own_totals[n]}, others {report.others_totals[n]}\n")
    return text or Text("no silent period")


class CoverageScreen(DataScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="coverage.back"),
        Binding("w", "period('week')", "Weeks", id="coverage.weeks"),
        Binding("m", "period('month')", "Months", id="coverage.months"),
    ]

    def __init__(self, party: str) -> None:
        super().__init__()
        self.party = party
        self.by = Period.MONTH
        self.report: CoverageReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with ScrollableContainer(id="coverage-scroll"):
            yield Static("", id="coverage-map", markup=False)
        yield Static("", id="coverage-flags", markup=False)
        yield Footer()

    def loading_target(self) -> ScrollableContainer:
        return self.query_one(ScrollableContainer)

    def fetch(self, engine: Engine) -> CoverageReport:
        return coverage_report(engine, self.party, as_of=self.state.as_of, by=self.by)

    def show(self, report: CoverageReport) -> None:
        self.report = report
        self.sub_title = f"coverage of {report.party_name} by {report.by.value}"
        self.query_one("#coverage-map", Static).update(heat_map(report))
        self.query_one("#coverage-flags", Static).update(flag_lines(report))

    def action_period(self, by: str) -> None:
        self.by = Period(by)
        self.reload()
