"""``gaptrack status`` output: the ledger per party × request item, with the roll-up."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gaptrack.gaps.model import PartySummary, RequestStatus
from gaptrack.reports.progress_svg import progress_svg
from gaptrack.reports.tabular import (
    ReportFormat,
    html_page,
    report_format,
    to_csv,
    to_html_table,
    to_json,
    to_md,
    to_table,
)

if TYPE_CHECKING:
    from gaptrack.service.progress import PartyProgress

SCHEMA = "gaptrack/status@1"
COLUMNS = [
    "party",
    "request",
    "item",
    "status",
    "deadline",
    "since",
    "documents",
    "known produced",
    "gaps",
    "reason",
]
CSV_COLUMNS = [
    "party",
    "committee",
    "request",
    "item",
    "text",
    "status",
    "deadline",
    "outstanding_since",
    "documents",
    "known_total",
    "known_produced",
    "gaps",
    "reason",
    "history",
]


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def status_rows(ledger: Sequence[RequestStatus]) -> list[dict[str, Any]]:
    """One row for each letter (item "*", its roll-up), then one per item."""
    rows: list[dict[str, Any]] = []
    for status in ledger:
        rows.append(
            {
                "party": status.party,
                "committee": status.committee,
                "request": status.request,
                "item": "*",
                "text": status.title,
                "status": status.status.value,
                "deadline": status.deadline.isoformat() if status.deadline else None,
                "since": None,
                "outstanding_since": None,
                "documents": status.documents_produced,
                "known_total": status.known_total,
                "known_produced": status.known_produced,
                "known produced": f"{status.known_produced}/{status.known_total}",
                "gaps": sum(i.gaps for i in status.items),
                "reason": f"{status.kind} letter of {status.date_sent.isoformat()}"
                + (f", follows up {status.follows_up}" if status.follows_up else ""),
                "history": None,
            }
        )
        for item in status.items:
            rows.append(
                {
                    "party": item.party,
                    "committee": status.committee,
                    "request": item.request,
                    "item": item.item,
                    "text": item.text,
                    "status": item.status.value,
                    "deadline": item.deadline.isoformat() if item.deadline else None,
                    "since": _date(item.outstanding_since),
                    "outstanding_since": _date(item.outstanding_since),
                    "documents": item.documents_produced,
                    "known_total": item.known_total,
                    "known_produced": item.known_produced,
                    "known produced": f"{item.known_produced}/{item.known_total}",
                    "gaps": item.gaps,
                    "reason": item.reason,
                    "history": item.history,
                }
            )
    return rows


PARTY_COLUMNS = ["party", "gaps", "known items produced", "next deadline", "overdue"]


def party_rows(parties: Sequence[PartySummary]) -> list[dict[str, Any]]:
    """One line per party: the same figures as the main screen."""
    return [
        {
            "party": p.name,
            "gaps": p.outstanding_gaps,
            "known items produced": f"{p.known_produced}/{p.known_total}",
            "next deadline": _date(p.next_deadline),
            "overdue": "overdue" if p.overdue else "",
        }
        for p in parties
    ]


def render_status(
    ledger: Sequence[RequestStatus],
    fmt: str | ReportFormat,
    *,
    as_of: dt.date,
    parties: Sequence[PartySummary] = (),
    progress: Sequence[PartyProgress] = (),
) -> str:
    """``progress``: the parties' progress over time, charted in the HTML report."""
    form = report_format(fmt)
    title = f"Status as of {as_of.isoformat()}"
    if form is ReportFormat.JSON:
        return to_json(
            {
                "schema": SCHEMA,
                "as_of": as_of.isoformat(),
                "parties": [p.model_dump(mode="json") for p in parties],
                "requests": [s.model_dump(mode="json") for s in ledger],
            }
        )
    rows = status_rows(ledger)
    if form is ReportFormat.CSV:
        return to_csv(rows, CSV_COLUMNS)
    if not ledger and form in (ReportFormat.TABLE, ReportFormat.MD):
        heading = f"# {title}\n\n" if form is ReportFormat.MD else f"{title}\n"
        return f"{heading}no items to list: no letter in scope (or no item with such gaps)\n"
    if form is ReportFormat.MD:
        lines = [f"# {title}", ""]
        if parties:
            lines += [*to_md(party_rows(parties), PARTY_COLUMNS), ""]
        for status in ledger:
            lines += [
                f"## {status.party_name}: {status.request} ({status.status.value})",
                "",
                f"{status.title}. Sent {status.date_sent.isoformat()}"
                + (" by the committee's minority" if status.minority else "")
                + (f"; withdrawn {status.withdrawn_on.isoformat()}" if status.withdrawn_on
                   else "")
                + (f", due {status.deadline.isoformat()}" if status.deadline else "")
                + f". Known items produced: {status.known_produced}/{status.known_total}.",
                "",
            ]
            lines += to_md(
                [
                    r
                    for r in rows
                    if r["request"] == status.request
                    and r["party"] == status.party
                    and r["item"] != "*"
                ],
                ["item", "status", "deadline", "since", "documents", "known produced", "gaps",
                 "reason"],
            )
            lines.append("")
        return "\n".join(lines)
    if form is ReportFormat.HTML:
        body = [f"<h1>{html.escape(title)}</h1>"]
        if parties:
            body += to_html_table(party_rows(parties), PARTY_COLUMNS)
        charts = [(p, progress_svg(p)) for p in progress]
        if any(svg for _, svg in charts):
            body.append("<h2>Progress over time</h2>")
            body += [f"<h3>{html.escape(p.name)}</h3>\n{svg}" for p, svg in charts if svg]
        return html_page(title, [*body, *to_html_table(rows, COLUMNS)])
    head = to_table(party_rows(parties), PARTY_COLUMNS, "Parties") if parties else ""
    return head + to_table(rows, COLUMNS, title)
